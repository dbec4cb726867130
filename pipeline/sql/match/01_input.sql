-- 01 input: the records to link, as rules.match.input selects them, numbered
-- (match_row, for drawing random pairs) and with each term-frequency value's
-- share among the records that have one (tf_c<i>, for comparison i).
CREATE OR REPLACE TEMP TABLE match_input AS
SELECT input.*,
       row_number() OVER (ORDER BY input.record_id) - 1 AS match_row{{range .Comparisons}}{{if .TermFrequency}},
       CASE WHEN ({{.TermFrequency}}) IS NOT NULL
            THEN count(*) OVER (PARTITION BY ({{.TermFrequency}})) / count({{.TermFrequency}}) OVER ()
       END AS tf_c{{.Index}}{{end}}{{end}}
FROM (
{{.Input}}
) AS input;
