-- 01 input: the records to link, as rules.match.input selects them, numbered
-- (match_row, for drawing random pairs) and with each term-frequency value's
-- share among the records that have one (tf_c<i>, for comparison i).{{if .Incremental}}
-- match_new marks the records the previous run did not link (incremental
-- blocking: only their pairs are generated and compared).{{end}}
CREATE OR REPLACE TEMP TABLE match_input AS
SELECT input.*,
       row_number() OVER (ORDER BY input.record_id) - 1 AS match_row{{range .Comparisons}}{{if .TermFrequency}},
       CASE WHEN ({{.TermFrequency}}) IS NOT NULL
            THEN count(*) OVER (PARTITION BY ({{.TermFrequency}})) / count({{.TermFrequency}}) OVER ()
       END AS tf_c{{.Index}}{{end}}{{end}}{{if .Incremental}},
       input.record_id NOT IN (SELECT record_id FROM match_record_kept) AS match_new{{end}}
FROM (
{{.Input}}
) AS input;
