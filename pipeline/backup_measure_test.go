package pipeline

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestMeasureBackupMethods compares the two ways to snapshot a registry on
// a real one: a copy of the closed file (what backups do) and DuckDB's
// EXPORT DATABASE to Parquet, with the matching restore of each. It runs
// only when LIUDONG_BACKUP_MEASURE_DB names a registry (it is copied first,
// never changed):
//
//	liudong demo --persons 10000 --out /tmp/d
//	LIUDONG_BACKUP_MEASURE_DB=/tmp/d/liudong.duckdb go test ./pipeline -run TestMeasureBackupMethods -v
func TestMeasureBackupMethods(t *testing.T) {
	src := os.Getenv("LIUDONG_BACKUP_MEASURE_DB")
	if src == "" {
		t.Skip("set LIUDONG_BACKUP_MEASURE_DB to a registry file")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "r.duckdb")
	if _, _, err := copyFile(src, db); err != nil {
		t.Fatal(err)
	}

	t0 := time.Now()
	n, _, err := copyFile(db, filepath.Join(dir, "copy.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	copyTook := time.Since(t0)
	t0 = time.Now()
	if err := checkpoint(ctx, filepath.Join(dir, "copy.duckdb")); err != nil {
		t.Fatal(err)
	}
	copyOpen := time.Since(t0)
	t.Logf("copy of the closed file: %.2f s, %.1f MB; restore (copy back + open): %.2f s", copyTook.Seconds(), float64(n)/1e6, (copyTook + copyOpen).Seconds())

	conn, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	exp := filepath.Join(dir, "export")
	t0 = time.Now()
	if _, err := conn.ExecContext(ctx, `EXPORT DATABASE '`+exp+`' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	exportTook := time.Since(t0)
	conn.Close()
	var size int64
	filepath.Walk(exp, func(_ string, fi os.FileInfo, _ error) error {
		if fi != nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	imp, err := sql.Open("duckdb", filepath.Join(dir, "imported.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Close()
	t0 = time.Now()
	if _, err := imp.ExecContext(ctx, `IMPORT DATABASE '`+exp+`'`); err != nil {
		t.Fatalf("import: %v", err)
	}
	importTook := time.Since(t0)
	var members int
	imp.QueryRow(`SELECT count(*) FROM v_member`).Scan(&members)
	t.Logf("EXPORT DATABASE (parquet): %.2f s, %.1f MB; IMPORT DATABASE: %.2f s (%d members back)", exportTook.Seconds(), float64(size)/1e6, importTook.Seconds(), members)
}
