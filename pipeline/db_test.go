package pipeline

import (
	"context"
	"path/filepath"
	"testing"
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
	if err := db.limitMemory(ctx, ""); err != nil || setting() != before {
		t.Fatalf("limitMemory(\"\") = %v, setting %s, want %s unchanged", err, setting(), before)
	}
	if err := db.limitMemory(ctx, "1GB"); err != nil {
		t.Fatal(err)
	}
	if got := setting(); got == before || got != "953.6 MiB" {
		t.Errorf("memory_limit after 1GB = %s (before %s), want 953.6 MiB", got, before)
	}
}
