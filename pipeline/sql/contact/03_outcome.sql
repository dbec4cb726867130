-- 03 outcome: each contact record's best member, linked, ambiguous or
-- unmatched (or decided by an analyst), visits paired through their
-- counsellor, duplicates marked.
CREATE OR REPLACE TEMP TABLE contact_decided AS
WITH d AS (
    SELECT TRY_CAST(ref_record_id AS BIGINT) AS record_id,
           arg_max(decision, record_id) AS decision,
           arg_max(nullif(trim(ref_member_id), ''), record_id) AS member_id
    FROM source_record
    WHERE source_kind = 'decision' AND retired_run_id IS NULL AND status = 'accepted'
      AND decision IN ('同一人', '非同一人', '忽略') AND TRY_CAST(ref_record_id AS BIGINT) IS NOT NULL
    GROUP BY 1
)
SELECT d.record_id, d.decision,
       -- a member merged away lives on as the one it was merged into
       coalesce(m3.member_id, m2.member_id, m1.member_id) AS member_id
FROM d
JOIN contact_input i ON i.record_id = d.record_id
LEFT JOIN member m1 ON m1.member_id = d.member_id
LEFT JOIN member m2 ON m2.member_id = m1.merged_into
LEFT JOIN member m3 ON m3.member_id = m2.merged_into;

-- Each identity's best weight, margin and candidates, once (its records
-- carry its key_id).
DELETE FROM contact_identity;
INSERT INTO contact_identity (key_id, candidates, weight, margin)
SELECT record_id, candidates, weight, weight - second FROM contact_best;

DELETE FROM contact;
INSERT INTO contact (record_id, key_id, source_kind, outcome, member_id, activity_type, activity_day)
WITH outcome AS (
    SELECT i.record_id, k.key_id, i.source_kind,
           CASE
               WHEN d.decision = '同一人' AND d.member_id IS NOT NULL THEN 'decided'
               WHEN d.decision IN ('非同一人', '忽略') THEN 'dismissed'
               WHEN b.weight >= {{.MinWeight}} AND (b.second IS NULL OR b.weight - b.second >= {{.MinMargin}}) THEN 'linked'
               WHEN b.weight >= {{.MinWeight}} THEN 'ambiguous'
               ELSE 'unmatched'
           END AS outcome,
           CASE WHEN d.decision = '同一人' AND d.member_id IS NOT NULL THEN d.member_id ELSE b.member_id END AS best_member
    FROM contact_input i
    JOIN contact_key_record k USING (record_id)      -- a record's identity (01_link.sql)
    LEFT JOIN contact_best b ON b.record_id = k.key_id
    LEFT JOIN contact_decided d USING (record_id)
)
SELECT o.record_id, o.key_id, o.source_kind, o.outcome,
       CASE WHEN o.outcome IN ('linked', 'decided') THEN o.best_member END,
       CASE WHEN o.source_kind = 'activity' THEN coalesce(r.activity_type,
           CASE WHEN regexp_matches(r.file_path || ' ' || coalesce(r.sheet, ''), {{.VolunteerPattern}}) THEN '志愿服务'
                ELSE {{.OtherType}} END) END,
       CASE WHEN o.source_kind = 'activity' AND length(r.activity_date) = 10 THEN TRY_CAST(r.activity_date AS DATE) END
FROM outcome o JOIN source_record r USING (record_id);

-- A visit record often names only the member and the counsellor (走访记录 kept
-- by the counsellor, no ID number, phone or community). One that fits no
-- member, or two, is linked through the counsellor's pairings: when exactly
-- one member paired with a counsellor of that name has that name (or its
-- pinyin), the visit is theirs (outcome paired). A counsellor written as a
-- surname and a title (王书记) is any paired counsellor of that surname
-- whose post (职务) has that title, or who has no post written; 书记 is not
-- a 副书记.
UPDATE contact SET outcome = 'paired', member_id = vp.member_id
FROM (
    WITH v AS (
        SELECT c.record_id, r.name, coalesce(k.name_pinyin, '') AS name_pinyin, r.counsellor,
               left(r.counsellor, 1) AS surname, regexp_extract(r.counsellor, {{.TitledSurname}}, 1) AS title
        FROM contact c
        JOIN source_record r USING (record_id)
        LEFT JOIN match_name_key k ON k.name = r.name
        WHERE c.source_kind = 'visit' AND c.outcome IN ('unmatched', 'ambiguous') AND r.counsellor IS NOT NULL
    ),
    -- the pairings of members, by counsellor
    p AS (
        SELECT pr.counsellor, left(pr.counsellor, 1) AS surname, pr.counsellor_post AS post,
               length(pr.counsellor) >= 2 AND regexp_extract(pr.counsellor, {{.TitledSurname}}, 1) = '' AS full_name,
               pc.member_id, m.name, coalesce(km.name_pinyin, '') AS name_pinyin
        FROM source_record pr
        JOIN contact pc ON pc.record_id = pr.record_id AND pc.outcome IN ('linked', 'decided')
        JOIN member m ON m.member_id = pc.member_id
        LEFT JOIN match_name_key km ON km.name = m.name
        WHERE pr.source_kind = 'counsellor' AND pr.retired_run_id IS NULL AND pr.status = 'accepted'
          AND pr.counsellor IS NOT NULL
    ),
    -- a titled counsellor (王书记) fits a paired counsellor of the surname
    -- whose post has the title, or who has none
    titled AS (
        SELECT v.record_id, v.title, p.post, p.member_id, p.name, p.name_pinyin, v.name AS visit_name,
               v.name_pinyin AS visit_pinyin
        FROM v JOIN p ON p.surname = v.surname AND p.name = v.name
        WHERE v.title <> '' AND p.full_name
        UNION ALL
        SELECT v.record_id, v.title, p.post, p.member_id, p.name, p.name_pinyin, v.name, v.name_pinyin
        FROM v JOIN p ON p.surname = v.surname AND p.name_pinyin = v.name_pinyin
        WHERE v.title <> '' AND p.full_name AND v.name_pinyin <> '' AND p.name <> v.name
    ),
    cand AS (
        SELECT v.record_id, p.member_id
        FROM v JOIN p ON p.counsellor = v.counsellor
        WHERE p.name = v.name OR (v.name_pinyin <> '' AND v.name_pinyin = p.name_pinyin)
        UNION ALL
        SELECT record_id, member_id
        FROM titled
        WHERE post IS NULL OR (contains(post, title) AND (starts_with(title, '副') OR NOT contains(post, '副' || title)))
    )
    SELECT record_id, min(member_id) AS member_id, count(DISTINCT member_id) AS members
    FROM cand
    GROUP BY record_id
) vp
WHERE contact.record_id = vp.record_id AND vp.members = 1;

-- The same member, day (or date as given) and type entered twice counts once.
-- Only a record without a day (a date not given to the day) reads its date
-- as given from source_record: joining every activity record to it was
-- half this step (at 1M persons 2.2-3.2 s, 1.6 s without).
UPDATE contact SET duplicate_of = f.first
FROM (
    SELECT record_id, min(record_id) OVER (PARTITION BY member_id, day, activity_type) AS first
    FROM (
        SELECT record_id, member_id, CAST(activity_day AS VARCHAR) AS day, activity_type
        FROM contact
        WHERE source_kind = 'activity' AND member_id IS NOT NULL AND activity_day IS NOT NULL
        UNION ALL
        SELECT c.record_id, c.member_id, r.activity_date, c.activity_type
        FROM contact c JOIN source_record r USING (record_id)
        WHERE c.source_kind = 'activity' AND c.member_id IS NOT NULL AND c.activity_day IS NULL
    )
) f
WHERE contact.record_id = f.record_id AND f.first <> f.record_id;

UPDATE source_record SET member_id = c.member_id
FROM contact c
WHERE source_record.record_id = c.record_id AND source_record.member_id IS DISTINCT FROM c.member_id;
