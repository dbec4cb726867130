-- 04: this run's discrepancies between sources:
--   field_conflict: a field two records of one member give differently
--     (neither value contained in the other, so 1985-03 and 1985-03-12 agree,
--     and so do the branch keys 岭背镇西湖村支部 and 于都县岭背镇西湖村支部),
--     with every value and where it came from;
--   possible_same_person: a pair the matcher scored between the two
--     thresholds and no analyst has decided yet (v_link decision = review);
--   and those of contacts (contact_unmatched, contact_ambiguous,
--     duplicate_activity, lost_contact, few_visits, no_counsellor,
--     counsellor_overload), staged by sql/contact/04_member.sql.
-- key identifies a discrepancy across runs: the same member, field and set of
-- values (or the same pair of records) is the same discrepancy.
--
-- The person records' discrepancies (field_conflict, possible_same_person)
-- depend on the members only: person_discrepancy is made once they are
-- committed, before the second transaction, whose updates of source_record
-- (contact records' members: 7.2M at 1M on a first night) slow down reading
-- it inside; member.go's recordDiscrepancies adds the contacts' in the
-- transaction.
--
-- A member's field conflicts depend on its current person records only, and
-- those records never change (a changed file's records are retired, its new
-- ones added). So only the members whose records changed since their
-- conflicts were last recorded are compared (conflict_member: a digest of
-- their record IDs and this SQL unlike member_conflict_input's, which member.go replaces
-- in the transaction that records the discrepancies); the others' field
-- conflicts are the ones still open in discrepancy. On a night of a few new
-- files that is a few thousand members of a million.
-- The records' digest is 03_golden.sql's (golden_input.records, this run's
-- assignments, committed since), with this SQL's.
CREATE OR REPLACE TEMP TABLE conflict_digest AS
SELECT member_id, hash(records, '@script') AS digest FROM golden_input;

CREATE OR REPLACE TEMP TABLE conflict_member AS
SELECT d.member_id
FROM conflict_digest d LEFT JOIN member_conflict_input i USING (member_id)
WHERE i.digest IS DISTINCT FROM d.digest;

CREATE OR REPLACE TEMP TABLE person_discrepancy AS
WITH rec AS (
    SELECT member_id, record_id, name, id_number, birth_date, gender, phone, origin_branch_key, member_type, join_date
    FROM source_record
    WHERE retired_run_id IS NULL AND status = 'accepted' AND source_kind IN ('survey', 'roster')
      AND member_id IN (SELECT member_id FROM conflict_member)
),
long AS (
    UNPIVOT rec
    ON name, id_number, birth_date, gender, phone, origin_branch_key, member_type, join_date
    INTO NAME field VALUE value
),
conflict AS (
    SELECT DISTINCT a.member_id, a.field
    FROM long a JOIN long b
      ON a.member_id = b.member_id AND a.field = b.field AND a.value < b.value
     AND NOT contains(a.value, b.value) AND NOT contains(b.value, a.value)
),
-- where each value came from, for the conflicting values only: carried
-- through the self-join above, every record's source took 1.3 GB more at 1M
found AS (
    SELECT l.*, s.file_path || ':' || coalesce(s.sheet || '!', '') || s.row_number AS source
    FROM long l JOIN conflict c USING (member_id, field) JOIN source_record s USING (record_id)
)
SELECT 'field_conflict|' || l.member_id || '|' || l.field || '|' || string_agg(DISTINCT l.value, ' | ' ORDER BY l.value) AS key,
    'field_conflict' AS kind, l.member_id, l.field,
    string_agg(DISTINCT l.value, ' | ' ORDER BY l.value) AS value_set,
    string_agg(l.record_id::VARCHAR, ' ' ORDER BY l.record_id) AS record_ids,
    to_json(list({'value': l.value, 'record_id': l.record_id, 'source': l.source} ORDER BY l.record_id)) AS detail
FROM found l
GROUP BY l.member_id, l.field
UNION ALL
-- the members compared before, their records unchanged: their conflicts as recorded
SELECT key, kind, member_id, field, value_set, record_ids, detail
FROM discrepancy
WHERE kind = 'field_conflict' AND resolved_run_id IS NULL
  AND member_id IN (SELECT member_id FROM conflict_digest)
  AND member_id NOT IN (SELECT member_id FROM conflict_member)
UNION ALL
SELECT 'possible_same_person|' || l_record_id || '|' || r_record_id AS key,
    'possible_same_person' AS kind, NULL AS member_id, NULL AS field,
    printf('%.3f', probability) AS value_set,
    l_record_id || ' ' || r_record_id AS record_ids,
    to_json({'weight': weight, 'probability': probability, 'parts': parts}) AS detail
FROM v_link
-- matcher_decision is link's own column: the filter reaches its scan before
-- v_link joins the records (decision, after the analysts', implies it).
WHERE matcher_decision = 'review' AND decision = 'review';
