-- 02 count: before any pair is generated, how many pairs each blocking rule
-- makes: the sum of n·(n−1)/2 over the groups of records that share all its
-- keys (a NULL key puts a record in no group).
{{range $i, $r := .Rules}}{{if $i}}UNION ALL
{{end}}SELECT {{$i}} AS rule_index, coalesce(sum(n * (n - 1) // 2), 0)::BIGINT AS pairs
FROM (SELECT count(*) AS n
      FROM match_input
      WHERE {{range $j, $k := $r.Keys}}{{if $j}} AND {{end}}({{$k}}) IS NOT NULL{{end}}
      GROUP BY {{range $j, $k := $r.Keys}}{{if $j}}, {{end}}({{$k}}){{end}})
{{end}}ORDER BY rule_index;
