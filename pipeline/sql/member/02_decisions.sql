-- 02: analysts' decisions about pairs of records: 同一人 (same person) and
-- 非同一人 (different people), from the current decision files. A row
-- naming a record and a member (党员编号) but no second record assigns a
-- contact record to a member (sql/contact/01_link.sql), not a pair.
SELECT record_id, ref_record_id, ref_other_id, decision
FROM source_record
WHERE retired_run_id IS NULL AND status = 'accepted' AND source_kind = 'decision'
  AND decision IN ('同一人', '非同一人')
  AND NOT (coalesce(trim(ref_other_id), '') = '' AND coalesce(trim(ref_member_id), '') <> '')
ORDER BY record_id;
