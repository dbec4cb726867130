package pdf

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The page, in millimetres: A4 portrait.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginTop    = 25.0
	marginBottom = 25.0
	marginLeft   = 22.0
	marginRight  = 22.0
	footerLine   = pageH - 14 // baseline of the page numbers
	contentW     = pageW - marginLeft - marginRight
	bottom       = pageH - marginBottom

	mmPerPt = 25.4 / 72
)

// Default sizes in points, after GB/T 9704 (党政机关公文格式).
const (
	headingSize   = 22   // 二号
	paragraphSize = 16   // 三号
	tableSize     = 10.5 // 五号
	footerSize    = 10.5
	stampLabel    = 10.5
	stampDiameter = 40.0 // mm
)

// Line heights as multiples of the font size.
const (
	headingLeading   = 1.45
	paragraphLeading = 1.75
	tableLeading     = 1.4
)

// geta (〓) stands in for a rune fpdf cannot encode (outside the BMP), so
// that it is not printed as some other character.
const geta = '〓'

// layout places a document's blocks on pages; drawing comes after, when the
// page count is known.
type layout struct {
	font  *Font
	pages [][]op
	y     float64 // top of the free space on the last page
	// sig is where the last block, when it was a Signature, stands: a
	// StampBox after it is centred under it.
	sig *float64
}

func layoutDocument(d Document, f *Font) ([][]op, error) {
	l := &layout{font: f}
	l.newPage()
	for i, b := range d.Blocks {
		var err error
		sig := l.sig
		l.sig = nil
		switch b := b.(type) {
		case Heading:
			l.heading(b)
		case Paragraph:
			l.paragraph(b)
		case Table:
			err = l.table(b)
		case Signature:
			l.signature(b)
		case Spacer:
			l.spacer(b.Height)
		case StampBox:
			l.stamp(b, sig)
		case nil:
			err = errors.New("is nil")
		default:
			err = fmt.Errorf("is a %T, not a block of this package", b)
		}
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", i+1, err)
		}
	}
	if d.Footer {
		n := len(l.pages)
		for i := range l.pages {
			s := fmt.Sprintf("第 %d 页 共 %d 页", i+1, n)
			x := (pageW - l.width(s, footerSize)) / 2
			l.pages[i] = append(l.pages[i], textOp{x: x, y: footerLine, size: footerSize, s: s})
		}
	}
	return l.pages, nil
}

func (l *layout) newPage() {
	l.pages = append(l.pages, nil)
	l.y = marginTop
}

// room starts a new page unless h millimetres fit below y (or the page is
// still empty: then nothing would fit better on the next one).
func (l *layout) room(h float64) {
	if l.y+h > bottom && len(l.pages[len(l.pages)-1]) > 0 {
		l.newPage()
	}
}

func (l *layout) add(o op) {
	p := len(l.pages) - 1
	l.pages[p] = append(l.pages[p], o)
}

// width is the width of s at size points, in millimetres.
func (l *layout) width(s string, size float64) float64 {
	u := 0
	for _, r := range s {
		u += l.font.advance(r)
	}
	return float64(u) * size * mmPerPt / 1000
}

// runeWidth returns the width function of runes at size points.
func (l *layout) runeWidth(size float64) func(rune) float64 {
	return func(r rune) float64 { return float64(l.font.advance(r)) * size * mmPerPt / 1000 }
}

// baseline is where text of size points sits in a line box from top of
// height h: the ideographic em box (-0.12 to 0.88 em) centred.
func baseline(top, h, size float64) float64 {
	return top + h/2 + 0.38*size*mmPerPt
}

// line places one line of text in the box [x, x+w] at the current y.
func (l *layout) line(s string, x, w, size, lh float64, align Align, last, bold bool) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	tw := l.width(s, size)
	t := textOp{x: x, y: baseline(l.y, lh, size), size: size, s: s, bold: bold}
	switch align {
	case AlignCenter:
		t.x += (w - tw) / 2
	case AlignRight:
		t.x += w - tw
	case AlignJustify:
		// Spread what is left over the gaps between characters, unless it
		// would open gaps wider than half a character (a line broken early
		// before a long word): then leave it flush left.
		if n := utf8.RuneCountInString(s); !last && n > 1 && tw < w {
			if gap := (w - tw) / float64(n-1); gap <= 0.5*size*mmPerPt {
				t.spacing = gap
			}
		}
	}
	l.add(t)
}

func (l *layout) heading(b Heading) {
	size := or(b.Size, headingSize)
	lh := size * mmPerPt * headingLeading
	align := b.Align
	if align == AlignDefault {
		align = AlignCenter
	}
	var lines []string
	for _, p := range strings.Split(clean(b.Text), "\n") {
		lines = append(lines, orBlank(wrap(p, contentW, contentW, l.runeWidth(size)))...)
	}
	// Keep the heading with at least a line of what follows.
	l.room(float64(len(lines))*lh + 15)
	for i, s := range lines {
		l.line(s, marginLeft, contentW, size, lh, align, i == len(lines)-1, true)
		l.y += lh
	}
	l.y += 0.5 * lh
}

func (l *layout) paragraph(b Paragraph) {
	size := or(b.Size, paragraphSize)
	lh := size * mmPerPt * paragraphLeading
	align := b.Align
	if align == AlignDefault {
		align = AlignJustify
	}
	indent := 0.0
	if b.Indent {
		indent = 2 * size * mmPerPt
	}
	for _, p := range strings.Split(clean(b.Text), "\n") {
		lines := orBlank(wrap(p, contentW-indent, contentW, l.runeWidth(size)))
		for i, s := range lines {
			l.room(lh)
			x, w := marginLeft, contentW
			if i == 0 {
				x, w = x+indent, w-indent
			}
			l.line(s, x, w, size, lh, align, i == len(lines)-1, false)
			l.y += lh
		}
	}
}

// cell is a table cell wrapped into lines.
type cell []string

func (l *layout) cells(texts []string, cols []Column, widths []float64, size float64) (cells []cell, lines int) {
	cells = make([]cell, len(cols))
	for i := range cols {
		t := ""
		if i < len(texts) {
			t = texts[i]
		}
		for _, p := range strings.Split(clean(t), "\n") {
			cells[i] = append(cells[i], wrap(p, widths[i]-2*cellPadX, widths[i]-2*cellPadX, l.runeWidth(size))...)
		}
		lines = max(lines, len(cells[i]), 1)
	}
	return cells, lines
}

// Table cell padding, millimetres.
const (
	cellPadX = 1.5
	cellPadY = 1.2
)

func (l *layout) table(b Table) error {
	if len(b.Columns) == 0 {
		return errors.New("table has no columns")
	}
	size := or(b.Size, tableSize)
	lh := size * mmPerPt * tableLeading
	total := 0.0
	for _, c := range b.Columns {
		total += or(c.Width, 1)
	}
	widths := make([]float64, len(b.Columns))
	for i, c := range b.Columns {
		widths[i] = contentW * or(c.Width, 1) / total
	}
	titles := make([]string, len(b.Columns))
	for i, c := range b.Columns {
		titles[i] = c.Title
	}
	head, headLines := l.cells(titles, b.Columns, widths, size)
	headH := float64(headLines)*lh + 2*cellPadY

	drawRow := func(cells []cell, h float64, header bool) {
		x := marginLeft
		for i, c := range cells {
			l.add(rectOp{x: x, y: l.y, w: widths[i], h: h, fill: header})
			align := b.Columns[i].Align
			if header {
				align = AlignCenter
			}
			if align == AlignDefault || align == AlignJustify {
				align = AlignLeft
			}
			y := l.y
			l.y += (h - float64(len(c))*lh) / 2 // centred vertically
			for j, s := range c {
				l.line(s, x+cellPadX, widths[i]-2*cellPadX, size, lh, align, j == len(c)-1, header)
				l.y += lh
			}
			l.y = y
			x += widths[i]
		}
		l.y += h
	}

	for i, row := range b.Rows {
		if len(row) > len(b.Columns) {
			return fmt.Errorf("table row %d has %d cells for %d columns", i+1, len(row), len(b.Columns))
		}
		cells, n := l.cells(row, b.Columns, widths, size)
		h := float64(n)*lh + 2*cellPadY
		if headH+h > bottom-marginTop {
			return fmt.Errorf("table row %d is taller than a page", i+1)
		}
		switch {
		case i == 0:
			l.room(headH + h)
			drawRow(head, headH, true)
		case l.y+h > bottom:
			l.newPage()
			drawRow(head, headH, true)
		}
		drawRow(cells, h, false)
	}
	if len(b.Rows) == 0 {
		l.room(headH)
		drawRow(head, headH, true)
	}
	l.y += 4
	return nil
}

func (l *layout) signature(b Signature) {
	size := or(b.Size, paragraphSize)
	lh := size * mmPerPt * paragraphLeading
	var lines []string
	w := 0.0
	for _, s := range b.Lines {
		for _, p := range strings.Split(clean(s), "\n") {
			lines = append(lines, p)
			w = max(w, l.width(p, size))
		}
	}
	w = min(w, contentW)
	x := pageW - marginRight - 2*size*mmPerPt - w
	if x < marginLeft {
		x = marginLeft
	}
	l.y += lh
	l.room(float64(len(lines)) * lh)
	for _, s := range lines {
		l.line(s, x, w, size, lh, AlignCenter, true, false)
		l.y += lh
	}
	centre := x + w/2
	l.sig = &centre
}

func (l *layout) spacer(h float64) {
	if l.y+h > bottom {
		l.newPage()
		return
	}
	l.y += h
}

func (l *layout) stamp(b StampBox, sig *float64) {
	d := or(b.Size, stampDiameter)
	cx := pageW - marginRight - d/2
	if sig != nil {
		cx = min(*sig, cx)
	}
	l.room(d + 4)
	l.y += 2
	cy := l.y + d/2
	l.add(circleOp{x: cx, y: cy, r: d / 2})
	label := clean(b.label())
	w := l.width(label, stampLabel)
	l.add(textOp{x: cx - w/2, y: cy + 0.38*stampLabel*mmPerPt, size: stampLabel, s: label, gray: true})
	l.y += d + 2
}

// clean makes text printable: tabs become spaces, other control characters
// (but newlines) are dropped, and runes outside the BMP, which fpdf cannot
// encode, become 〓.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF || r == utf8.RuneError:
			return geta
		}
		return r
	}, s)
}

// orBlank keeps an empty paragraph as one blank line.
func orBlank(lines []string) []string {
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

func or(v, def float64) float64 {
	if v <= 0 {
		return def
	}
	return v
}
