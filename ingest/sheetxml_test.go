package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/sampledata"
)

// denseRows are a sheet's rows as excelize's iterator yields them: row n at
// index n-1, nil for a row without values.
type denseRows [][]string

type bookRows struct {
	names []string
	rows  []denseRows
}

// excelizeRows reads every sheet of a workbook with excelize's iterator and
// raw values: the reference the fast reader must equal.
func excelizeRows(t testing.TB, data []byte) (bookRows, error) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return bookRows{}, err
	}
	defer f.Close()
	var out bookRows
	for _, name := range f.GetSheetList() {
		it, err := f.Rows(name)
		if err != nil {
			return bookRows{}, err
		}
		var rows denseRows
		for it.Next() {
			cells, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				it.Close()
				return bookRows{}, err
			}
			if len(cells) == 0 {
				cells = nil
			}
			rows = append(rows, cells)
		}
		if err := it.Close(); err != nil {
			return bookRows{}, err
		}
		out.names = append(out.names, name)
		out.rows = append(out.rows, rows)
	}
	return out, nil
}

// fastRows reads a workbook with the fast reader.
func fastRows(data []byte) (bookRows, *sheetXMLBook, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return bookRows{}, nil, err
	}
	book, err := readSheetXMLBookSafe(zr)
	if err != nil {
		return bookRows{}, nil, err
	}
	var out bookRows
	for _, s := range book.sheets {
		var rows denseRows
		for _, r := range s.rows {
			for len(rows) < r.n-1 {
				rows = append(rows, nil)
			}
			rows = append(rows, r.cells)
		}
		out.names = append(out.names, s.name)
		out.rows = append(out.rows, rows)
	}
	return out, book, nil
}

// sameRows compares the two readers' rows and says where they differ.
func sameRows(want, got bookRows) string {
	if !reflect.DeepEqual(want.names, got.names) {
		return fmt.Sprintf("sheets %q, want %q", got.names, want.names)
	}
	for i := range want.rows {
		w, g := want.rows[i], got.rows[i]
		if len(w) != len(g) {
			return fmt.Sprintf("sheet %d: %d rows, want %d", i+1, len(g), len(w))
		}
		for n := range w {
			if !reflect.DeepEqual(w[n], g[n]) {
				return fmt.Sprintf("sheet %d row %d: %q, want %q", i+1, n+1, g[n], w[n])
			}
		}
	}
	return ""
}

// checkSame reads data with both readers; the fast reader must read it
// (unless it may decline) and give excelize's rows.
func checkSame(t *testing.T, data []byte, mayDecline bool) {
	t.Helper()
	want, werr := excelizeRows(t, data)
	got, _, gerr := fastRows(data)
	if gerr != nil {
		if !mayDecline {
			t.Fatalf("fast reader declined: %v", gerr)
		}
		return
	}
	if werr != nil {
		t.Fatalf("fast reader read a file excelize fails on (%v)", werr)
	}
	if d := sameRows(want, got); d != "" {
		t.Fatal(d)
	}
}

// readFileBoth runs ReadFile with the fast reader and with excelize alone,
// and compares everything it hands out.
func readFileBoth(t *testing.T, path string) {
	t.Helper()
	type out struct {
		info *FileInfo
		rows []string
		err  string
	}
	run := func() out {
		var o out
		info, err := ReadFile(path, testOptions(), func(s *SheetInfo, r Row) error {
			o.rows = append(o.rows, fmt.Sprintf("%s|%d|%v|%q|%v", s.Name, r.Number, r.Kind, r.Cells, r.Filled))
			return nil
		})
		o.info = info
		if err != nil {
			o.err = err.Error()
		}
		return o
	}
	fast := run()
	sheetXMLDisabled = true
	slow := run()
	sheetXMLDisabled = false
	if fast.err != slow.err {
		t.Fatalf("%s: error %q, excelize %q", filepath.Base(path), fast.err, slow.err)
	}
	if d := firstDiff(fast.rows, slow.rows); d != "" {
		t.Fatalf("%s: %s", filepath.Base(path), d)
	}
	fi, si := *fast.info, *slow.info
	fi.Reader, fi.ReaderNote, si.Reader, si.ReaderNote = "", "", "", ""
	if !reflect.DeepEqual(fi, si) {
		t.Fatalf("%s: info %+v, excelize %+v", filepath.Base(path), fi, si)
	}
}

func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("row %d: %s, excelize %s", i, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, excelize %d", len(got), len(want))
	}
	return ""
}

// TestSheetXMLSampleData: every workbook the demo generator makes, and the
// golden cases', read the same by both readers, and by the fast one.
func TestSheetXMLSampleData(t *testing.T) {
	var paths []string
	for _, seed := range []uint64{1, 7, 23} {
		dir := t.TempDir()
		if _, err := sampledata.Generate(dir, sampledata.Options{Persons: 300, Seed: seed, BadFiles: true}); err != nil {
			t.Fatal(err)
		}
		found, _ := filepath.Glob(filepath.Join(dir, "inbox", "*", "*.xlsx"))
		paths = append(paths, found...)
	}
	cases, _ := filepath.Glob(filepath.Join("..", "testdata", "cases", "*", "inbox", "*", "*.xlsx"))
	paths = append(paths, cases...)
	if len(paths) < 20 {
		t.Fatalf("only %d workbooks", len(paths))
	}
	fast := 0
	for _, p := range paths {
		t.Run(filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			readFileBoth(t, p)
			if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
				return // not a zip: the bad files
			}
			if _, _, err := fastRows(data); err == nil {
				fast++
				checkSame(t, data, false)
			} else {
				t.Logf("declined: %v", err)
				if _, werr := excelizeRows(t, data); werr == nil && !strings.Contains(p, "_备份") {
					t.Errorf("fast reader declined a workbook excelize reads: %v", err)
				}
			}
		})
	}
	t.Logf("%d workbooks, %d read by the fast reader", len(paths), fast)
}

// TestSheetXMLFixtures builds workbooks with excelize holding each kind of
// cell and compares the readers on them.
func TestSheetXMLFixtures(t *testing.T) {
	tests := []struct {
		name     string
		date1904 bool
		build    func(f *excelize.File) error
	}{
		{"shared strings, entities, spaces", false, func(f *excelize.File) error {
			for i, v := range []any{"姓名", " 张 三 ", "a<b>&c\"d'e", "line1\nline2", "tab\tend", "", "  "} {
				if err := f.SetCellValue("Sheet1", fmt.Sprintf("A%d", i+1), v); err != nil {
					return err
				}
			}
			return nil
		}},
		{"rich text shared string", false, func(f *excelize.File) error {
			return f.SetCellRichText("Sheet1", "B2", []excelize.RichTextRun{
				{Text: "张", Font: &excelize.Font{Bold: true}}, {Text: " 三 ", Font: &excelize.Font{Color: "FF0000", Size: 12}}, {Text: "丰"},
			})
		}},
		{"inline strings and numbers", false, func(f *excelize.File) error {
			if err := f.SetCellDefault("Sheet1", "A1", "inline 文本"); err != nil {
				return err
			}
			if err := f.SetCellDefault("Sheet1", "B1", "4.3052419850312102E+17"); err != nil {
				return err
			}
			if err := f.SetCellValue("Sheet1", "C1", 1.5); err != nil {
				return err
			}
			return f.SetCellValue("Sheet1", "D1", int64(430524198503121234))
		}},
		{"formulas with and without cached values", false, func(f *excelize.File) error {
			if err := f.SetCellValue("Sheet1", "A1", 3); err != nil {
				return err
			}
			if err := f.SetCellFormula("Sheet1", "A1", "1+2"); err != nil {
				return err
			}
			if err := f.SetCellFormula("Sheet1", "C1", "A1*2"); err != nil {
				return err
			}
			return f.SetCellFormula("Sheet1", "E3", `"x"&"y"`)
		}},
		{"booleans and dates, 1904", true, func(f *excelize.File) error {
			if err := f.SetCellValue("Sheet1", "A1", true); err != nil {
				return err
			}
			if err := f.SetCellValue("Sheet1", "B1", false); err != nil {
				return err
			}
			return f.SetCellValue("Sheet1", "C1", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC))
		}},
		{"_xHHHH_ escapes", false, func(f *excelize.File) error {
			for i, v := range []string{"a_x000D_b", "a\rb", "_x005F_x0041_", "x_x4E2D_y", "_xD800_", "a_x00", "__x0041__"} {
				if err := f.SetCellValue("Sheet1", fmt.Sprintf("A%d", i+1), v); err != nil {
					return err
				}
			}
			return f.SetCellDefault("Sheet1", "B1", "in_x000A_line")
		}},
		{"sparse rows and columns, the last row", false, func(f *excelize.File) error {
			if err := f.SetCellValue("Sheet1", "C3", "x"); err != nil {
				return err
			}
			if err := f.SetCellValue("Sheet1", "Z40", "y"); err != nil {
				return err
			}
			if err := f.SetCellValue("Sheet1", "XFD5000", "last"); err != nil {
				return err
			}
			return f.SetRowHeight("Sheet1", 50, 30) // a row without cells
		}},
		{"hidden sheets and sheet order", false, func(f *excelize.File) error {
			for _, n := range []string{"数据", "隐藏", "空白"} {
				if _, err := f.NewSheet(n); err != nil {
					return err
				}
			}
			if err := f.SetCellValue("隐藏", "A1", "secret"); err != nil {
				return err
			}
			if err := f.SetSheetVisible("隐藏", false); err != nil {
				return err
			}
			return f.SetCellValue("数据", "B2", 2)
		}},
		{"very long string", false, func(f *excelize.File) error {
			return f.SetCellValue("Sheet1", "A1", strings.Repeat("长文本&<>", 3000))
		}},
		{"merged cells", false, func(f *excelize.File) error {
			if err := f.SetSheetRow("Sheet1", "A1", &[]any{"序号", "姓名", "联系电话"}); err != nil {
				return err
			}
			if err := f.SetSheetRow("Sheet1", "A2", &[]any{1, "张三", "13800138000"}); err != nil {
				return err
			}
			return f.MergeCell("Sheet1", "B2", "B5")
		}},
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
			if err := tt.build(f); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "fixture.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, data, false)
			_, book, _ := fastRows(data)
			if book.date1904 != tt.date1904 {
				t.Errorf("date1904 = %v", book.date1904)
			}
			readFileBoth(t, path)
		})
	}
}

// sheetXMLTemplate is a workbook excelize wrote, with two shared strings,
// whose sheet part the tests below replace.
func sheetXMLTemplate(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "共享一"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Sheet1", "A2", "共享二 "); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withSheetXML returns the template with sheet1.xml's body replaced.
func withSheetXML(t testing.TB, tmpl []byte, sheet []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(tmpl), int64(len(tmpl)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range zr.File {
		ew, err := w.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if e.Name == "xl/worksheets/sheet1.xml" {
			_, err = ew.Write(sheet)
		} else {
			rc, _ := e.Open()
			var b bytes.Buffer
			_, _ = b.ReadFrom(rc)
			rc.Close()
			_, err = ew.Write(b.Bytes())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:C3"/><sheetData>`

const sheetFoot = `</sheetData><mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells></worksheet>`

// TestSheetXMLHandWritten: sheet XML as other programs write it, cell by cell.
func TestSheetXMLHandWritten(t *testing.T) {
	tmpl := sheetXMLTemplate(t)
	tests := []struct {
		name       string
		data       string
		mayDecline bool
	}{
		{"cells and rows without r", `<row><c t="s"><v>0</v></c><c><v>1.5</v></c><c t="inlineStr"><is><t>三</t></is></c></row><row><c/><c t="b"><v>1</v></c></row>`, false},
		{"every cell type", `<row r="2" spans="1:9" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>1</v></c><c r="B2" t="str"><f>A1&amp;"x"</f><v>共享一x</v></c><c r="C2" t="b"><v>0</v></c><c r="D2" t="e"><v>#DIV/0!</v></c><c r="E2" t="n"><v>4.30524198503121E+17</v></c><c r="F2" t="d"><v>2024-03-01T00:00:00Z</v></c><c r="G2" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve"> 张 </t></r><r><t>三</t></r><rPh sb="0" eb="1"><t>zhang</t></rPh><phoneticPr fontId="1" type="noConversion"/></is></c></row>`, false},
		{"entities, CDATA, comments, CRLF", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lt;&gt;&amp;&quot;&apos;&#20013;&#x6587;<![CDATA[<raw&>]]><!-- note -->a\r\nb\rc</t></is></c><c r=\"B1\"><v> 12 </v></c></row>", false},
		{"formula never calculated, empty value, empty string", `<row r="1"><c r="A1"><f>1+2</f></c><c r="B1"><v></v></c><c r="C1" t="inlineStr"><is><t></t></is></c><c r="D1" t="s"><v></v></c><c r="E1" t="s"><f>X</f><v></v></c></row>`, false},
		{"prefixed elements", `<row r="1"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="B1"><x:v>7</x:v></x:c></row>`, false},
		{"columns out of order", `<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c><v>2</v></c></row>`, false},
		{"huge row number", `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`, false},
		{"shared string index with spaces", `<row r="1"><c r="A1" t="s"><v> 1 </v></c><c r="B1" t="s"><v>x</v></c></row>`, false},
		{"lower-case and $ references", `<row r="1"><c r="b1"><v>2</v></c><c r="$D$1"><v>4</v></c></row>`, false},
		{"rows out of order", `<row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>`, true},
		{"shared string out of range", `<row r="1"><c r="A1" t="s"><v>9</v></c></row>`, true},
		{"bad entity", `<row r="1"><c r="A1"><v>&nbsp;</v></c></row><row r="2"><c><v>2</v></c></row>`, true},
		{"mismatched tags", `<row r="1"><c r="A1"><v>1</c></v></row><row r="2"><c><v>2</v></c></row>`, true},
		{"control character", "<row r=\"1\"><c r=\"A1\"><v>\x01</v></c></row>", true},
		{"row beyond Excel's last", `<row r="1048577"><c><v>1</v></c></row>`, true},
		{"bad cell style", `<row r="1"><c r="A1" s="x"><v>1</v></c></row>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := withSheetXML(t, tmpl, []byte(sheetHead+tt.data+sheetFoot))
			checkSame(t, data, tt.mayDecline)
			readFileBoth(t, writeFile(t, "hand.xlsx", data))
		})
	}
}

// TestSheetXMLFallback: a file the fast reader declines is read by excelize,
// and FileInfo says so.
func TestSheetXMLFallback(t *testing.T) {
	tmpl := sheetXMLTemplate(t)
	good := writeFile(t, "good.xlsx", tmpl)
	info, err := ReadFile(good, testOptions(), nil)
	if info.Reader != ReaderSheetXML || info.ReaderNote != "" {
		t.Errorf("Reader = %q (%q), err %v", info.Reader, info.ReaderNote, err)
	}
	bad := writeFile(t, "bad.xlsx", withSheetXML(t, tmpl, []byte(sheetHead+`<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>`+sheetFoot)))
	info, _ = ReadFile(bad, testOptions(), nil)
	if info.Reader != ReaderExcelize || !strings.Contains(info.ReaderNote, "sheet1.xml") {
		t.Errorf("Reader = %q (%q)", info.Reader, info.ReaderNote)
	}
}

func TestUnescapeBSTR(t *testing.T) {
	for _, s := range []string{"", "plain", "a_x000D_b", "_x005F_x0041_", "_x4e2d__x6587_", "_xD800_x", "_x12_", "x_x0041", "__x0041__", "_x005f_"} {
		f := excelize.NewFile()
		// excelize's own decoding, through a shared string it reads back
		sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` + s + `</t></si></sst>`
		tmpl := sheetXMLTemplate(t)
		data := withSheetXMLPart(t, tmpl, "xl/sharedStrings.xml", []byte(sst))
		data = withSheetXMLPart(t, data, "xl/worksheets/sheet1.xml", []byte(sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`+sheetFoot))
		want, err := excelizeRows(t, data)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		var w string
		if len(want.rows[0]) > 0 && len(want.rows[0][0]) > 0 {
			w = want.rows[0][0][0]
		}
		if got := unescapeBSTR(s); got != w {
			t.Errorf("unescapeBSTR(%q) = %q, excelize %q", s, got, w)
		}
	}
}

// withSheetXMLPart returns the package with one part's body replaced.
func withSheetXMLPart(t testing.TB, pkg []byte, name string, body []byte) []byte {
	t.Helper()
	return rewriteZip(t, pkg, func(n string, b []byte) []byte {
		if n == name {
			return body
		}
		return b
	})
}

// TestSheetXMLLargePart: a sheet part large enough to be unzipped a chunk
// ahead in a goroutine reads as excelize reads it, and one cut off is
// declined without leaving the goroutine reading.
func TestSheetXMLLargePart(t *testing.T) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20000; i++ {
		if err := sw.SetRow(fmt.Sprintf("A%d", i), []any{i, fmt.Sprintf("姓名%d", i), "430524198503121234", 1.5, i%2 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data := buf.Bytes()
	checkSame(t, data, false)
	cut := rewriteZip(t, data, func(name string, body []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			if len(body) < 2<<20 {
				t.Fatalf("sheet part of %d bytes is too small to test", len(body))
			}
			return body[:len(body)*2/3]
		}
		return body
	})
	if _, _, err := fastRows(cut); err == nil {
		t.Error("fast reader read a sheet cut off")
	}
}

// TestTailKeeper: whatever the sizes of the reads, last is the end of the stream.
func TestTailKeeper(t *testing.T) {
	data := make([]byte, 100_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, max := range []int{1, 10, 1000, 64 << 10, 200_000} {
		for _, chunk := range []int{1, 7, 999, 4096, 70_000} {
			tk := &tailKeeper{r: &chunkReader{data: data, n: chunk}, max: max}
			var sink bytes.Buffer
			if _, err := sink.ReadFrom(tk); err != nil {
				t.Fatal(err)
			}
			want := data[len(data)-min(max, len(data)):]
			if !bytes.Equal(tk.last(), want) {
				t.Errorf("max %d, reads of %d: last %d bytes, want %d", max, chunk, len(tk.last()), len(want))
			}
		}
	}
}

type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}

// TestTailKeeperSheet: with sheet set, everything from </sheetData> (or
// </x:sheetData>) on is kept, however long, whatever the sizes of the reads
// (a tag cut in two by a read included); without the tag, the last max bytes.
func TestTailKeeperSheet(t *testing.T) {
	merges := strings.Repeat(`<mergeCell ref="A2:A3"/>`, 20_000)
	tests := []struct {
		name, data, want string
	}{
		{"plain", "<sheetData><row/></sheetData><mergeCells>" + merges + "</mergeCells></worksheet>",
			"</sheetData><mergeCells>" + merges + "</mergeCells></worksheet>"},
		{"prefixed", "<x:sheetData><x:row/></x:sheetData><x:mergeCells>" + merges + "</x:mergeCells></x:worksheet>",
			"</x:sheetData><x:mergeCells>" + merges + "</x:mergeCells></x:worksheet>"},
		{"cut off", "<sheetData><row/>" + merges, merges[len(merges)-1000:]},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 5, 13, 4096, 1 << 20} {
			tk := &tailKeeper{r: &chunkReader{data: []byte(tt.data), n: chunk}, max: 1000, sheet: true}
			if _, err := io.Copy(io.Discard, tk); err != nil {
				t.Fatal(err)
			}
			if got := string(tk.last()); got != tt.want {
				t.Errorf("%s, reads of %d: kept %d bytes, want %d", tt.name, chunk, len(got), len(tt.want))
			}
		}
	}
}

// TestManyMergedRanges: a value merged down over two members (as offices
// merge a counsellor's or a branch's name over its members), 12,000 times: more merged ranges than fit in mergeTailBytes. Every row
// reads the name of its range, with the sheet-XML reader and with excelize.
func TestManyMergedRanges(t *testing.T) {
	const blocks = 12_000
	var b strings.Builder
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>流出地党组织</t></is></c><c r="B1" t="inlineStr"><is><t>党员姓名</t></is></c></row>`)
	var m strings.Builder
	for i := range blocks {
		r := 2 + 2*i
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>辅导员%d</t></is></c><c r="B%d" t="inlineStr"><is><t>党员%da</t></is></c></row>`, r, r, i, r, i)
		fmt.Fprintf(&b, `<row r="%d"><c r="B%d" t="inlineStr"><is><t>党员%db</t></is></c></row>`, r+1, r+1, i)
		fmt.Fprintf(&m, `<mergeCell ref="A%d:A%d"/>`, r, r+1)
	}
	sheet := sheetHead + b.String() + `</sheetData><mergeCells count="` + fmt.Sprint(blocks) + `">` + m.String() + `</mergeCells></worksheet>`
	if len(m.String()) <= mergeTailBytes {
		t.Fatalf("the merged ranges take %d bytes, not more than mergeTailBytes", m.Len())
	}
	path := writeFile(t, "merged.xlsx", withSheetXML(t, sheetXMLTemplate(t), []byte(sheet)))
	for _, disabled := range []bool{false, true} {
		sheetXMLDisabled = disabled
		rows := map[int][]string{}
		_, err := ReadFile(path, testOptions(), func(_ *SheetInfo, r Row) error {
			rows[r.Number] = r.Cells
			return nil
		})
		sheetXMLDisabled = false
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, blocks / 2, blocks - 1} {
			r := 3 + 2*i // the second row of the range: its name comes from the merge
			if got := rows[r]; len(got) < 1 || got[0] != fmt.Sprintf("辅导员%d", i) {
				t.Errorf("excelize only %v: row %d reads %q, want 辅导员%d", disabled, r, got, i)
			}
		}
	}
}
