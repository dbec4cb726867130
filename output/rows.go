package output

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// A table's data rows are written straight into the workbook's zip entry
// when the workbook is saved, not through excelize's StreamWriter. SetRow
// builds a cell struct, escapes and copies every value two or three times
// and spills the sheet to a temporary file, to be read back and compressed:
// at 100,000 persons that was half of the workbook pool's CPU. excelize
// still writes everything around the rows (the sheet's properties, widths,
// panes, merged cells, title and header rows, auto-filter, validations);
// where a table's rows go, writeBlock streams an empty placeholder row,
// which the zip writer replaces with the rows as the sheet passes through
// it. The placeholder is `<row r="N"></row>` in the sheet's entry: N is the
// table's first data row, and no other row of the sheet has that number.

// sheetRows are the row blocks of one workbook that wait for its saving,
// by the zip entry of their sheet, in row order.
type sheetRows struct {
	blocks map[string][]rowBlock
}

// rowBlock is one table's title, header and data rows and what they are
// written with.
type rowBlock struct {
	sheet       string
	placeholder []byte
	top         int // the title row's number: the header is under it, the data rows from top+2
	table       table
	widths      []float64
	st          styles
}

// add queues t's title, header and rows for the sheet of sw, to replace the
// placeholder row at top, which the caller streams.
func (s *sheetRows) add(sw *excelize.StreamWriter, t table, top int, widths []float64, st styles) {
	if s.blocks == nil {
		s.blocks = map[string][]rowBlock{}
	}
	// excelize names a worksheet's part by its sheet ID (NewFile's first
	// sheet is sheet1, NewSheet's sheetN); a part that never shows the
	// placeholder fails the save, so a change there cannot go unnoticed.
	part := "xl/worksheets/sheet" + strconv.Itoa(sw.SheetID) + ".xml"
	st.rows = nil // the block needs the style IDs only, not the queue it is in
	s.blocks[part] = append(s.blocks[part], rowBlock{
		sheet:       t.sheet,
		placeholder: []byte(`<row r="` + strconv.Itoa(top) + `"></row>`),
		top:         top,
		table:       t,
		widths:      widths,
		st:          st,
	})
}

// rowsZip is a workbook's zip writer: deflate at its fastest level
// (fastZip), and the queued rows written into their sheets' entries.
type rowsZip struct {
	*zip.Writer
	out  io.Writer
	rows *sheetRows
	open *splicer // the entry being written, when it has rows to place
	done int      // entries whose rows are placed
	big  []string // entries past 4 GiB uncompressed: they need ZIP64
}

func (z *rowsZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.Writer.Create(name)
	if err != nil {
		return nil, err
	}
	blocks := z.rows.blocks[name]
	if len(blocks) == 0 {
		return w, nil
	}
	// A workbook may be saved more than once: the blocks stay queued.
	z.open = &splicer{name: name, w: w, blocks: blocks}
	return z.open, nil
}

// finish ends the entry being written: what it held back goes out, and
// every row block must have found its placeholder.
func (z *rowsZip) finish() error {
	s := z.open
	if s == nil {
		return nil
	}
	z.open = nil
	if err := s.flush(); err != nil {
		return err
	}
	if s.buf != nil {
		buf := s.buf[:0]
		rowBuffers.Put(&buf)
		s.buf = nil
	}
	if len(s.blocks) > 0 {
		b := s.blocks[0]
		return fmt.Errorf("sheet %q: the rows from row %d have no place in %s", b.sheet, b.top, s.name)
	}
	if s.size > math.MaxUint32 {
		z.big = append(z.big, s.name)
	}
	z.done++
	return nil
}

func (z *rowsZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	if z.done < len(z.rows.blocks) {
		return fmt.Errorf("the workbook has %d sheets with rows but only %d of their parts", len(z.rows.blocks), z.done)
	}
	if err := z.Writer.Close(); err != nil {
		return err
	}
	return markZip64(z.out, z.big)
}

// errZip64InMemory: a workbook with an entry past 4 GiB must be written
// through memory, where markZip64 can mend the entry's local header.
var errZip64InMemory = errors.New("past 4 GiB, so to be written through memory")

// markZip64 sets the version needed to extract of the named entries' local
// headers to 4.5: Excel calls a workbook corrupt when an entry past 4 GiB
// has ZIP64 sizes in the central directory (archive/zip writes them) but
// version 2.0 in its local header (archive/zip writes that before it knows
// the size). excelize does the same for the entries it knows are large.
func markZip64(out io.Writer, names []string) error {
	if len(names) == 0 {
		return nil
	}
	buf, ok := out.(*bytes.Buffer)
	if !ok {
		return fmt.Errorf("workbook entries %v: %w", names, errZip64InMemory)
	}
	data := buf.Bytes()
	sig := []byte{0x50, 0x4b, 0x03, 0x04}
	for off := 0; off+30 <= len(data); {
		i := bytes.Index(data[off:], sig)
		if i < 0 || off+i+30 > len(data) {
			break
		}
		h := data[off+i:]
		nameLen := int(binary.LittleEndian.Uint16(h[26:28]))
		if 30+nameLen <= len(h) {
			for _, n := range names {
				if string(h[30:30+nameLen]) == n {
					binary.LittleEndian.PutUint16(h[4:6], 45)
				}
			}
		}
		off += i + 4
	}
	return nil
}

// Rows go to their zip entry about rowFlushSize bytes at a time, from a
// buffer with room for that and a long row after it. The buffers are
// reused from workbook to workbook (rowBuffers: a cache of allocations,
// no state; a buffer is emptied before use): grown anew for each of a 1M
// night's sheets they were 0.75 GB of the output stage's allocations.
const (
	rowFlushSize  = 64 << 10
	rowBufferSize = rowFlushSize + 16<<10
)

var rowBuffers sync.Pool

// splicer passes a sheet's entry through and writes each row block where
// its placeholder was.
type splicer struct {
	name   string
	w      io.Writer
	blocks []rowBlock
	held   []byte   // the end of the last write: a placeholder may begin there
	size   int64    // bytes written to the entry
	buf    []byte   // rows on their way to the entry
	cols   [][]byte // column names: A, B, …
}

func (s *splicer) Write(p []byte) (int, error) {
	n := len(p)
	if len(s.blocks) == 0 && len(s.held) == 0 {
		return n, s.put(p)
	}
	data := append(s.held, p...)
	s.held = s.held[:0]
	for len(s.blocks) > 0 {
		b := s.blocks[0]
		i := bytes.Index(data, b.placeholder)
		if i < 0 {
			break
		}
		if err := s.put(data[:i]); err != nil {
			return 0, err
		}
		if err := s.writeRows(b); err != nil {
			return 0, err
		}
		data = data[i+len(b.placeholder):]
		s.blocks = s.blocks[1:]
	}
	if len(s.blocks) > 0 {
		keep := min(len(data), len(s.blocks[0].placeholder)-1)
		s.held = append(s.held[:0], data[len(data)-keep:]...)
		data = data[:len(data)-keep]
	}
	return n, s.put(data)
}

func (s *splicer) flush() error {
	err := s.put(s.held)
	s.held = nil
	return err
}

func (s *splicer) put(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	s.size += int64(len(p))
	_, err := s.w.Write(p)
	return err
}

// writeRows writes b's title and header rows and its data rows as
// excelize's SetRow would: inline strings and numbers, each cell with its
// style and reference, a row with wrapped text as tall as its lines.
func (s *splicer) writeRows(b rowBlock) error {
	if err := s.columns(len(b.table.cols), b); err != nil {
		return err
	}
	if s.buf == nil {
		if p, ok := rowBuffers.Get().(*[]byte); ok {
			s.buf = (*p)[:0]
		} else {
			s.buf = make([]byte, 0, rowBufferSize)
		}
	}
	s.buf = appendTitleRows(s.buf, b, s.cols)
	first := b.top + 2
	err := b.table.each(func(i int, r []any) error {
		if err := s.columns(len(r), b); err != nil {
			return err
		}
		var err error
		if s.buf, err = appendRow(s.buf, b, first+i, r, s.cols); err != nil {
			return err
		}
		if len(s.buf) >= rowFlushSize {
			if err := s.put(s.buf); err != nil {
				return err
			}
			s.buf = s.buf[:0]
		}
		return nil
	})
	if err == nil {
		err = s.put(s.buf)
	}
	s.buf = s.buf[:0]
	return err
}

// columns makes sure s.cols names the first n columns.
func (s *splicer) columns(n int, b rowBlock) error {
	for len(s.cols) < n {
		name, err := excelize.ColumnNumberToName(len(s.cols) + 1)
		if err != nil {
			return fmt.Errorf("sheet %q row %d: %w", b.sheet, b.top, err)
		}
		s.cols = append(s.cols, []byte(name))
	}
	return nil
}

// The fonts of a title's two runs of rich text, the title and its note, as
// excelize writes them (writeTitle's Font{Bold: true, Size: 16, Family: 宋体}
// and Font{Size: 11, Family: 宋体}); TestTitlesLikeSetRow compares them.
const (
	titleRunFont = `<rPr><rFont val="宋体"></rFont><family val="2"></family><b val="1"></b><color></color><sz val="16"></sz></rPr>`
	noteRunFont  = `<rPr><rFont val="宋体"></rFont><family val="2"></family><color></color><sz val="11"></sz></rPr>`
)

// appendTitleRows appends the XML of b's title row (the title over the left
// columns, the run date over the last two, or after the title when the
// table is narrow; with its note under it in smaller type) and its header
// row, as writeTitle laid them out for excelize's SetRow.
func appendTitleRows(dst []byte, b rowBlock, cols [][]byte) []byte {
	t, st := b.table, b.st
	n := len(t.cols)
	date := "运行日期：" + t.date
	num := strconv.AppendInt(nil, int64(b.top), 10)
	dst = append(dst, `<row r="`...)
	dst = append(dst, num...)
	dst = append(dst, `" ht="`...)
	dst = strconv.AppendFloat(dst, titleHeight(t, b.widths), 'f', -1, 64)
	dst = append(dst, `" customHeight="1">`...)
	// cell opens the cell of column col in the row numbered num.
	cell := func(dst []byte, col int, num []byte) []byte {
		dst = append(dst, `<c r="`...)
		dst = append(dst, cols[col]...)
		return append(dst, num...)
	}
	switch {
	case n < 4:
		dst = appendStringCell(cell(dst, 0, num), st.title, t.title+"　"+date)
	case t.richTitle():
		dst = append(cell(dst, 0, num), `" s="`...)
		dst = strconv.AppendInt(dst, int64(st.titleNote), 10)
		dst = append(dst, `" t="inlineStr"><is><r>`+titleRunFont...)
		dst = appendRunText(dst, t.title)
		dst = append(dst, `</r><r>`+noteRunFont...)
		dst = appendRunText(dst, "\n"+t.note)
		dst = append(dst, `</r></is></c>`...)
	default:
		dst = appendStringCell(cell(dst, 0, num), st.title, t.title)
	}
	if n >= 4 {
		dst = appendStringCell(cell(dst, n-2, num), st.date, date)
	}
	header := strconv.AppendInt(nil, int64(b.top+1), 10)
	dst = append(dst, `</row><row r="`...)
	dst = append(dst, header...)
	dst = append(dst, `" ht="24" customHeight="1">`...)
	for i, c := range t.cols {
		dst = appendStringCell(cell(dst, i, header), st.header, c)
	}
	return append(dst, `</row>`...)
}

// appendRunText appends a run of rich text as excelize writes it: <t>, with
// xml:space="preserve" when s begins or ends with white space, and s
// escaped, line breaks too.
func appendRunText(dst []byte, s string) []byte {
	dst = append(dst, `<t`...)
	if preserveSpace(s) {
		dst = append(dst, ` xml:space="preserve"`...)
	}
	dst = append(dst, '>')
	dst = appendText(dst, s, true)
	return append(dst, `</t>`...)
}

// preserveSpace reports whether s begins or ends with white space that XML
// keeps only when told to.
func preserveSpace(s string) bool {
	if s == "" {
		return false
	}
	space := func(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }
	return space(s[0]) || space(s[len(s)-1])
}

// appendRow appends the XML of b's row numbered row (its cells r) to dst.
func appendRow(dst []byte, b rowBlock, row int, r []any, cols [][]byte) ([]byte, error) {
	var numBuf, cellBuf [32]byte // on the stack: a row's numbers are copied into dst
	num := strconv.AppendInt(numBuf[:0], int64(row), 10)
	dst = append(dst, `<row r="`...)
	dst = append(dst, num...)
	dst = append(dst, '"')
	if h := rowHeight(r, b.widths).Height; h > 0 {
		dst = append(dst, ` ht="`...)
		dst = strconv.AppendFloat(dst, h, 'f', -1, 64)
		dst = append(dst, `" customHeight="1"`...)
	}
	dst = append(dst, '>')
	for j, v := range r {
		dst = append(dst, `<c r="`...)
		dst = append(dst, cols[j]...)
		dst = append(dst, num...)
		switch v := v.(type) {
		case string:
			dst = appendStringCell(dst, b.st.text, v)
		case *string:
			dst = appendStringCell(dst, b.st.text, *v)
		case int:
			dst = appendNumberCell(dst, b.st.number, strconv.AppendInt(cellBuf[:0], int64(v), 10))
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				dst = appendStringCell(dst, b.st.number, strconv.FormatFloat(v, 'g', -1, 64))
				break
			}
			dst = appendNumberCell(dst, b.st.number, appendExcelFloat(cellBuf[:0], v))
		default:
			return nil, fmt.Errorf("sheet %q row %d: cell of type %T", b.sheet, row, v)
		}
	}
	return append(dst, `</row>`...), nil
}

func appendNumberCell(dst []byte, style int, v []byte) []byte {
	dst = append(dst, `" s="`...)
	dst = strconv.AppendInt(dst, int64(style), 10)
	dst = append(dst, `"><v>`...)
	dst = append(dst, v...)
	return append(dst, `</v></c>`...)
}

func appendStringCell(dst []byte, style int, v string) []byte {
	dst = append(dst, `" s="`...)
	dst = strconv.AppendInt(dst, int64(style), 10)
	dst = append(dst, `" t="inlineStr"><is><t`...)
	if preserveSpace(v) {
		dst = append(dst, ` xml:space="preserve"`...)
	}
	dst = append(dst, '>')
	dst = appendText(dst, v, false)
	return append(dst, `</t></is></c>`...)
}

// maxCellUnits is the most a cell holds: 32,767 UTF-16 code units. excelize
// cuts longer text there, and so does this writer.
const maxCellUnits = 32767

// appendCellText appends s escaped for a cell's text: the XML specials
// escaped, a carriage return kept as a reference, characters XML cannot
// hold (control characters, broken UTF-8) as U+FFFD, and text that reads
// as Excel's own escape (_x0041_) escaped itself (_x005F_x0041_), as
// excelize writes them.
func appendCellText(dst []byte, s string) []byte { return appendText(dst, s, false) }

// appendText is appendCellText, with line breaks as references too when
// newlines is set, as excelize writes a run of rich text.
func appendText(dst []byte, s string, newlines bool) []byte {
	units := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			units++
			if units > maxCellUnits {
				return dst
			}
			switch {
			case c == '&':
				dst = append(dst, "&amp;"...)
			case c == '<':
				dst = append(dst, "&lt;"...)
			case c == '>':
				dst = append(dst, "&gt;"...)
			case c == '"':
				dst = append(dst, "&#34;"...)
			case c == '\'':
				dst = append(dst, "&#39;"...)
			case c == '\r':
				dst = append(dst, "&#xD;"...)
			case c == '\t':
				dst = append(dst, "&#x9;"...)
			case c == '\n' && newlines:
				dst = append(dst, "&#xA;"...)
			case c == '\n':
				dst = append(dst, '\n')
			case c < 0x20:
				dst = append(dst, "\uFFFD"...)
			case c == '_' && isExcelEscape(s[i:]):
				dst = append(dst, "_x005F_"...)
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n := utf16.RuneLen(r)
		if r == utf8.RuneError && size == 1 {
			n = 1
		}
		if units+n > maxCellUnits {
			return dst
		}
		units += n
		if r == utf8.RuneError && size == 1 || !xmlChar(r) {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// isExcelEscape reports whether s begins with _xHHHH_.
func isExcelEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// xmlChar reports whether XML 1.0 can hold r (above ASCII).
func xmlChar(r rune) bool {
	return r <= 0xD7FF || 0xE000 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0x10FFFF
}

// appendExcelFloat appends v as excelize writes a float: the shortest
// decimal, cut after Excel's 15 significant digits (an integer part's
// further digits become zeros).
func appendExcelFloat(dst []byte, v float64) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
	s := dst[start:]
	point := bytes.IndexByte(s, '.')
	digits := 0
	for i, c := range s {
		if c < '0' || c > '9' || digits == 0 && c == '0' {
			continue
		}
		digits++
		if digits <= 15 {
			continue
		}
		if point >= 0 && i > point {
			return bytes.TrimSuffix(dst[:start+i], []byte("."))
		}
		if point < 0 {
			point = len(s)
		}
		for ; i < point; i++ {
			s[i] = '0'
		}
		return dst[:start+point]
	}
	return dst
}
