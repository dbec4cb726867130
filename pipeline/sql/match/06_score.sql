-- 06 score: every blocked pair's match weight, the sum of the prior and of one
-- part per comparison: log2(m/u) of its level (match_level_weight, estimated
-- in Go) plus, for a term-frequency level, log2(u / tf) of the shared value.
-- The parts are kept as JSON (the waterfall an analyst reads); the decision
-- follows rules.match.link_threshold and review_threshold.
INSERT INTO link (run_id, l_record_id, r_record_id, blocking_rule, weight, probability, parts, decision, prior)
WITH parts AS (
    SELECT v.l_record_id, v.r_record_id, v.rule_index{{range .Comparisons}},
           w{{.Index}}.comparison AS comparison_{{.Index}}, w{{.Index}}.level AS level_{{.Index}},
           w{{.Index}}.weight AS weight_{{.Index}}, w{{.Index}}.m AS m_{{.Index}}, w{{.Index}}.u AS u_{{.Index}},
           {{if .TermFrequency}}CASE WHEN w{{.Index}}.term_frequency AND v.tf_c{{.Index}} IS NOT NULL
                THEN log2(w{{.Index}}.u / greatest(v.tf_c{{.Index}}, {{$.TFMinimum}})) ELSE 0 END{{else}}0{{end}} AS tf_{{.Index}}{{end}}
    FROM match_vector v{{range .Comparisons}}
    JOIN match_level_weight w{{.Index}} ON w{{.Index}}.comparison_index = {{.Index}} AND w{{.Index}}.level_index = v.c{{.Index}}{{end}}
), scored AS (
    SELECT *, {{.Prior}}{{range .Comparisons}} + weight_{{.Index}} + tf_{{.Index}}{{end}} AS total
    FROM parts
)
SELECT {{.RunID}}, s.l_record_id, s.r_record_id, b.rule, s.total,
       1 / (1 + pow(2, -s.total)),
       json_array({{range $i, $c := .Comparisons}}{{if $i}},{{end}}
           json_object('comparison', comparison_{{.Index}}, 'level', level_{{.Index}}, 'weight', weight_{{.Index}},
                       'm', m_{{.Index}}, 'u', u_{{.Index}}, 'tf_adjustment', tf_{{.Index}}){{end}}),
       CASE WHEN 1 / (1 + pow(2, -s.total)) >= {{.LinkThreshold}} THEN 'link'
            WHEN 1 / (1 + pow(2, -s.total)) >= {{.ReviewThreshold}} THEN 'review'
            ELSE 'none' END,
       {{.Prior}}
FROM scored s
JOIN match_rule b ON b.rule_index = s.rule_index;
