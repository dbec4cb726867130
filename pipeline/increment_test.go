package pipeline

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baolong/liudong/sampledata"
)

// incrementPersons is how many persons TestIncrementalEqualsFull generates:
// LIUDONG_TEST_INCREMENT_PERSONS (CI sets 50000), else 3000.
func incrementPersons(t *testing.T) int {
	if s := os.Getenv("LIUDONG_TEST_INCREMENT_PERSONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("LIUDONG_TEST_INCREMENT_PERSONS=%q: want a positive number", s)
		}
		return n
	}
	return 3000
}

// TestIncrementalEqualsFull: a nightly increment — about 1% new files and
// one resent roster that lost a row — gives the same registry with
// incremental blocking as with every pair generated and compared again:
// the same links and weights, the same members, golden records, statuses,
// discrepancies and contact links, and the same kept pairs for the night
// after. Both nights start from one copy of the same registry, so record
// IDs and the random pairs that estimate u are the same in both; only how
// the blocked pairs are found differs, and which members' golden records and
// field conflicts are made again (all of them in the full night).
func TestIncrementalEqualsFull(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline three times over generated persons")
	}
	persons := incrementPersons(t)
	gen := t.TempDir()
	if _, err := sampledata.Generate(gen, sampledata.Options{Persons: persons, Seed: 21}); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(filepath.Join(gen, "inbox"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(filepath.Join(gen, "inbox"), p)
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	// Every 100th survey or roster file arrives on the second night; the
	// first CSV roster arrives again on the second night without its last row.
	later := map[string]bool{}
	changed := ""
	for i, f := range files {
		person := strings.HasPrefix(f, "surveys"+string(filepath.Separator)) || strings.HasPrefix(f, "rosters"+string(filepath.Separator))
		if person && i%100 == 7 {
			later[f] = true
		}
		if changed == "" && strings.HasPrefix(f, "rosters"+string(filepath.Separator)) && strings.HasSuffix(f, ".csv") && !later[f] {
			changed = f
		}
	}
	if len(later) == 0 || changed == "" {
		t.Fatalf("no file held back (%d) or none to change (%q) among %d", len(later), changed, len(files))
	}

	inc := t.TempDir()
	cfg := testConfig(inc)
	cfg.Out.PDFFont = filepath.Join(inc, "no-font.ttf") // workbooks only: the PDFs are not what this compares
	for _, f := range files {
		if !later[f] {
			copyFileT(t, filepath.Join(gen, "inbox", f), filepath.Join(cfg.Inbox.Dir, f))
		}
	}
	if sum := runOnce(t, cfg); sum.Match.Incremental {
		t.Fatal("the first night was incremental")
	}

	// The second night's inbox, and a copy of the registry for the full run.
	for f := range later {
		copyFileT(t, filepath.Join(gen, "inbox", f), filepath.Join(cfg.Inbox.Dir, f))
	}
	p := filepath.Join(cfg.Inbox.Dir, changed)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimRight(string(b), "\r\n"), "\n")
	if err := os.WriteFile(p, []byte(strings.Join(lines[:len(lines)-1], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	full := cfg
	full.Database = filepath.Join(t.TempDir(), "liudong.duckdb")
	full.Out.Dir = filepath.Join(filepath.Dir(full.Database), "out")
	full.Rules.Match.Incremental = false
	copyFileT(t, cfg.Database, full.Database)
	// The full night makes every member's golden record and finds its field
	// conflicts anew, not only those of the members whose records changed.
	fdb := openTestDB(t, full)
	for _, q := range []string{`DELETE FROM member_conflict_input`, `UPDATE member SET golden_input = NULL`} {
		if _, err := fdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	fdb.Close()

	incSum := runOnce(t, cfg)
	fullSum := runOnce(t, full)
	if !incSum.Match.Incremental || fullSum.Match.Incremental {
		t.Fatalf("incremental: %v and %v, want true and false", incSum.Match.Incremental, fullSum.Match.Incremental)
	}
	if incSum.Match.NewRecords == 0 || incSum.Match.NewRecords*10 > incSum.Match.Records {
		t.Errorf("%d new records of %d: want a few", incSum.Match.NewRecords, incSum.Match.Records)
	}
	if incSum.Match.Pairs != fullSum.Match.Pairs || fmt.Sprint(incSum.Match.Rules) != fmt.Sprint(fullSum.Match.Rules) {
		t.Errorf("pairs per rule: incremental %d %v, full %d %v", incSum.Match.Pairs, incSum.Match.Rules, fullSum.Match.Pairs, fullSum.Match.Rules)
	}
	t.Logf("%d persons: %d records, %d new; %d pairs, %d links", persons, incSum.Match.Records, incSum.Match.NewRecords,
		incSum.Match.Pairs, incSum.Match.Links)

	a, bdb := openTestDB(t, cfg), openTestDB(t, full)
	for _, d := range incrementDigests {
		if got, want := digest(t, a, d.from, d.cols), digest(t, bdb, d.from, d.cols); got != want {
			t.Errorf("%s (%s):\n  incremental %s\n  full        %s", d.from, d.cols, got, want)
		}
	}
}

// incrementDigests summarise what an increment must get right: a table
// (with a condition) and the columns hashed.
var incrementDigests = []struct{ from, cols string }{
	{"link", "l_record_id, r_record_id, blocking_rule, decision, round(weight, 6)"},
	{"match_param WHERE run_id = (SELECT max(run_id) FROM match_param)", "comparison, level, round(m, 9), round(u, 9), pairs"},
	{"source_record WHERE retired_run_id IS NULL", "record_id, member_id"},
	{"v_member", "member_id, name, id_number, status, community, origin_branch_key, records, counsellor, " +
		"last_contact_date, contact_flag, activities_year, visits_year"},
	{"discrepancy WHERE resolved_run_id IS NULL", "kind, record_ids, member_id, value_set, detail"},
	{"member_conflict_input", "member_id, digest"},
	{"member", "member_id, golden_input, last_seen_run_id, status_run_id, retired_run_id, records, birth_date, phone, " +
		"address, employer, member_type, join_date, whereabouts_verified"},
	{"contact", "record_id, key_id, outcome, member_id"},
	{"v_contact", "record_id, round(weight, 6), round(margin, 6), CAST(candidates AS VARCHAR)"},
	{"certificate", "member_id, serial, content_sha256"},
	{"match_vector_kept", "l_record_id, r_record_id, rule_index, rule_mask"},
	{"match_record_kept", "record_id"},
}

// digest is the count of rows and the sum of their hashes.
func digest(t *testing.T, db *DB, from, cols string) string {
	t.Helper()
	var s string
	q := fmt.Sprintf(`SELECT count(*) || '/' || CAST(coalesce(sum(hash(%s)), 0) AS VARCHAR) FROM %s`, cols, from)
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

func copyFileT(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := copyFile(src, dst); err != nil {
		t.Fatal(err)
	}
}

// TestFieldConflictOfChangedMember: a member whose records changed has its
// field conflicts found anew (one resolved when the record giving the other
// value is retired), while another member's, whose records did not change,
// stay open as they were, without being compared again.
func TestFieldConflictOfChangedMember(t *testing.T) {
	cfg := firstNight(t, 300, 8)
	db := openTestDB(t, cfg)
	open := func() map[string]string { // key → member
		t.Helper()
		rows, err := db.Query(`SELECT key, member_id FROM discrepancy WHERE kind = 'field_conflict' AND resolved_run_id IS NULL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var k, m string
			if err := rows.Scan(&k, &m); err != nil {
				t.Fatal(err)
			}
			out[k] = m
		}
		return out
	}
	before := open()
	var key, member, records string
	if err := db.QueryRow(`SELECT key, member_id, record_ids FROM discrepancy
		WHERE kind = 'field_conflict' AND resolved_run_id IS NULL AND field = 'phone' AND len(string_split(record_ids, ' ')) = 2
		ORDER BY key LIMIT 1`).Scan(&key, &member, &records); err != nil {
		t.Fatalf("no phone conflict between two records among %d conflicts: %v", len(before), err)
	}
	// As a file resent without a row would: the record giving one of the
	// two phones is retired.
	last := strings.Fields(records)[1]
	if _, err := db.Exec(`UPDATE source_record SET retired_run_id = 1 WHERE record_id = ?`, last); err != nil {
		t.Fatal(err)
	}
	var digests int
	db.QueryRow(`SELECT count(*) FROM member_conflict_input`).Scan(&digests)
	db.Close()

	runAt(t, cfg, fixedNow().Add(24*time.Hour))
	db = openTestDB(t, cfg)
	after := open()
	if _, ok := after[key]; ok {
		t.Errorf("%s still open after record %s was retired", key, last)
	}
	kept := 0
	for k, m := range before {
		if m == member {
			continue
		}
		if _, ok := after[k]; !ok {
			t.Errorf("%s of %s resolved, though its records did not change", k, m)
		}
		kept++
	}
	var changed int
	if err := db.QueryRow(`SELECT count(*) FROM member_conflict_input WHERE member_id = ?`, member).Scan(&changed); err != nil || changed != 1 {
		t.Errorf("member %s has %d conflict inputs (%v), want 1", member, changed, err)
	}
	if kept == 0 || digests == 0 {
		t.Fatalf("%d other conflicts, %d members' inputs recorded: nothing tested", kept, digests)
	}
}

// TestGoldenOnlyForChangedMembers: a night makes the golden record again
// for the members whose inputs changed (a record retired; an unknown
// recorded input, as after an upgrade) and leaves the others' as stored:
// a name altered in the table stays altered where nothing changed, which
// shows it was not made again.
func TestGoldenOnlyForChangedMembers(t *testing.T) {
	cfg := firstNight(t, 200, 9)
	db := openTestDB(t, cfg)
	// Three members of two or more records: a, whose newest record is
	// retired; b, whose recorded input is forgotten; c, left alone.
	rows, err := db.Query(`SELECT member_id, name, records FROM member
		WHERE retired_run_id IS NULL AND records >= 2 ORDER BY member_id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	var ids, names []string
	var counts []int
	for rows.Next() {
		var id, name string
		var n int
		if err := rows.Scan(&id, &name, &n); err != nil {
			t.Fatal(err)
		}
		ids, names, counts = append(ids, id), append(names, name), append(counts, n)
	}
	rows.Close()
	if len(ids) != 3 {
		t.Fatalf("%d members of two records or more, want 3", len(ids))
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE source_record SET retired_run_id = 1 WHERE record_id = (SELECT max(record_id) FROM source_record
			WHERE member_id = ? AND source_kind IN ('survey', 'roster'))`, []any{ids[0]}},
		{`UPDATE member SET name = '改过', golden_input = NULL WHERE member_id = ?`, []any{ids[1]}},
		{`UPDATE member SET name = '改过' WHERE member_id = ?`, []any{ids[2]}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	runAt(t, cfg, fixedNow().Add(24*time.Hour))
	db = openTestDB(t, cfg)
	get := func(id string) (name string, records, seen int, input sql.Null[uint64]) {
		t.Helper()
		if err := db.QueryRow(`SELECT name, records, last_seen_run_id, golden_input FROM member WHERE member_id = ?`, id).
			Scan(&name, &records, &seen, &input); err != nil {
			t.Fatal(err)
		}
		return
	}
	if _, n, _, _ := get(ids[0]); n != counts[0]-1 {
		t.Errorf("%s: %d records after one of %d was retired", ids[0], n, counts[0])
	}
	if name, _, _, in := get(ids[1]); name != names[1] || !in.Valid {
		t.Errorf("%s without a recorded input: name %q (input recorded: %v), want %q made again", ids[1], name, in.Valid, names[1])
	}
	if name, _, seen, _ := get(ids[2]); name != "改过" || seen != 2 {
		t.Errorf("%s, nothing changed: name %q, last seen in run %d; want its golden record kept and run 2", ids[2], name, seen)
	}
}

// firstNight runs the pipeline once over persons generated with seed (no
// PDFs) and returns its configuration.
func firstNight(t *testing.T, persons int, seed uint64) Config {
	t.Helper()
	dir := t.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	cfg.Out.PDFFont = filepath.Join(dir, "no-font.ttf")
	runOnce(t, cfg)
	return cfg
}
