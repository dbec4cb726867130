-- 03: each current member's golden record, counts and status, from its
-- current person records. Survivorship:
--   Party fields (member type, join date, origin branch, education): the
--     origin roster over a survey, then the newest;
--   where they are (community, address, phone, employer): the newest survey,
--     then the newest roster;
--   identity (name, gender, ethnicity, ID number, birth date): a record with
--     a valid ID number first, the roster over a survey, then the newest;
--     gender and birth date as the valid ID number says, over what was stated.
-- "Newest" is the period a sheet or file names (2026年10月, 2026.10,
-- 202610), then the later file. Status: left when the newest survey rows
-- say the person left (返乡, 迁出, 离开, 转出 …) or a roster row does; else dual when a community
-- and an origin roster both list them; inflow_only when only a community
-- does; unknown_whereabouts when only a roster does. An analyst's 已离开
-- makes a member left; 已核实去向 marks unknown whereabouts as verified
-- (temp table member_decision, staged by member.go). Each record's member
-- is this run's (temp table assign): the golden records are made before the
-- transaction that writes the assignments into source_record.
CREATE OR REPLACE TEMP TABLE golden AS
WITH rec AS (
    SELECT r.* REPLACE (a.member_id AS member_id),
        coalesce(r.sheet, '') || ' ' || r.file_path AS src
    FROM source_record r JOIN assign a ON a.record_id = r.record_id
    WHERE r.retired_run_id IS NULL AND r.status = 'accepted'
      AND r.source_kind IN ('survey', 'roster') AND a.member_id IS NOT NULL
),
dated AS (
    SELECT *,
        coalesce(
            TRY_CAST(nullif(regexp_extract(src, '(20\d\d)\s*年\s*(\d{1,2})\s*月', 1), '') AS INTEGER) * 100
              + TRY_CAST(nullif(regexp_extract(src, '(20\d\d)\s*年\s*(\d{1,2})\s*月', 2), '') AS INTEGER),
            TRY_CAST(nullif(regexp_extract(src, '(20\d\d)[._-]?(0[1-9]|1[0-2])(\D|$)', 1), '') AS INTEGER) * 100
              + TRY_CAST(nullif(regexp_extract(src, '(20\d\d)[._-]?(0[1-9]|1[0-2])(\D|$)', 2), '') AS INTEGER),
            TRY_CAST(nullif(regexp_extract(src, '(20\d\d)\s*年', 1), '') AS INTEGER) * 100,
            0) AS period,
        source_kind = 'roster' AS from_roster,
        id_status IN ('valid', 'converted_15') AS id_ok,
        regexp_matches(coalesce(presence, ''), '返乡|回乡|迁出|离开|离深|转出|调出|外迁') AS says_left
    FROM rec
),
newest_survey AS (
    SELECT member_id, max(period) AS newest_period FROM dated WHERE NOT from_roster GROUP BY member_id
),
agg AS (
SELECT d.member_id,
    count(*) AS records,
    count(*) FILTER (WHERE NOT from_roster) AS survey_records,
    count(*) FILTER (WHERE from_roster) AS roster_records,
    arg_max(name, (id_ok, from_roster, period, file_id, row_number)) FILTER (WHERE name IS NOT NULL) AS name,
    arg_max(CASE WHEN id_ok AND id_gender IS NOT NULL THEN id_gender ELSE gender END, (id_ok, from_roster, period, file_id, row_number))
        FILTER (WHERE coalesce(id_gender, gender) IS NOT NULL) AS gender,
    arg_max(ethnicity, (id_ok, from_roster, period, file_id, row_number)) FILTER (WHERE ethnicity IS NOT NULL) AS ethnicity,
    arg_max(id_number, (id_ok, from_roster, period, file_id, row_number)) FILTER (WHERE id_number IS NOT NULL) AS id_number,
    arg_max(CASE WHEN id_ok AND id_birth_date IS NOT NULL THEN strftime(id_birth_date, '%Y-%m-%d') ELSE birth_date END,
            (id_ok, from_roster, period, file_id, row_number))
        FILTER (WHERE coalesce(birth_date, strftime(id_birth_date, '%Y-%m-%d')) IS NOT NULL) AS birth_date,
    arg_max(education, (from_roster, period, file_id, row_number)) FILTER (WHERE education IS NOT NULL) AS education,
    arg_max(member_type, (from_roster, period, file_id, row_number)) FILTER (WHERE member_type IS NOT NULL) AS member_type,
    arg_max(origin_branch, (from_roster, period, file_id, row_number)) FILTER (WHERE origin_branch IS NOT NULL) AS origin_branch,
    arg_max(origin_branch_key, (from_roster, period, file_id, row_number)) FILTER (WHERE origin_branch_key IS NOT NULL) AS origin_branch_key,
    arg_max(join_date, (from_roster, period, file_id, row_number)) FILTER (WHERE join_date IS NOT NULL) AS join_date,
    arg_max(phone, (NOT from_roster, period, file_id, row_number)) FILTER (WHERE phone IS NOT NULL) AS phone,
    arg_max(address, (NOT from_roster, period, file_id, row_number)) FILTER (WHERE address IS NOT NULL) AS address,
    arg_max(employer, (NOT from_roster, period, file_id, row_number)) FILTER (WHERE employer IS NOT NULL) AS employer,
    arg_max(community, (NOT from_roster, period, file_id, row_number)) FILTER (WHERE community IS NOT NULL AND NOT from_roster) AS community,
    arg_max(outflow_date, (from_roster, period, file_id, row_number)) FILTER (WHERE outflow_date IS NOT NULL) AS outflow_date,
    arg_max(outflow_reason, (from_roster, period, file_id, row_number)) FILTER (WHERE outflow_reason IS NOT NULL) AS outflow_reason,
    CASE
        WHEN bool_and(says_left) FILTER (WHERE NOT from_roster AND period = newest_period) THEN 'left'
        WHEN bool_or(says_left) FILTER (WHERE from_roster) THEN 'left'
        WHEN bool_or(NOT from_roster) AND bool_or(from_roster) THEN 'dual'
        WHEN bool_or(NOT from_roster) THEN 'inflow_only'
        ELSE 'unknown_whereabouts'
    END AS status
FROM dated d
LEFT JOIN newest_survey n USING (member_id)
GROUP BY d.member_id
),
decided AS (
    SELECT member_id, bool_or(decision = '已离开') AS left_decided, bool_or(decision = '已核实去向') AS verified
    FROM member_decision GROUP BY member_id
)
SELECT agg.* REPLACE (CASE WHEN decided.left_decided THEN 'left' ELSE agg.status END AS status),
    coalesce(decided.verified, false) AS whereabouts_verified
FROM agg LEFT JOIN decided USING (member_id);
