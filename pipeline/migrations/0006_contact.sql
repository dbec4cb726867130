-- 0006: contact records (activities, counsellor pairings, visits) linked to
-- members, and what members' contacts say. Owned by pipeline/contact.go.

-- How each current contact record was linked, replaced whole every run.
CREATE TABLE contact (
    record_id     BIGINT PRIMARY KEY,
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

-- What contacts say about each member, recomputed every run.
ALTER TABLE member ADD COLUMN counsellor VARCHAR;
ALTER TABLE member ADD COLUMN counsellor_post VARCHAR;
ALTER TABLE member ADD COLUMN counsellor_phone VARCHAR;
ALTER TABLE member ADD COLUMN last_activity_date DATE;
ALTER TABLE member ADD COLUMN last_visit_date DATE;
ALTER TABLE member ADD COLUMN last_contact_date DATE;    -- the later of the two, else when first registered
ALTER TABLE member ADD COLUMN contact_flag VARCHAR;      -- lost_contact | lost_contact_soon | NULL
ALTER TABLE member ADD COLUMN activities_year INTEGER;   -- distinct activities in the run's calendar year
ALTER TABLE member ADD COLUMN hours_year DOUBLE;
ALTER TABLE member ADD COLUMN visits_year INTEGER;

-- Every current contact record with its member and how it was linked.
CREATE OR REPLACE VIEW v_contact AS
SELECT c.record_id, c.source_kind, c.outcome, c.member_id, c.weight, c.margin, c.candidates, c.duplicate_of,
       r.file_path, r.sheet, r.row_number, r.name, r.id_number, r.phone, r.community
FROM contact c JOIN source_record r USING (record_id)
WHERE r.retired_run_id IS NULL;

-- Activities of members: one row per linked, non-duplicate activity record,
-- with its date parsed (NULL when the record gives less than a day).
CREATE OR REPLACE VIEW v_activity AS
SELECT c.member_id, r.record_id, c.activity_day AS activity_date, r.activity_date AS activity_date_text,
       c.activity_type, r.content, r.hours, r.place, r.signed_by, r.file_path, r.sheet, r.row_number
FROM contact c JOIN source_record r USING (record_id)
WHERE r.retired_run_id IS NULL AND c.source_kind = 'activity' AND c.member_id IS NOT NULL AND c.duplicate_of IS NULL;

-- v_member with what contacts say (README).
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
       m.records, m.survey_records, m.roster_records, m.created_run_id, m.status_run_id,
       m.counsellor, m.counsellor_post, m.counsellor_phone, m.last_activity_date, m.last_visit_date,
       m.last_contact_date, m.contact_flag,
       CASE m.contact_flag WHEN 'lost_contact' THEN '失联' WHEN 'lost_contact_soon' THEN '即将失联' END AS contact_flag_label,
       m.activities_year, m.hours_year, m.visits_year
FROM member m
LEFT JOIN runs fr ON fr.run_id = m.created_run_id
LEFT JOIN runs lr ON lr.run_id = m.last_seen_run_id
WHERE m.retired_run_id IS NULL;
