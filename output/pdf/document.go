package pdf

import "time"

// Document is one PDF document: a letter (结对函), a report (情况通报) or a
// certificate (活动认证书), as a list of blocks laid out top to bottom on A4
// portrait pages.
type Document struct {
	Title  string    // PDF metadata title
	Author string    // PDF metadata author, e.g. the issuing body
	Date   time.Time // PDF creation date; zero: the PDF carries no date
	Blocks []Block
	Footer bool // page numbers "第 N 页 共 M 页" centred at the bottom of each page
}

// Block is one part of a Document: Heading, Paragraph, Table, Signature,
// Spacer or StampBox.
type Block interface {
	texts() []string
}

// Align is the horizontal alignment of text.
type Align int

// Alignments; AlignDefault is each block's usual one (see the block).
const (
	AlignDefault Align = iota
	AlignLeft
	AlignCenter
	AlignRight
	AlignJustify // both edges, the last line left (Chinese body text)
)

// Sizes are in points (pt), lengths in millimetres. A zero Size is the
// block's default.

// Heading is a title, e.g. "关于流动党员双向共管的结对函": centred unless Align
// says otherwise, 22 pt (二号) unless Size says otherwise, drawn bold, kept
// on the page of what follows it. A newline in Text breaks the line.
type Heading struct {
	Text  string
	Size  float64
	Align Align
}

// Paragraph is body text, 16 pt (三号) unless Size says otherwise, justified
// unless Align says otherwise. Indent indents the first line by two
// characters. Lines break between any two Chinese characters, Latin words
// only at spaces, and never start with closing punctuation (，。、；：？！）》
// …): the character before moves down with it. A newline in Text starts a
// new paragraph.
type Paragraph struct {
	Text   string
	Indent bool
	Size   float64
	Align  Align
}

// Table is a table with a header row of column titles, 10.5 pt (五号) unless
// Size says otherwise. Cells wrap inside their column; a row is never split
// across pages and the header row repeats at the top of every page. A row
// may have fewer cells than columns (the rest are blank), not more.
type Table struct {
	Columns []Column
	Rows    [][]string
	Size    float64
}

// Column is a column of a Table: its title, its width as a weight relative
// to the other columns' (zero counts as 1) and the alignment of its cells
// (left by default; titles are centred).
type Column struct {
	Title string
	Width float64
	Align Align
}

// Signature is the block at the end of a letter with the issuing body and
// the date, one a line: the lines are centred on each other and the block
// stands at the right, two characters from the margin, one blank line below
// what precedes it. Size is 16 pt unless set.
type Signature struct {
	Lines []string
	Size  float64
}

// Spacer is vertical space of Height millimetres; when it does not fit on
// the page, the page ends there instead.
type Spacer struct {
	Height float64
}

// StampBox is the place for the stamp (盖章): a dashed circle of Size
// millimetres across (40 by default) with Label inside ("（盖章）" by
// default). It stands at the right, centred under a Signature it follows.
type StampBox struct {
	Label string
	Size  float64
}

func (b Heading) texts() []string   { return []string{b.Text} }
func (b Paragraph) texts() []string { return []string{b.Text} }
func (b Signature) texts() []string { return b.Lines }
func (b Spacer) texts() []string    { return nil }
func (b StampBox) texts() []string  { return []string{b.label()} }

func (b Table) texts() []string {
	var ts []string
	for _, c := range b.Columns {
		ts = append(ts, c.Title)
	}
	for _, row := range b.Rows {
		ts = append(ts, row...)
	}
	return ts
}

func (b StampBox) label() string {
	if b.Label == "" {
		return "（盖章）"
	}
	return b.Label
}

// Missing returns every rune in the document's text (title, author and
// blocks) that font f has no glyph for, in order of first appearance. Render
// does not check: a rune the font lacks prints as the font's empty .notdef
// glyph, so callers check Missing first and report what it finds.
func (d Document) Missing(f *Font) []rune {
	var all []rune
	seen := map[rune]bool{}
	add := func(s string) {
		for _, r := range f.Missing(s) {
			if !seen[r] {
				seen[r] = true
				all = append(all, r)
			}
		}
	}
	add(d.Title)
	add(d.Author)
	for _, b := range d.Blocks {
		for _, t := range b.texts() {
			add(t)
		}
	}
	return all
}
