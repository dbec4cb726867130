-- 0021: v_link again, as 0013 made it, for DuckDB 2.0. A view keeps the text
-- it was made from, and the 1.x text of 0013 no longer binds in 2.0: its
-- lambdas were written with the arrow (i -> …), which 2.0 refuses. Its parts
-- are now built as a struct literal, not with struct_insert(…, tf_adjustment
-- := …): in a registry file first written by DuckDB 1.x, 2.0 stores a view
-- in the 1.x format, which drops the name of a named argument, and the view
-- then fails in the next process. The parts read as before, field for field.
CREATE OR REPLACE VIEW v_link AS
WITH analyst AS (
    SELECT least(TRY_CAST(ref_record_id AS BIGINT), TRY_CAST(ref_other_id AS BIGINT)) AS a,
           greatest(TRY_CAST(ref_record_id AS BIGINT), TRY_CAST(ref_other_id AS BIGINT)) AS b,
           arg_max(decision, record_id) AS decision
    FROM source_record
    WHERE source_kind = 'decision' AND retired_run_id IS NULL AND status = 'accepted'
      AND decision IN ('同一人', '非同一人')
    GROUP BY ALL
), comparison AS (
    SELECT run_id, comparison_index,
           list({'comparison': comparison, 'level': level, 'weight': coalesce(weight, 0.0), 'm': m, 'u': u}
                ORDER BY level_index) AS levels
    FROM match_param
    WHERE run_id IN (SELECT DISTINCT run_id FROM link)
    GROUP BY ALL
), param AS (
    SELECT run_id, list(levels ORDER BY comparison_index) AS params FROM comparison GROUP BY run_id
)
SELECT k.run_id, k.l_record_id, k.r_record_id, k.blocking_rule, k.prior, k.weight, k.probability,
       to_json(list_transform(list_transform(range(1, len(k.levels) + 1), lambda i: p.params[i][k.levels[i] + 1]),
           lambda s, i: {'comparison': s['comparison'], 'level': s['level'], 'weight': s['weight'], 'm': s['m'],
                         'u': s['u'], 'tf_adjustment': coalesce(k.tf_adjustments[i], 0.0)})) AS parts,
       k.decision AS matcher_decision,
       an.decision AS analyst_decision,
       CASE an.decision WHEN '同一人' THEN 'link' WHEN '非同一人' THEN 'none' ELSE k.decision END AS decision,
       ra.member_id IS NOT NULL AND ra.member_id = rb.member_id AS same_member
FROM link k
LEFT JOIN param p ON p.run_id = k.run_id
LEFT JOIN analyst an ON an.a = k.l_record_id AND an.b = k.r_record_id
LEFT JOIN source_record ra ON ra.record_id = k.l_record_id
LEFT JOIN source_record rb ON rb.record_id = k.r_record_id;
