-- 0013: link keeps each pair's level of every comparison (levels) and its
-- term-frequency adjustments (tf_adjustments), not a JSON waterfall: at a
-- million persons writing 33 million JSON arrays was most of matching's
-- time and of link's size. v_link builds parts from them and match_param,
-- which now says each comparison's place (comparison_index). Owned by
-- pipeline/match.go (06_score.sql). The pairs already in link are converted.
ALTER TABLE match_param ADD COLUMN comparison_index INTEGER;

-- The comparison order of link's run is the order of its parts; older runs'
-- rows keep NULL (no pair of theirs is left to read), new runs write it.
UPDATE match_param SET comparison_index = o.i
FROM (SELECT unnest(cs) AS comparison, generate_subscripts(cs, 1) - 1 AS i
      FROM (SELECT json_extract_string(parts, '$[*].comparison') AS cs FROM link LIMIT 1)) AS o
WHERE match_param.run_id = (SELECT max(run_id) FROM link) AND match_param.comparison = o.comparison;

DROP VIEW v_link;

CREATE TABLE link_levels (
    run_id         INTEGER NOT NULL,
    l_record_id    BIGINT NOT NULL,      -- l_record_id < r_record_id
    r_record_id    BIGINT NOT NULL,
    blocking_rule  VARCHAR NOT NULL,     -- the first rule that generated the pair
    weight         DOUBLE NOT NULL,      -- total match weight (log2), prior included
    probability    DOUBLE NOT NULL,      -- 2^weight / (1 + 2^weight)
    decision       VARCHAR NOT NULL,     -- link | review | none
    prior          DOUBLE,               -- log2(λ/(1−λ))
    levels         UTINYINT[] NOT NULL,  -- per comparison (match_param.comparison_index + 1): its level_index
    tf_adjustments DOUBLE[]              -- per comparison: log2(u / term frequency); NULL when all are 0
    -- weight = prior + Σ over comparisons (match_param.weight of the level, 0 for the null level, + tf adjustment)
);

-- Converted one pair at a time, without unnesting or grouping: at a
-- million persons link holds 33 million pairs. A pair's level of each
-- comparison is found by its name in its run's levels.
INSERT INTO link_levels
WITH level AS (
    SELECT run_id, map_from_entries(list({'k': comparison || chr(31) || level, 'v': CAST(level_index AS UTINYINT)})) AS index_of
    FROM match_param
    WHERE run_id IN (SELECT DISTINCT run_id FROM link)
    GROUP BY run_id
), pair AS (
    SELECT k.*, json_extract_string(k.parts, '$[*].comparison') AS comparisons,
           json_extract_string(k.parts, '$[*].level') AS level_names,
           CAST(json_extract(k.parts, '$[*].tf_adjustment') AS DOUBLE[]) AS tf
    FROM link k
)
SELECT p.run_id, p.l_record_id, p.r_record_id, p.blocking_rule, p.weight, p.probability, p.decision, p.prior,
       list_transform(range(1, len(p.comparisons) + 1), lambda i: v.index_of[p.comparisons[i] || chr(31) || p.level_names[i]]),
       CASE WHEN list_max(list_transform(p.tf, lambda x: abs(x))) > 0 THEN p.tf END
FROM pair p
JOIN level v ON v.run_id = p.run_id;

DROP TABLE link;
ALTER TABLE link_levels RENAME TO link;

-- v_link as 0005 made it, with parts built from levels: per comparison in
-- order its name, level, weight log2(m/u) (0 for the null level), m, u and
-- tf_adjustment (weight = prior + Σ parts). A run's parameters are one list
-- per comparison, indexed by level: parts are looked up in them, not joined
-- (a subquery per pair made reading the review pairs ten times slower).
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
       to_json(list_transform(range(1, len(k.levels) + 1), lambda i:
           struct_insert(p.params[i][k.levels[i] + 1], tf_adjustment := coalesce(k.tf_adjustments[i], 0.0)))) AS parts,
       k.decision AS matcher_decision,
       an.decision AS analyst_decision,
       CASE an.decision WHEN '同一人' THEN 'link' WHEN '非同一人' THEN 'none' ELSE k.decision END AS decision,
       ra.member_id IS NOT NULL AND ra.member_id = rb.member_id AS same_member
FROM link k
LEFT JOIN param p ON p.run_id = k.run_id
LEFT JOIN analyst an ON an.a = k.l_record_id AND an.b = k.r_record_id
LEFT JOIN source_record ra ON ra.record_id = k.l_record_id
LEFT JOIN source_record rb ON rb.record_id = k.r_record_id;
