{{- define "levels"}}{{range .Comparisons}}
       CASE{{range $k, $l := .Levels}}{{if $l.SQL}}
           WHEN ({{$l.SQL}}) THEN {{$k}}   -- {{$l.Name}}{{else}}
           ELSE {{$k}}   -- {{$l.Name}}{{end}}{{end}}
       END AS c{{.Index}},   -- {{.Name}}{{end}}{{end -}}
-- 04 compare: each blocked pair's comparison vector, the level it falls in
-- for every comparison (c<i>: index of the first level whose condition holds),
-- and, for term-frequency comparisons, the larger share of the two values.{{if .Incremental}}
-- The new pairs are compared; the kept pairs of two records still linked
-- bring their vectors from the previous run (match_vector_kept), with the
-- term frequencies of today's records.{{end}}
CREATE OR REPLACE TEMP TABLE match_vector AS
SELECT p.l_record_id, p.r_record_id, p.rule_index, p.rule_mask,{{template "levels" .}}{{range .Comparisons}}{{if .TermFrequency}}
       greatest(l.tf_c{{.Index}}, r.tf_c{{.Index}}) AS tf_c{{.Index}},{{end}}{{end}}
FROM match_pair p
JOIN match_input l ON l.record_id = p.l_record_id
JOIN match_input r ON r.record_id = p.r_record_id
{{- if .Incremental}}
UNION ALL
SELECT k.l_record_id, k.r_record_id, k.rule_index, k.rule_mask,{{range .Comparisons}} k.c{{.Index}},{{end}}{{range .Comparisons}}{{if .TermFrequency}}
       greatest(l.tf_c{{.Index}}, r.tf_c{{.Index}}) AS tf_c{{.Index}},{{end}}{{end}}
FROM match_vector_kept k
JOIN match_input l ON l.record_id = k.l_record_id
JOIN match_input r ON r.record_id = k.r_record_id
{{- end}};
