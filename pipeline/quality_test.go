package pipeline

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/baolong/liudong/sampledata"
)

// pairScores are pairwise precision, recall and F1.
type pairScores struct {
	TP, Predicted, True int64
}

func (s pairScores) precision() float64 { return ratio(s.TP, s.Predicted) }
func (s pairScores) recall() float64    { return ratio(s.TP, s.True) }
func (s pairScores) f1() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s pairScores) String() string {
	return fmt.Sprintf("precision %.4f recall %.4f F1 %.4f (tp %d, predicted %d, true %d)", s.precision(), s.recall(), s.f1(), s.TP, s.Predicted, s.True)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// clusterScores compares the members the registry made of the survey and
// roster records with the persons the generator made them from: every pair
// of records in one member is a predicted pair, every pair of one person a
// true pair.
func clusterScores(t *testing.T, db *DB, truth *sampledata.Truth) (pairScores, map[string]string) {
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
	byMember := map[string]int64{}
	byPerson := map[string]int64{}
	byBoth := map[[2]string]int64{}
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
	pairs := func(n int64) int64 { return n * (n - 1) / 2 }
	var s pairScores
	for _, n := range byMember {
		s.Predicted += pairs(n)
	}
	for _, n := range byPerson {
		s.True += pairs(n)
	}
	for _, n := range byBoth {
		s.TP += pairs(n)
	}
	return s, personMember
}

// whereaboutsScores compares the whereabouts_unknown flag of each person's
// member with the truth (on a roster, found by no community, not left).
func whereaboutsScores(t *testing.T, db *DB, truth *sampledata.Truth, personMember map[string]string) pairScores {
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
	var s pairScores
	for _, p := range truth.Persons {
		m, ok := personMember[p.PersonID]
		if !ok {
			continue
		}
		want := p.Community == "" && p.OnRoster && !p.Left
		got := flag[m]
		if got {
			s.Predicted++
		}
		if want {
			s.True++
		}
		if got && want {
			s.TP++
		}
	}
	return s
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
	t.Logf("%d persons: clustering %v", persons, cs)
	t.Logf("%d persons: whereabouts unknown %v", persons, ws)
	if cs.f1() < qualityMinClusterF1 {
		t.Errorf("clustering F1 %.4f < %.4f", cs.f1(), qualityMinClusterF1)
	}
	if ws.f1() < qualityMinWhereaboutsF1 {
		t.Errorf("whereabouts-unknown F1 %.4f < %.4f", ws.f1(), qualityMinWhereaboutsF1)
	}
}
