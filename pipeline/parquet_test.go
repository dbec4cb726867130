package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/sampledata"
)

// TestParquetExport runs a small generated inbox and reads the run folder's
// Parquet back: the same rows per community as v_member and v_source_record,
// every file in manifest.json with its SHA-256, and the same bytes on a
// rerun.
func TestParquetExport(t *testing.T) {
	cfg := runParquetSample(t)
	runDir := filepath.Join(cfg.Out.Dir, fixedNow().Format("2006-01-02"))
	first := readManifestFiles(t, runDir)

	db := openTestDB(t, cfg)
	read := func(table string) string {
		return `read_parquet(` + sqlString(filepath.Join(runDir, ParquetDir, table, "**", "*.parquet")) + `, hive_partitioning = true)`
	}
	// Source records come without their member, which record_member gives.
	exports := []struct{ view, table, read string }{
		{"v_member", "member", read("member")},
		{"v_source_record", "source_record", `(SELECT s.*, m.member_id FROM ` + read("source_record") + ` s
			JOIN ` + read("record_member") + ` m USING (record_id))`},
		{"v_source_record", "record_member", read("record_member")},
	}
	for _, c := range exports {
		t.Run(c.table, func(t *testing.T) {
			want := countsByCommunity(t, db, `SELECT community, count(*) FROM `+c.view+` GROUP BY ALL`)
			got := countsByCommunity(t, db, `SELECT community, count(*) FROM `+c.read+` GROUP BY ALL`)
			if len(want) < 2 {
				t.Fatalf("%s: only %d communities; the sample should have several", c.view, len(want))
			}
			if !equalCounts(got, want) {
				t.Errorf("rows per community in parquet %v, in %s %v", got, c.view, want)
			}
			// Every column of the view survives (community from the path).
			var viewCols, fileCols int
			if err := db.QueryRow(`SELECT count(*) FROM (DESCRIBE SELECT * FROM ` + c.view + `)`).Scan(&viewCols); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow(`SELECT count(*) FROM (DESCRIBE SELECT * FROM ` + c.read + `)`).Scan(&fileCols); err != nil {
				t.Fatal(err)
			}
			if c.table != "record_member" && fileCols != viewCols {
				t.Errorf("parquet has %d columns, %s %d", fileCols, c.view, viewCols)
			}
			// The same rows, each record with its member.
			if c.table != "member" {
				cols := "record_id, member_id, community, name, status, file_path"
				if c.table == "record_member" {
					cols = "record_id, member_id, community"
				}
				var diff int
				if err := db.QueryRow(`SELECT count(*) FROM ((SELECT ` + cols + ` FROM ` + c.view + ` EXCEPT ALL SELECT ` + cols + ` FROM ` + c.read + `)
					UNION ALL (SELECT ` + cols + ` FROM ` + c.read + ` EXCEPT ALL SELECT ` + cols + ` FROM ` + c.view + `))`).Scan(&diff); err != nil {
					t.Fatal(err)
				}
				if diff != 0 {
					t.Errorf("%d rows differ between the export and %s", diff, c.view)
				}
			}
			// One folder per community, and none other.
			entries, err := os.ReadDir(filepath.Join(runDir, ParquetDir, c.table))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(want) {
				t.Errorf("%d partition folders, %d communities", len(entries), len(want))
			}
		})
	}

	// manifest.json lists every file on disk with its hash, parquet included.
	onDisk, err := filesUnder(runDir)
	if err != nil {
		t.Fatal(err)
	}
	parquet := 0
	for _, rel := range onDisk {
		if rel == "manifest.json" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(runDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if first[rel] != hex.EncodeToString(sum[:]) {
			t.Errorf("manifest.json has %s as %q, file hashes to %x", rel, first[rel], sum)
		}
		if strings.HasPrefix(rel, ParquetDir+"/") {
			parquet++
		}
	}
	if len(first) != len(onDisk)-1 {
		t.Errorf("manifest.json lists %d files, the folder has %d besides it", len(first), len(onDisk)-1)
	}
	if parquet == 0 {
		t.Fatal("no parquet files written")
	}
	db.Close()

	// A rerun on the same inbox and registry links every partition from the
	// previous folder.
	runOnce(t, cfg)
	second := readManifestFiles(t, runDir)
	for name, h := range first {
		if strings.HasPrefix(name, ParquetDir+"/") && second[name] != h {
			t.Errorf("rerun changed %s", name)
		}
	}

	// With nothing to reuse (no manifest in out/latest), the partitions are
	// written anew in the same bytes.
	if err := os.Remove(filepath.Join(cfg.Out.Dir, "latest", "manifest.json")); err != nil {
		t.Fatal(err)
	}
	runOnce(t, cfg)
	third := readManifestFiles(t, runDir)
	for name, h := range first {
		if strings.HasPrefix(name, ParquetDir+"/") && third[name] != h {
			t.Errorf("a fresh export wrote %s differently", name)
		}
	}
}

// TestParquetReusesUnchangedPartitions: when a record's member changes,
// only its community's record_member file is written again; when a
// record's content changes, only the source_record file of its community
// and group of inbox files. Every other file is linked from the previous
// folder, and what is read back is the registry.
func TestParquetReusesUnchangedPartitions(t *testing.T) {
	cfg := runParquetSample(t)
	prev, err := filepath.EvalSymlinks(filepath.Join(cfg.Out.Dir, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t, cfg)
	ctx := context.Background()
	var changed string
	if err := db.QueryRow(`SELECT community FROM source_record WHERE retired_run_id IS NULL AND community IS NOT NULL
		GROUP BY ALL ORDER BY count(*) DESC LIMIT 1`).Scan(&changed); err != nil {
		t.Fatal(err)
	}
	var moved, edited int64
	if err := db.QueryRow(`SELECT min(record_id), max(record_id) FROM source_record
		WHERE retired_run_id IS NULL AND community = ?`, changed).Scan(&moved, &edited); err != nil {
		t.Fatal(err)
	}
	if moved/parquetChunkSpan == edited/parquetChunkSpan {
		t.Fatalf("%s's records are all in one group of inbox files; the sample should spread them", changed)
	}
	if _, err := db.Exec(`UPDATE source_record SET member_id = 'M-TEST' WHERE record_id = ?`, moved); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE source_record SET remark = 'changed' WHERE record_id = ?`, edited); err != nil {
		t.Fatal(err)
	}
	f, err := output.NewFolder(cfg.Out.Dir, "next", 99)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.exportParquet(ctx, f, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	next, err := f.Commit()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filesUnder(filepath.Join(next, ParquetDir))
	if err != nil {
		t.Fatal(err)
	}
	folder := "community=" + hivePartitionValue(sql.NullString{String: changed, Valid: true}) + "/"
	group := parquetPartition{chunk: sql.NullInt64{Int64: edited / parquetChunkSpan, Valid: true}}.file()
	wantWritten := map[string]bool{"record_member/" + folder + "data_0.parquet": true, "source_record/" + folder + group: true}
	sourceFiles := 0
	for _, rel := range files {
		if strings.HasPrefix(rel, "source_record/"+folder) {
			sourceFiles++
		}
		a, err := os.Stat(filepath.Join(next, ParquetDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(filepath.Join(prev, ParquetDir, rel))
		if err != nil {
			t.Fatalf("%s: not in the previous folder: %v", rel, err)
		}
		linked := os.SameFile(a, b)
		if wantWritten[rel] && linked {
			t.Errorf("%s: linked from the previous folder, though a record in it changed", rel)
		} else if !wantWritten[rel] && !linked {
			t.Errorf("%s: written again, though none of its rows changed", rel)
		}
		delete(wantWritten, rel)
	}
	if len(wantWritten) > 0 {
		t.Errorf("no files %v", wantWritten)
	}
	if sourceFiles < 2 {
		t.Errorf("%s's records are in %d source_record files, want one per group of inbox files", changed, sourceFiles)
	}
	read := func(table string) string {
		return `read_parquet(` + sqlString(filepath.Join(next, ParquetDir, table, "**", "*.parquet")) + `, hive_partitioning = true)`
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM `+read("record_member")+` WHERE member_id = 'M-TEST' AND record_id = ? AND community = ?`,
		moved, changed).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the moved record is in record_member %d times with its new member, want once", n)
	}
	if err := db.QueryRow(`SELECT count(*) FROM `+read("source_record")+` WHERE remark = 'changed' AND record_id = ? AND community = ?`,
		edited, changed).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the edited record is in source_record %d times with its new remark, want once", n)
	}
}

// TestHivePartitionValue: folder names Hive-partitioned readers decode back
// to the community.
func TestHivePartitionValue(t *testing.T) {
	for _, c := range []struct {
		in   sql.NullString
		want string
	}{
		{sql.NullString{}, "__HIVE_DEFAULT_PARTITION__"},
		{sql.NullString{Valid: true}, "__HIVE_DEFAULT_PARTITION__"},
		{sql.NullString{String: "宝龙社区", Valid: true}, "宝龙社区"},
		{sql.NullString{String: "A/B=C%", Valid: true}, "A%2FB%3DC%25"},
		{sql.NullString{String: "龙东:一区\n", Valid: true}, "龙东%3A一区%0A"},
	} {
		if got := hivePartitionValue(c.in); got != c.want {
			t.Errorf("hivePartitionValue(%q) = %q, want %q", c.in.String, got, c.want)
		}
	}
	// DuckDB reads the folder names back as the values.
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	root := t.TempDir()
	want := []string{"A/B=C%", "宝龙社区", "龙东:一区\n"}
	for i, v := range want {
		p := filepath.Join(root, "community="+hivePartitionValue(sql.NullString{String: v, Valid: true}), "data_0.parquet")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(fmt.Sprintf(`COPY (SELECT %d AS i) TO %s (FORMAT parquet)`, i, sqlString(p))); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.Query(`SELECT i, community FROM read_parquet(` + sqlString(filepath.Join(root, "*", "*.parquet")) +
		`, hive_partitioning = true) ORDER BY i`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var i int
		var got string
		if err := rows.Scan(&i, &got); err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("read back %q, wrote %q", got, want[i])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("read back %d partitions, wrote %d", n, len(want))
	}
}

// runParquetSample runs a small generated inbox (80 persons in several
// communities) once.
func runParquetSample(t *testing.T) Config {
	t.Helper()
	dir := t.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: 80, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	runOnce(t, cfg)
	return cfg
}

// readManifestFiles reads a run folder's manifest.json: file → SHA-256.
func readManifestFiles(t *testing.T, runDir string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(runDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files map[string]string `json:"files"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Files
}

// countsByCommunity runs a (community, count) query; NULL is "<NULL>".
func countsByCommunity(t *testing.T, db *DB, query string) map[string]int {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c sql.NullString
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			t.Fatal(err)
		}
		key := c.String
		if !c.Valid {
			key = "<NULL>"
		}
		out[key] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
