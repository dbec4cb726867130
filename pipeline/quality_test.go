package pipeline

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/baolong/liudong/sampledata"
)

// clusterScores compares the members the registry made of the survey and
// roster records with the persons the generator made them from: every pair
// of records in one member is a predicted pair, every pair of one person a
// true pair.
func clusterScores(t *testing.T, db *DB, truth *sampledata.Truth) (pairScore, map[string]string) {
	t.Helper()
	member := map[string]string{} // file|sheet|row → member
	rows, err := db.Query(`SELECT file_path || '|' || coalesce(sheet, '') || '|' || row_number, member_id
		FROM v_source_record WHERE source_kind IN ('survey', 'roster') AND status = 'accepted' AND member_id IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, m string
		rows.Scan(&k, &m)
		member[k] = m
	}
	rows.Close()
	byMember := map[string]int{}
	byPerson := map[string]int{}
	byBoth := map[[2]string]int{}
	personMember := map[string]string{} // a person's member: the one holding its roster row, else any
	for _, r := range truth.Records {
		if r.PersonID == "" || (r.Kind != "survey" && r.Kind != "roster") || r.Expect != "accepted" {
			continue
		}
		m, ok := member[fmt.Sprintf("%s|%s|%d", r.File, r.Sheet, r.Row)]
		if !ok {
			continue
		}
		byMember[m]++
		byPerson[r.PersonID]++
		byBoth[[2]string{m, r.PersonID}]++
		if _, seen := personMember[r.PersonID]; !seen || r.Kind == "roster" {
			personMember[r.PersonID] = m
		}
	}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	var tp, predicted, trueN int
	for _, n := range byMember {
		predicted += pairs(n)
	}
	for _, n := range byPerson {
		trueN += pairs(n)
	}
	for _, n := range byBoth {
		tp += pairs(n)
	}
	return scoreCounts(tp, predicted, trueN), personMember
}

// whereaboutsScores compares the whereabouts_unknown flag of each person's
// member with the truth (on a roster, found by no community, not left).
func whereaboutsScores(t *testing.T, db *DB, truth *sampledata.Truth, personMember map[string]string) pairScore {
	t.Helper()
	flag := map[string]bool{}
	rows, err := db.Query(`SELECT member_id, whereabouts_unknown FROM v_member`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		var u bool
		rows.Scan(&m, &u)
		flag[m] = u
	}
	rows.Close()
	var tp, predicted, trueN int
	for _, p := range truth.Persons {
		m, ok := personMember[p.PersonID]
		if !ok {
			continue
		}
		want := p.Community == "" && p.OnRoster && !p.Left
		got := flag[m]
		if got {
			predicted++
		}
		if want {
			trueN++
		}
		if got && want {
			tp++
		}
	}
	return scoreCounts(tp, predicted, trueN)
}

// TestQuality measures the clustering and the whereabouts flag on the demo's
// data against its truth. LIUDONG_QUALITY_PERSONS sets the size (the issue's
// figure is on 10,000).
func TestQuality(t *testing.T) {
	persons := 1500
	if s := os.Getenv("LIUDONG_QUALITY_PERSONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		persons = n
	}
	dir := t.TempDir()
	truth, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	cs, pm := clusterScores(t, db, truth)
	ws := whereaboutsScores(t, db, truth, pm)
	t.Logf("%d persons: clustering %+v", persons, cs)
	t.Logf("%d persons: whereabouts unknown %+v", persons, ws)
	if cs.F1 < qualityMinClusterF1 {
		t.Errorf("clustering F1 %.4f < %.4f", cs.F1, qualityMinClusterF1)
	}
	if ws.F1 < qualityMinWhereaboutsF1 {
		t.Errorf("whereabouts-unknown F1 %.4f < %.4f", ws.F1, qualityMinWhereaboutsF1)
	}
}
