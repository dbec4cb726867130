package output

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeTestRosters writes the rosters of testMembers into a committed run
// folder and returns the folder.
func writeTestRosters(t *testing.T, communities []string, opts RosterOptions) string {
	t.Helper()
	sum := &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	dir, err := WriteRun(t.TempDir(), sum, func(f *Folder) error {
		return WriteRosters(f, Rosters{Street: "宝龙街道", Date: "2026-11-25", Communities: communities, Members: testMembers()}, opts)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// allCells reads every cell of every sheet of a workbook file.
func allCells(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out[s] = rows
	}
	return out
}

// rosterFiles are the roster workbooks of a run folder, by file name.
func rosterFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, RosterDir, "*.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

var (
	fullID    = regexp.MustCompile(`\d{17}[\dXx]`)
	fullPhone = regexp.MustCompile(`1\d{10}`)
	landline  = regexp.MustCompile(`0\d{2,3}-?\d{7,8}`)
)

func TestRostersMaskedHoldNoFullIDOrPhone(t *testing.T) {
	dir := writeTestRosters(t, []string{"同心社区", "龙东社区"}, RosterOptions{Mask: true})
	files := rosterFiles(t, dir)
	if len(files) != 3 {
		t.Fatalf("rosters %v, want 同心, 龙东 (configured, no members) and 南约", files)
	}
	for _, file := range files {
		for sheet, rows := range allCells(t, file) {
			for i, r := range rows {
				for j, c := range r {
					for _, re := range []*regexp.Regexp{fullID, fullPhone, landline} {
						if re.MatchString(c) {
							col, _ := excelize.ColumnNumberToName(j + 1)
							t.Errorf("%s %s!%s%d = %q: an unmasked number", filepath.Base(file), sheet, col, i+1, c)
						}
					}
				}
			}
		}
	}
}

func TestRosterHoldsOnlyItsMembers(t *testing.T) {
	dir := writeTestRosters(t, []string{"同心社区", "龙东社区"}, RosterOptions{Mask: true})
	tests := []struct {
		file    string
		members []string // 名册
		search  []string // 待查找
	}{
		{"同心社区.xlsx", []string{"M0000001", "M0000005"}, []string{"M0000003"}}, // M0000004 left
		{"南约社区.xlsx", []string{"M0000002"}, []string{"M0000003"}},
		{"龙东社区.xlsx", nil, []string{"M0000003"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cells := allCells(t, filepath.Join(dir, RosterDir, tt.file))
			for sheet, want := range map[string][]string{"名册": tt.members, "待查找": tt.search} {
				rows := cells[sheet]
				if len(rows) < 2 {
					t.Fatalf("%s has no header", sheet)
				}
				var got []string
				for _, r := range rows[2:] {
					got = append(got, r[1])
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%s members %v, want %v", sheet, got, want)
				}
			}
			if w := colWidth(t, filepath.Join(dir, RosterDir, tt.file), "待查找", "L"); w < 30 {
				t.Errorf("查找情况 is %.0f wide: too narrow to write in", w)
			}
			community := strings.TrimSuffix(tt.file, ".xlsx")
			if title := cells["名册"][0][0]; title != "宝龙街道"+community+"流动党员名册" {
				t.Errorf("title %q", title)
			}
		})
	}
}

func TestRosterMasking(t *testing.T) {
	tests := []struct {
		name        string
		mask        bool
		id, phone   string // 同心社区 名册 row 3: M0000001
		searchPhone string // 待查找 row 3: M0000003
	}{
		{"masked", true, "430524********1234", "138****5678", "139****1111"},
		{"full", false, "430524198503121234", "13812345678", "13900001111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTestRosters(t, nil, RosterOptions{Mask: tt.mask})
			cells := allCells(t, filepath.Join(dir, RosterDir, "同心社区.xlsx"))
			row := cells["名册"][2]
			if row[5] != tt.id || row[9] != tt.phone {
				t.Errorf("名册 ID %q phone %q, want %q %q", row[5], row[9], tt.id, tt.phone)
			}
			if got := cells["待查找"][2][5]; got != tt.searchPhone {
				t.Errorf("待查找 phone %q, want %q", got, tt.searchPhone)
			}
		})
	}
}

func TestSafeFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"同心社区", "同心社区"},
		{`a/b\c:d*e?f"g<h>i|j`, "a_b_c_d_e_f_g_h_i_j"},
		{"tab\there\x00", "tab_here_"},
		{"  ..同心社区.. ", "同心社区"},
		{"...", "_"},
		{"", "_"},
		{"CON", "_CON"},
		{"com1.社区", "_com1.社区"},
		{"CONSOLE", "CONSOLE"},
		{"../../etc", "_.._etc"},
	}
	for _, tt := range tests {
		if got := SafeFileName(tt.in); got != tt.want {
			t.Errorf("SafeFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteRostersRefusesCollidingNames(t *testing.T) {
	f, err := NewFolder(t.TempDir(), "2026-11-25", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	err = WriteRosters(f, Rosters{Street: "宝龙街道", Communities: []string{"同心/社区", "同心:社区"}}, RosterOptions{Mask: true})
	if err == nil || !strings.Contains(err.Error(), "同心_社区.xlsx") {
		t.Errorf("err = %v, want a collision on 同心_社区.xlsx", err)
	}
	if err := f.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.tmp, RosterDir, "同心_社区.xlsx")); err != nil {
		t.Errorf("the first roster was not written: %v", err)
	}
}

func colWidth(t *testing.T, path, sheet, col string) float64 {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := f.GetColWidth(sheet, col)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
