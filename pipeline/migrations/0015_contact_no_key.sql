-- 0015: contact without its PRIMARY KEY. The table is recomputed whole on
-- every run (sql/contact/03_outcome.sql: one row per current contact
-- record, from contact_input, whose record IDs are source_record's), so the
-- key checked nothing the SQL does not already guarantee, and its index
-- cost more than the rows: at a million persons (7.2M contact records)
-- emptying the table took 8 s and refilling it 14 s, without it 0.2 and
-- 11. TestContactNoKeyMigration checks the rows survive the migration and
-- that a run leaves one row per record.
CREATE TABLE contact_0015 (
    record_id     BIGINT NOT NULL,
    source_kind   VARCHAR NOT NULL,       -- activity | counsellor | visit
    outcome       VARCHAR NOT NULL,       -- linked | decided | paired (a visit, through its counsellor) | dismissed | ambiguous | unmatched
    member_id     VARCHAR,                -- linked or decided member, else NULL
    weight        DOUBLE,                 -- best member's score (log2 Bayes factor)
    margin        DOUBLE,                 -- best minus second best (NULL with one candidate)
    candidates    JSON,                   -- [{member_id, name, community, weight}] best first, at most 5
    activity_type VARCHAR,                -- activity: its type, or 志愿服务 / 其他 when the record has none
    activity_day  DATE,                   -- activity: its date when the record gives a day
    duplicate_of  BIGINT                  -- activity: the first record of the same member, date and type
);

INSERT INTO contact_0015
SELECT record_id, source_kind, outcome, member_id, weight, margin, candidates, activity_type, activity_day, duplicate_of
FROM contact ORDER BY record_id;

DROP TABLE contact;

ALTER TABLE contact_0015 RENAME TO contact;
