-- 0004: members, one per real person, with stable IDs and their history.
-- Owned by pipeline/member.go (ARCHITECTURE.md).

-- One row per member ID ever given. A member merged into another keeps its
-- row, with merged_into and retired_run_id set.
CREATE TABLE member (
    member_id        VARCHAR PRIMARY KEY,   -- M0000001, stable across runs
    created_run_id   INTEGER NOT NULL,
    last_seen_run_id INTEGER,               -- the last run in which it had current records
    retired_run_id   INTEGER,               -- merged away, or no current record left
    merged_into      VARCHAR,
    status           VARCHAR,               -- dual | inflow_only | unknown_whereabouts | left
    status_run_id    INTEGER,               -- the run that set the status
    whereabouts_verified BOOLEAN DEFAULT false, -- an analyst's 已核实去向
    records          INTEGER,               -- current person records
    survey_records   INTEGER,
    roster_records   INTEGER,
    name             VARCHAR,
    gender           VARCHAR,
    ethnicity        VARCHAR,
    id_number        VARCHAR,
    birth_date       VARCHAR,
    education        VARCHAR,
    member_type      VARCHAR,
    origin_branch    VARCHAR,
    origin_branch_key VARCHAR,
    join_date        VARCHAR,
    phone            VARCHAR,
    address          VARCHAR,
    employer         VARCHAR,
    community        VARCHAR,
    outflow_date     VARCHAR,
    outflow_reason   VARCHAR
);

-- Every identity event: created, merged (into other_member_id), split (from
-- other_member_id), retired.
CREATE TABLE member_history (
    run_id          INTEGER NOT NULL,
    member_id       VARCHAR NOT NULL,
    event           VARCHAR NOT NULL,
    other_member_id VARCHAR,
    records         INTEGER
);

-- Every status change of a member.
CREATE TABLE member_status_history (
    run_id      INTEGER NOT NULL,
    member_id   VARCHAR NOT NULL,
    from_status VARCHAR,                    -- NULL for a new member
    to_status   VARCHAR NOT NULL
);

-- The registry: one row per current member (README, "The registry database").
CREATE OR REPLACE VIEW v_member AS
SELECT m.member_id, m.name, m.gender, m.ethnicity, m.id_number, m.birth_date, m.education, m.member_type,
       m.origin_branch, m.origin_branch_key, m.join_date, m.phone, m.address, m.employer, m.community,
       m.outflow_date, m.outflow_reason, m.status,
       CASE m.status
           WHEN 'dual' THEN '双向共管'
           WHEN 'inflow_only' THEN '仅流入地登记'
           WHEN 'unknown_whereabouts' THEN '去向不明'
           WHEN 'left' THEN '已离开'
       END AS status_label,
       m.status = 'unknown_whereabouts' AND NOT coalesce(m.whereabouts_verified, false) AS whereabouts_unknown,
       m.whereabouts_verified,
       CAST(fr.started_at AS DATE) AS first_seen,
       CAST(lr.started_at AS DATE) AS last_seen,
       m.records, m.survey_records, m.roster_records, m.created_run_id, m.status_run_id
FROM member m
LEFT JOIN runs fr ON fr.run_id = m.created_run_id
LEFT JOIN runs lr ON lr.run_id = m.last_seen_run_id
WHERE m.retired_run_id IS NULL;

-- Discrepancies between sources, kept across runs: opened by the run that
-- first saw one, resolved by the run that no longer does.
CREATE TABLE discrepancy (
    discrepancy_id  BIGINT PRIMARY KEY,
    key             VARCHAR NOT NULL,         -- kind|member|field|values; a discrepancy that comes back opens anew
    kind            VARCHAR NOT NULL,         -- field_conflict | possible_same_person
    member_id       VARCHAR,
    field           VARCHAR,
    value_set       VARCHAR,                  -- the distinct values, ' | '-separated
    record_ids      VARCHAR,                  -- space-separated
    detail          JSON,                     -- [{value, record_id, source: file:sheet!row}]
    first_run_id    INTEGER NOT NULL,
    resolved_run_id INTEGER
);

CREATE OR REPLACE VIEW v_discrepancy AS
SELECT discrepancy_id, kind, member_id, record_ids, field, value_set, detail, first_run_id, resolved_run_id
FROM discrepancy;
