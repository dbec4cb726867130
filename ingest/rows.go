package ingest

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/baolong/liudong/rules"
)

// RowCounts counts the rows of a sheet below its header by kind; Total is their sum.
type RowCounts struct{ Data, Blank, Footer, Repeat, Total int }

// RowKind says what a row below the header is.
type RowKind int

// Row kinds.
const (
	RowData         RowKind = iota // a data row to clean
	RowBlank                       // every cell empty (after trimming); also a row whose only non-empty cell is a number in the 序号 column
	RowFooter                      // 填表人 / 审核人 / 填表日期 / 制表人 / 负责人 / 联系电话： / 备注： / 说明： / 合计 / 总计 … lines below the data
	RowRepeatHeader                // the header row repeated (a second table, a print title copied into the data)
)

// String names the kind for logs and test failures.
func (k RowKind) String() string {
	switch k {
	case RowData:
		return "data"
	case RowBlank:
		return "blank"
	case RowFooter:
		return "footer"
	case RowRepeatHeader:
		return "repeat_header"
	}
	return fmt.Sprintf("RowKind(%d)", int(k))
}

// Row is one row below the header.
//
// Cells are the raw texts as read, not trimmed, one per column of
// SheetInfo.Columns: a shorter row is padded with "". A row with non-empty
// cells to the right of the last column is longer than Columns, up to its last
// non-empty cell; those cells have no Column. Cells is a fresh slice: fn may keep it.
type Row struct {
	Number int      // 1-based row number as Excel shows it; CSV: physical line number where the record starts
	Cells  []string // raw cell texts aligned to SheetInfo.Columns
	Kind   RowKind
	Reason string // for non-data rows, Chinese, e.g. "页脚（填表人/审核人）"
	// Filled lists the cells that were empty in the file but lie under the
	// top row of a vertical merged range (a counsellor's name merged down
	// over their members): Cells holds the top cell's value there, as Excel
	// shows it. Data rows only.
	Filled []FilledCell
}

// FilledCell is a cell given the value of the merged range it lies in.
type FilledCell struct {
	Column int    // 0-based index into Cells
	Range  string // the merged range, e.g. "A5:A9"
}

// defaultFooterMarkers are the texts that start a line below the data.
func defaultFooterMarkers() []string {
	return []string{
		"填表人", "填报人", "审核人", "填表日期", "填报日期", "制表人", "制表日期", "统计人", "负责人", "单位负责人",
		"经办人", "联系人", "联系电话", "填报单位", "备注", "说明", "注", "合计", "总计", "小计",
	}
}

// footerMarker is a footer marker ready for matching.
type footerMarker struct {
	text   string // NFKC, whitespace removed
	prefix bool   // matches as a plain prefix
	total  bool   // a totals word (合计, 总计, 小计): may follow a 序号
}

// newFooterMarkers prepares markers. A marker that ends in a colon (备注：) or
// in 计 (合计, 总计, 小计, 共计) matches as a plain prefix: "合计15人" and
// "合计人数" are totals. Any other marker must be followed by a colon, a
// space, a bracket or the end of the cell, so that 注 matches "注：1.本表…"
// but not "注意事项培训", and 联系人 does not match a 联系人及联系方式 title.
func newFooterMarkers(markers []string) []footerMarker {
	out := make([]footerMarker, 0, len(markers))
	for _, m := range markers {
		t := strings.Join(strings.Fields(norm.NFKC.String(m)), "")
		if t == "" {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(t)
		out = append(out, footerMarker{text: t, prefix: last == ':' || last == '计', total: last == '计'})
	}
	return out
}

// match reports whether s, which the caller has NFKC-folded, starts with the marker. Whitespace
// inside s is skipped, because forms space their labels out ("填 表 人：").
func (m footerMarker) match(s string) bool {
	rest := s
	for _, want := range m.text {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		r, size := utf8.DecodeRuneInString(rest)
		if size == 0 || r != want {
			return false
		}
		rest = rest[size:]
	}
	if m.prefix || rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r == ':' || r == '：' || r == '（' || unicode.IsSpace(r) || isOpenBracket(r)
}

// classifier sorts the rows below one sheet's header.
type classifier struct {
	serial  []bool   // per column: the 序号 column
	refs    []refRow // the header rows and the title rows above them
	footers []footerMarker
}

// refRow is a row above the data, normalised, that a row below it may repeat.
type refRow struct {
	cells  []string // NormalizeTitle of each cell, trailing empties cut
	first  int      // index of the first non-empty cell
	header bool     // a header row (else a title row above it)
}

func newClassifier(cols []Column, above [][]string, headerRows []int, footers []footerMarker) *classifier {
	c := &classifier{serial: make([]bool, len(cols)), footers: footers}
	for i, col := range cols {
		c.serial[i] = col.Field == rules.FieldSerial || NormalizeTitle(col.Title) == "序号"
	}
	for i, r := range above {
		ref := refRow{header: slices.Contains(headerRows, i+1), first: -1}
		for j, v := range r {
			n := NormalizeTitle(v)
			ref.cells = append(ref.cells, n)
			if n != "" && ref.first < 0 {
				ref.first = j
			}
		}
		if ref.first < 0 {
			continue
		}
		for ref.cells[len(ref.cells)-1] == "" {
			ref.cells = ref.cells[:len(ref.cells)-1]
		}
		c.refs = append(c.refs, ref)
	}
	return c
}

// classify says what kind of row cells is. A row with text only in the 序号
// column is blank when that text is a number (a template numbered in
// advance); a 合计 or 注： typed into the 序号 column is a footer, and any
// other lone text stays data, so that the cleaning stage shows it.
func (c *classifier) classify(cells []string) (RowKind, string) {
	first, onlySerial := -1, true
	for i, v := range cells {
		if isBlank(v) {
			continue
		}
		if first < 0 {
			first = i
		}
		if i >= len(c.serial) || !c.serial[i] {
			onlySerial = false
		}
	}
	if first < 0 {
		return RowBlank, "空行"
	}
	for _, ref := range c.refs {
		if ref.first == first && c.repeats(ref, cells) {
			if ref.header {
				return RowRepeatHeader, "重复的表头行"
			}
			return RowRepeatHeader, "重复的表格标题行"
		}
	}
	lead := norm.NFKC.String(strings.TrimSpace(cells[first]))
	for _, m := range c.footers {
		if m.match(lead) {
			return RowFooter, "页脚（以“" + m.text + "”开头）"
		}
	}
	// A totals line numbered like a data row: 3 | 合计 | … ; the first
	// cell after the 序号 decides, when the row says little else.
	if next := c.firstAfterSerial(cells); next >= 0 && next != first && c.sparse(cells) {
		after := norm.NFKC.String(strings.TrimSpace(cells[next]))
		for _, m := range c.footers {
			if m.total && m.match(after) {
				return RowFooter, "页脚（以“" + m.text + "”开头）"
			}
		}
	}
	if onlySerial && isSerialNumber(lead) {
		return RowBlank, "空行（只有序号）"
	}
	return RowData, ""
}

// isSerialNumber reports whether s (NFKC) looks like a 序号: digits, with
// perhaps a dot or a dash (1, 1.0, 2-1).
func isSerialNumber(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			digits++
		case r == '.' || r == '-':
		default:
			return false
		}
	}
	return digits > 0
}

// repeats reports whether cells, normalised, equal ref.
func (c *classifier) repeats(ref refRow, cells []string) bool {
	if NormalizeTitle(cells[ref.first]) != ref.cells[ref.first] {
		return false
	}
	for i := range max(len(cells), len(ref.cells)) {
		var want string
		if i < len(ref.cells) {
			want = ref.cells[i]
		}
		if NormalizeTitle(cell(cells, i)) != want {
			return false
		}
	}
	return true
}

// isBlank reports whether a cell is empty once spaces, including U+3000,
// no-break and zero-width spaces and a stray BOM, are trimmed.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '\u200b' && r != '\ufeff' {
			return false
		}
	}
	return true
}

// rowSource yields the rows of one sheet in order: its 1-based number and raw
// cells, a new slice each time (rows are buffered and handed to fn). ok is
// false at the end.
type rowSource func() (number int, cells []string, ok bool, err error)

// sheetReader is the part of a read shared by every sheet of every format:
// find the header in the first rows, then classify and hand on each row below it.
type sheetReader struct {
	idx       aliasIndex
	scan      int
	minFields int
	footers   []footerMarker
	emit      func(*SheetInfo, Row) error
	merges    *mergeFiller // the current sheet's vertical merged ranges; nil for none
}

// read reads one sheet. It sets si.Skipped when the sheet has no header; it
// returns the source's error wrapped, and an error of emit as is.
//
// Blank rows after the last non-blank row are neither emitted nor counted:
// Excel keeps formatted empty rows to the end of a sheet's used range, and
// they say nothing about the data.
func (sr *sheetReader) read(si *SheetInfo, next rowSource) error {
	var window [][]string
	var numbers []int
	for len(window) < sr.scan+1 { // one more row, for a two-row header on the last scanned row
		n, cells, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		window = append(window, cells)
		numbers = append(numbers, n)
	}
	h, ok := detectHeader(window, sr.idx, sr.scan, sr.minFields)
	if !ok {
		si.Skipped = skipReason(window, h, sr.scan, sr.minFields)
		return nil
	}
	si.Columns = h.cols
	si.Title = titleAbove(window[:h.rows[0]-1])
	for _, r := range h.rows {
		si.HeaderRows = append(si.HeaderRows, numbers[r-1])
	}
	last := h.rows[len(h.rows)-1] // data starts after it
	cl := newClassifier(h.cols, window[:last], h.rows, sr.footers)
	var blanks []pendingBlank
	handle := func(n int, cells []string) error {
		kind, reason := cl.classify(cells)
		if kind == RowBlank {
			blanks = addBlank(blanks, n, cells, reason)
			return nil
		}
		for _, b := range blanks {
			for m := b.first; m <= b.last; m++ {
				if err := sr.emitRow(si, Row{Number: m, Cells: fitCells(b.cells, len(h.cols)), Kind: RowBlank, Reason: b.reason}); err != nil {
					return err
				}
			}
		}
		blanks = blanks[:0]
		row := Row{Number: n, Cells: fitCells(cells, len(h.cols)), Kind: kind, Reason: reason}
		if kind == RowData {
			row.Filled = sr.merges.fill(n, row.Cells)
		}
		return sr.emitRow(si, row)
	}
	for i := last; i < len(window); i++ {
		if err := handle(numbers[i], window[i]); err != nil {
			return err
		}
	}
	window = nil // let the scan window go; a sheet can be long
	for {
		n, cells, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := handle(n, cells); err != nil {
			return err
		}
	}
}

func (sr *sheetReader) emitRow(si *SheetInfo, row Row) error {
	switch row.Kind {
	case RowData:
		si.Counts.Data++
	case RowBlank:
		si.Counts.Blank++
	case RowFooter:
		si.Counts.Footer++
	case RowRepeatHeader:
		si.Counts.Repeat++
	}
	si.Counts.Total++
	return sr.emit(si, row)
}

// pendingBlank is a run of blank rows waiting to learn whether a non-blank row
// follows. A run of rows with no cell text at all (the gaps of a sparse sheet)
// is kept as one entry, however long.
type pendingBlank struct {
	first, last int
	cells       []string // nil for rows with no cell text
	reason      string
}

func addBlank(blanks []pendingBlank, n int, cells []string, reason string) []pendingBlank {
	if slices.ContainsFunc(cells, func(s string) bool { return s != "" }) {
		return append(blanks, pendingBlank{first: n, last: n, cells: cells, reason: reason})
	}
	if k := len(blanks) - 1; k >= 0 && blanks[k].cells == nil && blanks[k].last == n-1 && blanks[k].reason == reason {
		blanks[k].last = n
		return blanks
	}
	return append(blanks, pendingBlank{first: n, last: n, reason: reason})
}

// fitCells returns cells as Row.Cells has them: padded with "" to width, and
// cut after the last non-empty cell beyond width. A row source never reuses a
// cells slice, so a row at least as wide as width is returned without a copy.
func fitCells(cells []string, width int) []string {
	n := len(cells)
	for n > width && cells[n-1] == "" {
		n--
	}
	if n >= width {
		return cells[:n:n]
	}
	out := make([]string, width)
	copy(out, cells)
	return out
}

// skipReason says in Chinese why no header was found in window.
func skipReason(window [][]string, best header, scan, minFields int) string {
	nonEmpty := false
	for _, r := range window {
		if slices.ContainsFunc(r, func(s string) bool { return !isBlank(s) }) {
			nonEmpty = true
			break
		}
	}
	if !nonEmpty {
		return "工作表为空"
	}
	var known []string
	for _, c := range best.cols {
		if c.Field != "" && c.Field != rules.FieldSerial {
			known = append(known, c.Title)
		}
	}
	if len(known) == 0 {
		return fmt.Sprintf("未找到表头（前%d行中没有可识别的列名），可能是汇总表或说明页", scan)
	}
	return fmt.Sprintf("未找到表头（前%d行中最多只认出%d个列名：%s；至少需要%d个），可能是汇总表或说明页",
		scan, len(known), strings.Join(known, "、"), minFields)
}

// titleAbove joins the texts of the rows above the header (the merged title
// 「宝龙街道同心社区流动党员摸排登记表」, a 填报单位 line), one line each.
func titleAbove(rows [][]string) string {
	var lines []string
	for _, r := range rows {
		var parts []string
		for _, c := range r {
			if t := strings.TrimSpace(c); t != "" {
				parts = append(parts, t)
			}
		}
		if len(parts) > 0 {
			lines = append(lines, strings.Join(parts, " "))
		}
	}
	return strings.Join(lines, "\n")
}

// firstAfterSerial is the first non-empty cell outside the 序号 column, or -1.
func (c *classifier) firstAfterSerial(cells []string) int {
	for i, v := range cells {
		if isBlank(v) || (i < len(c.serial) && c.serial[i]) {
			continue
		}
		return i
	}
	return -1
}

// sparse reports whether at most three cells of the row hold anything: a
// totals line, not a person.
func (c *classifier) sparse(cells []string) bool {
	n := 0
	for _, v := range cells {
		if !isBlank(v) {
			n++
		}
	}
	return n <= 3
}
