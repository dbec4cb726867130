-- 05 random pairs: the comparison vectors of pairs drawn at random (seeded, so
-- a rerun draws the same), or of every pair when there are no more than
-- rules.match.u_random_pairs. Almost all are different people, so the share
-- of each level among them estimates its u. comparable says whether the pair
-- meets rules.match.pair_condition (only those count).
CREATE OR REPLACE TEMP TABLE match_random AS
WITH draws AS (
{{- if .AllPairs}}
    SELECT l.match_row AS l_row, r.match_row AS r_row
    FROM match_input l JOIN match_input r ON l.match_row < r.match_row
{{- else}}
    SELECT CAST(hash(i, {{.Seed}}, 'l') % {{.Records}} AS BIGINT) AS l_row, CAST(hash(i, {{.Seed}}, 'r') % {{.Records}} AS BIGINT) AS r_row
    FROM range({{.Samples}}) AS t(i)
{{- end}}
)
SELECT{{template "levels" .}}
       {{if .PairCondition}}coalesce(({{.PairCondition}}), false){{else}}true{{end}} AS comparable
FROM draws
JOIN match_input l ON l.match_row = draws.l_row
JOIN match_input r ON r.match_row = draws.r_row
WHERE draws.l_row <> draws.r_row;
