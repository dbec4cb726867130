package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
)

// febrlDir holds the public FEBRL benchmark (see its README).
const febrlDir = "../../shared/data/febrl"

// febrlConfig links FEBRL4's two files with the same machinery as liudong's
// person records, configured for its fields: nothing in it comes from the
// truth labels; m is estimated by EM, u from random pairs.
func febrlConfig() rules.MatchConfig {
	jw := func(col string, at ...string) []rules.Level {
		levels := []rules.Level{
			{Name: "null", Null: true, SQL: "l." + col + " IS NULL OR r." + col + " IS NULL"},
			{Name: "exact", SQL: "l." + col + " = r." + col, TermFrequency: true},
		}
		for _, t := range at {
			levels = append(levels, rules.Level{Name: "jaro_winkler_" + t, SQL: "jaro_winkler_similarity(l." + col + ", r." + col + ") >= " + t})
		}
		return append(levels, rules.Level{Name: "else"})
	}
	edits := func(col string) []rules.Level {
		return []rules.Level{
			{Name: "null", Null: true, SQL: "l." + col + " IS NULL OR r." + col + " IS NULL"},
			{Name: "exact", SQL: "l." + col + " = r." + col},
			{Name: "one_edit", SQL: "damerau_levenshtein(l." + col + ", r." + col + ") <= 1"},
			{Name: "two_edits", SQL: "damerau_levenshtein(l." + col + ", r." + col + ") <= 2"},
			{Name: "else"},
		}
	}
	exact := func(col string) []rules.Level {
		return []rules.Level{
			{Name: "null", Null: true, SQL: "l." + col + " IS NULL OR r." + col + " IS NULL"},
			{Name: "exact", SQL: "l." + col + " = r." + col},
			{Name: "else"},
		}
	}
	cfg := rules.DefaultMatchConfig()
	cfg.Input = "febrl"
	cfg.NameKeys = ""
	cfg.PairCondition = "l.source <> r.source" // link the two files; neither is deduplicated
	cfg.Blocking = []rules.BlockingRule{
		{Name: "soc_sec_id", Keys: []string{"soc_sec_id"}},
		{Name: "date_of_birth", Keys: []string{"date_of_birth"}},
		{Name: "given_surname", Keys: []string{"given_name", "surname"}},
		{Name: "postcode_street_number", Keys: []string{"postcode", "street_number"}},
		{Name: "surname_suburb", Keys: []string{"surname", "suburb"}},
		{Name: "given_name_postcode", Keys: []string{"given_name", "postcode"}},
	}
	cfg.Comparisons = []rules.Comparison{
		{Name: "given_name", TermFrequency: "given_name", Levels: jw("given_name", "0.9", "0.7")},
		{Name: "surname", TermFrequency: "surname", Levels: jw("surname", "0.9", "0.7")},
		{Name: "date_of_birth", Levels: edits("date_of_birth")},
		{Name: "soc_sec_id", Levels: edits("soc_sec_id")},
		{Name: "street_number", Levels: exact("street_number")},
		{Name: "address_1", TermFrequency: "address_1", Levels: jw("address_1", "0.9", "0.7")},
		{Name: "suburb", TermFrequency: "suburb", Levels: jw("suburb", "0.9")},
		{Name: "postcode", Levels: []rules.Level{
			{Name: "null", Null: true, SQL: "l.postcode IS NULL OR r.postcode IS NULL"},
			{Name: "exact", SQL: "l.postcode = r.postcode"},
			{Name: "one_edit", SQL: "damerau_levenshtein(l.postcode, r.postcode) <= 1"},
			{Name: "else"},
		}},
		{Name: "state", Levels: exact("state")},
	}
	cfg.URandomPairs = 300_000 // edit distances on a million pairs take ~10 s; 300k estimate u as well
	cfg.LinkThreshold = 0.5
	cfg.ReviewThreshold = 0.2
	return cfg
}

// loadFEBRL4 loads dataset4a and dataset4b into table febrl: fields trimmed
// (each has a leading space), empty ones NULL, all text (postcodes such as
// 0812), source a or b.
func loadFEBRL4(t *testing.T, db *DB) {
	t.Helper()
	cols := []string{"rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"}
	names, trimmed := "", ""
	for i, c := range cols {
		if i > 0 {
			names += ", "
			trimmed += ", "
		}
		names += "'" + c + "'"
		trimmed += "nullif(trim(" + c + "), '') AS " + c
	}
	read := func(file string) string {
		return `SELECT ` + trimmed + `, '` + file[len(file)-5:len(file)-4] + `' AS source
			FROM read_csv('` + filepath.Join(febrlDir, file) + `', header = true, all_varchar = true, names = [` + names + `])`
	}
	_, err := db.Exec(`CREATE TABLE febrl AS SELECT row_number() OVER (ORDER BY source, rec_id) AS record_id, * FROM (` +
		read("dataset4a.csv") + ` UNION ALL ` + read("dataset4b.csv") + `)`)
	if err != nil {
		t.Fatal(err)
	}
}

func TestMatchFEBRL4(t *testing.T) {
	if _, err := os.Stat(filepath.Join(febrlDir, "dataset4a.csv")); err != nil {
		t.Skipf("FEBRL data not found: %v", err)
	}
	ctx := context.Background()
	db, err := OpenDB(ctx, filepath.Join(t.TempDir(), "febrl.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loadFEBRL4(t, db)

	cfg := febrlConfig()
	res, err := db.Match(ctx, 1, cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records, %d pairs (of %.0f comparable), λ blocked %.4f, prior %.3g, EM %d iterations",
		res.Records, res.Pairs, res.ComparablePairs, res.LambdaBlocked, res.Prior, res.Iterations)
	for _, r := range res.Rules {
		t.Logf("rule %-24s pairs %8d generated %8d new %8d", r.Rule, r.Pairs, r.Generated, r.NewPairs)
	}
	for _, st := range res.Timings {
		t.Logf("step %-12s %.3fs", st.Step, st.Seconds)
	}

	// The truth: rec-N-org in 4a is rec-N-dup-0 in 4b.
	group := map[int64]string{}
	rows, err := db.Query(`SELECT record_id, regexp_extract(rec_id, 'rec-([0-9]+)-', 1) FROM febrl`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		group[id] = n
	}
	rows.Close()
	want := truePairs(group)
	if len(want) != 5000 {
		t.Fatalf("%d true pairs, want 5000", len(want))
	}
	for _, th := range []float64{0.2, 0.5, 0.9, 0.95, 0.99} {
		pred := map[pairKey]bool{}
		rows, err := db.Query(`SELECT l_record_id, r_record_id FROM link WHERE probability >= ?`, th)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l, r int64
			rows.Scan(&l, &r)
			pred[newPairKey(l, r)] = true
		}
		rows.Close()
		s := scorePairs(pred, want)
		t.Logf("p ≥ %.2f: precision %.4f recall %.4f F1 %.4f (TP %d FP %d FN %d)", th, s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN)
		if th == cfg.LinkThreshold && s.F1 < 0.99 {
			t.Errorf("F1 %.4f at the link threshold %.2f, want ≥ 0.99", s.F1, th)
		}
	}
	var blocked int
	db.QueryRow(`SELECT count(*) FROM link l JOIN febrl a ON a.record_id = l.l_record_id JOIN febrl b ON b.record_id = l.r_record_id
		WHERE regexp_extract(a.rec_id, 'rec-([0-9]+)-', 1) = regexp_extract(b.rec_id, 'rec-([0-9]+)-', 1)`).Scan(&blocked)
	t.Logf("blocking recall: %d of 5000 true pairs blocked", blocked)
	logMatchParams(t, db, 1)
	checkParts(t, db, len(cfg.Comparisons))
}
