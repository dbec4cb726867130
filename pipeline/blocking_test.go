package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
)

// blockRecord is a record of TestBlockingUnlessBoth: its key group and
// whether it meets the rule's unless_both.
type blockRecord struct {
	id    int64
	key   string
	valid bool
}

// TestBlockingUnlessBoth checks that a rule with unless_both pairs every two
// records of a key group except two that both meet the condition, each pair
// once, that its count before generating agrees, and that an incremental
// run's pairs (new records against kept ones) are a full run's.
func TestBlockingUnlessBoth(t *testing.T) {
	first := []blockRecord{
		{1, "a", true}, {2, "a", true}, {3, "a", false}, {4, "a", true},
		{5, "b", false}, {6, "b", false}, {7, "b", true},
		{8, "c", true}, {9, "c", true},
		{10, "", false}, // NULL key: no group
	}
	later := []blockRecord{{11, "a", true}, {12, "a", false}, {13, "c", true}, {14, "c", false}, {15, "d", true}}

	tests := []struct {
		name   string
		unless string
		want   func(a, b blockRecord) bool
	}{
		{"without unless_both", "", func(a, b blockRecord) bool { return true }},
		{"unless both valid", "valid", func(a, b blockRecord) bool { return !(a.valid && b.valid) }},
		{"unless both invalid", "NOT valid", func(a, b blockRecord) bool { return a.valid || b.valid }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := OpenDB(ctx, filepath.Join(t.TempDir(), "b.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE rec (record_id BIGINT, k VARCHAR, valid BOOLEAN)`); err != nil {
				t.Fatal(err)
			}
			cfg := rules.DefaultMatchConfig()
			cfg.Input, cfg.NameKeys, cfg.Incremental = "rec", "", true
			cfg.Blocking = []rules.BlockingRule{{Name: "by_key", Keys: []string{"k"}, UnlessBoth: tc.unless}}
			cfg.Comparisons = []rules.Comparison{{Name: "k", Levels: []rules.Level{
				{Name: "null", Null: true, SQL: "l.k IS NULL OR r.k IS NULL"},
				{Name: "exact", SQL: "l.k = r.k", MPrior: 0.9, UPrior: 0.1},
				{Name: "else", MPrior: 0.1, UPrior: 0.9},
			}}}
			var all []blockRecord
			for run, add := range [][]blockRecord{first, later} {
				for _, r := range add {
					if _, err := db.Exec(`INSERT INTO rec VALUES (?, nullif(?, ''), ?)`, r.id, r.key, r.valid); err != nil {
						t.Fatal(err)
					}
				}
				all = append(all, add...)
				res, err := db.Match(ctx, run+1, cfg, zerolog.Nop())
				if err != nil {
					t.Fatal(err)
				}
				if res.Incremental != (run == 1) {
					t.Errorf("run %d: incremental %v", run+1, res.Incremental)
				}
				want := map[pairKey]bool{}
				for i, a := range all {
					for _, b := range all[i+1:] {
						if a.key != "" && a.key == b.key && tc.want(a, b) {
							want[newPairKey(a.id, b.id)] = true
						}
					}
				}
				got := map[pairKey]bool{}
				rows, err := db.Query(`SELECT l_record_id, r_record_id FROM link`)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var l, r int64
					if err := rows.Scan(&l, &r); err != nil {
						t.Fatal(err)
					}
					got[newPairKey(l, r)] = true
				}
				rows.Close()
				if g, w := sortedPairs(got), sortedPairs(want); g != w {
					t.Errorf("run %d: pairs\n got %s\nwant %s", run+1, g, w)
				}
				// The count before generating is of every pair, kept or new.
				if r := res.Rules[0]; r.Pairs != int64(len(want)) {
					t.Errorf("run %d: counted %d pairs, want %d", run+1, r.Pairs, len(want))
				}
				if res.Pairs != int64(len(want)) {
					t.Errorf("run %d: result says %d pairs, want %d", run+1, res.Pairs, len(want))
				}
			}
		})
	}
}

// sortedPairs lists pairs as "a-b" in order, for comparing sets in a message.
func sortedPairs(ps map[pairKey]bool) string {
	var out []string
	for p := range ps {
		out = append(out, fmt.Sprintf("%02d-%02d", p.a, p.b))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}
