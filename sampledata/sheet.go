package sampledata

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// table is one sheet being written row by row, to a streamed xlsx sheet or to a CSV file. Renderers write
// through it so that a template does not care which one it fills.
type table interface {
	// widths sets column widths; call it before the first row. CSV uses len(w) as the row width.
	widths(w []float64) error
	// row writes vals on the next row and returns its 1-based number (CSV: its line number).
	row(style rowStyle, vals ...any) (int, error)
	// skip leaves n blank rows.
	skip(n int) error
	// merge merges the rectangle of 1-based columns and rows; CSV ignores it.
	merge(c1, r1, c2, r2 int) error
	// isCSV tells renderers that number cells, serial dates and merges do not exist here.
	isCSV() bool
	// isGBK tells renderers to avoid characters GBK cannot encode.
	isGBK() bool
}

type rowStyle int

const (
	styleData rowStyle = iota
	styleTitle
	styleHeader
)

// workbook is an xlsx file under construction, with fixed document properties so its bytes do not depend on
// the clock.
type workbook struct {
	f       *excelize.File
	sheets  int
	dates   map[dateForm]int
	title   int
	header  int
	current *xlsxTable
}

func newWorkbook(when time.Time, author string) (*workbook, error) {
	f := excelize.NewFile()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newSortedZip(w) })
	stamp := when.UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: author, LastModifiedBy: author, Created: stamp, Modified: stamp, Language: "zh-CN",
	}); err != nil {
		return nil, err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "Microsoft Excel", AppVersion: "16.0300"}); err != nil {
		return nil, err
	}
	wb := &workbook{f: f, dates: map[dateForm]int{}}
	// A slice, not a map literal: style IDs must be handed out in the same order every run.
	for _, d := range []struct {
		form dateForm
		code string
	}{{formCell, "yyyy-mm-dd"}, {formCellSlash, "yyyy/m/d"}, {formCellChinese, `yyyy"年"m"月"d"日"`}} {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &d.code})
		if err != nil {
			return nil, err
		}
		wb.dates[d.form] = id
	}
	var err error
	if wb.title, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 16, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}); err != nil {
		return nil, err
	}
	if wb.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
	}); err != nil {
		return nil, err
	}
	return wb, nil
}

// sheet starts the next sheet; the previous one must be closed. The first call renames the default Sheet1.
func (wb *workbook) sheet(name string) (*xlsxTable, error) {
	if wb.current != nil {
		return nil, fmt.Errorf("sheet %q: previous sheet not closed", name)
	}
	if wb.sheets == 0 {
		if err := wb.f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := wb.f.NewSheet(name); err != nil {
		return nil, err
	}
	wb.sheets++
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", name, err)
	}
	wb.current = &xlsxTable{wb: wb, sw: sw}
	return wb.current, nil
}

// closeSheet flushes the current sheet.
func (wb *workbook) closeSheet() error {
	t := wb.current
	wb.current = nil
	if t == nil {
		return nil
	}
	return t.sw.Flush()
}

// save writes the workbook to path.
func (wb *workbook) save(path string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	if err := wb.writeTo(bw); err != nil {
		out.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeTo writes the workbook to w and releases its temporary files.
func (wb *workbook) writeTo(w io.Writer) error {
	if err := wb.closeSheet(); err != nil {
		return err
	}
	err := wb.f.Write(w)
	if cerr := wb.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// xlsxTable writes one streamed sheet.
type xlsxTable struct {
	wb  *workbook
	sw  *excelize.StreamWriter
	n   int
	buf []any
}

func (t *xlsxTable) widths(w []float64) error {
	for i, x := range w {
		if err := t.sw.SetColWidth(i+1, i+1, x); err != nil {
			return err
		}
	}
	return nil
}

func (t *xlsxTable) row(style rowStyle, vals ...any) (int, error) {
	t.n++
	if t.n > excelize.TotalRows {
		return 0, fmt.Errorf("sheet %q: more than %d rows, the most a worksheet holds; use more communities or fewer persons",
			t.sw.Sheet, excelize.TotalRows)
	}
	t.buf = t.buf[:0]
	for _, v := range vals {
		switch x := v.(type) {
		case dateCell:
			v = excelize.Cell{StyleID: t.wb.dates[x.form], Value: x.t}
		case string:
			if x == "" {
				v = nil
			}
		}
		if v != nil && style != styleData {
			st := t.wb.header
			if style == styleTitle {
				st = t.wb.title
			}
			v = excelize.Cell{StyleID: st, Value: v}
		}
		t.buf = append(t.buf, v)
	}
	var opts []excelize.RowOpts
	if style == styleTitle {
		opts = append(opts, excelize.RowOpts{Height: 30})
	}
	if err := t.sw.SetRow("A"+strconv.Itoa(t.n), t.buf, opts...); err != nil {
		return 0, err
	}
	return t.n, nil
}

func (t *xlsxTable) skip(n int) error { t.n += n; return nil }

func (t *xlsxTable) merge(c1, r1, c2, r2 int) error {
	a, err := excelize.CoordinatesToCellName(c1, r1)
	if err != nil {
		return err
	}
	b, err := excelize.CoordinatesToCellName(c2, r2)
	if err != nil {
		return err
	}
	return t.sw.MergeCell(a, b)
}

func (t *xlsxTable) isCSV() bool { return false }
func (t *xlsxTable) isGBK() bool { return false }

// csvEncoding is how a CSV file is encoded: offices export GBK from Excel, or UTF-8 with a BOM from WPS.
type csvEncoding int

const (
	csvGBK csvEncoding = iota
	csvUTF8BOM
)

// csvTable writes a CSV file the way Excel exports a sheet: every row padded to the sheet's width, CRLF line
// ends, what the cell displays rather than its value.
type csvTable struct {
	file  *os.File
	enc   io.WriteCloser // GBK transformer, nil for UTF-8
	bw    *bufio.Writer
	w     *csv.Writer
	gbk   bool
	n     int
	width int
	rec   []string
}

func newCSVTable(path string, enc csvEncoding) (*csvTable, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	t := &csvTable{file: f, gbk: enc == csvGBK}
	var dst io.Writer = f
	if t.gbk {
		t.enc = transform.NewWriter(f, simplifiedchinese.GBK.NewEncoder())
		dst = t.enc
	}
	t.bw = bufio.NewWriterSize(dst, 1<<20)
	if enc == csvUTF8BOM {
		t.bw.WriteString("\uFEFF")
	}
	t.w = csv.NewWriter(t.bw)
	t.w.UseCRLF = true
	return t, nil
}

func (t *csvTable) widths(w []float64) error { t.width = len(w); return nil }

func (t *csvTable) row(_ rowStyle, vals ...any) (int, error) {
	t.n++
	t.rec = t.rec[:0]
	for _, v := range vals {
		t.rec = append(t.rec, cellText(v))
	}
	for len(t.rec) < t.width {
		t.rec = append(t.rec, "")
	}
	return t.n, t.w.Write(t.rec)
}

// cellText is what a cell shows, as Excel writes it to CSV.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return excelGeneral(x)
	case dateCell:
		return x.display()
	default:
		return fmt.Sprint(x)
	}
}

func (t *csvTable) skip(n int) error {
	for range n {
		if _, err := t.row(styleData); err != nil {
			return err
		}
	}
	return nil
}

func (t *csvTable) merge(int, int, int, int) error { return nil }
func (t *csvTable) isCSV() bool                    { return true }
func (t *csvTable) isGBK() bool                    { return t.gbk }

func (t *csvTable) close() error {
	t.w.Flush()
	err := t.w.Error()
	if e := t.bw.Flush(); err == nil {
		err = e
	}
	if t.enc != nil {
		if e := t.enc.Close(); err == nil {
			err = e
		}
	}
	if e := t.file.Close(); err == nil {
		err = e
	}
	return err
}
