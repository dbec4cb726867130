package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/ingest"
	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/rules"
)

// fixedNow is the reference time of every test run.
func fixedNow() time.Time { return time.Date(2026, 11, 25, 2, 0, 0, 0, time.FixedZone("CST", 8*3600)) }

// testConfig is the default configuration with every path inside dir.
func testConfig(dir string) Config {
	cfg := DefaultConfig()
	cfg.Inbox.Dir = filepath.Join(dir, "inbox")
	cfg.Database = filepath.Join(dir, "liudong.duckdb")
	cfg.Out.Dir = filepath.Join(dir, "out")
	return cfg
}

func runOnce(t *testing.T, cfg Config) *output.Summary {
	t.Helper()
	return runAt(t, cfg, fixedNow())
}

// runAt runs the pipeline with the clock reading now.
func runAt(t *testing.T, cfg Config, now time.Time) *output.Summary {
	t.Helper()
	sum, err := Run(context.Background(), cfg, Options{Version: "test", Log: zerolog.Nop(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum
}

func openTestDB(t *testing.T, cfg Config) *DB {
	t.Helper()
	db, err := OpenDB(context.Background(), cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// registryDigest summarises every current record, finding and file so two
// registries can be compared.
func registryDigest(t *testing.T, db *DB) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT count(*), coalesce(CAST(sum(hash(record_id, file_path, sheet, row_number, status, reject_reason, raw, extra, name, id_number, id_status, phone, birth_date, community, origin_branch_key, retired_run_id IS NULL, member_id)) AS VARCHAR), '0') FROM source_record`,
		`SELECT count(*), coalesce(CAST(sum(hash(member_id, name, id_number, status, community, origin_branch_key, records)) AS VARCHAR), '0') FROM v_member`,
		`SELECT count(*), coalesce(CAST(sum(hash(discrepancy_id, kind, record_ids, value_set, resolved_run_id IS NULL)) AS VARCHAR), '0') FROM v_discrepancy`,
		`SELECT count(*), coalesce(CAST(sum(hash(record_id, location, code, severity, message)) AS VARCHAR), '0') FROM finding`,
		`SELECT count(*), coalesce(CAST(sum(hash(file_id, path, sha256, status, quarantine_code, retired_run_id IS NULL)) AS VARCHAR), '0') FROM source_file`,
	} {
		var n int
		var h string
		if err := db.QueryRow(q).Scan(&n, &h); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, fmt.Sprintf("%d/%s", n, h))
	}
	return strings.Join(out, " ")
}

// writeCSV writes a small UTF-8 survey CSV into the inbox.
func writeCSV(t *testing.T, cfg Config, rel, body string) {
	t.Helper()
	p := filepath.Join(cfg.Inbox.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func countRecords(t *testing.T, db *DB, where string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM source_record WHERE ` + where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const surveyCSV = "序号,姓名,身份证号,联系电话,所在社区\n" +
	"1,张伟,430524198503121236,13812345678,同心社区\n" +
	"2,李娜,43052419900101002X,13912345678,同心\n"

func TestChangedFileSupersedesAndRemovedFileRetires(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
	writeCSV(t, cfg, "surveys/同心社区（副本）.csv", surveyCSV)
	sum := runOnce(t, cfg)
	if sum.Totals.FilesLoaded != 1 || sum.Totals.FilesDuplicate != 1 {
		t.Fatalf("first run: loaded %d, duplicate %d; want 1 and 1", sum.Totals.FilesLoaded, sum.Totals.FilesDuplicate)
	}
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV+"3,王芳,,13712345678,同心社区\n")
	sum = runOnce(t, cfg)
	if sum.Totals.FilesLoaded != 2 || sum.Totals.FilesSuperseded != 1 {
		t.Fatalf("second run: loaded %d, superseded %d; want 2 (the new version and the copy) and 1", sum.Totals.FilesLoaded, sum.Totals.FilesSuperseded)
	}
	db := openTestDB(t, cfg)
	if n := countRecords(t, db, `retired_run_id = 2`); n != 2 {
		t.Errorf("retired records = %d, want the 2 of the first version", n)
	}
	// The copy still holds the first version, which is now read from it.
	if n := countRecords(t, db, `retired_run_id IS NULL`); n != 5 {
		t.Errorf("current records = %d, want 3 of the new version + 2 of the copy", n)
	}
	db.Close()

	if err := os.Remove(filepath.Join(cfg.Inbox.Dir, "surveys", "同心社区.csv")); err != nil {
		t.Fatal(err)
	}
	sum = runOnce(t, cfg)
	if sum.Totals.FilesRemoved != 1 {
		t.Errorf("third run: removed %d, want 1", sum.Totals.FilesRemoved)
	}
	db = openTestDB(t, cfg)
	if n := countRecords(t, db, `retired_run_id IS NULL`); n != 2 {
		t.Errorf("current records after removal = %d, want the copy's 2", n)
	}
	if n := countRecords(t, db, `true`); n != 7 {
		t.Errorf("records kept = %d, want all 7 (retired, not deleted)", n)
	}
}

// TestLoadGroupIsAllOrNothing: a loader commits a group of files at once.
// Until it does, nothing of the group is stored and its files stay pending
// (a failed load, a crash); a file quarantined inside a group leaves none of
// its rows while the others of the group are stored.
func TestLoadGroupIsAllOrNothing(t *testing.T) {
	csvs := []string{
		"序号,姓名,身份证号,联系电话,所在社区\n1,张伟,430524198503121236,13812345678,同心社区\n2,李娜,43052419900101002X,13912345678,同心\n",
		"序号,姓名,联系电话,所在社区\n1,王芳,13712345678,宝龙社区\n2,刘洋,13612345678,宝龙\n3,陈静,13512345678,宝龙\n",
		"姓名,所在社区\n赵磊,龙东社区\n",
	}
	type fileRead func(plannedFile, Config, *rules.Cleaner, func(*ingest.Record) error) (*ingest.Result, error)
	dup := func(pf plannedFile, cfg Config, c *rules.Cleaner, sink func(*ingest.Record) error) (*ingest.Result, error) {
		// The reader hands the first record twice: the two collide on the
		// primary key when the appender flushes.
		var first *ingest.Record
		return readFile(pf, cfg, c, func(r *ingest.Record) error {
			if first == nil {
				first = r
			}
			if err := sink(r); err != nil {
				return err
			}
			return sink(first)
		})
	}
	quarantine := func(pf plannedFile, cfg Config, c *rules.Cleaner, sink func(*ingest.Record) error) (*ingest.Result, error) {
		// Found damaged after two of its rows were appended.
		n := 0
		_, err := readFile(pf, cfg, c, func(r *ingest.Record) error {
			if n++; n > 2 {
				return &ingest.QuarantineError{Code: "damaged", Reason: "test"}
			}
			return sink(r)
		})
		return nil, err
	}
	for _, tc := range []struct {
		name       string
		reads      []fileRead // one per file; nil: read as it is
		commit     bool
		wantErr    bool   // the group fails (not a quarantine): its last load, or its commit if the load did not
		wantStatus string // of each file after the group, by index: l loaded, p pending
		wantRows   int
	}{
		{"committed group", []fileRead{nil, nil, nil}, true, false, "lll", 6},
		{"no commit (a crash)", []fileRead{nil, nil, nil}, false, false, "ppp", 0},
		{"a failed load loses the group", []fileRead{nil, dup}, true, true, "ppp", 0},
		{"a quarantined file inside a group", []fileRead{nil, quarantine, nil}, true, false, "lpl", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := testConfig(dir)
			for i, c := range csvs {
				writeCSV(t, cfg, fmt.Sprintf("surveys/%c.csv", 'a'+i), c)
			}
			ctx := context.Background()
			db := openTestDB(t, cfg)
			files, _, err := scanInbox(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, status) VALUES (1, now(), 'running')`); err != nil {
				t.Fatal(err)
			}
			plan, err := db.plan(ctx, 1, files)
			if err != nil {
				t.Fatal(err)
			}
			cleaner := mustCleaner(t, cfg)
			l, err := db.newLoader(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			l.batch = 2     // three files: the manifest in two UPDATEs
			failed := false // the group: a load or the commit
			for i, read := range tc.reads {
				if read == nil {
					read = readFile
				}
				_, err := l.load(ctx, plan[i], func(sink func(*ingest.Record) error) (*ingest.Result, error) {
					return read(plan[i], cfg, cleaner, sink)
				})
				var q *ingest.QuarantineError
				switch {
				case errors.As(err, &q):
				case err != nil && (!tc.wantErr || i != len(tc.reads)-1):
					t.Fatalf("load %s: %v", plan[i].Rel, err)
				case err != nil:
					failed = true
				}
			}
			// A load that failed leaves the group unusable: the caller does not
			// commit it. Rows inserted at a flush may fail only at the commit.
			if tc.commit && !failed {
				err := l.commit(ctx)
				switch {
				case err != nil && !tc.wantErr:
					t.Fatal(err)
				case err != nil:
					failed = true
				}
			}
			if failed != tc.wantErr {
				t.Fatalf("group failed: %v, want %v", failed, tc.wantErr)
			}
			if err := l.close(ctx); err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.wantStatus {
				var status string
				var n int
				db.QueryRow(`SELECT status, (SELECT count(*) FROM source_record r WHERE r.file_id = f.file_id)
					+ (SELECT count(*) FROM finding g WHERE g.file_id = f.file_id)
					FROM source_file f WHERE file_id = ?`, plan[i].FileID).Scan(&status, &n)
				if wantStatus := map[rune]string{'l': "loaded", 'p': "pending"}[want]; status != wantStatus {
					t.Errorf("%s: status %q, want %q", plan[i].Rel, status, wantStatus)
				}
				if want == 'p' && n != 0 {
					t.Errorf("%s: %d records and findings of a file not loaded", plan[i].Rel, n)
				}
				if want == 'l' {
					// The manifest says what was read, as the records do.
					var format string
					var accepted, records, loadedRun int
					db.QueryRow(`SELECT format, rows_accepted, loaded_run_id,
						(SELECT count(*) FROM source_record r WHERE r.file_id = f.file_id AND r.status = 'accepted')
						FROM source_file f WHERE file_id = ?`, plan[i].FileID).Scan(&format, &accepted, &loadedRun, &records)
					if format != "csv" || accepted != records || accepted == 0 || loadedRun != 1 {
						t.Errorf("%s: manifest format %q, %d accepted, run %d; %d records", plan[i].Rel, format, accepted, loadedRun, records)
					}
				}
			}
			if n := countRecords(t, db, `true`); n != tc.wantRows {
				t.Errorf("records = %d, want %d", n, tc.wantRows)
			}
			// A rerun reads what is pending under the same file_id.
			db.Close()
			runOnce(t, cfg)
			db = openTestDB(t, cfg)
			if n := countRecords(t, db, `true`); n != 6 {
				t.Errorf("records after rerun = %d, want 6", n)
			}
			var id int64
			db.QueryRow(`SELECT file_id FROM v_source_file WHERE path = 'surveys/b.csv'`).Scan(&id)
			if id != plan[1].FileID {
				t.Errorf("file_id after rerun = %d, want %d", id, plan[1].FileID)
			}
		})
	}
}

func mustCleaner(t *testing.T, cfg Config) *rules.Cleaner {
	t.Helper()
	c, err := rules.NewCleaner(cfg.Rules, fixedNow())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRunDateIsTheStreets: a run's date is the date in the street's time
// zone (config timezone) when it starts, whatever zone the clock reads in.
// The same instant, 2026-12-31 18:30 UTC, is 2027-01-01 02:30 in Shanghai
// and 2026-12-31 13:30 in New York: it dates the run, names its output
// folder, is the year counted and certificated, and is the day a member
// with no contact was registered (their last contact).
func TestRunDateIsTheStreets(t *testing.T) {
	newYearsNight := time.Date(2026, 12, 31, 18, 30, 0, 0, time.UTC) // as a machine on UTC reads it
	tests := []struct {
		name, zone   string
		day, shown   string // the run's date; its start as summary.md shows it
		year         int
		activities   int    // 张伟's activities in the year up to the run's date
		lastActivity string // and his last one
	}{
		{"Shanghai: already the new year", "Asia/Shanghai", "2027-01-01", "2027-01-01 02:30:00", 2027, 1, "2027-01-01"},
		{"New York: still the old year", "America/New_York", "2026-12-31", "2026-12-31 13:30:00", 2026, 2, "2026-12-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t.TempDir())
			cfg.Timezone = tt.zone
			cfg.Out.PDFFont = filepath.Join(t.TempDir(), "no-font.ttf")
			writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
			writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,身份证号,活动日期,活动类型,时长\n"+
				"张伟,430524198503121236,2026-12-29,党课,2\n"+
				"张伟,430524198503121236,2026-12-30,志愿服务,2\n"+
				"张伟,430524198503121236,2027-01-01,党课,2\n")
			sum := runAt(t, cfg, newYearsNight)
			if sum.Status == RunFailed {
				t.Fatalf("run failed: %s", sum.Error)
			}
			if !sum.Started.Equal(newYearsNight) || sum.Started.Location().String() != tt.zone {
				t.Errorf("summary started %v, want the same instant in %s", sum.Started, tt.zone)
			}
			if sum.Certificates == nil || sum.Certificates.Year != tt.year || sum.Certificates.Certificates != 1 {
				t.Errorf("certificates %+v, want 1 for %d", sum.Certificates, tt.year)
			}
			md, err := os.ReadFile(filepath.Join(cfg.Out.Dir, tt.day, "summary.md"))
			if err != nil {
				t.Fatalf("the output folder is not out/%s: %v", tt.day, err)
			}
			if want := "开始：" + tt.shown; !strings.Contains(string(md), want) {
				t.Errorf("summary.md lacks %q:\n%s", want, md)
			}
			if reg := dumpWorkbook(t, filepath.Join(cfg.Out.Dir, tt.day, output.RegistryFile)); !strings.Contains(reg, "运行日期："+tt.day) {
				t.Errorf("the registry workbook is not dated %s:\n%s", tt.day, reg)
			}

			db := openTestDB(t, cfg)
			var runDay string
			if err := db.QueryRow(`SELECT CAST(run_day AS VARCHAR) FROM runs WHERE run_id = ?`, sum.RunID).Scan(&runDay); err != nil {
				t.Fatal(err)
			}
			if runDay != tt.day {
				t.Errorf("runs.run_day = %s, want %s", runDay, tt.day)
			}
			members := []struct {
				name, firstSeen, lastContact, lastActivity string
				activities                                 int
			}{
				{"张伟", tt.day, tt.lastActivity, tt.lastActivity, tt.activities},
				{"李娜", tt.day, tt.day, "", 0}, // no contact: registered by this run
			}
			for _, m := range members {
				var firstSeen, lastSeen, lastContact, lastActivity string
				var activities int
				if err := db.QueryRow(`SELECT CAST(first_seen AS VARCHAR), CAST(last_seen AS VARCHAR), CAST(last_contact_date AS VARCHAR),
						coalesce(CAST(last_activity_date AS VARCHAR), ''), activities_year FROM v_member WHERE name = ?`, m.name).
					Scan(&firstSeen, &lastSeen, &lastContact, &lastActivity, &activities); err != nil {
					t.Fatalf("%s: %v", m.name, err)
				}
				if firstSeen != m.firstSeen || lastSeen != m.firstSeen || lastContact != m.lastContact ||
					lastActivity != m.lastActivity || activities != m.activities {
					t.Errorf("%s: first seen %s, last seen %s, last contact %s, last activity %q, %d activities this year; "+
						"want %s, %s, %s, %q, %d", m.name, firstSeen, lastSeen, lastContact, lastActivity, activities,
						m.firstSeen, m.firstSeen, m.lastContact, m.lastActivity, m.activities)
				}
			}
		})
	}
}

// TestFillRunDays: runs recorded before migration 0010 get the date of
// their start (UTC) in the street's zone; a run that has its day keeps it.
func TestFillRunDays(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t, testConfig(t.TempDir()))
	tests := []struct {
		started time.Time
		day     string // recorded already; "" for a run from before 0010
		want    string
	}{
		{time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), "", "2026-11-25"},   // 02:00 in Shanghai
		{time.Date(2026, 11, 25, 15, 59, 59, 0, time.UTC), "", "2026-11-25"}, // 23:59:59
		{time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC), "", "2026-11-26"},   // midnight
		{time.Date(2026, 12, 31, 18, 30, 0, 0, time.UTC), "", "2027-01-01"},
		{time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), "2026-11-24", "2026-11-24"},
	}
	for i, tt := range tests {
		var day any
		if tt.day != "" {
			day = tt.day
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, run_day, status) VALUES (?, ?, CAST(? AS DATE), 'ok')`,
			i+1, tt.started, day); err != nil {
			t.Fatal(err)
		}
	}
	loc, err := testConfig("").Location()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.fillRunDays(ctx, loc); err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		var got string
		if err := db.QueryRow(`SELECT CAST(run_day AS VARCHAR) FROM runs WHERE run_id = ?`, i+1).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("run started %s (day %q): run_day %s, want %s", tt.started.Format(time.RFC3339), tt.day, got, tt.want)
		}
	}
}

func TestIngestGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		name                string
		before, during, end int
	}{
		{"Go's default is raised for ingest", 100, ingestGCPercent, 100},
		{"the operator's GOGC stands", 50, 50, 50},
		{"GOGC=off stands", -1, -1, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(tc.before)
			restore := ingestGC()
			if got := debug.SetGCPercent(tc.during); got != tc.during {
				t.Errorf("during ingest: GC percent %d, want %d", got, tc.during)
			}
			restore()
			if got := debug.SetGCPercent(100); got != tc.end {
				t.Errorf("after ingest: GC percent %d, want %d", got, tc.end)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"2GB", 2e9, false},
		{"512MB", 512e6, false},
		{"1.5GiB", 3 << 29, false},
		{"100 KiB", 100 << 10, false},
		{"7B", 7, false},
		{"2 gigs", 0, true},
		{"", 0, true},
		{"-1GB", 0, true},
		{"1e30TB", 0, true},
		{"99999999999TiB", 0, true},
	} {
		got, err := parseSize(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestLimitGoMemory(t *testing.T) {
	const unset = math.MaxInt64 // Go's default: no limit
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(unset))
	noEnv := func(string) string { return "" }
	for _, tc := range []struct {
		name   string
		limit  string
		getenv func(string) string
		during int64
	}{
		{"go_memory_limit is the limit during the run", "2GB", noEnv, 2e9},
		{"empty leaves Go's own", "", noEnv, unset},
		{"the operator's GOMEMLIMIT stands", "2GB", func(k string) string {
			if k == "GOMEMLIMIT" {
				return "3GiB"
			}
			return ""
		}, unset},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(unset)
			restore := limitGoMemory(tc.limit, tc.getenv)
			if got := debug.SetMemoryLimit(-1); got != tc.during {
				t.Errorf("during the run: memory limit %d, want %d", got, tc.during)
			}
			restore()
			if got := debug.SetMemoryLimit(-1); got != unset {
				t.Errorf("after the run: memory limit %d, want %d (restored)", got, int64(unset))
			}
		})
	}
}
