-- 02 count: before any pair is generated, how many pairs each blocking rule
-- makes: the sum of n·(n−1)/2 over the groups of records that share all its
-- keys (a NULL key puts a record in no group), less, for a rule with
-- unless_both, the u·(u−1)/2 pairs of a group's records that all meet it.
{{range $i, $r := .Rules}}{{if $i}}UNION ALL
{{end}}SELECT {{$i}} AS rule_index, coalesce(sum(n * (n - 1) // 2 - u * (u - 1) // 2), 0)::BIGINT AS pairs
FROM (SELECT count(*) AS n, {{if $r.Meets}}count(*) FILTER (WHERE {{$r.Meets}}){{else}}0{{end}} AS u
      FROM match_input
      WHERE {{range $j, $k := $r.Keys}}{{if $j}} AND {{end}}({{$k}}) IS NOT NULL{{end}}
      GROUP BY {{range $j, $k := $r.Keys}}{{if $j}}, {{end}}({{$k}}){{end}})
{{end}}ORDER BY rule_index;
