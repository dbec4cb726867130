-- 01 link: every current contact record (rules.contacts.input) is compared
-- with the person records of current members, paired by the matcher's
-- blocking rules and rules.contacts.blocking, levelled by the matcher's
-- comparisons (l. the contact record, r. the person record) and scored with
-- the newest match run's level weights log2(m/u). Key groups of person
-- records of more than max_block_members members pair nothing: a name
-- shared by that many cannot link a record, and would make the pairs grow
-- with the square of a community. A record's score for a
-- member is its best over that member's records; the best member is linked
-- at min_weight and min_margin ahead of the next, else the record is
-- ambiguous or unmatched (a visit may still be paired through its
-- counsellor, below). An analyst's 同一人 with a 党员编号 assigns the
-- record (decided); 非同一人 or 忽略 dismisses it. The records are
-- compared a part at a time (02_score.sql), so a city's millions of cards
-- never need all their pairs in memory at once.
CREATE OR REPLACE TEMP TABLE contact_input AS
SELECT * FROM (
{{.ContactInput}}
) AS input;

-- Cards that say the same thing (every column the comparisons and blocking
-- rules can read: all but record_id{{if not .KeySourceKind}} and source_kind{{end}}) score the same
-- against every member: a member's ten activity cards usually carry the same
-- name, phone and community. Each such identity is compared once, under
-- its smallest record_id (contact_key, the table 02_score.sql compares),
-- and its score is given to all its records after (contact_key_record).
{{- if .KeyRecordID}}
-- A comparison or blocking key reads record_id: every record is its own identity.
CREATE OR REPLACE TEMP TABLE contact_key AS SELECT * FROM contact_input;
CREATE OR REPLACE TEMP TABLE contact_key_record AS SELECT record_id, record_id AS key_id FROM contact_input;
{{- else}}
CREATE OR REPLACE TEMP TABLE contact_key AS
SELECT min(record_id) AS record_id, list(record_id) AS record_ids, * EXCLUDE (record_id{{if not .KeySourceKind}}, source_kind{{end}})
FROM contact_input
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE contact_key_record AS
SELECT unnest(record_ids) AS record_id, record_id AS key_id FROM contact_key;

ALTER TABLE contact_key DROP COLUMN record_ids;
{{- end}}

CREATE OR REPLACE TEMP TABLE contact_person AS
SELECT i.*, r.member_id
FROM (
{{.Input}}
) AS i
JOIN source_record r ON r.record_id = i.record_id
JOIN member m ON m.member_id = r.member_id AND m.retired_run_id IS NULL;

-- Per blocking rule, the person records with their keys (and whether they
-- meet the rule's unless_both, u), less the key groups of more than
-- max_block_members members. A record with a NULL key pairs nothing and is
-- left out. Counting distinct members is the costly part, so it is done
-- only for the groups of more than max_block_members records (at 1M, all
-- of 01_link.sql took 13.3 s instead of 18.3-19.1 counting every group's
-- members).
{{range $i, $r := .Rules}}CREATE OR REPLACE TEMP TABLE contact_person_r{{$i}} AS   -- {{$r.Name}}
WITH p AS MATERIALIZED (
    SELECT * FROM (SELECT record_id, member_id{{range $j, $k := $r.Keys}}, ({{$k}}) AS k{{$j}}{{end}}{{if $r.Meets}}, {{$r.Meets}} AS u{{end}} FROM contact_person)
    WHERE {{range $j, $k := $r.Keys}}{{if $j}} AND {{end}}k{{$j}} IS NOT NULL{{end}}
),
big AS (SELECT {{$r.KeyNames}} FROM p GROUP BY ALL HAVING count(*) > {{$.MaxBlock}}),
over AS (
    SELECT {{$r.KeyNames}} FROM p SEMI JOIN big USING ({{$r.KeyNames}})
    GROUP BY ALL HAVING count(DISTINCT member_id) > {{$.MaxBlock}}
)
SELECT record_id, {{$r.KeyNames}}{{if $r.Meets}}, u{{end}}
FROM p ANTI JOIN over USING ({{$r.KeyNames}});
{{end}}
CREATE OR REPLACE TEMP TABLE contact_best (record_id BIGINT, weight DOUBLE, member_id VARCHAR, second DOUBLE, candidates JSON);
