package pipeline

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baolong/liudong/sampledata"
)

// TestSchemaHasEveryField fails when a canonical field is added to package
// rules without a source_record column (a new migration is needed).
func TestSchemaHasEveryField(t *testing.T) {
	db, err := OpenDB(context.Background(), filepath.Join(t.TempDir(), "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cols := map[string]bool{}
	rows, err := db.Query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'source_record'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols[c] = true
	}
	rows.Close()
	for _, c := range append(append([]string{}, provenanceColumns...), fieldColumns(storedFields())...) {
		if !cols[c] {
			t.Errorf("source_record has no column %s", c)
		}
	}
	for _, v := range []string{"v_source_record", "v_finding", "v_source_file", "v_member", "v_discrepancy", "v_link"} {
		if _, err := db.Exec(`SELECT * FROM ` + v + ` LIMIT 0`); err != nil {
			t.Errorf("view %s: %v", v, err)
		}
	}
}

// TestMigrationsApplyOnce opens the same file twice: the second open applies
// nothing and the version stays.
func TestMigrationsApplyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		db, err := OpenDB(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := loadMigrations()
		if v != ms[len(ms)-1].version {
			t.Errorf("open %d: schema version %d, want %d", i, v, ms[len(ms)-1].version)
		}
		var n int
		db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
		if n != len(ms) {
			t.Errorf("open %d: %d migrations recorded, want %d", i, n, len(ms))
		}
		db.Close()
	}
}

// TestLimitMemory: database_memory_limit becomes DuckDB's memory_limit; ""
// leaves DuckDB's default.
func TestLimitMemory(t *testing.T) {
	ctx := context.Background()
	db, err := OpenDB(ctx, filepath.Join(t.TempDir(), "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	setting := func() string {
		var s string
		if err := db.QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := setting()
	if err := db.limitMemory(ctx, "database_memory_limit", ""); err != nil || setting() != before {
		t.Fatalf("limitMemory(\"\") = %v, setting %s, want %s unchanged", err, setting(), before)
	}
	if err := db.limitMemory(ctx, "database_memory_limit", "1GB"); err != nil {
		t.Fatal(err)
	}
	if got := setting(); got == before || got != "953.6 MiB" {
		t.Errorf("memory_limit after 1GB = %s (before %s), want 953.6 MiB", got, before)
	}
	// Lowered for the outputs, as a run does before writing them.
	if err := db.limitMemory(ctx, "database_output_memory_limit", "512MB"); err != nil {
		t.Fatal(err)
	}
	if got := setting(); got != "488.2 MiB" {
		t.Errorf("memory_limit after 512MB = %s, want 488.2 MiB", got)
	}
	if err := db.limitMemory(ctx, "database_output_memory_limit", "lots"); err == nil ||
		!strings.Contains(err.Error(), "database_output_memory_limit") {
		t.Errorf("limitMemory(lots) = %v, want an error naming database_output_memory_limit", err)
	}
}

// TestLinkLevelsMigration takes a registry back to link's JSON parts (as
// migrations up to 0012 left it) and applies 0013 again: every pair keeps
// its levels, adjustments and v_link parts, so a registry upgraded in place
// reads the same waterfalls as one matched after the upgrade.
func TestLinkLevelsMigration(t *testing.T) {
	cfg := runParquetSample(t)
	const pairs = `SELECT l_record_id, r_record_id, CAST(levels AS VARCHAR), CAST(tf_adjustments AS VARCHAR),
		CAST(v.parts AS VARCHAR), v.weight FROM link JOIN v_link v USING (l_record_id, r_record_id) ORDER BY ALL`
	db := openTestDB(t, cfg)
	before := dumpCSV(t, db.DB, pairs)
	var tf, n int
	db.QueryRow(`SELECT count(*), count(tf_adjustments) FROM link`).Scan(&n, &tf)
	if n < 20 || tf == 0 || tf == n {
		t.Fatalf("%d pairs, %d with a term-frequency adjustment: the sample needs both kinds", n, tf)
	}
	mustExec(t, db.DB,
		`CREATE TABLE link_json AS SELECT run_id, l_record_id, r_record_id, blocking_rule, weight, probability,
			CAST(parts AS JSON) AS parts, matcher_decision AS decision, prior FROM v_link`,
		`DROP VIEW v_link`,
		`DROP TABLE link`,
		`ALTER TABLE link_json RENAME TO link`,
		`ALTER TABLE match_param DROP COLUMN comparison_index`,
		migrationSQL(t, 5),
		`DELETE FROM schema_migrations WHERE version = 13`,
	)
	db = reopen(t, cfg, db) // applies 0013
	if after := dumpCSV(t, db.DB, pairs); after != before {
		t.Errorf("after 0013 the pairs read %s", firstDiff(before, after))
	}
}

// TestFindingCountsMigration takes a registry back to v_source_record
// counting findings by grouping them (as 0011 left it, without the count
// columns) and applies 0014 again: every record reads the same, its counts
// included, and the loader's counts equal the findings.
func TestFindingCountsMigration(t *testing.T) {
	cfg := runParquetSample(t)
	const records = `SELECT * EXCLUDE (raw, extra), CAST(raw AS VARCHAR), CAST(extra AS VARCHAR) FROM v_source_record ORDER BY record_id`
	db := openTestDB(t, cfg)
	var wrong, errs, warns int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE r.error_count <> coalesce(f.errors, 0) OR r.warning_count <> coalesce(f.warnings, 0)),
			sum(r.error_count), sum(r.warning_count)
		FROM source_record r LEFT JOIN (
			SELECT record_id, count(*) FILTER (WHERE severity = 'error') AS errors,
			       count(*) FILTER (WHERE severity = 'warning') AS warnings
			FROM finding GROUP BY record_id) f USING (record_id)`).Scan(&wrong, &errs, &warns); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 || errs == 0 || warns == 0 {
		t.Fatalf("%d records whose counts differ from their findings (%d errors, %d warnings in all)", wrong, errs, warns)
	}
	before := dumpCSV(t, db.DB, records)
	mustExec(t, db.DB,
		migrationSQL(t, 11),
		`ALTER TABLE source_record DROP COLUMN error_count`,
		`ALTER TABLE source_record DROP COLUMN warning_count`,
		`DELETE FROM schema_migrations WHERE version = 14`,
	)
	if back := dumpCSV(t, db.DB, records); back != before {
		t.Fatalf("the registry taken back to 0011 reads %s", firstDiff(before, back))
	}
	db = reopen(t, cfg, db) // applies 0014
	if after := dumpCSV(t, db.DB, records); after != before {
		t.Errorf("after 0014 the records read %s", firstDiff(before, after))
	}
}

// TestContactNoKeyMigration takes a registry back to contact with its
// PRIMARY KEY and its weight, margin and candidates on every record (as 0006
// made it) and applies 0015, 0019 and 0020 again: every contact row, its
// identity's weight, margin and candidates and the views over them read
// the same, and a run afterwards still leaves one row per current contact
// record, and one identity row per identity.
func TestContactNoKeyMigration(t *testing.T) {
	cfg := runParquetSample(t)
	db := openTestDB(t, cfg)
	const contacts = `SELECT c.* EXCLUDE (key_id), ci.weight, ci.margin, CAST(ci.candidates AS VARCHAR)
		FROM contact c LEFT JOIN contact_identity ci USING (key_id) ORDER BY record_id`
	const views = `SELECT (SELECT count(*) FROM v_contact), (SELECT count(*) FROM v_activity),
		(SELECT sum(activities_year) FROM v_member)`
	before, beforeViews := dumpCSV(t, db.DB, contacts), dumpCSV(t, db.DB, views)
	if !strings.Contains(before, "linked") {
		t.Fatalf("the sample linked no contact records")
	}
	mustExec(t, db.DB,
		`CREATE TABLE contact_keyed (
			record_id BIGINT PRIMARY KEY, source_kind VARCHAR NOT NULL, outcome VARCHAR NOT NULL, member_id VARCHAR,
			weight DOUBLE, margin DOUBLE, candidates JSON, activity_type VARCHAR, activity_day DATE, duplicate_of BIGINT)`,
		`INSERT INTO contact_keyed SELECT c.record_id, c.source_kind, c.outcome, c.member_id, ci.weight, ci.margin,
			ci.candidates, c.activity_type, c.activity_day, c.duplicate_of
			FROM contact c LEFT JOIN contact_identity ci USING (key_id)`,
		`DROP TABLE contact`,
		`DROP TABLE contact_identity`,
		`ALTER TABLE contact_keyed RENAME TO contact`,
		`DELETE FROM schema_migrations WHERE version IN (15, 19, 20)`,
	)
	db = reopen(t, cfg, db) // applies 0015, 0019 and 0020
	if after := dumpCSV(t, db.DB, contacts); after != before {
		t.Errorf("after 0015, 0019 and 0020 the contacts read %s", firstDiff(before, after))
	}
	if after := dumpCSV(t, db.DB, views); after != beforeViews {
		t.Errorf("after 0015, 0019 and 0020 the views read %s, before %s", after, beforeViews)
	}
	var keyed int
	if err := db.QueryRow(`SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'contact' AND constraint_type = 'PRIMARY KEY'`).Scan(&keyed); err != nil {
		t.Fatal(err)
	}
	if keyed != 0 {
		t.Errorf("contact still has its primary key")
	}
	db.Close()

	runOnce(t, cfg)
	db = openTestDB(t, cfg)
	var rows, distinct, current, identities, keys, orphans int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT record_id),
			(SELECT count(*) FROM source_record WHERE retired_run_id IS NULL AND status = 'accepted'
			   AND source_kind IN ('activity', 'counsellor', 'visit')),
			(SELECT count(*) FROM contact_identity), (SELECT count(DISTINCT key_id) FROM contact_identity),
			(SELECT count(*) FROM contact_identity WHERE key_id NOT IN (SELECT key_id FROM contact))
		FROM contact`).Scan(&rows, &distinct, &current, &identities, &keys, &orphans); err != nil {
		t.Fatal(err)
	}
	if rows != distinct || rows != current {
		t.Errorf("contact has %d rows for %d records; %d current contact records", rows, distinct, current)
	}
	if identities != keys || orphans != 0 || identities == 0 || identities >= rows {
		t.Errorf("contact_identity has %d rows for %d identities, %d of no record (%d contact records)",
			identities, keys, orphans, rows)
	}
}

// mustExec runs each statement on db, failing the test at the first error.
func mustExec(t *testing.T, db *sql.DB, statements ...string) {
	t.Helper()
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
}

// migrationSQL is the embedded migration of version.
func migrationSQL(t *testing.T, version int) string {
	t.Helper()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version == version {
			return m.sql
		}
	}
	t.Fatalf("migration %04d not found", version)
	return ""
}

// reopen closes db and opens the registry again, which applies the
// migrations it lacks.
func reopen(t *testing.T, cfg Config, db *DB) *DB {
	t.Helper()
	db.Close()
	return openTestDB(t, cfg)
}

// TestRegistryOfDuckDB1 runs on a registry in the file format DuckDB 1.x
// writes (storage v1.0.0+), which DuckDB 2.0 keeps for a file it did not
// create, as every registry made before the upgrade is. In that format 2.0
// stores a view without the names of named arguments, so a view made with
// struct_insert(…, tf_adjustment := …) fails when the next run reads it.
// Its v_link is then made again as DuckDB 1.x left it (arrow lambdas, which
// 2.0 refuses), and migration 0021 must make it readable again, with the
// same rows.
func TestRegistryOfDuckDB1(t *testing.T) {
	dir := t.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: 80, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	if err := os.MkdirAll(filepath.Dir(cfg.Database), 0o755); err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("duckdb", cfg.Database+"?storage_compatibility_version=v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	var format string
	if err := old.QueryRow(`SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&format); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if format != "v1.0.0+" {
		t.Fatalf("the registry is in format %q, not DuckDB 1.x's", format)
	}
	runOnce(t, cfg)
	runOnce(t, cfg) // reads the views the first run stored

	db := openTestDB(t, cfg)
	const links = `SELECT l_record_id, r_record_id, parts FROM v_link ORDER BY ALL`
	before := dumpCSV(t, db.DB, links)
	if !strings.Contains(before, "tf_adjustment") {
		t.Fatalf("the sample's v_link has no parts: %.200s", before)
	}
	text, err := migrations.ReadFile("migrations/0013_link_levels.sql")
	if err != nil {
		t.Fatal(err)
	}
	view := string(text[strings.Index(string(text), "CREATE OR REPLACE VIEW v_link"):])
	view = strings.ReplaceAll(view, "lambda i:", "i ->")
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`SET lambda_syntax = 'ENABLE_SINGLE_ARROW'`, view, `RESET lambda_syntax`,
		`DELETE FROM schema_migrations WHERE version = 21`} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("make DuckDB 1.x's view: %v", err)
		}
	}
	if _, err := conn.ExecContext(context.Background(), `SELECT parts FROM v_link`); err == nil {
		t.Errorf("DuckDB 1.x's view binds: the test no longer shows what 0021 mends")
	}
	conn.Close()
	db = reopen(t, cfg, db) // applies 0021
	if after := dumpCSV(t, db.DB, links); after != before {
		t.Errorf("after 0021 v_link reads %s", firstDiff(before, after))
	}
	db.Close()
	runOnce(t, cfg)
}
