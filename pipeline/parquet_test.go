package pipeline

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baolong/liudong/sampledata"
)

// TestParquetExport runs a small generated inbox and reads the run folder's
// Parquet back: the same rows per community as v_member and v_source_record,
// every file in manifest.json with its SHA-256, and the same bytes on a
// rerun.
func TestParquetExport(t *testing.T) {
	dir := t.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: 80, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	runOnce(t, cfg)
	runDir := filepath.Join(cfg.Out.Dir, fixedNow().Format("2006-01-02"))
	first := readManifestFiles(t, runDir)

	db := openTestDB(t, cfg)
	for _, c := range []struct{ view, table string }{{"v_member", "member"}, {"v_source_record", "source_record"}} {
		t.Run(c.table, func(t *testing.T) {
			glob := sqlString(filepath.Join(runDir, ParquetDir, c.table, "**", "*.parquet"))
			want := countsByCommunity(t, db, `SELECT community, count(*) FROM `+c.view+` GROUP BY ALL`)
			got := countsByCommunity(t, db, `SELECT community, count(*) FROM read_parquet(`+glob+`, hive_partitioning = true) GROUP BY ALL`)
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
			if err := db.QueryRow(`SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet(` + glob + `, hive_partitioning = true))`).Scan(&fileCols); err != nil {
				t.Fatal(err)
			}
			if fileCols != viewCols {
				t.Errorf("parquet has %d columns, %s %d", fileCols, c.view, viewCols)
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

	// A rerun on the same inbox and registry writes the same bytes.
	runOnce(t, cfg)
	second := readManifestFiles(t, runDir)
	for name, h := range first {
		if strings.HasPrefix(name, ParquetDir+"/") && second[name] != h {
			t.Errorf("rerun changed %s", name)
		}
	}
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
