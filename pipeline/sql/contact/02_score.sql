-- 02 score, one part of the contact identities (contact_key) at a time (hash
-- of record_id modulo {{.Parts}}, this is part {{.Part}}): the pairs the blocking rules make
-- with person records (none of two records that both meet a rule's
-- unless_both), levelled by the matcher's comparisons, each
-- record's best score for each member, and of those its best member, the
-- second best score and the first five candidates, added to contact_best.
CREATE OR REPLACE TEMP TABLE contact_pair AS
SELECT DISTINCT l_record_id, r_record_id FROM (
{{range $i, $r := .Rules}}{{if $i}}UNION ALL
{{end}}SELECT lk.record_id AS l_record_id, rk.record_id AS r_record_id   -- {{$r.Name}}
FROM (SELECT record_id{{range $j, $k := $r.Keys}}, ({{$k}}) AS k{{$j}}{{end}}{{if $r.Meets}}, {{$r.Meets}} AS u{{end}} FROM contact_key
      WHERE hash(record_id) % {{$.Parts}} = {{$.Part}}) AS lk
JOIN contact_person_r{{$i}} AS rk
  ON {{range $j, $k := $r.Keys}}{{if $j}} AND {{end}}lk.k{{$j}} = rk.k{{$j}}{{end}}{{if $r.Meets}} AND NOT (lk.u AND rk.u){{end}}
{{end}});

-- The newest run's level weights, a map (level index → weight) per
-- comparison in one row, looked up by each pair's level instead of a join
-- per comparison (at 1M, a part's scores took 3.3-3.7 s with seven joins,
-- 2.1-2.8 s with the maps). A level the run has no weight for adds 0.
CREATE OR REPLACE TEMP TABLE contact_score AS
WITH weights AS (
    SELECT {{range .Comparisons}}{{if .Index}},
           {{end}}map(list(level_index) FILTER (WHERE comparison = {{.NameLiteral}}),
               list(weight) FILTER (WHERE comparison = {{.NameLiteral}})) AS w{{.Index}}{{end}}
    FROM (SELECT comparison, level_index, max(coalesce(weight, 0)) AS weight
          FROM match_param WHERE run_id = (SELECT max(run_id) FROM match_param)
          GROUP BY comparison, level_index)
),
vector AS (
    SELECT p.l_record_id AS record_id, r.member_id,{{template "levels" .}}
           0 AS none
    FROM contact_pair p
    JOIN contact_key l ON l.record_id = p.l_record_id
    JOIN contact_person r ON r.record_id = p.r_record_id
)
SELECT v.record_id, v.member_id,
       max(0{{range .Comparisons}} + coalesce(w.w{{.Index}}[v.c{{.Index}}], 0){{end}}) AS weight
FROM vector v, weights w
GROUP BY v.record_id, v.member_id;

DROP TABLE contact_pair;

-- The first five by weight, then member ID, are the five smallest of
-- (−weight, member ID): min(…, 5) finds them without sorting each record's
-- scores (a window or an ordered list is several times slower).
INSERT INTO contact_best
WITH top AS (
    SELECT s.record_id,
           min({'nw': -s.weight, 'member_id': s.member_id, 'name': m.name, 'community': m.community}, 5) AS top
    FROM contact_score s JOIN member m USING (member_id)
    GROUP BY s.record_id
)
SELECT record_id,
       -top[1].nw + 0.0 AS weight,        -- + 0.0: min() gives back 0 as -0, and -(-0) would be -0
       top[1].member_id AS member_id,
       -top[2].nw + 0.0 AS second,
       to_json(list_transform(top, lambda c: {'member_id': c.member_id, 'name': c.name, 'community': c.community,
                                         'weight': round(-c.nw, 1) + 0.0})) AS candidates
FROM top;

DROP TABLE contact_score;
