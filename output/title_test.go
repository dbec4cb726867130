package output

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// referenceTitle writes a table's title row as writeBlock did before
// rows.go wrote it: through excelize's StreamWriter.SetRow, with rich text
// for a note (its height by titleHeight, where the rule moved).
func referenceTitle(sw *excelize.StreamWriter, st styles, t table, row int, last string, widths []float64) error {
	n := len(t.cols)
	date := "运行日期：" + t.date
	opts := excelize.RowOpts{Height: 32}
	first := fmt.Sprintf("A%d", row)
	if n < 4 {
		if err := sw.SetRow(first, []any{excelize.Cell{StyleID: st.title, Value: t.title + "　" + date}}, opts); err != nil {
			return err
		}
		if n > 1 {
			return sw.MergeCell(first, last+strconv.Itoa(row))
		}
		return nil
	}
	cells := make([]any, n)
	cells[0] = excelize.Cell{StyleID: st.title, Value: t.title}
	if t.note != "" {
		cells[0] = excelize.Cell{StyleID: st.titleNote, Value: []excelize.RichTextRun{
			{Text: t.title, Font: &excelize.Font{Bold: true, Size: 16, Family: "宋体"}},
			{Text: "\n" + t.note, Font: &excelize.Font{Size: 11, Family: "宋体"}},
		}}
		opts.Height = titleHeight(t, widths) // the same rule, moved there
	}
	cells[n-2] = excelize.Cell{StyleID: st.date, Value: date}
	if err := sw.SetRow(first, cells, opts); err != nil {
		return err
	}
	r := strconv.Itoa(row)
	endTitle, _ := excelize.ColumnNumberToName(n - 2)
	startDate, _ := excelize.ColumnNumberToName(n - 1)
	if n-2 > 1 {
		if err := sw.MergeCell(first, endTitle+r); err != nil {
			return err
		}
	}
	return sw.MergeCell(startDate+r, last+r)
}

// referencePages writes tables as writePages does, every row through
// excelize's StreamWriter.SetRow.
func referencePages(t *testing.T, ts []table, gap int) []byte {
	t.Helper()
	f, st, err := newWorkbook("S")
	if err != nil {
		t.Fatal(err)
	}
	if err := printSetup(f, "S", false); err != nil {
		t.Fatal(err)
	}
	widths := ts[0].widths()
	for _, tb := range ts[1:] {
		for i, w := range tb.widths() {
			widths[i] = max(widths[i], w)
		}
	}
	sw, err := f.NewStreamWriter("S")
	if err != nil {
		t.Fatal(err)
	}
	if err := setColWidths(sw, "S", widths); err != nil {
		t.Fatal(err)
	}
	row := titleRow
	for i, tb := range ts {
		if i > 0 {
			row += gap
			if err := sw.InsertPageBreak(fmt.Sprintf("A%d", row)); err != nil {
				t.Fatal(err)
			}
		}
		last, _ := excelize.ColumnNumberToName(len(tb.cols))
		if err := referenceTitle(sw, st, tb, row, last, widths); err != nil {
			t.Fatal(err)
		}
		header := make([]any, len(tb.cols))
		for i, c := range tb.cols {
			header[i] = excelize.Cell{StyleID: st.header, Value: c}
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", row+1), header, excelize.RowOpts{Height: 24}); err != nil {
			t.Fatal(err)
		}
		for j, r := range tb.rows {
			referenceRow(t, sw, st, row+2+j, r, widths)
		}
		row += 2 + len(tb.rows)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return sheetXML(t, f)
}

// sheetXML is the first sheet's XML from its data on, as saved.
func sheetXML(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range z.File {
		if e.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return b[bytes.Index(b, []byte("<sheetData")):]
	}
	t.Fatal("no sheet1.xml")
	return nil
}

// TestTitlesLikeSetRow: pages of tables (title rows with and without a
// note, in every width writeTitle knows, text that needs escaping) are
// written byte for byte as excelize's SetRow writes them, with the same
// merged cells and page breaks.
func TestTitlesLikeSetRow(t *testing.T) {
	odd := "a&b<c>\"d'e\tf\rg\x01h _x0041_ 😀 \xff"
	rows := [][]any{{1, "2026-03-01", "党课", "专题党课", 2.5, ""}, {"", "", "合计", "1 次", 2.5, ""}}
	cases := map[string][]table{
		"certificates": {
			{title: "活动认证书 第0001号", note: "张三（身份证号不详）　中共石门村支部委员会\n2026 年参加活动 1 次", date: "2026-11-25",
				cols: []string{"序号", "日期", "类型", "内容", "时长（小时）", "签字证明"}, rows: rows, maxWidth: 40},
			{title: odd, note: " " + odd + " ", date: "2026-11-25",
				cols: []string{"序号", "日期", "类型", "内容", "时长（小时）", "签字证明"}, rows: rows, maxWidth: 40},
			{title: "没有活动", note: strings.Repeat("很长的说明", 40) + "\n\n第三行", date: "2026-11-25",
				cols: []string{"序号", "日期", "类型", "内容", "时长（小时）", "签字证明"}, maxWidth: 40},
		},
		"no note": {
			{title: "台账 · 去向不明 " + odd, date: "2026-11-25", cols: []string{"甲", "乙", "丙", "丁", "戊"}, rows: [][]any{{"1", "2", 3, 4, ""}}},
			{title: " ", date: "", cols: []string{"甲", "乙", "丙", "丁", "戊"}},
		},
		"narrow": {
			{title: "三列 " + odd, date: "2026-11-25", cols: []string{"甲", "乙", "丙"}, rows: [][]any{{"1", "2", 3}}},
			{title: "三列", date: "2026-11-25", cols: []string{"甲", "乙", "丙"}},
		},
		"one column": {
			{title: "一列", date: "2026-11-25", cols: []string{"甲"}, rows: [][]any{{"1"}, {"2"}}},
			{title: "一列 " + odd, date: "2026-11-25", cols: []string{"甲"}},
		},
	}
	for name, ts := range cases {
		t.Run(name, func(t *testing.T) {
			f, st, err := newWorkbook("S")
			if err != nil {
				t.Fatal(err)
			}
			if err := writePages(f, st, "S", ts, certificateGap); err != nil {
				t.Fatal(err)
			}
			got, want := sheetXML(t, f), referencePages(t, ts, certificateGap)
			if !bytes.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Errorf("sheets differ at byte %d:\n got %q\nwant %q", i, got[max(0, i-80):min(len(got), i+200)],
					want[max(0, i-80):min(len(want), i+200)])
			}
		})
	}
}

// TestTitleTooLong: a title and note past a cell's 32,767 characters fail
// the table, as excelize's SetRow failed it, rather than write a workbook
// Excel cannot open.
func TestTitleTooLong(t *testing.T) {
	f, st, err := newWorkbook("S")
	if err != nil {
		t.Fatal(err)
	}
	tb := table{title: "题", note: strings.Repeat("长", maxCellUnits), date: "2026-11-25", cols: []string{"甲", "乙", "丙", "丁"}}
	if err := writePages(f, st, "S", []table{tb}, certificateGap); !errors.Is(err, excelize.ErrCellCharsLength) {
		t.Errorf("got %v, want %v", err, excelize.ErrCellCharsLength)
	}
}
