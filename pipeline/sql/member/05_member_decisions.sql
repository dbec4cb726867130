-- 05: analysts' decisions about one member, named by 党员编号 (member ID) or
-- by one of its records (记录编号): 已离开 (has left) and 已核实去向
-- (whereabouts verified).
SELECT record_id, ref_record_id, ref_member_id, decision
FROM source_record
WHERE retired_run_id IS NULL AND status = 'accepted' AND source_kind = 'decision'
  AND decision IN ('已离开', '已核实去向')
ORDER BY record_id;
