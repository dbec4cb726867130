-- 03 pairs: every pair of records that some blocking rule puts together
-- (all keys equal and not NULL), l before r by record_id{{if .PairCondition}}, meeting
-- rules.match.pair_condition{{end}}{{if .Incremental}}, of which at least one is new (match_new: the
-- pairs of two earlier records are kept from the previous run){{end}}. match_pair keeps
-- each pair once, credited to the first rule that made it, with the set of
-- rules that made it as bits (rule_mask). A rule with unless_both joins twice:
-- its first record (lk) failing the condition with any record, then meeting
-- it with a second (rk) that fails it, so the pairs of two records meeting
-- it are never generated, and each other pair once.
CREATE OR REPLACE TEMP TABLE match_candidate AS
{{range $i, $r := .Rules}}{{range $s, $side := $r.Sides}}{{if or $i $s}}UNION ALL
{{end}}SELECT c.l_record_id, c.r_record_id, {{$i}} AS rule_index   -- {{$r.Name}}{{if $side.Name}}: {{$side.Name}}{{end}}
FROM (
    SELECT least(lk.record_id, rk.record_id) AS l_record_id, greatest(lk.record_id, rk.record_id) AS r_record_id
    FROM (SELECT record_id{{range $j, $k := $r.Keys}}, ({{$k}}) AS k{{$j}}{{end}} FROM match_input
          WHERE {{if $.Incremental}}match_new{{else}}true{{end}}{{if $side.L}} AND {{$side.L}}{{end}}) AS lk
    JOIN (SELECT record_id{{if $.Incremental}}, match_new{{end}}{{range $j, $k := $r.Keys}}, ({{$k}}) AS k{{$j}}{{end}} FROM match_input{{if $side.R}}
          WHERE {{$side.R}}{{end}}) AS rk
      ON {{if $.Incremental}}lk.record_id <> rk.record_id AND (NOT rk.match_new OR lk.record_id < rk.record_id){{else}}lk.record_id < rk.record_id{{end}}{{range $j, $k := $r.Keys}} AND lk.k{{$j}} = rk.k{{$j}}{{end}}
) AS c
{{if $.PairCondition}}JOIN match_input l ON l.record_id = c.l_record_id
JOIN match_input r ON r.record_id = c.r_record_id
WHERE ({{$.PairCondition}})
{{end}}{{end}}{{end}};

CREATE OR REPLACE TEMP TABLE match_pair AS
SELECT l_record_id, r_record_id, min(rule_index) AS rule_index, bit_or(CAST(1 AS BIGINT) << rule_index) AS rule_mask
FROM match_candidate
GROUP BY l_record_id, r_record_id;
