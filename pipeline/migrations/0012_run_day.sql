-- 0012: each run's day in the street's time zone (config timezone). Owned by
-- pipeline/run.go. started_at holds UTC, so its date is a day early for a
-- run between 00:00 and 08:00 in Shanghai: a run's date is run_day, written
-- by startRun. Runs recorded before this migration get theirs from the next
-- run (fillRunDays: started_at in the configured zone); readers fall back
-- to CAST(started_at AS DATE) for a row still without one.
ALTER TABLE runs ADD COLUMN run_day DATE;

-- v_member as 0006 made it, every column in the same order, with first_seen
-- and last_seen the days of the runs.
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
       coalesce(fr.run_day, CAST(fr.started_at AS DATE)) AS first_seen,
       coalesce(lr.run_day, CAST(lr.started_at AS DATE)) AS last_seen,
       m.records, m.survey_records, m.roster_records, m.created_run_id, m.status_run_id,
       m.counsellor, m.counsellor_post, m.counsellor_phone, m.last_activity_date, m.last_visit_date,
       m.last_contact_date, m.contact_flag,
       CASE m.contact_flag WHEN 'lost_contact' THEN '失联' WHEN 'lost_contact_soon' THEN '即将失联' END AS contact_flag_label,
       m.activities_year, m.hours_year, m.visits_year
FROM member m
LEFT JOIN runs fr ON fr.run_id = m.created_run_id
LEFT JOIN runs lr ON lr.run_id = m.last_seen_run_id
WHERE m.retired_run_id IS NULL;
