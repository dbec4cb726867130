-- 0009: incremental blocking (rules.match.incremental). The matcher keeps the
-- blocked pairs of the records it linked, with their comparison vectors, in
-- match_vector_kept, and those records in match_record_kept; both are
-- created by pipeline/match.go because their columns follow the configured
-- comparisons (c0, c1, …). This row says what configuration made them: a
-- run with another one compares every pair again.
CREATE TABLE match_kept_state (
    fingerprint VARCHAR NOT NULL,  -- SHA-256 of the input, rules, comparisons and pair SQL
    run_id      INTEGER NOT NULL   -- the run that last brought them up to date
);
