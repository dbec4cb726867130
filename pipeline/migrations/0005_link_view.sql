-- 0005: v_link, every scored pair of the newest run with why (README).

-- A pair of records the matcher compared: its weight, the per-comparison
-- parts (the waterfall), the matcher's decision, an analyst's decision about
-- the pair if any, the decision that stands, and whether the two records
-- ended in one member.
CREATE OR REPLACE VIEW v_link AS
WITH analyst AS (
    SELECT least(TRY_CAST(ref_record_id AS BIGINT), TRY_CAST(ref_other_id AS BIGINT)) AS a,
           greatest(TRY_CAST(ref_record_id AS BIGINT), TRY_CAST(ref_other_id AS BIGINT)) AS b,
           arg_max(decision, record_id) AS decision
    FROM source_record
    WHERE source_kind = 'decision' AND retired_run_id IS NULL AND status = 'accepted'
      AND decision IN ('同一人', '非同一人')
    GROUP BY ALL
)
SELECT k.run_id, k.l_record_id, k.r_record_id, k.blocking_rule, k.prior, k.weight, k.probability, k.parts,
       k.decision AS matcher_decision,
       an.decision AS analyst_decision,
       CASE an.decision WHEN '同一人' THEN 'link' WHEN '非同一人' THEN 'none' ELSE k.decision END AS decision,
       ra.member_id IS NOT NULL AND ra.member_id = rb.member_id AS same_member
FROM link k
LEFT JOIN analyst an ON an.a = k.l_record_id AND an.b = k.r_record_id
LEFT JOIN source_record ra ON ra.record_id = k.l_record_id
LEFT JOIN source_record rb ON rb.record_id = k.r_record_id;
