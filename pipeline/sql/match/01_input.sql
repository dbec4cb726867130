-- 01 input: the records to link, as rules.match.input selects them, numbered
-- (match_row, for drawing random pairs) and with each term-frequency value's
-- share among the records that have one (tf_c<i>, for comparison i).{{if .Incremental}}
-- match_new marks the records the previous run did not link (incremental
-- blocking: only their pairs are generated and compared).{{end}}
-- A share is counted per value and joined back (tf<i>, whose columns
-- tf_value and tf_share leave the expression's own names to input), not
-- as a window over every record: at 1M persons 3.0-3.4 s for this step
-- instead of 4.9-7.0 s, the same values to the bit (BIGINT / BIGINT).
CREATE OR REPLACE TEMP TABLE match_input AS
WITH input AS MATERIALIZED (
{{.Input}}
){{range .Comparisons}}{{if .TermFrequency}},
tf{{.Index}} AS (
    SELECT ({{.TermFrequency}}) AS tf_value, count(*) / (sum(count(*)) OVER ())::BIGINT AS tf_share
    FROM input
    WHERE ({{.TermFrequency}}) IS NOT NULL
    GROUP BY 1
){{end}}{{end}}
SELECT input.*,
       row_number() OVER (ORDER BY input.record_id) - 1 AS match_row{{range .Comparisons}}{{if .TermFrequency}},
       tf{{.Index}}.tf_share AS tf_c{{.Index}}{{end}}{{end}}{{if .Incremental}},
       input.record_id NOT IN (SELECT record_id FROM match_record_kept) AS match_new{{end}}
FROM input{{range .Comparisons}}{{if .TermFrequency}}
LEFT JOIN tf{{.Index}} ON tf{{.Index}}.tf_value = ({{.TermFrequency}}){{end}}{{end}};
