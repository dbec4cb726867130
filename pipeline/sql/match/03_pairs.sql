-- 03 pairs: every pair of records that some blocking rule puts together
-- (all keys equal and not NULL), l before r by record_id{{if .PairCondition}}, meeting
-- rules.match.pair_condition{{end}}. match_candidate keeps one row per rule that made
-- the pair; match_pair keeps each pair once, credited to the first such rule.
CREATE OR REPLACE TEMP TABLE match_candidate AS
{{range $i, $r := .Rules}}{{if $i}}UNION ALL
{{end}}SELECT lk.record_id AS l_record_id, rk.record_id AS r_record_id, {{$i}} AS rule_index   -- {{$r.Name}}
FROM (SELECT record_id{{range $j, $k := $r.Keys}}, ({{$k}}) AS k{{$j}}{{end}} FROM match_input) AS lk
JOIN (SELECT record_id{{range $j, $k := $r.Keys}}, ({{$k}}) AS k{{$j}}{{end}} FROM match_input) AS rk
  ON lk.record_id < rk.record_id{{range $j, $k := $r.Keys}} AND lk.k{{$j}} = rk.k{{$j}}{{end}}
{{if $.PairCondition}}JOIN match_input l ON l.record_id = lk.record_id
JOIN match_input r ON r.record_id = rk.record_id
WHERE ({{$.PairCondition}})
{{end}}{{end}};

CREATE OR REPLACE TEMP TABLE match_pair AS
SELECT l_record_id, r_record_id, min(rule_index) AS rule_index
FROM match_candidate
GROUP BY l_record_id, r_record_id;
