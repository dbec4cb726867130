-- 0019: a contact identity's candidates kept once, in contact_identity, not
-- on each of its records. The cards that say the same thing (an identity,
-- sql/contact/01_link.sql) have the same five candidates; written on every
-- record, at a million persons 7.2 million JSON values were carried through
-- the outcome's joins and written each night (by hand: the outcome's query
-- 9.5 s with them, 2.8 s without), for 1.7 million identities. contact.key_id
-- is a record's identity, under its smallest record_id; v_contact shows
-- the candidates as before. The rows already there become their own
-- identities; the next run groups them.
CREATE TABLE contact_identity (
    key_id      BIGINT NOT NULL,   -- the smallest record_id of the identity's contact records
    candidates  JSON               -- [{member_id, name, community, weight}] best first, at most 5
);

INSERT INTO contact_identity
SELECT record_id, candidates FROM contact WHERE candidates IS NOT NULL ORDER BY record_id;

CREATE TABLE contact_0019 (
    record_id     BIGINT NOT NULL,
    key_id        BIGINT NOT NULL,        -- its identity (contact_identity.key_id)
    source_kind   VARCHAR NOT NULL,       -- activity | counsellor | visit
    outcome       VARCHAR NOT NULL,       -- linked | decided | paired (a visit, through its counsellor) | dismissed | ambiguous | unmatched
    member_id     VARCHAR,                -- linked or decided member, else NULL
    weight        DOUBLE,                 -- best member's score (log2 Bayes factor)
    margin        DOUBLE,                 -- best minus second best (NULL with one candidate)
    activity_type VARCHAR,                -- activity: its type, or 志愿服务 / 其他 when the record has none
    activity_day  DATE,                   -- activity: its date when the record gives a day
    duplicate_of  BIGINT                  -- activity: the first record of the same member, date and type
);

INSERT INTO contact_0019
SELECT record_id, record_id, source_kind, outcome, member_id, weight, margin, activity_type, activity_day, duplicate_of
FROM contact ORDER BY record_id;

DROP TABLE contact;

ALTER TABLE contact_0019 RENAME TO contact;

-- v_contact as 0006 made it, every column in the same order.
CREATE OR REPLACE VIEW v_contact AS
SELECT c.record_id, c.source_kind, c.outcome, c.member_id, c.weight, c.margin, ci.candidates, c.duplicate_of,
       r.file_path, r.sheet, r.row_number, r.name, r.id_number, r.phone, r.community
FROM contact c JOIN source_record r USING (record_id)
LEFT JOIN contact_identity ci ON ci.key_id = c.key_id
WHERE r.retired_run_id IS NULL;
