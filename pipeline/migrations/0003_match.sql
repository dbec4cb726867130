-- 0003: record linkage, which pairs of records are the same person.
-- Owned by pipeline/match.go (ARCHITECTURE.md); configured by rules.match.

-- Toneless pinyin of every name seen (rules.NamePinyin), computed in Go
-- once per distinct name and kept, so a rerun keys only new names.
CREATE TABLE match_name_key (
    name        VARCHAR PRIMARY KEY,
    name_pinyin VARCHAR NOT NULL           -- "zhang wei"; '' when the name has nothing to sound out
);

-- The model of each run: m and u of every level of every comparison.
CREATE TABLE match_param (
    run_id      INTEGER NOT NULL,
    comparison  VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    level_index INTEGER NOT NULL,          -- order of the level in the comparison, from 0
    m           DOUBLE,                    -- P(level | same person); NULL for the null level
    u           DOUBLE,                    -- P(level | different people); NULL for the null level
    source      VARCHAR,                   -- where m came from: em | config (u: u_source)
    pairs       BIGINT,                    -- blocked pairs in this level
    u_source    VARCHAR,                   -- random | config
    weight      DOUBLE,                    -- log2(m/u), the level's part of a pair's match weight
    u_blocked   DOUBLE                     -- EM's non-match share among the blocked pairs (diagnostic)
);

-- Pairs per blocking rule and run, counted before any pair was generated.
CREATE TABLE match_rule_count (
    run_id     INTEGER NOT NULL,
    rule       VARCHAR NOT NULL,
    pairs      BIGINT NOT NULL,            -- Σ n·(n−1)/2 over the rule's key groups
    new_pairs  BIGINT NOT NULL,            -- pairs no earlier rule made (credited to this one)
    rule_index INTEGER,                    -- position in rules.match.blocking
    generated  BIGINT                      -- pairs the rule's join produced (= pairs without pair_condition)
);

-- One row per run of the matcher: sizes, the estimated prior, the outcome.
CREATE TABLE match_run (
    run_id          INTEGER NOT NULL,
    records         BIGINT,
    pairs           BIGINT,                -- distinct blocked pairs scored
    comparable_pairs DOUBLE,               -- all pairs the model could compare (estimated with pair_condition)
    random_pairs    BIGINT,                -- random pairs that estimated u
    lambda_blocked  DOUBLE,                -- EM: share of matches among the blocked pairs
    prior           DOUBLE,                -- λ among all comparable pairs, the prior of every pair
    em_iterations   INTEGER,
    em_converged    BOOLEAN,
    links           BIGINT,
    reviews         BIGINT,
    seconds         DOUBLE
);

-- The scored pairs of the newest run (replaced whole, in one transaction).
CREATE TABLE link (
    run_id        INTEGER NOT NULL,
    l_record_id   BIGINT NOT NULL,         -- l_record_id < r_record_id
    r_record_id   BIGINT NOT NULL,
    blocking_rule VARCHAR NOT NULL,        -- the first rule that generated the pair
    weight        DOUBLE NOT NULL,         -- total match weight (log2), prior included
    probability   DOUBLE NOT NULL,         -- 2^weight / (1 + 2^weight)
    parts         JSON NOT NULL,           -- per comparison: level, weight log2(m/u), m, u, tf_adjustment
    decision      VARCHAR NOT NULL,        -- link | review | none
    prior         DOUBLE                   -- log2(λ/(1−λ)): weight = prior + Σ (part.weight + part.tf_adjustment)
);
