package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// Render lays out d on A4 portrait pages and returns the PDF, with the
// glyphs d uses embedded (a subset of the font, not the whole file). The
// same Document and Font give the same bytes. Render does not check glyphs:
// call d.Missing(f) first and report what it returns, as a rune the font
// lacks prints as the font's empty .notdef glyph (a rune outside the BMP as
// 〓). An error names the block that cannot be laid out (e.g. a table row
// taller than a page).
func Render(d Document, f *Font) ([]byte, error) {
	return render([]Document{d}, f)
}

// RenderAll renders documents into one PDF, e.g. every letter of a branch
// for mailing: each document starts on a new page and has its own page
// numbers (第 N 页 共 M 页 counts the pages of that document), and a
// bookmark with its Title. The file's metadata (title, author, date) are
// those of the first document. Fonts are prepared once for the whole file.
func RenderAll(ds []Document, f *Font) ([]byte, error) {
	if len(ds) == 0 {
		return nil, errors.New("render PDF: no documents")
	}
	return render(ds, f)
}

// noDate is the creation date fpdf is given for a Document without Date;
// it is blanked from the output.
var noDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func render(ds []Document, f *Font) (out []byte, err error) {
	if f == nil {
		return nil, errors.New("render PDF: no font")
	}
	pages := make([][][]op, len(ds))
	for i, d := range ds {
		if pages[i], err = layoutDocument(d, f); err != nil {
			if len(ds) > 1 {
				return nil, fmt.Errorf("render PDF: document %d (%s): %w", i+1, d.Title, err)
			}
			return nil, fmt.Errorf("render PDF: %w", err)
		}
	}

	// fpdf panics on some malformed input instead of returning an error.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("render PDF: fpdf: %v", r)
		}
	}()
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	p.SetCatalogSort(true)
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(0, 0, 0)
	meta := ds[0]
	p.SetTitle(clean(meta.Title), true)
	p.SetAuthor(clean(meta.Author), true)
	date := noDate
	if !meta.Date.IsZero() {
		date = meta.Date
	}
	p.SetCreationDate(date)
	p.SetModificationDate(date)
	for i, b := range f.embed(pages) {
		if b != nil {
			p.AddUTF8FontFromBytes(family(i), "", b)
		}
	}
	p.SetFont(family(0), "", paragraphSize)
	p.SetLineWidth(0.2)
	dr := &drawer{p: p, font: f, size: paragraphSize}
	for i, doc := range pages {
		for j, ops := range doc {
			p.AddPage() // restates the current font
			if j == 0 && len(ds) > 1 && ds[i].Title != "" {
				p.Bookmark(clean(ds[i].Title), 0, 0)
			}
			for _, o := range ops {
				o.draw(dr)
			}
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}
	out = buf.Bytes()
	if meta.Date.IsZero() {
		out = blankDate(out)
	}
	return out, nil
}

// family is the name fpdf knows face i by.
func family(i int) string { return fmt.Sprintf("face%d", i) }

// embed returns the font each face gives fpdf for these pages (nil for a
// face they do not use, but the first): a subset with the glyphs of their
// text when it can be made, else the whole file.
func (f *Font) embed(pages [][][]op) [][]byte {
	cmaps := make([]map[rune]uint16, len(f.faces))
	for _, doc := range pages {
		for _, ops := range doc {
			for _, o := range ops {
				t, ok := o.(textOp)
				if !ok {
					continue
				}
				for _, r := range t.s {
					if i, ok := f.face(r); ok {
						if cmaps[i] == nil {
							cmaps[i] = map[rune]uint16{}
						}
						cmaps[i][r] = f.faces[i].gid[r]
					}
				}
			}
		}
	}
	fonts := make([][]byte, len(f.faces))
	for i, fc := range f.faces {
		switch {
		case cmaps[i] == nil && i > 0:
		case fc.sub == nil:
			fonts[i] = fc.data
		default:
			fonts[i] = fc.sub.subset(cmaps[i])
		}
	}
	return fonts
}

// blankDate replaces the placeholder dates in the document information
// dictionary with spaces of the same length, so that no offset changes.
func blankDate(pdf []byte) []byte {
	stamp := "(D:" + noDate.Format("20060102150405") + ")"
	for _, key := range []string{"/CreationDate ", "/ModDate "} {
		entry := []byte(key + stamp)
		if i := bytes.Index(pdf, entry); i >= 0 {
			copy(pdf[i:], bytes.Repeat([]byte(" "), len(entry)))
		}
	}
	return pdf
}

// check renders a small document, so that a font fpdf cannot embed is
// refused by LoadFont rather than by the first Render.
func (f *Font) check() error {
	_, err := Render(Document{Blocks: []Block{Paragraph{Text: "中文 Abc 123，。“”"}}}, f)
	return err
}

// op is one thing drawn on a page.
type op interface {
	draw(*drawer)
}

// drawer draws ops with fpdf, remembering the font set.
type drawer struct {
	p    *fpdf.Fpdf
	font *Font
	face int
	size float64
}

func (d *drawer) setFont(face int, size float64) {
	if face != d.face || size != d.size {
		d.p.SetFont(family(face), "", size)
		d.face, d.size = face, size
	}
}

// textOp is one line of text; y is its baseline.
type textOp struct {
	x, y, size float64
	s          string
	spacing    float64 // extra space after each character, mm (justification)
	bold       bool    // simulated: outlines stroked as well as filled
	gray       bool
}

// draw draws the text in runs of the same face.
func (t textOp) draw(d *drawer) {
	if t.s == "" {
		return
	}
	var state string
	if t.bold {
		state += fmt.Sprintf(" 2 Tr %.2f w", 0.025*t.size)
	}
	if t.spacing != 0 {
		state += fmt.Sprintf(" %.3f Tc", t.spacing/mmPerPt)
	}
	if t.gray {
		d.p.SetTextColor(110, 110, 110)
	}
	// q … Q also saves and restores the font: fpdf is told of the restore.
	face, size := d.face, d.size
	if state != "" {
		d.p.RawWriteStr("q" + state)
	}
	x := t.x
	start, runFace := 0, -1
	flush := func(end int) {
		if end > start {
			d.setFont(runFace, t.size)
			d.p.Text(x, t.y, t.s[start:end])
			for _, r := range t.s[start:end] {
				x += float64(d.font.advance(r))*t.size*mmPerPt/1000 + t.spacing
			}
		}
		start = end
	}
	for i, r := range t.s {
		if fc, _ := d.font.face(r); fc != runFace {
			flush(i)
			runFace = fc
		}
	}
	flush(len(t.s))
	if state != "" {
		d.p.RawWriteStr("Q")
		d.face, d.size = -1, 0
		d.setFont(face, size)
	}
	if t.gray {
		d.p.SetTextColor(0, 0, 0)
	}
}

// rectOp is a table cell's border, filled light grey for a header cell.
type rectOp struct {
	x, y, w, h float64
	fill       bool
}

func (r rectOp) draw(d *drawer) {
	if r.fill {
		d.p.SetFillColor(235, 235, 235)
		d.p.Rect(r.x, r.y, r.w, r.h, "FD")
		return
	}
	d.p.Rect(r.x, r.y, r.w, r.h, "D")
}

// circleOp is the dashed outline of a stamp's place.
type circleOp struct {
	x, y, r float64
}

func (c circleOp) draw(d *drawer) {
	d.p.SetDrawColor(150, 150, 150)
	d.p.SetDashPattern([]float64{2, 1.5}, 0)
	d.p.Circle(c.x, c.y, c.r, "D")
	d.p.SetDashPattern(nil, 0)
	d.p.SetDrawColor(0, 0, 0)
}
