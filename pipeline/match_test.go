package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
	"github.com/baolong/liudong/sampledata"
)

// pairScore is pairwise precision, recall and F1 of predicted pairs against
// true ones (every true pair counts, blocked or not).
type pairScore struct {
	TP, FP, FN            int
	Precision, Recall, F1 float64
}

func scorePairs(pred, truth map[pairKey]bool) pairScore {
	tp := 0
	for p := range pred {
		if truth[p] {
			tp++
		}
	}
	return scoreCounts(tp, len(pred), len(truth))
}

// scoreCounts scores tp true positives among predicted pairs, of true ones.
func scoreCounts(tp, predicted, trueN int) pairScore {
	s := pairScore{TP: tp, FP: predicted - tp, FN: trueN - tp}
	if s.TP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// truePairs returns every pair of the records in ids that share a group.
func truePairs(group map[int64]string) map[pairKey]bool {
	by := map[string][]int64{}
	for id, g := range group {
		by[g] = append(by[g], id)
	}
	out := map[pairKey]bool{}
	for _, ids := range by {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				out[newPairKey(ids[i], ids[j])] = true
			}
		}
	}
	return out
}

// linkedPairs reads the pairs with the given decision from table link.
func linkedPairs(t testing.TB, db *DB, decision string) map[pairKey]bool {
	t.Helper()
	rows, err := db.Query(`SELECT l_record_id, r_record_id FROM link WHERE decision = ?`, decision)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[pairKey]bool{}
	for rows.Next() {
		var l, r int64
		if err := rows.Scan(&l, &r); err != nil {
			t.Fatal(err)
		}
		out[newPairKey(l, r)] = true
	}
	return out
}

// sampleTruth maps each survey and roster record of a generated person to
// the person, through the truth's file, sheet and row.
func sampleTruth(t testing.TB, db *DB, truth *sampledata.Truth) map[int64]string {
	t.Helper()
	type loc struct {
		file, sheet string
		row         int
	}
	person := map[loc]string{}
	for _, r := range truth.Records {
		if r.PersonID != "" && (r.Kind == "survey" || r.Kind == "roster") {
			person[loc{r.File, r.Sheet, r.Row}] = r.PersonID
		}
	}
	rows, err := db.Query(`SELECT record_id, file_path, coalesce(sheet, ''), row_number FROM v_source_record
		WHERE status = 'accepted' AND source_kind IN ('survey', 'roster')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var l loc
		if err := rows.Scan(&id, &l.file, &l.sheet, &l.row); err != nil {
			t.Fatal(err)
		}
		if p, ok := person[l]; ok {
			out[id] = p
		} else {
			out[id] = "record-" + strconv.FormatInt(id, 10) // no generated person: a person of its own
		}
	}
	return out
}

// ingestSample generates persons into a temporary inbox and ingests it.
func ingestSample(t testing.TB, persons int, seed uint64) (*DB, *sampledata.Truth) {
	t.Helper()
	dir := t.TempDir()
	truth, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	if _, err := Run(context.Background(), cfg, Options{Version: "test", Log: zerolog.Nop(), Now: fixedNow}); err != nil {
		t.Fatalf("run: %v", err)
	}
	db, err := OpenDB(context.Background(), cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, truth
}

func TestMatchSample(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 2000 generated persons")
	}
	db, truth := ingestSample(t, 2000, 5)
	cfg := rules.DefaultMatchConfig()
	ctx := context.Background()
	t0 := time.Now()
	res, err := db.Match(ctx, 100, cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("matched %d records in %s: %d pairs, λ blocked %.4f, prior %.3g, EM %d iterations, %d links, %d reviews",
		res.Records, time.Since(t0).Round(time.Millisecond), res.Pairs, res.LambdaBlocked, res.Prior, res.Iterations, res.Links, res.Reviews)
	for _, st := range res.Timings {
		t.Logf("step %-12s %.3fs", st.Step, st.Seconds)
	}
	for _, r := range res.Rules {
		t.Logf("rule %-18s pairs %7d generated %7d new %7d", r.Rule, r.Pairs, r.Generated, r.NewPairs)
	}

	t.Run("quality", func(t *testing.T) {
		want := truePairs(sampleTruth(t, db, truth))
		s := scorePairs(linkedPairs(t, db, "link"), want)
		t.Logf("links at p ≥ %.2f: precision %.4f recall %.4f F1 %.4f (TP %d FP %d FN %d of %d true pairs)",
			cfg.LinkThreshold, s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN, len(want))
		review := linkedPairs(t, db, "review")
		var reviewTrue int
		for p := range review {
			if want[p] {
				reviewTrue++
			}
		}
		t.Logf("review band [%.2f, %.2f): %d pairs, %d of them the same person", cfg.ReviewThreshold, cfg.LinkThreshold, len(review), reviewTrue)
		if s.F1 < 0.98 {
			t.Errorf("F1 %.4f, want ≥ 0.98", s.F1)
		}
		logMatchParams(t, db, 100)
	})

	t.Run("rule counts equal generated pairs", func(t *testing.T) {
		var sumNew int64
		for _, r := range res.Rules {
			if r.Pairs != r.Generated {
				t.Errorf("rule %s: counted %d pairs, generated %d", r.Rule, r.Pairs, r.Generated)
			}
			sumNew += r.NewPairs
		}
		var stored, distinct int64
		db.QueryRow(`SELECT count(*), count(DISTINCT (l_record_id, r_record_id)) FROM link`).Scan(&stored, &distinct)
		if sumNew != res.Pairs || stored != res.Pairs || distinct != stored {
			t.Errorf("new pairs %d, result pairs %d, link rows %d, distinct %d: want all equal", sumNew, res.Pairs, stored, distinct)
		}
		var stored2 int64
		db.QueryRow(`SELECT sum(pairs) FROM match_rule_count WHERE run_id = 100`).Scan(&stored2)
		var counted int64
		for _, r := range res.Rules {
			counted += r.Pairs
		}
		if stored2 != counted {
			t.Errorf("match_rule_count holds %d pairs, counted %d", stored2, counted)
		}
	})

	t.Run("parts sum to weight", func(t *testing.T) {
		checkParts(t, db, len(cfg.Comparisons))
	})

	t.Run("rerun replaces link and keeps params", func(t *testing.T) {
		if _, err := db.Match(ctx, 101, cfg, zerolog.Nop()); err != nil {
			t.Fatal(err)
		}
		var runs, old int
		// Run matched once (run 1), the test twice (runs 100 and 101).
		db.QueryRow(`SELECT count(DISTINCT run_id) FROM match_param WHERE run_id IN (100, 101)`).Scan(&runs)
		db.QueryRow(`SELECT count(*) FROM link WHERE run_id <> 101`).Scan(&old)
		if runs != 2 || old != 0 {
			t.Errorf("match_param runs %d (want 2), link rows of an older run %d (want 0)", runs, old)
		}
		var same int
		db.QueryRow(`SELECT count(*) FROM (SELECT m, u FROM match_param WHERE run_id = 100 EXCEPT SELECT m, u FROM match_param WHERE run_id = 101)`).Scan(&same)
		if same != 0 {
			t.Errorf("a rerun on the same records estimated %d different parameters", same)
		}
	})

	t.Run("exploding rule refused", func(t *testing.T) {
		bad := cfg
		bad.MaxPairsPerRule = 10
		_, err := db.Match(ctx, 102, bad, zerolog.Nop())
		if err == nil {
			t.Fatal("no error for rules over max_pairs_per_rule")
		}
		t.Log(err)
		var links int
		db.QueryRow(`SELECT count(*) FROM link WHERE run_id = 101`).Scan(&links)
		if links == 0 {
			t.Error("a refused run emptied link")
		}
	})
}

// checkParts checks that every stored pair's parts and prior add up to its
// weight, and its probability follows from the weight.
func checkParts(t *testing.T, db *DB, comparisons int) {
	t.Helper()
	rows, err := db.Query(`SELECT weight, probability, prior, CAST(parts AS VARCHAR) FROM v_link`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var w, p, prior float64
		var raw string
		if err := rows.Scan(&w, &p, &prior, &raw); err != nil {
			t.Fatal(err)
		}
		var parts []struct {
			Comparison, Level string
			Weight            float64
			TFAdjustment      float64 `json:"tf_adjustment"`
		}
		if err := json.Unmarshal([]byte(raw), &parts); err != nil {
			t.Fatalf("parts %s: %v", raw, err)
		}
		sum := prior
		for _, pt := range parts {
			sum += pt.Weight + pt.TFAdjustment
		}
		if len(parts) != comparisons || math.Abs(sum-w) > 1e-9 || math.Abs(rules.Probability(w)-p) > 1e-12 {
			t.Fatalf("weight %v, probability %v, prior %v, parts %s: parts do not add up", w, p, prior, raw)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no pair in link")
	}
}

// logMatchParams logs the estimated model of a run.
func logMatchParams(t *testing.T, db *DB, runID int) {
	t.Helper()
	rows, err := db.Query(`SELECT comparison, level, m, u, weight, pairs FROM match_param WHERE run_id = ? AND m IS NOT NULL
		ORDER BY comparison, level_index`, runID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, l string
		var m, u, w float64
		var n int64
		rows.Scan(&c, &l, &m, &u, &w, &n)
		t.Logf("  %-14s %-18s m %.4f u %.6f weight %6.2f pairs %d", c, l, m, u, w, n)
	}
}

// BenchmarkMatch matches generated persons (20,000 by default; set
// LIUDONG_MATCH_BENCH_PERSONS for another size), ingested once.
func BenchmarkMatch(b *testing.B) {
	persons := 20_000
	if s := os.Getenv("LIUDONG_MATCH_BENCH_PERSONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		persons = n
	}
	db, _ := ingestSample(b, persons, 5)
	cfg := rules.DefaultMatchConfig()
	var res *MatchResult
	var err error
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if res, err = db.Match(context.Background(), 1000+i, cfg, zerolog.Nop()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(res.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(res.Pairs)/float64(res.Records), "pairs/record")
	for _, r := range res.Rules {
		b.ReportMetric(float64(r.Pairs)/float64(res.Records), r.Rule+"_pairs/record")
	}
}

// TestTermFrequencyShare checks match_input's tf_c<i>, a value's share among
// the records that have one, against its definition as a window over every
// record, for the default comparison (term_frequency: name) and for an
// expression that is NULL for some records.
func TestTermFrequencyShare(t *testing.T) {
	db, _ := ingestSample(t, 300, 3)
	ctx := context.Background()
	for _, expr := range []string{"", "CASE WHEN length(name) > 2 THEN right(name, 1) END"} {
		cfg := DefaultConfig().Rules.Match
		tf := -1
		for i := range cfg.Comparisons {
			if cfg.Comparisons[i].TermFrequency != "" {
				if expr != "" {
					cfg.Comparisons[i].TermFrequency = expr
				}
				tf = i
			}
		}
		if tf < 0 {
			t.Fatal("the default comparisons have no term frequency")
		}
		steps, err := newMatchSteps()
		if err != nil {
			t.Fatal(err)
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := &matcher{conn: conn, cfg: cfg, steps: steps, log: zerolog.Nop(), res: &MatchResult{}}
		for _, step := range []func(context.Context) error{m.nameKeys, m.kept, m.input} {
			if err := step(ctx); err != nil {
				t.Fatal(err)
			}
		}
		e := cfg.Comparisons[tf].TermFrequency
		var rows, shares, wrong int
		err = conn.QueryRowContext(ctx, fmt.Sprintf(`
			SELECT count(*), count(tf_c%[1]d), count(*) FILTER (WHERE tf_c%[1]d IS DISTINCT FROM want)
			FROM (SELECT tf_c%[1]d, CASE WHEN (%[2]s) IS NOT NULL
			                             THEN count(*) OVER (PARTITION BY (%[2]s)) / count(%[2]s) OVER () END AS want
			      FROM match_input)`, tf, e)).Scan(&rows, &shares, &wrong)
		m.dropTemp()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rows == 0 || shares == 0 || shares == rows && expr != "" || wrong != 0 {
			t.Errorf("%s: %d records, %d with a share, %d shares not their window's", e, rows, shares, wrong)
		}
	}
}
