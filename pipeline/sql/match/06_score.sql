-- 06 score: every blocked pair's match weight, the sum of the prior and of one
-- part per comparison: log2(m/u) of its level (estimated in Go, here as the
-- list .Weights indexed by level) plus, for a term-frequency level, log2(u / tf)
-- of the shared value. link keeps each comparison's level and the adjustments
-- (NULL when all are 0), not the parts: v_link builds the waterfall an analyst
-- reads from them and match_param. The decision follows
-- rules.match.link_threshold and review_threshold.
INSERT INTO link (run_id, l_record_id, r_record_id, blocking_rule, weight, probability, decision, prior, levels, tf_adjustments)
WITH parts AS (
    SELECT v.l_record_id, v.r_record_id, v.rule_index,
           CAST([{{range $i, $c := .Comparisons}}{{if $i}}, {{end}}v.c{{.Index}}{{end}}] AS UTINYINT[]) AS levels{{range .Comparisons}},
           {{.Weights}}[v.c{{.Index}} + 1] AS weight_{{.Index}},
           {{if .TermFrequency}}CASE WHEN {{.TFLevels}}[v.c{{.Index}} + 1] AND v.tf_c{{.Index}} IS NOT NULL
                THEN log2({{.U}}[v.c{{.Index}} + 1] / greatest(v.tf_c{{.Index}}, {{$.TFMinimum}})) ELSE 0 END{{else}}0{{end}} AS tf_{{.Index}}{{end}}
    FROM match_vector v
), scored AS (
    SELECT *, {{.Prior}}{{range .Comparisons}} + weight_{{.Index}} + tf_{{.Index}}{{end}} AS total
    FROM parts
)
SELECT {{.RunID}}, s.l_record_id, s.r_record_id, b.rule, s.total,
       1 / (1 + pow(2, -s.total)),
       CASE WHEN 1 / (1 + pow(2, -s.total)) >= {{.LinkThreshold}} THEN 'link'
            WHEN 1 / (1 + pow(2, -s.total)) >= {{.ReviewThreshold}} THEN 'review'
            ELSE 'none' END,
       {{.Prior}},
       s.levels,
       CASE WHEN false{{range .Comparisons}}{{if .TermFrequency}} OR tf_{{.Index}} <> 0{{end}}{{end}}
            THEN CAST([{{range $i, $c := .Comparisons}}{{if $i}}, {{end}}tf_{{.Index}}{{end}}] AS DOUBLE[]) END
FROM scored s
JOIN match_rule b ON b.rule_index = s.rule_index;
