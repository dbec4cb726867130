package output

import (
	"archive/zip"
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// The layout every table sheet shares: a title row, the header, then data.
const (
	titleRow  = 1
	headerRow = 2
	firstData = 3
)

// table is one sheet of a workbook as offices print it: a title with the
// run date, a bold header with fill that stays frozen, an auto-filter, and
// A4 landscape pages that repeat the title and header.
type table struct {
	sheet string
	title string // 宝龙街道流动党员信息台账 · 去向不明
	// note, when set, is a line of smaller text under the title (a
	// summary the reader should see before the table).
	note string
	date string // the run date, 2026-11-25
	cols []string
	// rows hold string cells (always written as text, never a formula) and
	// int or float64 cells (counts, hours). A *string cell is its string: a
	// row source points at its structs' fields rather than box a copy of
	// each into the row (at a million members 16 bytes a cell, allocated
	// each time a row is made).
	rows [][]any
	// source, when set instead of rows, makes each row as it is needed: the
	// registry's million members are not held as cells, twice over.
	source *rowSource
	// chart, when set, is placed below the table; its ranges are the
	// caller's.
	chart *excelize.Chart
	// maxWidth caps the column widths (maxColWidth when 0): a narrow table
	// can afford wider columns on a landscape page.
	maxWidth float64
	// minWidths widen columns by header, for columns left for writing in.
	minWidths map[string]float64
	// dropDowns give columns, by header, a drop-down list of the values an
	// analyst may choose (Excel data validation).
	dropDowns map[string][]string
}

// rowSource makes a table's rows one at a time.
type rowSource struct {
	n   int
	row func(i int, dst []any) []any // row i, in dst's memory when it fits
}

// rowsOf is a rowSource over xs: row i is made from xs[i] when it is
// written, so a report's hundreds of thousands of rows are held once, as
// the caller's structs, not a second time as cells.
func rowsOf[T any](xs []T, row func(x *T, dst []any) []any) *rowSource {
	return &rowSource{n: len(xs), row: func(i int, dst []any) []any { return row(&xs[i], dst) }}
}

// cellRows makes a table's rows in one array of cells, one allocation for
// the table rather than one for each row; a row's strings are best given as
// *string cells (table.rows). A letter's, report's or certificate's list at
// 1M persons was a row and a boxed string per cell: together about 2.9 GB
// of the output stage's allocations.
type cellRows struct {
	cells []any
	rows  [][]any
	from  int // where the row being made begins in cells
}

// newCellRows has room for rows rows of width cells.
func newCellRows(rows, width int) *cellRows {
	return &cellRows{cells: make([]any, 0, rows*width), rows: make([][]any, 0, rows)}
}

// add appends cells to the row being made.
func (c *cellRows) add(vs ...any) { c.cells = append(c.cells, vs...) }

// end closes the row being made.
func (c *cellRows) end() {
	c.rows = append(c.rows, c.cells[c.from:len(c.cells):len(c.cells)])
	c.from = len(c.cells)
}

// row adds a whole row.
func (c *cellRows) row(vs ...any) {
	c.add(vs...)
	c.end()
}

// len is how many data rows t has.
func (t table) len() int {
	if t.source != nil {
		return t.source.n
	}
	return len(t.rows)
}

// each calls fn with every data row in order; a row is fn's only until fn
// returns.
func (t table) each(fn func(i int, r []any) error) error {
	if t.source == nil {
		for i, r := range t.rows {
			if err := fn(i, r); err != nil {
				return err
			}
		}
		return nil
	}
	var buf []any
	for i := range t.source.n {
		buf = t.source.row(i, buf[:0])
		if err := fn(i, buf); err != nil {
			return err
		}
	}
	return nil
}

// styles are the cell styles of one workbook, and the rows its tables
// write when it is saved (rows.go).
type styles struct {
	title, titleNote, date, header, text, number int
	rows                                         *sheetRows
}

// newWorkbook starts a workbook whose first sheet is named first, with the
// shared styles.
func newWorkbook(first string) (*excelize.File, styles, error) {
	f := excelize.NewFile()
	rows := &sheetRows{}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		return &rowsZip{Writer: fastZip(w), out: w, rows: rows}
	})
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return nil, styles{}, fmt.Errorf("name sheet %q: %w", first, err)
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, styles{}, err
	}
	st.rows = rows
	return f, st, nil
}

// fastZip is the zip writer of the workbooks: deflate at its fastest
// level. A registry's sheets are tens of megabytes of repetitive XML;
// compressing them at the default level took a fifth of writing the
// registry workbook (BenchmarkRegistryWorkbook: 1.57 -> 1.37 s, 5.5 -> 7.2 MB).
// A flate writer costs more to make than to fill with a small part of a
// workbook, so they are reused, as archive/zip reuses its own.
func fastZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw, ok := flateWriters.Get().(*flate.Writer); ok {
			fw.Reset(out)
			return pooledFlate{fw}, nil
		}
		fw, err := flate.NewWriter(out, flate.BestSpeed)
		return pooledFlate{fw}, err
	})
	return zw
}

// flateWriters are the idle flate writers of fastZip: a cache of
// allocations, no state (a writer is Reset before it is used again).
var flateWriters sync.Pool

// pooledFlate gives its flate writer back when closed.
type pooledFlate struct{ *flate.Writer }

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	flateWriters.Put(p.Writer)
	return err
}

func newStyles(f *excelize.File) (styles, error) {
	const font = "宋体"
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	var st styles
	defs := []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.title, excelize.Style{
			Font:      &excelize.Font{Bold: true, Size: 16, Family: font},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		}},
		{&st.titleNote, excelize.Style{
			Font:      &excelize.Font{Bold: true, Size: 16, Family: font},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&st.date, excelize.Style{
			Font:      &excelize.Font{Size: 10, Family: font},
			Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"},
		}},
		{&st.header, excelize.Style{
			Font:      &excelize.Font{Bold: true, Size: 11, Family: font},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
		}},
		{&st.text, excelize.Style{
			Font:      &excelize.Font{Size: 10, Family: font},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border:    border,
			NumFmt:    49, // "@": text, so an ID number is never shown as 4.30524E+17
		}},
		{&st.number, excelize.Style{
			Font:      &excelize.Font{Size: 10, Family: font},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			Border:    border,
		}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return styles{}, fmt.Errorf("create style: %w", err)
		}
		*d.dst = id
	}
	return st, nil
}

// writeTable writes t into its sheet, creating the sheet when absent.
// Sheet-level settings are made before streaming, since the stream writer
// writes the sheet as a whole.
func writeTable(f *excelize.File, st styles, t table) error {
	if err := ensureSheet(f, t.sheet); err != nil {
		return err
	}
	if err := fitsSheet(t, titleRow); err != nil {
		return err
	}
	n := len(t.cols)
	last, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", t.sheet, err)
	}
	lastRow := headerRow + t.len()
	// The auto-filter replaces the sheet properties: it comes first.
	if err := f.AutoFilter(t.sheet, fmt.Sprintf("A%d:%s%d", headerRow, last, lastRow), nil); err != nil {
		return fmt.Errorf("sheet %q: auto-filter: %w", t.sheet, err)
	}
	if err := printSetup(f, t.sheet, true); err != nil {
		return err
	}
	for i, c := range t.cols {
		opts, ok := t.dropDowns[c]
		if !ok || t.len() == 0 {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", col, firstData, col, lastRow)
		if err := dv.SetDropList(opts); err != nil {
			return fmt.Errorf("sheet %q: drop-down %s: %w", t.sheet, c, err)
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "处理意见", "请从下拉列表中选择")
		if err := f.AddDataValidation(t.sheet, dv); err != nil {
			return fmt.Errorf("sheet %q: drop-down %s: %w", t.sheet, c, err)
		}
	}
	if t.chart != nil {
		if err := f.AddChart(t.sheet, fmt.Sprintf("A%d", lastRow+3), t.chart); err != nil {
			return fmt.Errorf("sheet %q: chart: %w", t.sheet, err)
		}
	}

	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", t.sheet, err)
	}
	widths := t.widths()
	if err := setColWidths(sw, t.sheet, widths); err != nil {
		return err
	}
	top := fmt.Sprintf("A%d", firstData)
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("sheet %q: freeze header: %w", t.sheet, err)
	}
	if _, err := writeBlock(sw, st, t, titleRow, widths); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet %q: %w", t.sheet, err)
	}
	return nil
}

// writePages writes tables of the same columns one below another on one
// sheet, each beginning a printed page, with gap blank rows between them on
// screen: one stream for the sheet, so the cost is linear in the rows, where
// a sheet per table costs excelize a scan of the sheet list per sheet. The
// columns are as wide as the widest table needs; no auto-filter, frozen
// header or repeated print titles, which would fit the first table only.
func writePages(f *excelize.File, st styles, sheet string, ts []table, gap int) error {
	if len(ts) == 0 {
		return nil
	}
	if err := ensureSheet(f, sheet); err != nil {
		return err
	}
	if err := printSetup(f, sheet, false); err != nil {
		return err
	}
	widths := ts[0].widths()
	for _, t := range ts[1:] {
		if len(t.cols) != len(widths) {
			return fmt.Errorf("sheet %q: %q has %d columns, %q %d", sheet, ts[0].title, len(widths), t.title, len(t.cols))
		}
		for i, w := range t.widths() {
			widths[i] = max(widths[i], w)
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	if err := setColWidths(sw, sheet, widths); err != nil {
		return err
	}
	row := titleRow
	for i, t := range ts {
		t.sheet = sheet // for the errors
		if i > 0 {
			row += gap
			// The break goes above the cell: the table's title begins the page.
			if err := sw.InsertPageBreak(fmt.Sprintf("A%d", row)); err != nil {
				return fmt.Errorf("sheet %q: page break at row %d: %w", sheet, row, err)
			}
		}
		if row, err = writeBlock(sw, st, t, row, widths); err != nil {
			return fmt.Errorf("%s: %w", t.title, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return nil
}

// fitsSheet fails when t's title, header and rows, from row top, go past
// Excel's last row: a workbook Excel cannot open is worse than none.
func fitsSheet(t table, top int) error {
	if last := top + 1 + t.len(); last > excelize.TotalRows {
		return fmt.Errorf("sheet %q: %d rows end at row %d, past Excel's last row %d", t.sheet, t.len(), last, excelize.TotalRows)
	}
	return nil
}

// ensureSheet adds sheet to f unless it is there.
func ensureSheet(f *excelize.File, sheet string) error {
	idx, err := f.GetSheetIndex(sheet)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	if idx < 0 {
		if _, err := f.NewSheet(sheet); err != nil {
			return fmt.Errorf("add sheet %q: %w", sheet, err)
		}
	}
	return nil
}

// widths are t's column widths: fitted to its cells, capped at maxWidth,
// widened to minWidths.
func (t table) widths() []float64 {
	ws := columnWidthsOf(t, cmp.Or(t.maxWidth, maxColWidth))
	for i, c := range t.cols {
		ws[i] = max(ws[i], t.minWidths[c])
	}
	return ws
}

func setColWidths(sw *excelize.StreamWriter, sheet string, widths []float64) error {
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("sheet %q: column width: %w", sheet, err)
		}
	}
	return nil
}

// writeBlock places t's title row at row top, its header under it and its
// rows after, with the column widths (which size the wrapped rows), and
// returns the row after its last. The rows themselves are written when the
// workbook is saved (rows.go): here the stream gets a placeholder at top,
// and the title's merged cells.
func writeBlock(sw *excelize.StreamWriter, st styles, t table, top int, widths []float64) (int, error) {
	if err := fitsSheet(t, top); err != nil {
		return 0, err
	}
	n := len(t.cols)
	last, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return 0, fmt.Errorf("sheet %q: %w", t.sheet, err)
	}
	if t.richTitle() && utf16Len(t.title)+utf16Len(t.note)+1 > maxCellUnits {
		// what excelize's SetRow said of such a title
		return 0, fmt.Errorf("sheet %q: title: %w", t.sheet, excelize.ErrCellCharsLength)
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", top), nil); err != nil {
		return 0, fmt.Errorf("sheet %q row %d: %w", t.sheet, top, err)
	}
	if err := titleMerges(sw, n, top, last); err != nil {
		return 0, fmt.Errorf("sheet %q: title: %w", t.sheet, err)
	}
	st.rows.add(sw, t, top, widths, st)
	return top + 2 + t.len(), nil
}

// titleMerges merges the cells of a title row of n columns (the last
// named last): the title over the left columns and the run date over the
// last two, or the title (with the date after it) over all of them when
// the table is narrow.
func titleMerges(sw *excelize.StreamWriter, n, row int, last string) error {
	r := strconv.Itoa(row)
	if n < 4 {
		if n > 1 {
			return sw.MergeCell("A"+r, last+r)
		}
		return nil
	}
	endTitle, _ := excelize.ColumnNumberToName(n - 2)
	startDate, _ := excelize.ColumnNumberToName(n - 1)
	if n-2 > 1 {
		if err := sw.MergeCell("A"+r, endTitle+r); err != nil {
			return err
		}
	}
	return sw.MergeCell(startDate+r, last+r)
}

// richTitle reports whether t's title is rich text, the title over its note:
// a table of four columns or more with a note (a narrower one has the date
// after its title, and no note).
func (t table) richTitle() bool { return len(t.cols) >= 4 && t.note != "" }

// titleHeight is the height of t's title row: 32 points, and with a note
// one 15-point line more for each width of the title's columns it fills.
func titleHeight(t table, widths []float64) float64 {
	if !t.richTitle() {
		return 32
	}
	n := len(t.cols)
	span := 0.0
	for _, w := range widths[:max(1, n-2)] {
		span += w
	}
	lines := 0
	for _, l := range strings.Split(t.note, "\n") {
		lines += int((float64(DisplayWidth(l)) + span - 1) / span)
	}
	return 30 + 15*float64(max(lines, 1)+1)
}

// utf16Len is how many UTF-16 code units s takes in a cell.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(1, utf16.RuneLen(r))
	}
	return n
}

// printSetup makes the sheet print on A4 landscape, one page wide, with the
// title and header rows on every page when titles is set.
func printSetup(f *excelize.File, sheet string, titles bool) error {
	a4, landscape, wide, tall := 9, "landscape", 1, 0
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet %q: fit to page: %w", sheet, err)
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return fmt.Errorf("sheet %q: page layout: %w", sheet, err)
	}
	m, top := 0.4, 0.6
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &m, Right: &m, Top: &top, Bottom: &top,
	}); err != nil {
		return fmt.Errorf("sheet %q: margins: %w", sheet, err)
	}
	if !titles {
		return nil
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, titleRow, headerRow),
		Scope:    sheet,
	}); err != nil {
		return fmt.Errorf("sheet %q: print titles: %w", sheet, err)
	}
	return nil
}

// Column widths in Excel's units (about one Latin character): a CJK
// character counts two. Long text wraps at the maximum.
const (
	minColWidth = 6
	maxColWidth = 30
)

// columnWidths fits each column to its header and its widest cell.
func columnWidths(cols []string, rows [][]any, maxWidth float64) []float64 {
	return columnWidthsOf(table{cols: cols, rows: rows}, maxWidth)
}

// columnWidthsOf fits each column of t to its header and its widest cell.
func columnWidthsOf(t table, maxWidth float64) []float64 {
	ws := make([]float64, len(t.cols))
	for i, c := range t.cols {
		ws[i] = float64(DisplayWidth(c)) + 3 // room for the auto-filter button
	}
	var num [32]byte // a number's digits, measured without allocating
	t.each(func(_ int, r []any) error {
		for i, v := range r {
			if i >= len(ws) {
				break
			}
			var w int
			if s, ok := cellString(v); ok {
				if float64(len(s))+2 <= ws[i] {
					continue // no wider than its bytes (DisplayWidth): cannot widen the column
				}
				w = DisplayWidth(s)
			} else {
				switch v := v.(type) {
				case int:
					w = len(strconv.AppendInt(num[:0], int64(v), 10))
				case float64:
					w = len(strconv.AppendFloat(num[:0], v, 'g', -1, 64)) // as fmt.Sprint writes it
				}
			}
			ws[i] = max(ws[i], float64(w)+2)
		}
		return nil
	})
	for i := range ws {
		ws[i] = min(max(ws[i], minColWidth), maxWidth)
	}
	return ws
}

// cellString is a text cell's string: a string, or what a *string points
// at (table.rows); ok is false for a number.
func cellString(v any) (s string, ok bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case *string:
		return *v, true
	}
	return "", false
}

// rowHeight makes a row tall enough for its wrapped text, up to the
// tallest row Excel allows: neither Excel nor LibreOffice fits row heights
// to wrapped text when opening a file.
func rowHeight(r []any, widths []float64) excelize.RowOpts {
	lines := 1
	for i, v := range r {
		s, ok := cellString(v)
		if !ok || i >= len(widths) {
			continue
		}
		per := int(widths[i]) - 1 // a little padding each side
		if len(s) <= per {
			continue // no wider than its bytes (DisplayWidth): one line
		}
		lines = max(lines, (DisplayWidth(s)+per-1)/per)
	}
	if lines == 1 {
		return excelize.RowOpts{}
	}
	// Excel's rows stop at 409 points; a taller row fails the workbook.
	return excelize.RowOpts{Height: min(float64(lines)*13+3, excelize.MaxRowHeight)}
}

// DisplayWidth is how many Latin character widths s takes: East Asian wide
// characters (汉字, full-width forms, CJK punctuation) take two. It is never
// more than len(s): a wide character takes three or four bytes in UTF-8, so
// a string no longer in bytes than a column is wide fits in it unmeasured
// (at a million members, measuring every cell twice cost about 17 s of CPU
// a night).
func DisplayWidth(s string) int {
	w := 0
	for _, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func isWide(r rune) bool {
	switch {
	case r < 0x1100: // Latin, digits and the rest below Hangul Jamo, the first wide script
		return false
	case r >= 0x4E00 && r <= 0x9FFF: // CJK Unified Ideographs: most of any name or address
		return true
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r),
		unicode.Is(unicode.Hangul, r):
		return true
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
		return true
	}
	return false
}
