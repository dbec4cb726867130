package output

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// referenceRows writes t's rows the way writeBlock did before rows.go:
// excelize's StreamWriter.SetRow, cell by cell with the same styles and
// row heights. A test compares what a reader sees in both.
func referenceRows(t *testing.T, tb table) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", tb.sheet); err != nil {
		t.Fatal(err)
	}
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter(tb.sheet)
	if err != nil {
		t.Fatal(err)
	}
	widths := tb.widths()
	for i, r := range tb.rows {
		referenceRow(t, sw, st, firstData+i, r, widths)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return reopen(t, f)
}

// referenceRow streams data row r at row as SetRow wrote it: text and
// numbers in their styles, as tall as its wrapped text.
func referenceRow(t *testing.T, sw *excelize.StreamWriter, st styles, row int, r []any, widths []float64) {
	t.Helper()
	cells := make([]any, len(r))
	for j, v := range r {
		style := st.text
		if _, ok := v.(string); !ok {
			style = st.number
		}
		cells[j] = excelize.Cell{StyleID: style, Value: v}
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", row), cells, rowHeight(r, widths)); err != nil {
		t.Fatal(err)
	}
}

// ourRows writes t with writeTable and reads the saved bytes back.
func ourRows(t *testing.T, tb table) *excelize.File {
	t.Helper()
	f, st, err := newWorkbook(tb.sheet)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTable(f, st, tb); err != nil {
		t.Fatal(err)
	}
	return reopen(t, f)
}

// sheetCells reads rows firstData on of a sheet: values, raw values,
// styles, types and heights, for comparing two writers.
func sheetCells(t *testing.T, f *excelize.File, sheet string, rows, cols int) []string {
	t.Helper()
	var out []string
	for r := firstData; r < firstData+rows; r++ {
		h, err := f.GetRowHeight(sheet, r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("row %d height %v", r, h))
		for c := 1; c <= cols; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			v, err := f.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
			typ, _ := f.GetCellType(sheet, ref)
			style, _ := f.GetCellStyle(sheet, ref)
			out = append(out, fmt.Sprintf("%s %q raw %q type %v style %d", ref, v, raw, typ, style))
		}
	}
	return out
}

var rowCases = [][]any{
	{"张伟", "430524198503121234", 3, 2.5},
	{"", " 前后有空格 ", 0, 0.1 + 0.2},
	{"a&b<c>d\"e'f", "line one\nline two", -7, 1e20},
	{"tab\there", "cr\rhere", 123456789012, 1.0 / 3},
	{"ctrl\x01\x1f char", "broken \xff\xfe utf8", math.MaxInt32, math.NaN()},
	{"_x0041_ literal", "_x005F_x0041_ and _x0041_x0042_", 1, math.Inf(1)},
	{"😀 emoji 𠮷", "\uFFFE\uFFFF noncharacters", 2, 2.0},
	{strings.Repeat("长", 40000), strings.Repeat("a", 32766) + "😀", 3, 3},
	{"f", "g", 5, 123456789.123456789},
	{"f", "g", 6, 12345678901234567890.0},
	{"f", "g", 7, -0.000012345678901234567},
	{"广东省深圳市龙岗区宝龙街道同心社区某某路某某号某某大厦某某室，很长的地址会换行", "x", 4, 4},
}

// TestRowsLikeSetRow: a reader sees the same cells, styles and row heights
// in a table written by rows.go as in one written by excelize's SetRow,
// for text that needs escaping, cutting or replacing.
func TestRowsLikeSetRow(t *testing.T) {
	tb := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲", "乙", "丙", "丁"}, rows: rowCases}
	got := sheetCells(t, ourRows(t, tb), tb.sheet, len(tb.rows), len(tb.cols))
	want := sheetCells(t, referenceRows(t, tb), tb.sheet, len(tb.rows), len(tb.cols))
	if len(got) != len(want) {
		t.Fatalf("%d cells, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] && !strings.Contains(got[i], "_x0041_x0042_") { // excelize reads its own wrongly
			t.Errorf("\n got %.200s\nwant %.200s", got[i], want[i])
		}
	}
}

// cellTextWant is what a reader should see of s in a cell: characters
// XML cannot hold replaced, cut at 32,767 UTF-16 units.
func cellTextWant(s string) string {
	var b strings.Builder
	units := 0
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x80 && !xmlChar(r) {
			r = utf8.RuneError
		}
		n := utf16.RuneLen(r)
		if units+n > maxCellUnits {
			break
		}
		units += n
		b.WriteRune(r)
	}
	return b.String()
}

// TestCellTextReadsBack: every case's text reads back as written, but for
// what XML cannot hold and the cut; excelize itself reads _x0041_x0042_
// wrongly (its B comes out decoded), rows.go escapes both.
func TestCellTextReadsBack(t *testing.T) {
	var rows [][]any
	for _, r := range rowCases {
		rows = append(rows, []any{r[0], r[1]})
	}
	tb := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲", "乙"}, rows: rows}
	f := ourRows(t, tb)
	got, err := f.GetRows(tb.sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for j, v := range r {
			want := cellTextWant(v.(string))
			if g := got[firstData-1+i][j]; g != want {
				t.Errorf("row %d col %d: got %.80q, want %.80q", i, j, g, want)
			}
		}
	}
}

func FuzzCellText(f *testing.F) {
	for _, r := range rowCases {
		f.Add(r[0].(string))
		f.Add(r[1].(string)[:min(len(r[1].(string)), 100)])
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		b.WriteString("<t>")
		b.Write(appendCellText(nil, s))
		b.WriteString("</t>")
		if !utf8.Valid(b.Bytes()) {
			t.Fatalf("%q: not UTF-8: %q", s, b.Bytes())
		}
		tb := table{sheet: "S", title: "t", date: "d", cols: []string{"a"}, rows: [][]any{{s}}}
		wb, st, err := newWorkbook(tb.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeTable(wb, st, tb); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := wb.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		g, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		got, err := g.GetCellValue("S", "A3")
		if err != nil {
			t.Fatal(err)
		}
		if want := cellTextWant(s); got != want {
			t.Fatalf("%q read back as %q, want %q", s, got, want)
		}
	})
}

// TestRowsSavedTwice: a workbook saved twice has its rows both times.
func TestRowsSavedTwice(t *testing.T) {
	tb := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲"}, rows: [][]any{{"一"}, {"二"}}}
	f, st, err := newWorkbook(tb.sheet)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTable(f, st, tb); err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if _, err := f.WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	for _, buf := range []*bytes.Buffer{&a, &b} {
		g, err := excelize.OpenReader(buf)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := g.GetCellValue(tb.sheet, "A4"); v != "二" {
			t.Errorf("A4 %q, want 二", v)
		}
		g.Close()
	}
}

// TestRowsWithoutPlace: rows whose placeholder never passes fail the save
// instead of leaving the sheet empty.
func TestRowsWithoutPlace(t *testing.T) {
	tb := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲"}, rows: [][]any{{"一"}}}
	for name, spoil := range map[string]func(*sheetRows){
		"placeholder not in its part": func(r *sheetRows) {
			for part := range r.blocks {
				r.blocks[part][0].placeholder = []byte(`<row r="999"></row>`)
			}
		},
		"no such part": func(r *sheetRows) {
			for part, b := range r.blocks {
				delete(r.blocks, part)
				r.blocks["xl/worksheets/sheet99.xml"] = b
			}
		},
	} {
		f, st, err := newWorkbook(tb.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeTable(f, st, tb); err != nil {
			t.Fatal(err)
		}
		spoil(st.rows)
		if _, err := f.WriteTo(io.Discard); err == nil {
			t.Errorf("%s: saved without error", name)
		}
	}
}

// TestRowsBadCell: a cell of a type a table does not hold fails the save
// with the sheet and row.
func TestRowsBadCell(t *testing.T) {
	tb := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲"}, rows: [][]any{{"一"}, {true}}}
	f, st, err := newWorkbook(tb.sheet)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTable(f, st, tb); err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteTo(io.Discard)
	if err == nil || !strings.Contains(err.Error(), `sheet "表" row 4: cell of type bool`) {
		t.Errorf("error %v", err)
	}
}

// TestMarkZip64: the named entries' local headers say version 4.5, the
// others keep 2.0, and the archive still reads.
func TestMarkZip64(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"a.xml", "big.xml", "c.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "<%s/>", name)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := markZip64(&buf, []string{"big.xml"}); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.File {
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		h := buf.Bytes()[off-30-int64(len(f.Name)) : off]
		want := uint16(20)
		if f.Name == "big.xml" {
			want = 45
		}
		if got := binary.LittleEndian.Uint16(h[4:6]); got != want {
			t.Errorf("%s: version %d, want %d", f.Name, got, want)
		}
	}
	if err := markZip64(io.Discard, []string{"big.xml"}); !errors.Is(err, errZip64InMemory) {
		t.Errorf("not in memory: error %v, want %v", err, errZip64InMemory)
	}
}

// TestWriteWorkbookStreams: a workbook written to its file as it is zipped
// has the bytes excelize's WriteTo makes in memory.
func TestWriteWorkbookStreams(t *testing.T) {
	wb, err := RegistryWorkbook(testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer // the same workbook saved twice: the same bytes
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	dir, err := WriteRun(t.TempDir(), &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)},
		func(f *Folder) error { return f.WriteWorkbook(RegistryFile, wb) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, RegistryFile))
	if err != nil {
		t.Fatal(err)
	}
	// excelize writes the sheets in map order: compared entry by entry.
	entries := func(b []byte) map[string]string {
		r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, f := range r.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			m[f.Name] = string(x)
		}
		return m
	}
	a, b := entries(got), entries(buf.Bytes())
	if len(a) != len(b) || len(a) < 5 {
		t.Errorf("streamed workbook: %d entries, WriteTo's %d", len(a), len(b))
	}
	for name, x := range b {
		if a[name] != x {
			t.Errorf("%s: streamed %d bytes, WriteTo's %d, differing", name, len(a[name]), len(x))
		}
	}
}

// zip64Zip is a zip writer whose workbook, like one with a sheet past 4 GiB,
// can be finished only in memory.
type zip64Zip struct {
	*zip.Writer
	out io.Writer
}

func (z zip64Zip) Close() error {
	if err := z.Writer.Close(); err != nil {
		return err
	}
	return markZip64(z.out, []string{"xl/worksheets/sheet1.xml"})
}

// TestWriteWorkbookZip64: a workbook that cannot be streamed (an entry past
// 4 GiB) is written through memory instead, whole.
func TestWriteWorkbookZip64(t *testing.T) {
	dir, err := WriteRun(t.TempDir(), &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)},
		func(f *Folder) error {
			wb := excelize.NewFile()
			wb.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return zip64Zip{zip.NewWriter(w), w} })
			if err := wb.SetCellValue("Sheet1", "A1", "张伟"); err != nil {
				return err
			}
			return f.WriteWorkbook("大.xlsx", wb)
		})
	if err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "大.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if v, err := wb.GetCellValue("Sheet1", "A1"); err != nil || v != "张伟" {
		t.Errorf("A1 = %q, %v", v, err)
	}
}

// TestSplicerSplitPlaceholder: a placeholder cut across writes is found.
func TestSplicerSplitPlaceholder(t *testing.T) {
	ph := `<row r="3"></row>`
	doc := `<sheetData><row r="1"></row>` + ph + `<row r="9"><c/></row></sheetData>`
	for cut := 0; cut <= len(doc); cut++ {
		var out bytes.Buffer
		s := &splicer{w: &out, blocks: []rowBlock{{sheet: "S", placeholder: []byte(ph), top: 3,
			table: table{title: "T", date: "d", cols: []string{"c"}, rows: [][]any{{"x"}}}, widths: []float64{10},
			st: styles{title: 7, header: 8, text: 1, number: 2}}}}
		if _, err := s.Write([]byte(doc[:cut])); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Write([]byte(doc[cut:])); err != nil {
			t.Fatal(err)
		}
		if err := s.flush(); err != nil {
			t.Fatal(err)
		}
		want := `<sheetData><row r="1"></row>` +
			`<row r="3" ht="32" customHeight="1"><c r="A3" s="7" t="inlineStr"><is><t>T　运行日期：d</t></is></c></row>` +
			`<row r="4" ht="24" customHeight="1"><c r="A4" s="8" t="inlineStr"><is><t>c</t></is></c></row>` +
			`<row r="5"><c r="A5" s="1" t="inlineStr"><is><t>x</t></is></c></row><row r="9"><c/></row></sheetData>`
		if out.String() != want || len(s.blocks) != 0 || s.size != int64(out.Len()) {
			t.Fatalf("cut at %d: %s", cut, out.String())
		}
	}
}

// TestRowSourceLikeRows: a table whose rows are made as they are written
// reads back cell for cell, with the same widths and heights, as the same
// rows held in the table.
func TestRowSourceLikeRows(t *testing.T) {
	held := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲", "乙", "丙", "丁"}, rows: rowCases}
	made := held
	made.rows = nil
	made.source = &rowSource{n: len(rowCases), row: func(i int, dst []any) []any { return append(dst, rowCases[i]...) }}
	if !slices.Equal(made.widths(), held.widths()) {
		t.Errorf("widths %v, held rows give %v", made.widths(), held.widths())
	}
	got := sheetCells(t, ourRows(t, made), made.sheet, len(rowCases), len(made.cols))
	want := sheetCells(t, ourRows(t, held), held.sheet, len(rowCases), len(held.cols))
	if !slices.Equal(got, want) {
		t.Errorf("made rows read\n%.300q\nheld rows\n%.300q", got, want)
	}
	if d, h := made.data(), held.data(); fmt.Sprint(d.Rows) != fmt.Sprint(h.Rows) {
		t.Errorf("reuse data of made rows %.200v, held %.200v", d.Rows, h.Rows)
	}
}

// TestStringPointerCells: a row may point at its strings (*string) instead
// of holding them; such a table is written, measured and keyed exactly as
// the one holding the strings.
func TestStringPointerCells(t *testing.T) {
	held := table{sheet: "表", title: "测试", date: "2026-12-06", cols: []string{"甲", "乙", "丙", "丁"}, rows: rowCases}
	pointed := held
	pointed.rows = make([][]any, len(rowCases))
	for i, r := range rowCases {
		for _, v := range r {
			if s, ok := v.(string); ok {
				v = &s
			}
			pointed.rows[i] = append(pointed.rows[i], v)
		}
	}
	if !slices.Equal(pointed.widths(), held.widths()) {
		t.Errorf("widths %v, strings give %v", pointed.widths(), held.widths())
	}
	for i := range rowCases {
		if got, want := rowHeight(pointed.rows[i], held.widths()), rowHeight(rowCases[i], held.widths()); got != want {
			t.Errorf("row %d: height %v, strings give %v", i, got, want)
		}
	}
	got := sheetCells(t, ourRows(t, pointed), pointed.sheet, len(rowCases), len(pointed.cols))
	want := sheetCells(t, ourRows(t, held), held.sheet, len(rowCases), len(held.cols))
	if !slices.Equal(got, want) {
		t.Errorf("pointed rows read\n%.300q\nheld strings\n%.300q", got, want)
	}
	if k, h := workbookKey(pointed.data()), workbookKey(held.data()); k != h {
		t.Errorf("reuse key of pointed rows %s, of held strings %s", k, h)
	}
}

// cellValues is a row as it reads: a *string cell as its string.
func cellValues(row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		if p, ok := v.(*string); ok {
			v = *p
		}
		out[i] = v
	}
	return out
}
