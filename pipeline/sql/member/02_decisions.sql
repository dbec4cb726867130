-- 02: analysts' decisions about pairs of records: 同一人 (same person) and
-- 非同一人 (different people), from the current decision files.
SELECT record_id, ref_record_id, ref_other_id, decision
FROM source_record
WHERE retired_run_id IS NULL AND status = 'accepted' AND source_kind = 'decision'
  AND decision IN ('同一人', '非同一人')
ORDER BY record_id;
