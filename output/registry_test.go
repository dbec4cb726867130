package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// testMembers are members of two communities, one whose whereabouts are
// unknown (no community) and one who left, with real-looking ID numbers and
// phones, a formula-like name and a long address.
func testMembers() []MemberRow {
	return []MemberRow{
		{MemberID: "M0000001", Name: "张伟", IDNumber: "430524198503121234", BirthDate: "1985-03-12",
			OriginBranch: "中共石门村支部委员会", Phone: "13812345678", Address: "宝龙街道同心社区同心路1号", Records: 2,
			Counsellor: "陈明", LastActivity: "2026-04-20", LastContact: "2026-05-03", ActivitiesYear: 4, HoursYear: 7.5, VisitsYear: 1,
			MemberClass: &MemberClass{Gender: "男", Ethnicity: "汉族", MemberType: "正式党员", Community: "同心社区",
				Status: "dual", StatusLabel: "双向共管", ContactFlag: "lost_contact"}},
		{MemberID: "M0000002", Name: "=1+1", IDNumber: "43052419900101002X", Phone: "0755-28454956", Records: 1,
			MemberClass: &MemberClass{Gender: "女", Community: "南约社区", Status: "inflow_only", StatusLabel: "仅流入地登记"}},
		{MemberID: "M0000003", Name: "阿依古丽·买买提", IDNumber: "650102197001011111", Phone: "13900001111",
			OriginBranch: "石门村党支部", Employer: "深圳市宝龙工业城管理有限公司", Records: 1,
			MemberClass: &MemberClass{Status: "unknown_whereabouts", StatusLabel: "去向不明", WhereaboutsUnknown: true}},
		{MemberID: "M0000004", Name: "李四", IDNumber: "430524197001010011", Phone: "13700002222", Records: 3,
			MemberClass: &MemberClass{Community: "同心社区", Status: "left", StatusLabel: "已离开"}},
		{MemberID: "M0000005", Name: "王五", IDNumber: "430524198001010022", Phone: "13600003333",
			Address: strings.Repeat("很长的地址", 20), Records: 2, MemberClass: &MemberClass{Community: "同心社区", Status: "dual"}},
	}
}

func testRegistry() Registry {
	return Registry{Street: "宝龙街道", Date: "2026-11-25", Members: testMembers(), Sources: []SourceRow{
		{RecordID: 10000001, Kind: "survey", File: "surveys/同心.xlsx", Sheet: "10月", Row: 4, Status: "accepted", MemberID: "M0000001", Name: "张伟"},
		{RecordID: 20000001, Kind: "roster", File: "rosters/石门村.csv", Row: 2, Status: "rejected", RejectReason: "没有姓名"},
	}}
}

// reopen saves f and opens the bytes again, as a reader of the file would.
func reopen(t *testing.T, f *excelize.File) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g
}

func TestRegistryWorkbookSheets(t *testing.T) {
	wb, err := RegistryWorkbook(testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	f := reopen(t, wb)
	want := []string{"台账", "双向共管", "仅流入地登记", "去向不明", "已离开", "来源记录", "统计"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	tests := []struct {
		sheet string
		rows  int // data rows
		ids   []string
	}{
		{"台账", 5, []string{"M0000001", "M0000002", "M0000003", "M0000004", "M0000005"}},
		{"双向共管", 2, []string{"M0000001", "M0000005"}},
		{"仅流入地登记", 1, []string{"M0000002"}},
		{"去向不明", 1, []string{"M0000003"}},
		{"已离开", 1, []string{"M0000004"}},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			rows, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rows[0][0], "宝龙街道流动党员信息台账") {
				t.Errorf("title = %q", rows[0][0])
			}
			if got := strings.Join(rows[1], ","); got != strings.Join(registryColumns, ",") {
				t.Errorf("header = %s", got)
			}
			if len(rows)-2 != tt.rows {
				t.Fatalf("%d data rows, want %d", len(rows)-2, tt.rows)
			}
			for i, id := range tt.ids {
				if rows[i+2][1] != id {
					t.Errorf("row %d member %s, want %s", i+3, rows[i+2][1], id)
				}
			}
		})
	}
}

func TestRegistryCellsAreText(t *testing.T) {
	wb, err := RegistryWorkbook(testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	f := reopen(t, wb)
	tests := []struct {
		cell, value string
	}{
		{"C4", "=1+1"},               // a formula-like name stays text
		{"F3", "430524198503121234"}, // the full ID number, for the street
		{"F4", "43052419900101002X"}, //
		{"L3", "13812345678"},        // the full phone
		{"R7", "双向共管"},               // a label from the status when the view gave none
		{"O5", ""},                   // unknown whereabouts: no community
		{"J5", "石门村党支部"},             //
		{"A7", "5"},                  // 序号
		{"Z6", "3"},                  // 来源记录数
		{"S3", "陈明"},                 // 辅导员
		{"T3", "2026-04-20"},         // 最近活动日期
		{"U3", "2026-05-03"},         // 最近联系日期
		{"V3", "失联"},                 // 联系情况
		{"X3", "7.5"},                // 本年活动时长
		{"B3", "M0000001"},           //
		{"N5", "深圳市宝龙工业城管理有限公司"}, //
	}
	for _, tt := range tests {
		got, err := f.GetCellValue("台账", tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.value {
			t.Errorf("台账!%s = %q, want %q", tt.cell, got, tt.value)
		}
		if fm, _ := f.GetCellFormula("台账", tt.cell); fm != "" {
			t.Errorf("台账!%s has formula %q", tt.cell, fm)
		}
	}
	if typ, _ := f.GetCellType("台账", "F3"); typ == excelize.CellTypeNumber {
		t.Errorf("the ID number is stored as a number")
	}
}

func TestRegistryLayout(t *testing.T) {
	wb, err := RegistryWorkbook(testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	f := reopen(t, wb)
	titles := map[string]string{}
	filters := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		switch dn.Name {
		case "_xlnm.Print_Titles":
			titles[dn.Scope] = dn.RefersTo
		case "_xlnm._FilterDatabase":
			filters[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		t.Run(sheet, func(t *testing.T) {
			p, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Freeze || p.YSplit != 2 || p.TopLeftCell != "A3" {
				t.Errorf("panes = %+v, want the title and header frozen", p)
			}
			if want := "'" + sheet + "'!$1:$2"; titles[sheet] != want {
				t.Errorf("print titles = %q, want %q", titles[sheet], want)
			}
			if !strings.Contains(filters[sheet], "$A$2:") {
				t.Errorf("auto-filter = %q, want from the header row", filters[sheet])
			}
			pl, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" {
				t.Errorf("page layout = %+v, want A4 landscape", pl)
			}
			sp, err := f.GetSheetProps(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if sp.FitToPage == nil || !*sp.FitToPage {
				t.Errorf("not fitted to the page width")
			}
		})
	}
	if h, _ := f.GetRowHeight("台账", 7); h < 2*13 {
		t.Errorf("the row with the long address is %.0f high: its wrapped text is hidden", h)
	}
	if h, _ := f.GetRowHeight("台账", 3); h > 16 {
		t.Errorf("a one-line row is %.0f high", h)
	}
	widths := []struct {
		col      string
		min, max float64
	}{
		{"A", minColWidth, 8},           // 序号
		{"F", 20, 22},                   // 18 characters of ID number
		{"M", maxColWidth, maxColWidth}, // the long address is capped (and wraps)
		{"N", 30, 32},                   // 14 汉字 count double
		{"C", float64(DisplayWidth("阿依古丽·买买提")), 20},
	}
	for _, w := range widths {
		got, err := f.GetColWidth("台账", w.col)
		if err != nil {
			t.Fatal(err)
		}
		if got < w.min || got > w.max {
			t.Errorf("台账 column %s width %.1f, want %.0f…%.0f", w.col, got, w.min, w.max)
		}
	}
}

func TestRegistryStats(t *testing.T) {
	wb, err := RegistryWorkbook(testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	f := reopen(t, wb)
	rows, err := f.GetRows("统计")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"所在社区", "双向共管", "仅流入地登记", "去向不明", "已离开", "合计"},
		{"同心社区", "2", "0", "0", "1", "3"},
		{"南约社区", "0", "1", "0", "0", "1"},
		{noCommunity, "0", "0", "1", "0", "1"},
		{"合计", "2", "1", "1", "1", "5"},
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("统计 has %d rows, want %d", len(rows), len(want)+1)
	}
	for i, w := range want {
		if got := strings.Join(rows[i+1], ","); got != strings.Join(w, ",") {
			t.Errorf("统计 row %d = %s, want %s", i+2, got, strings.Join(w, ","))
		}
	}
	if typ, _ := f.GetCellType("统计", "B3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("counts are text; the chart needs numbers")
	}
	src, err := f.GetRows("来源记录")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(src[3], ","); got != "20000001,流出党员名册,rosters/石门村.csv,,2,已拒收,没有姓名" {
		t.Errorf("来源记录 row 4 = %s", got)
	}
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"M0000001", 8},
		{"同心社区", 8},
		{"阿依古丽·买买提", 15}, // the middle dot is narrow
		{"（未登记社区）", 14},
		{"ＡＢ", 4},
	}
	for _, tt := range tests {
		if got := DisplayWidth(tt.s); got != tt.want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestIsWideFastPath: the shortcuts (runes below U+1100, the CJK Unified
// Ideographs block) answer as the scripts' tables do, for every rune; and no
// rune is wider than its UTF-8 bytes, which columnWidthsOf and rowHeight
// rely on to skip measuring short strings.
func TestIsWideFastPath(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		tables := unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
			unicode.Is(unicode.Hangul, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6
		if got := isWide(r); got != tables {
			t.Fatalf("isWide(%U) = %v, the tables say %v", r, got, tables)
		}
		if s := string(r); DisplayWidth(s) > len(s) {
			t.Fatalf("DisplayWidth(%U) = %d, more than its %d bytes", r, DisplayWidth(s), len(s))
		}
	}
	for _, s := range []string{"\xff", "\xe4\xb8", "a\xe4\xb8\xadb", "\xf0\x9f"} { // invalid UTF-8
		if DisplayWidth(s) > len(s) {
			t.Errorf("DisplayWidth(%q) = %d, more than its %d bytes", s, DisplayWidth(s), len(s))
		}
	}
}

// TestWidthsSkipShortStrings: column widths and row heights are those of
// measuring every cell.
func TestWidthsSkipShortStrings(t *testing.T) {
	rows := [][]any{
		{"M0000001", "张伟", "广东省深圳市龙岗区宝龙街道同心社区宝龙大道一号宝龙工业城三栋五楼", 3},
		{"M0000002", "阿依古丽·买买提", "short", 12345},
		{"M0000003", "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ", "x\xffy", 1.5},
		{"M0000004", "", "深圳", 0},
	}
	tb := table{cols: []string{"党员编号", "姓名", "地址", "数"}, rows: rows}
	widths := columnWidthsOf(tb, 40)
	naive := make([]float64, len(tb.cols))
	for i, c := range tb.cols {
		naive[i] = float64(DisplayWidth(c)) + 3
	}
	for _, r := range rows {
		for i, v := range r {
			w := len(fmt.Sprint(v))
			if s, ok := v.(string); ok {
				w = DisplayWidth(s)
			}
			naive[i] = max(naive[i], float64(w)+2)
		}
	}
	for i := range naive {
		naive[i] = min(max(naive[i], minColWidth), 40)
	}
	if fmt.Sprint(widths) != fmt.Sprint(naive) {
		t.Errorf("widths %v, measuring every cell %v", widths, naive)
	}
	for _, r := range rows {
		lines := 1
		for i, v := range r {
			if s, ok := v.(string); ok {
				per := int(widths[i]) - 1
				lines = max(lines, (DisplayWidth(s)+per-1)/per)
			}
		}
		want := excelize.RowOpts{}
		if lines > 1 {
			want.Height = min(float64(lines)*13+3, excelize.MaxRowHeight)
		}
		if got := rowHeight(r, widths); got != want {
			t.Errorf("rowHeight(%v) = %+v, measuring every cell %+v", r, got, want)
		}
	}
}

func TestWriteRunWithWorkbooks(t *testing.T) {
	root := t.TempDir()
	sum := &Summary{RunID: 3, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	dir, err := WriteRun(root, sum, func(f *Folder) error {
		WriteRegistry(f, testRegistry())
		return WriteRosters(f, Rosters{Street: "宝龙街道", Date: "2026-11-25", Members: testMembers()}, RosterOptions{Mask: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{RegistryFile, "社区名册/同心社区.xlsx", "社区名册/南约社区.xlsx", "summary.md", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A failing workbook publishes nothing.
	_, err = WriteRun(root, &Summary{RunID: 4, Started: time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)},
		func(*Folder) error { return errors.New("boom") })
	if err == nil {
		t.Fatal("WriteRun succeeded with a failing workbook")
	}
	if _, err := os.Stat(filepath.Join(root, "2026-11-26")); !os.IsNotExist(err) {
		t.Errorf("the folder of the failed run exists: %v", err)
	}
	// So does a workbook that fails in the background, after the others.
	_, err = WriteRun(root, &Summary{RunID: 5, Started: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)},
		func(f *Folder) error {
			WriteRegistry(f, testRegistry())
			f.WriteWorkbookAsync("坏.xlsx", func() (*excelize.File, error) { return nil, errors.New("boom in the background") })
			return nil
		})
	if err == nil || !strings.Contains(err.Error(), "boom in the background") {
		t.Fatalf("WriteRun with a failing background workbook: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "2026-11-27")); !os.IsNotExist(err) {
		t.Errorf("the folder of the run whose background workbook failed exists: %v", err)
	}
}

// BenchmarkRegistryWorkbook builds and saves the registry of 10,000
// members and 93,000 source records, the demo's size.
func BenchmarkRegistryWorkbook(b *testing.B) {
	r := Registry{Street: "宝龙街道", Date: "2026-11-25"}
	base := testMembers()
	for i := range 10000 {
		m := base[i%len(base)]
		m.MemberID = fmt.Sprintf("M%07d", i+1)
		r.Members = append(r.Members, m)
	}
	for i := range 93000 {
		r.Sources = append(r.Sources, SourceRow{RecordID: int64(10000000 + i), Kind: "survey",
			File: "surveys/同心社区2026年10月摸排表.xlsx", Sheet: "10月", Row: i + 4, Status: "accepted",
			MemberID: fmt.Sprintf("M%07d", i%10000+1), Name: "张伟"})
	}
	b.ResetTimer()
	var size int64
	for b.Loop() {
		f, err := RegistryWorkbook(r)
		if err != nil {
			b.Fatal(err)
		}
		if size, err = f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(size), "bytes/workbook")
}

func TestSplitRows(t *testing.T) {
	held := table{sheet: "来源记录", title: "台账 · 来源记录", rows: [][]any{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}}}
	made := table{sheet: "来源记录", title: "台账 · 来源记录", source: &rowSource{n: 5,
		row: func(i int, dst []any) []any { return append(dst, strconv.Itoa(i+1)) }}}
	tests := []struct {
		max    int
		sheets []string
		cells  []string
	}{
		{5, []string{"来源记录"}, []string{"[[1] [2] [3] [4] [5]]"}},
		{2, []string{"来源记录", "来源记录（2）", "来源记录（3）"}, []string{"[[1] [2]]", "[[3] [4]]", "[[5]]"}},
	}
	for _, tb := range []table{held, made} {
		for _, tt := range tests {
			var sheets, cells []string
			for _, p := range splitRows(tb, tt.max) {
				sheets, cells = append(sheets, p.sheet), append(cells, fmt.Sprint(p.data().Rows))
			}
			if fmt.Sprint(sheets) != fmt.Sprint(tt.sheets) || fmt.Sprint(cells) != fmt.Sprint(tt.cells) {
				t.Errorf("made %t, max %d: sheets %v rows %v, want %v %v", tb.source != nil, tt.max, sheets, cells, tt.sheets, tt.cells)
			}
		}
	}
}

// TestSheetRowLimit: a table past Excel's last row fails with the sheet
// and the count, instead of writing a workbook Excel cannot open.
func TestSheetRowLimit(t *testing.T) {
	tb := table{sheet: "台账", title: "t", date: "d", cols: []string{"a"},
		source: &rowSource{n: excelize.TotalRows, row: func(i int, dst []any) []any { return append(dst, i) }}}
	f, st, err := newWorkbook(tb.sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = writeTable(f, st, tb)
	if err == nil || !strings.Contains(err.Error(), "past Excel's last row") {
		t.Errorf("error %v", err)
	}
}

// TestRegistrySourceLimit: with more source records than
// out.registry_source_rows, 来源记录 lists none and says how many there are
// and where they are; under the limit it lists them all.
func TestRegistrySourceLimit(t *testing.T) {
	tests := []struct {
		name     string
		limit    int
		rows     int // data rows under the header
		wantNote string
	}{
		{"listed", 0, 2, ""},
		{"over the limit", 1, 0, "来源记录共 2 条，多于本表列出的上限 1 条"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRegistry()
			r.SourceCount = len(r.Sources)
			if tt.limit > 0 {
				r.Sources, r.SourceLimit = nil, tt.limit
			}
			wb, err := RegistryWorkbook(r)
			if err != nil {
				t.Fatal(err)
			}
			f := reopen(t, wb)
			rows, err := f.GetRows("来源记录")
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rows) - 2; got != tt.rows {
				t.Errorf("%d data rows, want %d", got, tt.rows)
			}
			title := rows[0][0]
			if tt.wantNote == "" && strings.Contains(title, "来源记录共") {
				t.Errorf("title %q has a note, want none", title)
			}
			if tt.wantNote != "" && (!strings.Contains(title, tt.wantNote) || !strings.Contains(title, "parquet/source_record")) {
				t.Errorf("title %q, want the note %q and where the list is", title, tt.wantNote)
			}
		})
	}
}
