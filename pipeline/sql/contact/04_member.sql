-- 04 member: what contacts say about each current member, as of the run
-- date {{.Today}}: the counsellor of the newest pairing (by pairing date,
-- then file and row), the last activity and visit, the last contact (the
-- later of the two, else the day of the run that first registered the
-- member: runs.run_day, the street's date, not started_at's UTC one), the
-- year's activities (distinct, duplicates left out), hours and visits
-- (distinct days), and the contact flag of members here (双向共管 or 仅流入地
-- 登记): lost_contact after lost_after_months without contact,
-- lost_contact_soon after warn_after_months. Dates after the run date are
-- not contacts.
CREATE OR REPLACE TEMP TABLE member_contact AS
WITH c AS (
    SELECT c.member_id, c.source_kind, c.activity_day, c.duplicate_of, r.hours, r.counsellor, r.counsellor_post,
           r.counsellor_phone, r.paired_from, r.file_id, r.row_number,
           CASE WHEN length(r.visit_date) = 10 THEN TRY_CAST(r.visit_date AS DATE) END AS visit_day
    FROM contact c JOIN source_record r USING (record_id)
    WHERE c.member_id IS NOT NULL
),
act AS (
    SELECT member_id,
           max(activity_day) FILTER (WHERE activity_day <= {{.Today}}) AS last_activity,
           count(*) FILTER (WHERE year(activity_day) = {{.Year}} AND activity_day <= {{.Today}}) AS activities,
           sum(hours) FILTER (WHERE year(activity_day) = {{.Year}} AND activity_day <= {{.Today}}) AS hours
    FROM c WHERE source_kind = 'activity' AND duplicate_of IS NULL
    GROUP BY member_id
),
vis AS (
    SELECT member_id,
           max(visit_day) FILTER (WHERE visit_day <= {{.Today}}) AS last_visit,
           count(DISTINCT visit_day) FILTER (WHERE year(visit_day) = {{.Year}} AND visit_day <= {{.Today}}) AS visits
    FROM c WHERE source_kind = 'visit'
    GROUP BY member_id
),
pair AS (
    SELECT member_id,
           arg_max(counsellor, (coalesce(paired_from, ''), file_id, row_number)) AS counsellor,
           arg_max(counsellor_post, (coalesce(paired_from, ''), file_id, row_number)) AS counsellor_post,
           arg_max(counsellor_phone, (coalesce(paired_from, ''), file_id, row_number)) AS counsellor_phone
    FROM c WHERE source_kind = 'counsellor' AND counsellor IS NOT NULL
    GROUP BY member_id
),
base AS (
    SELECT m.member_id, m.status, p.counsellor, p.counsellor_post, p.counsellor_phone,
           a.last_activity, v.last_visit,
           CASE WHEN a.last_activity IS NULL THEN v.last_visit
                WHEN v.last_visit IS NULL THEN a.last_activity
                ELSE greatest(a.last_activity, v.last_visit) END AS last_contact_seen,
           coalesce(fr.run_day, CAST(fr.started_at AS DATE)) AS registered,
           coalesce(a.activities, 0) AS activities, coalesce(a.hours, 0) AS hours, coalesce(v.visits, 0) AS visits
    FROM member m
    LEFT JOIN act a USING (member_id)
    LEFT JOIN vis v USING (member_id)
    LEFT JOIN pair p USING (member_id)
    LEFT JOIN runs fr ON fr.run_id = m.created_run_id
    WHERE m.retired_run_id IS NULL
)
SELECT *, coalesce(last_contact_seen, registered) AS last_contact,
       CASE WHEN status IN ('dual', 'inflow_only') THEN
           CASE WHEN coalesce(last_contact_seen, registered) <= {{.Today}} - INTERVAL {{.LostMonths}} MONTH THEN 'lost_contact'
                WHEN coalesce(last_contact_seen, registered) <= {{.Today}} - INTERVAL {{.WarnMonths}} MONTH THEN 'lost_contact_soon'
           END
       END AS contact_flag
FROM base;

-- The members whose contact columns change (on a night of a few new files,
-- a few thousand of a million), in member's own order (see 03_golden.sql on
-- the order of an UPDATE's rows), and their update.
CREATE OR REPLACE TEMP TABLE member_contact_change AS
SELECT mc.*
FROM member_contact mc JOIN member m ON m.member_id = mc.member_id
WHERE m.counsellor IS DISTINCT FROM mc.counsellor OR m.counsellor_post IS DISTINCT FROM mc.counsellor_post
   OR m.counsellor_phone IS DISTINCT FROM mc.counsellor_phone
   OR m.last_activity_date IS DISTINCT FROM mc.last_activity OR m.last_visit_date IS DISTINCT FROM mc.last_visit
   OR m.last_contact_date IS DISTINCT FROM mc.last_contact OR m.contact_flag IS DISTINCT FROM mc.contact_flag
   OR m.activities_year IS DISTINCT FROM mc.activities OR m.hours_year IS DISTINCT FROM mc.hours
   OR m.visits_year IS DISTINCT FROM mc.visits
ORDER BY m.rowid;

UPDATE member SET counsellor = mc.counsellor, counsellor_post = mc.counsellor_post, counsellor_phone = mc.counsellor_phone,
       last_activity_date = mc.last_activity, last_visit_date = mc.last_visit, last_contact_date = mc.last_contact,
       contact_flag = mc.contact_flag, activities_year = mc.activities, hours_year = mc.hours, visits_year = mc.visits
FROM member_contact_change mc
WHERE member.member_id = mc.member_id;

-- This run's discrepancies from contacts; member.go's recordDiscrepancies
-- adds them to the person records' (sql/member/04_discrepancy.sql). record_ids are space-separated; detail is JSON.
CREATE OR REPLACE TEMP TABLE contact_discrepancy AS
SELECT 'contact_' || c.outcome || '|' || c.record_id AS key, 'contact_' || c.outcome AS kind, NULL::VARCHAR AS member_id,
       c.source_kind AS field, r.name AS value_set, CAST(c.record_id AS VARCHAR) AS record_ids,
       to_json({'weight': ci.weight, 'margin': ci.margin, 'candidates': ci.candidates,
                'source': r.file_path || ':' || coalesce(r.sheet || '!', '') || r.row_number}) AS detail
FROM contact c JOIN source_record r USING (record_id)
LEFT JOIN contact_identity ci ON ci.key_id = c.key_id
WHERE c.outcome IN ('ambiguous', 'unmatched')
UNION ALL
SELECT 'duplicate_activity|' || c.member_id || '|' || c.duplicate_of, 'duplicate_activity', c.member_id, 'activity',
       coalesce(CAST(c.activity_day AS VARCHAR), '') || ' ' || coalesce(c.activity_type, ''),
       c.duplicate_of || ' ' || string_agg(CAST(c.record_id AS VARCHAR), ' ' ORDER BY c.record_id),
       to_json({'first': any_value(f.file_path || ':' || coalesce(f.sheet || '!', '') || f.row_number),
                'repeats': list(r.file_path || ':' || coalesce(r.sheet || '!', '') || r.row_number ORDER BY c.record_id)})
FROM contact c JOIN source_record r USING (record_id)
JOIN source_record f ON f.record_id = c.duplicate_of
WHERE c.duplicate_of IS NOT NULL
GROUP BY c.member_id, c.duplicate_of, c.activity_day, c.activity_type
UNION ALL
SELECT 'lost_contact|' || member_id, 'lost_contact', member_id, 'last_contact', CAST(last_contact AS VARCHAR), NULL,
       to_json({'last_activity': last_activity, 'last_visit': last_visit, 'registered': registered})
FROM member_contact WHERE contact_flag = 'lost_contact'
UNION ALL
SELECT 'few_visits|' || member_id || '|' || {{.Year}}, 'few_visits', member_id, 'visits', CAST(visits AS VARCHAR), NULL,
       to_json({'visits': visits, 'year': {{.Year}}, 'required': {{.MinVisits}}, 'counsellor': counsellor})
FROM member_contact WHERE status IN ('dual', 'inflow_only') AND visits < {{.MinVisits}} AND counsellor IS NOT NULL
UNION ALL
SELECT 'no_counsellor|' || member_id, 'no_counsellor', member_id, 'counsellor', NULL, NULL, NULL::JSON
FROM member_contact WHERE status IN ('dual', 'inflow_only') AND counsellor IS NULL
UNION ALL
SELECT 'counsellor_overload|' || counsellor, 'counsellor_overload', NULL, 'counsellor', counsellor, NULL,
       to_json({'members': count(*), 'max': {{.MaxLoad}}, 'member_ids': list(member_id ORDER BY member_id)})
FROM member_contact WHERE status IN ('dual', 'inflow_only') AND counsellor IS NOT NULL
GROUP BY counsellor HAVING count(*) > {{.MaxLoad}};
