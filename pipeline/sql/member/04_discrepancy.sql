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
CREATE OR REPLACE TEMP TABLE person_discrepancy AS
WITH rec AS (
    SELECT member_id, record_id,
        file_path || ':' || coalesce(sheet || '!', '') || row_number AS source,
        name, id_number, birth_date, gender, phone, origin_branch_key, member_type, join_date
    FROM source_record
    WHERE retired_run_id IS NULL AND status = 'accepted' AND source_kind IN ('survey', 'roster')
      AND member_id IS NOT NULL
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
)
SELECT 'field_conflict|' || l.member_id || '|' || l.field || '|' || string_agg(DISTINCT l.value, ' | ' ORDER BY l.value) AS key,
    'field_conflict' AS kind, l.member_id, l.field,
    string_agg(DISTINCT l.value, ' | ' ORDER BY l.value) AS value_set,
    string_agg(l.record_id::VARCHAR, ' ' ORDER BY l.record_id) AS record_ids,
    to_json(list({'value': l.value, 'record_id': l.record_id, 'source': l.source} ORDER BY l.record_id)) AS detail
FROM long l JOIN conflict c USING (member_id, field)
GROUP BY l.member_id, l.field
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
