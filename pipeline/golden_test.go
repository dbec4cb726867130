package pipeline

import (
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/output"
)

var update = flag.Bool("update", false, "rewrite the want/ folders of the golden cases")

// goldenDumps are the normalised views of the registry a golden case pins.
var goldenDumps = []struct{ file, query string }{
	{"files.csv", `SELECT path, source_kind, status, coalesce(format, ''), coalesce(encoding, ''), coalesce(quarantine_code, ''),
		coalesce(quarantine_reason, ''), coalesce(CAST(unmapped_columns AS VARCHAR), ''), rows_accepted, rows_rejected, rows_skipped,
		coalesce(CAST(sheets AS VARCHAR), '')
		FROM v_source_file ORDER BY path`},
	{"records.csv", `SELECT record_id, source_kind, file_path, coalesce(sheet, ''), row_number, status, coalesce(reject_reason, ''),
		coalesce(name, ''), coalesce(gender, ''), coalesce(ethnicity, ''), coalesce(id_number, ''), coalesce(id_status, ''),
		coalesce(id_prefix, ''), coalesce(CAST(id_birth_date AS VARCHAR), ''), coalesce(birth_date, ''), coalesce(education, ''),
		coalesce(member_type, ''), coalesce(origin_branch, ''), coalesce(origin_branch_key, ''), coalesce(join_date, ''),
		coalesce(phone, ''), coalesce(landline, ''), coalesce(address, ''), coalesce(employer, ''), coalesce(community, ''),
		coalesce(outflow_date, ''), coalesce(presence, ''), coalesce(activity_date, ''), coalesce(activity_type, ''),
		coalesce(CAST(hours AS VARCHAR), ''), coalesce(counsellor, ''), coalesce(visit_date, ''),
		coalesce(CAST(extra AS VARCHAR), ''), CAST(raw AS VARCHAR)
		FROM v_source_record ORDER BY record_id`},
	{"members.csv", `SELECT member_id, coalesce(name, ''), coalesce(id_number, ''), coalesce(birth_date, ''), status, coalesce(community, ''),
		coalesce(origin_branch_key, ''), coalesce(phone, ''), records, survey_records, roster_records,
		(SELECT string_agg(record_id::VARCHAR, ' ' ORDER BY record_id) FROM v_source_record r WHERE r.member_id = m.member_id)
		FROM v_member m ORDER BY member_id`},
	{"findings.csv", `SELECT record_id, location, coalesce(field, ''), code, severity, message FROM v_finding ORDER BY record_id, location, code, message`},
}

// TestGolden runs each case under testdata/cases/<name>/ (its config.yaml
// when present, its inbox/) and compares the registry with want/*.csv.
// go test ./pipeline -run Golden -update rewrites want/.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../testdata/cases/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases under testdata/cases")
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			work := t.TempDir()
			cfg := testConfig(work)
			cfg.Inbox.Dir = filepath.Join(dir, "inbox")
			sum := runOnce(t, cfg)
			if sum.Status == RunFailed {
				t.Fatalf("run failed: %s", sum.Error)
			}
			db := openTestDB(t, cfg)
			for _, d := range goldenDumps {
				compareGolden(t, filepath.Join(dir, "want", d.file), dumpCSV(t, db.DB, d.query))
			}
			out := filepath.Join(cfg.Out.Dir, "latest")
			compareGolden(t, filepath.Join(dir, "want", "registry.txt"), dumpWorkbook(t, filepath.Join(out, output.RegistryFile)))
			compareGolden(t, filepath.Join(dir, "want", "discrepancy.txt"), dumpWorkbook(t, filepath.Join(out, output.DiscrepancyFile)))
			compareGolden(t, filepath.Join(dir, "want", "rosters.txt"), dumpWorkbooks(t, out, output.RosterDir+"/*.xlsx"))
			compareGolden(t, filepath.Join(dir, "want", "branches.txt"), dumpWorkbooks(t, out, output.BranchDir+"/*/*.xlsx"))
			compareGolden(t, filepath.Join(dir, "want", "certificates.txt"), dumpWorkbooks(t, out, output.CertificateDir+"/*/*/*.xlsx"))
		})
	}
}

// dumpWorkbooks dumps the workbooks matching pattern under dir, in path
// order, each after a "# path" line.
func dumpWorkbooks(t *testing.T, dir, pattern string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var b strings.Builder
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		fmt.Fprintf(&b, "# %s\n%s", filepath.ToSlash(rel), dumpWorkbook(t, f))
	}
	return b.String()
}

// compareGolden compares got with the file at wantPath, or rewrites the
// file under -update.
func compareGolden(t *testing.T, wantPath, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(wantPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(wantPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(wantPath)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n%s", wantPath, firstDiff(string(want), got))
	}
}

// dumpWorkbook is a workbook's cell values, one sheet!cell=value line per
// non-empty cell, sheets in order: what the golden cases compare instead
// of bytes.
func dumpWorkbook(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i, r := range rows {
			for j, v := range r {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				fmt.Fprintf(&b, "%s!%s=%s\n", sheet, cell, strings.ReplaceAll(v, "\n", `\n`))
			}
		}
	}
	return b.String()
}

func dumpCSV(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	w := csv.NewWriter(&b)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			rec[i] = fmt.Sprint(v)
		}
		w.Write(rec)
	}
	w.Flush()
	return b.String()
}

// firstDiff shows the first line that differs.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d\nwant: %s\n got: %s", i+1, w, g)
		}
	}
	return "(same lines, different bytes)"
}
