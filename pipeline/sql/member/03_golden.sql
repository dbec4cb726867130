-- 03: each current member's golden record, counts and status, from its
-- current person records (for the members whose records or decisions
-- changed: below). Survivorship:
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
--
-- A member's golden record depends on its person records (which never
-- change: a changed file's are retired and its new ones added), the
-- analysts' decisions about it and this SQL only. golden_input is a digest
-- of the three for each member of this run; golden is made only for the
-- members whose digest is not the one member.golden_input recorded with
-- their golden record (new members, members back, members whose records or
-- decisions changed). On a night of a few new files, a few thousand of a
-- million: the others keep theirs.
CREATE OR REPLACE TEMP TABLE golden_input AS
WITH r AS (
    SELECT a.member_id, sum(hash(r.record_id)) AS records
    FROM source_record r JOIN assign a ON a.record_id = r.record_id
    WHERE r.retired_run_id IS NULL AND r.status = 'accepted'
      AND r.source_kind IN ('survey', 'roster') AND a.member_id IS NOT NULL
    GROUP BY a.member_id
),
d AS (
    SELECT member_id, string_agg(DISTINCT decision, ',' ORDER BY decision) AS decisions
    FROM member_decision GROUP BY member_id
),
i AS (
    SELECT r.member_id, r.records, hash(r.records, coalesce(d.decisions, ''), '@script') AS digest
    FROM r LEFT JOIN d USING (member_id)
)
-- records stays for 04_discrepancy.sql, whose field conflicts depend on the records alone
SELECT i.member_id, i.records, i.digest,
    m.golden_input IS DISTINCT FROM i.digest OR m.retired_run_id IS NOT NULL AS changed
FROM i LEFT JOIN member m USING (member_id);

CREATE OR REPLACE TEMP TABLE golden AS
WITH rec AS (
    SELECT r.* REPLACE (a.member_id AS member_id),
        coalesce(r.sheet, '') || ' ' || r.file_path AS src
    FROM source_record r JOIN assign a ON a.record_id = r.record_id
    WHERE r.retired_run_id IS NULL AND r.status = 'accepted'
      AND r.source_kind IN ('survey', 'roster') AND a.member_id IS NOT NULL
      AND a.member_id IN (SELECT member_id FROM golden_input WHERE changed)
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
        -- a valid number ending in 000 may be one Excel cut to 15 digits (id_maybe_damaged): another valid one comes first
        id_status IN ('valid', 'converted_15') AND coalesce(right(id_number, 3) <> '000', false) AS id_clean,
        regexp_matches(coalesce(presence, ''), '返乡|回乡|迁出|离开|离深|转出|调出|外迁') AS says_left
    FROM rec
),
-- The survivorship orders as single numbers, not structs, which arg_max
-- compares several times faster (1M persons: 14 s -> 9 s): the period, file
-- and row (newest, 36 + 32 + 32 bits: a period is at most 999912, file IDs
-- and row numbers are positive 32-bit integers) under the flags that come
-- first. k_identity: a valid ID number not ending in 000, a valid one, then roster, then newest; k_party:
-- roster, then newest; k_here: survey, then newest.
keyed AS (
    SELECT *,
        (CAST(period AS HUGEINT) << 64) | (CAST(file_id AS HUGEINT) << 32) | CAST(row_number AS HUGEINT) AS newest
    FROM dated
),
ranked AS (
    SELECT *,
        newest | (CAST(id_clean AS HUGEINT) << 102) | (CAST(id_ok AS HUGEINT) << 101) | (CAST(from_roster AS HUGEINT) << 100) AS k_identity,
        newest | (CAST(from_roster AS HUGEINT) << 100) AS k_party,
        newest | (CAST(NOT from_roster AS HUGEINT) << 100) AS k_here
    FROM keyed
),
newest_survey AS (
    SELECT member_id, max(period) AS newest_period FROM dated WHERE NOT from_roster GROUP BY member_id
),
agg AS (
SELECT d.member_id,
    count(*) AS records,
    count(*) FILTER (WHERE NOT from_roster) AS survey_records,
    count(*) FILTER (WHERE from_roster) AS roster_records,
    arg_max(name, k_identity) FILTER (WHERE name IS NOT NULL) AS name,
    arg_max(CASE WHEN id_ok AND id_gender IS NOT NULL THEN id_gender ELSE gender END, k_identity)
        FILTER (WHERE coalesce(id_gender, gender) IS NOT NULL) AS gender,
    arg_max(ethnicity, k_identity) FILTER (WHERE ethnicity IS NOT NULL) AS ethnicity,
    arg_max(id_number, k_identity) FILTER (WHERE id_number IS NOT NULL) AS id_number,
    arg_max(CASE WHEN id_ok AND id_birth_date IS NOT NULL THEN strftime(id_birth_date, '%Y-%m-%d') ELSE birth_date END,
            k_identity)
        FILTER (WHERE coalesce(birth_date, strftime(id_birth_date, '%Y-%m-%d')) IS NOT NULL) AS birth_date,
    arg_max(education, k_party) FILTER (WHERE education IS NOT NULL) AS education,
    arg_max(member_type, k_party) FILTER (WHERE member_type IS NOT NULL) AS member_type,
    arg_max(origin_branch, k_party) FILTER (WHERE origin_branch IS NOT NULL) AS origin_branch,
    arg_max(origin_branch_key, k_party) FILTER (WHERE origin_branch_key IS NOT NULL) AS origin_branch_key,
    arg_max(join_date, k_party) FILTER (WHERE join_date IS NOT NULL) AS join_date,
    arg_max(phone, k_here) FILTER (WHERE phone IS NOT NULL) AS phone,
    arg_max(address, k_here) FILTER (WHERE address IS NOT NULL) AS address,
    arg_max(employer, k_here) FILTER (WHERE employer IS NOT NULL) AS employer,
    arg_max(community, k_here) FILTER (WHERE community IS NOT NULL AND NOT from_roster) AS community,
    arg_max(outflow_date, k_party) FILTER (WHERE outflow_date IS NOT NULL) AS outflow_date,
    arg_max(outflow_reason, k_party) FILTER (WHERE outflow_reason IS NOT NULL) AS outflow_reason,
    CASE
        WHEN bool_and(says_left) FILTER (WHERE NOT from_roster AND period = newest_period) THEN 'left'
        WHEN bool_or(says_left) FILTER (WHERE from_roster) THEN 'left'
        WHEN bool_or(NOT from_roster) AND bool_or(from_roster) THEN 'dual'
        WHEN bool_or(NOT from_roster) THEN 'inflow_only'
        ELSE 'unknown_whereabouts'
    END AS status
FROM ranked d
LEFT JOIN newest_survey n USING (member_id)
GROUP BY d.member_id
),
decided AS (
    SELECT member_id, bool_or(decision = '已离开') AS left_decided, bool_or(decision = '已核实去向') AS verified
    FROM member_decision GROUP BY member_id
)
-- In member's own order (new members last, by ID, as member.go inserts
-- them): UPDATE member ... FROM golden meets the rows in golden's order, and
-- a million rows in another order took 220 s instead of 2.
SELECT agg.* REPLACE (CASE WHEN decided.left_decided THEN 'left' ELSE agg.status END AS status),
    coalesce(decided.verified, false) AS whereabouts_verified, gi.digest AS golden_input
FROM agg LEFT JOIN decided USING (member_id)
JOIN golden_input gi USING (member_id)
LEFT JOIN member m ON m.member_id = agg.member_id
ORDER BY m.rowid NULLS LAST, agg.member_id;
