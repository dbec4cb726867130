package ingest

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet is one sheet of a fixture workbook.
type xlsxSheet struct {
	name   string
	rows   map[int][]any // row number → values from column A
	merges [][2]string   // cell ranges merged, as an office merges its title and group cells
	hidden bool
}

// writeXLSX writes a workbook of sheets with excelize, so the file is as real
// as excelize makes them, and returns its path.
func writeXLSX(t testing.TB, sheets []xlsxSheet, date1904 bool) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		v := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for n, vals := range s.rows {
			if err := f.SetSheetRow(s.name, fmt.Sprintf("A%d", n), &vals); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range s.merges {
			if err := f.MergeCell(s.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range sheets {
		if s.hidden {
			if err := f.SetSheetVisible(s.name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "fixture.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// readResult is everything ReadFile handed out for one file.
type readResult struct {
	info *FileInfo
	rows map[string][]Row // by sheet name
}

func readAll(t testing.TB, path string, opts ReadOptions) (readResult, error) {
	t.Helper()
	res := readResult{rows: map[string][]Row{}}
	info, err := ReadFile(path, opts, func(s *SheetInfo, r Row) error {
		if len(r.Cells) < len(s.Columns) {
			t.Errorf("%s row %d: %d cells for %d columns", s.Name, r.Number, len(r.Cells), len(s.Columns))
		}
		res.rows[s.Name] = append(res.rows[s.Name], r)
		return nil
	})
	if info == nil {
		t.Fatalf("ReadFile returned a nil FileInfo (err %v)", err)
	}
	res.info = info
	return res, err
}

// rowLine is a row reduced to what a test states about it.
type rowLine struct {
	n     int
	kind  RowKind
	first string // the first non-empty cell
}

func linesOf(rows []Row) []rowLine {
	var out []rowLine
	for _, r := range rows {
		l := rowLine{n: r.Number, kind: r.Kind}
		for _, c := range r.Cells {
			if c != "" {
				l.first = c
				break
			}
		}
		out = append(out, l)
	}
	return out
}

var surveyHeader = []any{"序号", "姓名", "性别", "公民身份证号", "联系电话", "现居住地址"}

func TestReadFileXLSX(t *testing.T) {
	type sheetWant struct {
		name       string
		headerRows []int
		skipped    string
		titles     []string // nil: not checked
		lines      []rowLine
		counts     RowCounts
	}
	tests := []struct {
		name   string
		sheets []xlsxSheet
		want   []sheetWant
	}{
		{
			name: "merged title row, header on row 2, blank rows and footer",
			sheets: []xlsxSheet{{
				name: "Sheet1",
				rows: map[int][]any{
					1: {"宝龙街道同心社区流动党员摸排登记表"},
					2: surveyHeader,
					3: {1, "张三", "男", "430524198503121234", "13800138000", "同心路1号"},
					5: {2, "李四", "女", "430524198503121242", "13900139000", "同心路2号"},
					6: {"", "", "", "", "", ""},
					7: {3, "王五", "男", "43052419850312125X", "13700137000", "同心路3号"},
					8: {"填表人：赵六          审核人：钱七          填表日期：2024年3月1日"},
					9: {"合计", "3人"},
				},
				merges: [][2]string{{"A1", "F1"}, {"A8", "F8"}},
			}},
			want: []sheetWant{{
				name:       "Sheet1",
				headerRows: []int{2},
				titles:     []string{"序号", "姓名", "性别", "公民身份证号", "联系电话", "现居住地址"},
				lines: []rowLine{
					{3, RowData, "1"}, {4, RowBlank, ""}, {5, RowData, "2"}, {6, RowBlank, ""},
					{7, RowData, "3"}, {8, RowFooter, "填表人：赵六          审核人：钱七          填表日期：2024年3月1日"},
					{9, RowFooter, "合计"},
				},
				counts: RowCounts{Data: 3, Blank: 2, Footer: 2, Total: 7},
			}},
		},
		{
			name: "header on row 3 under a title and a unit line",
			sheets: []xlsxSheet{{
				name: "同心社区",
				rows: map[int][]any{
					1: {"宝龙街道流动党员摸排登记表"},
					2: {"填报单位：同心社区", "", "", "填报日期：2024年3月"},
					3: {"序号", "党员姓名", "身份证号码", "手机号码"},
					4: {1, "张三", "430524198503121234", "13800138000"},
					5: {2, "李四", "430524198503121242", "13900139000"},
				},
				merges: [][2]string{{"A1", "D1"}, {"A2", "C2"}},
			}},
			want: []sheetWant{{
				name:       "同心社区",
				headerRows: []int{3},
				lines:      []rowLine{{4, RowData, "1"}, {5, RowData, "2"}},
				counts:     RowCounts{Data: 2, Total: 2},
			}},
		},
		{
			name: "two-row header with merged group cells",
			sheets: []xlsxSheet{{
				name: "Sheet1",
				rows: map[int][]any{
					1: {"序号", "姓名", "身份证号", "联系方式", "", "备注"},
					2: {"", "", "", "手机", "固话", ""},
					3: {1, "张三", "430524198503121234", "13800138000", "0755-28888888", ""},
				},
				merges: [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}, {"D1", "E1"}, {"F1", "F2"}},
			}},
			want: []sheetWant{{
				name:       "Sheet1",
				headerRows: []int{1, 2},
				titles:     []string{"序号", "姓名", "身份证号", "联系方式/手机", "联系方式/固话", "备注"},
				lines:      []rowLine{{3, RowData, "1"}},
				counts:     RowCounts{Data: 1, Total: 1},
			}},
		},
		{
			name: "a sheet a month and a 汇总 sheet of counts",
			sheets: []xlsxSheet{
				{name: "1月", rows: map[int][]any{1: surveyHeader, 2: {1, "张三"}, 3: {2, "李四"}}},
				{name: "2月", rows: map[int][]any{1: surveyHeader, 2: {1, "王五"}}},
				{name: "汇总", rows: map[int][]any{1: {"月份", "人数"}, 2: {"1月", 2}, 3: {"2月", 1}}},
			},
			want: []sheetWant{
				{name: "1月", headerRows: []int{1}, lines: []rowLine{{2, RowData, "1"}, {3, RowData, "2"}}, counts: RowCounts{Data: 2, Total: 2}},
				{name: "2月", headerRows: []int{1}, lines: []rowLine{{2, RowData, "1"}}, counts: RowCounts{Data: 1, Total: 1}},
				{name: "汇总", skipped: "未找到表头（前10行中没有可识别的列名），可能是汇总表或说明页"},
			},
		},
		{
			name: "hidden sheet is read",
			sheets: []xlsxSheet{
				{name: "说明", rows: map[int][]any{1: {"本表由社区填写，每月5日前报送"}}},
				{name: "数据", rows: map[int][]any{1: surveyHeader, 2: {1, "张三"}}, hidden: true},
			},
			want: []sheetWant{
				{name: "说明", skipped: "未找到表头（前10行中没有可识别的列名），可能是汇总表或说明页"},
				{name: "数据", headerRows: []int{1}, lines: []rowLine{{2, RowData, "1"}}, counts: RowCounts{Data: 1, Total: 1}},
			},
		},
		{
			name: "sparse rows keep the numbers Excel shows",
			sheets: []xlsxSheet{{
				name: "Sheet1",
				rows: map[int][]any{1: surveyHeader, 2: {1, "张三"}, 5: {2, "李四"}},
			}},
			want: []sheetWant{{
				name:       "Sheet1",
				headerRows: []int{1},
				lines:      []rowLine{{2, RowData, "1"}, {3, RowBlank, ""}, {4, RowBlank, ""}, {5, RowData, "2"}},
				counts:     RowCounts{Data: 2, Blank: 2, Total: 4},
			}},
		},
		{
			name: "header on row 4 after empty rows, a pre-numbered template",
			sheets: []xlsxSheet{{
				name: "Sheet1",
				rows: map[int][]any{4: surveyHeader, 5: {1, "张三"}, 6: {2}, 7: {3}, 8: {4}},
			}},
			want: []sheetWant{{
				name:       "Sheet1",
				headerRows: []int{4},
				lines:      []rowLine{{5, RowData, "1"}}, // 6-8 hold only a 序号 and end the sheet
				counts:     RowCounts{Data: 1, Total: 1},
			}},
		},
		{
			name: "second table with its title and header repeated",
			sheets: []xlsxSheet{{
				name: "Sheet1",
				rows: map[int][]any{
					1: {"流动党员登记表"},
					2: surveyHeader,
					3: {1, "张三"},
					5: {"流动党员登记表"},
					6: surveyHeader,
					7: {1, "李四"},
				},
			}},
			want: []sheetWant{{
				name:       "Sheet1",
				headerRows: []int{2},
				lines: []rowLine{
					{3, RowData, "1"}, {4, RowBlank, ""}, {5, RowRepeatHeader, "流动党员登记表"},
					{6, RowRepeatHeader, "序号"}, {7, RowData, "1"},
				},
				counts: RowCounts{Data: 2, Blank: 1, Repeat: 2, Total: 5},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeXLSX(t, tt.sheets, false)
			res, err := readAll(t, path, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			info := res.info
			if info.Format != FormatXLSX || info.Encoding != "" || info.Delimiter != "" || info.Date1904 {
				t.Errorf("info = %+v", info)
			}
			if len(info.Sheets) != len(tt.want) {
				t.Fatalf("%d sheets, want %d", len(info.Sheets), len(tt.want))
			}
			for i, w := range tt.want {
				si := info.Sheets[i]
				if si.Name != w.name {
					t.Errorf("sheet %d is %q, want %q", i, si.Name, w.name)
				}
				if si.Skipped != w.skipped {
					t.Errorf("%s: Skipped = %q, want %q", w.name, si.Skipped, w.skipped)
				}
				if !reflect.DeepEqual(si.HeaderRows, w.headerRows) {
					t.Errorf("%s: HeaderRows = %v, want %v", w.name, si.HeaderRows, w.headerRows)
				}
				if w.titles != nil && !reflect.DeepEqual(titlesOf(si.Columns), w.titles) {
					t.Errorf("%s: titles = %q, want %q", w.name, titlesOf(si.Columns), w.titles)
				}
				if got := linesOf(res.rows[w.name]); !reflect.DeepEqual(got, w.lines) {
					t.Errorf("%s: rows\n got %v\nwant %v", w.name, got, w.lines)
				}
				if si.Counts != w.counts {
					t.Errorf("%s: Counts = %+v, want %+v", w.name, si.Counts, w.counts)
				}
			}
		})
	}
}

// TestXLSXRawCellText pins down the raw text excelize's iterator returns with
// RawCellValue, which is what Row.Cells holds: the cleaning stage depends on it.
func TestXLSXRawCellText(t *testing.T) {
	date := time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		date1904 bool
		set      func(f *excelize.File, cell string) error
		want     string
	}{
		{"18-digit ID typed as text", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, "430524198503121234")
		}, "430524198503121234"},
		{"18-digit ID as int64 (excelize keeps every digit; Excel cannot)", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, int64(430524198503121234))
		}, "430524198503121234"},
		{"18-digit ID as float64", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, float64(430524198503121234))
		}, "430524198503121000"},
		{"18-digit ID typed into a number cell in Excel", false, func(f *excelize.File, c string) error {
			// Excel stores the double with 17 significant digits
			return f.SetCellDefault("Sheet1", c, "4.3052419850312102E+17")
		}, "4.3052419850312102E+17"},
		{"date cell", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, date)
		}, "31118"},
		{"date cell in the 1904 date system", true, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, date)
		}, "29656"}, // 31118 - 1462
		{"boolean true", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, true)
		}, "1"},
		{"boolean false", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, false)
		}, "0"},
		{"formula with a cached value", false, func(f *excelize.File, c string) error {
			if err := f.SetCellValue("Sheet1", c, 3); err != nil {
				return err
			}
			return f.SetCellFormula("Sheet1", c, "1+2")
		}, "3"},
		{"formula never calculated", false, func(f *excelize.File, c string) error {
			return f.SetCellFormula("Sheet1", c, "1+2")
		}, ""},
		{"text with spaces kept", false, func(f *excelize.File, c string) error {
			return f.SetCellValue("Sheet1", c, " 张 三 ")
		}, " 张 三 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			if tt.date1904 {
				v := true
				if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号", "值"}); err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow("Sheet1", "A2", &[]any{"张三", "x"}); err != nil {
				t.Fatal(err)
			}
			if err := tt.set(f, "C2"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "raw.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			res, err := readAll(t, path, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if res.info.Date1904 != tt.date1904 || res.info.Sheets[0].Date1904 != tt.date1904 {
				t.Errorf("Date1904 = %v (sheet %v), want %v", res.info.Date1904, res.info.Sheets[0].Date1904, tt.date1904)
			}
			rows := res.rows["Sheet1"]
			if len(rows) != 1 {
				t.Fatalf("%d rows, want 1", len(rows))
			}
			if got := rows[0].Cells[2]; got != tt.want {
				t.Errorf("raw cell = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestXLSXFormattedBaseline records what excelize's default, formatted
// reading gives for an 18-digit number, for comparison with the raw text
// above: 15 significant digits in E notation, the last three digits lost.
func TestXLSXFormattedBaseline(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellDefault("Sheet1", "A1", "4.3052419850312102E+17"); err != nil {
		t.Fatal(err)
	}
	got, err := f.GetCellValue("Sheet1", "A1")
	if err != nil {
		t.Fatal(err)
	}
	if got != "4.30524198503121E+17" {
		t.Errorf("formatted = %q", got)
	}
}

func TestReadFileXLSXCallbackError(t *testing.T) {
	path := writeXLSX(t, []xlsxSheet{{name: "Sheet1", rows: map[int][]any{1: surveyHeader, 2: {1, "张三"}, 3: {2, "李四"}}}}, false)
	stop := errors.New("stop")
	calls := 0
	_, err := ReadFile(path, testOptions(), func(*SheetInfo, Row) error { calls++; return stop })
	if err != stop {
		t.Errorf("err = %v, want the callback's error as is", err)
	}
	if calls != 1 {
		t.Errorf("%d calls, want 1", calls)
	}
}

func TestReadFileCallbackPanicIsNotRecovered(t *testing.T) {
	path := writeXLSX(t, []xlsxSheet{{name: "Sheet1", rows: map[int][]any{1: surveyHeader, 2: {1, "张三"}}}}, false)
	defer func() {
		if r := recover(); r != "bug in fn" {
			t.Errorf("recovered %v, want the callback's panic", r)
		}
	}()
	_, _ = ReadFile(path, testOptions(), func(*SheetInfo, Row) error { panic("bug in fn") })
	t.Error("ReadFile returned after the callback panicked")
}
