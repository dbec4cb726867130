package ingest

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/baolong/liudong/rules"
)

// SheetInfo describes one sheet and its detected header.
type SheetInfo struct {
	Name       string   // "" for CSV
	HeaderRows []int    // 1-based row numbers forming the header (one or two rows); nil when skipped
	Columns    []Column // one per physical column of the header, in order
	Skipped    string   // non-empty when the sheet was skipped: why, in Chinese
	Title      string   // the text above the header (a merged title row), one line per row
	Counts     RowCounts
	// Date1904 repeats FileInfo.Date1904 so that a row callback, which sees
	// only the sheet, can convert date serials.
	Date1904 bool
}

// Column is one column of a sheet's header.
type Column struct {
	Index  int         // 0-based
	Letter string      // "A", "B", … "AA"
	Title  string      // header text as shown; for a two-row header "group/sub" (e.g. "联系方式/手机"); NFKC-trimmed
	Field  rules.Field // canonical field, "" when no alias matched
}

// Defaults of ReadOptions.
const (
	defaultHeaderScanRows  = 10
	defaultMinHeaderFields = 2
)

// aliasIndex matches column titles to fields: exactly, after normalising,
// and failing that by the longest alias the title contains (本人身份证号码,
// 流动党员手机号码), when that alias is most of the title and no other
// field's alias of the same length is in it too.
type aliasIndex struct {
	exact map[string]rules.Field
	byLen []aliasEntry // longest first
}

type aliasEntry struct {
	alias string
	runes int
	field rules.Field
}

// containMinRunes and containMinShare bound the contained-alias match: an
// alias of one character, or one that is a small part of a long title
// (填报单位：同心社区), says too little.
const (
	containMinRunes = 2
	containMinShare = 0.4
)

// newAliasIndex normalises every alias. When two fields share an alias (a
// configuration error the lead's Validate reports), the field that sorts
// first keeps it, so the result does not depend on map order.
func newAliasIndex(aliases map[rules.Field][]string) aliasIndex {
	fields := make([]rules.Field, 0, len(aliases))
	for f := range aliases {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	idx := aliasIndex{exact: map[string]rules.Field{}}
	for _, f := range fields {
		if f == "" {
			continue
		}
		for _, a := range aliases[f] {
			n := NormalizeTitle(a)
			if _, taken := idx.exact[n]; n != "" && !taken {
				idx.exact[n] = f
				if k := utf8.RuneCountInString(n); k >= containMinRunes {
					idx.byLen = append(idx.byLen, aliasEntry{alias: n, runes: k, field: f})
				}
			}
		}
	}
	slices.SortStableFunc(idx.byLen, func(a, b aliasEntry) int { return b.runes - a.runes })
	return idx
}

// lookup returns the field of a normalised title, or "".
func (idx aliasIndex) lookup(title string) rules.Field {
	if title == "" {
		return ""
	}
	if f, ok := idx.exact[title]; ok {
		return f
	}
	n := utf8.RuneCountInString(title)
	var found rules.Field
	best := 0
	for _, e := range idx.byLen {
		if e.runes < best {
			break
		}
		if float64(e.runes) < containMinShare*float64(n) {
			break
		}
		if !strings.Contains(title, e.alias) {
			continue
		}
		if found != "" && found != e.field {
			return "" // two fields' aliases of the same length: ambiguous
		}
		found, best = e.field, e.runes
	}
	return found
}

// DetectHeader finds the header in the first rows of a sheet (rows[i] is row i+1). Exported for tests and fuzzing.
//
// Every row among the first opts.HeaderScanRows is a candidate, read alone and,
// with the row below it, as a two-row header (a group row over a sub row). The
// candidate matching the most distinct fields wins, if it matches at least
// opts.MinHeaderFields; the 序号 column (field "serial") does not count,
// so a 汇总 sheet of 序号 and counts is not taken for a header. Ties go to the
// earlier row, and a two-row reading wins only when it matches more fields
// than either of its rows alone, so a merged title row or a 填报单位 line
// above the header is never taken for a group row.
//
// cols has one entry per column of the widest row given; when two columns
// match the same field, the first keeps it and the second has Field "".
// headerRows is nil and ok false when no candidate qualifies.
func DetectHeader(rows [][]string, opts ReadOptions) (headerRows []int, cols []Column, ok bool) {
	scan, minFields := opts.headerLimits()
	h, ok := detectHeader(rows, newAliasIndex(opts.Aliases), scan, minFields)
	if !ok {
		return nil, nil, false
	}
	return h.rows, h.cols, true
}

// header is a detected header, or the best failed attempt at one.
type header struct {
	rows  []int // 1-based, within the rows given to detectHeader
	cols  []Column
	score int
}

func detectHeader(rows [][]string, idx aliasIndex, scan, minFields int) (header, bool) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	single := make([]header, min(scan, len(rows))+1)
	for r := range single {
		if r < len(rows) {
			single[r] = readHeader(idx, width, r, rows[r], nil)
		}
	}
	var best header
	for r := 0; r < min(scan, len(rows)); r++ {
		cand := single[r]
		if r+1 < len(rows) {
			two := readHeader(idx, width, r, rows[r], rows[r+1])
			if two.score > cand.score && two.score > single[r+1].score {
				cand = two
			}
		}
		if cand.score > best.score {
			best = cand
		}
	}
	if best.score < max(minFields, 1) {
		return best, false
	}
	return best, true
}

// readHeader reads row r (0-based) as a header, with sub as its sub row when
// sub is not nil.
func readHeader(idx aliasIndex, width, r int, group, sub []string) header {
	h := header{rows: []int{r + 1}, cols: make([]Column, width)}
	if sub != nil {
		h.rows = append(h.rows, r+2)
	}
	seen := make(map[rules.Field]bool)
	fill := "" // the group title a horizontally merged group cell spreads to its right
	for c := range width {
		g := displayTitle(cell(group, c))
		var title string
		var field rules.Field
		if sub == nil {
			title, field = g, idx.lookup(NormalizeTitle(g))
		} else {
			s := displayTitle(cell(sub, c))
			switch {
			case g != "" && s != "": // first cell of a group
				fill = g
			case g != "" && s == "": // one cell merged down over both rows, like 姓名
				fill = ""
			case g == "" && s != "": // inside a group, or a sub title under nothing
				g = fill
			default:
				fill = ""
			}
			title, field = twoRowTitle(idx, g, s)
		}
		if field != "" && seen[field] {
			field = ""
		}
		if field != "" {
			seen[field] = true
			if field != rules.FieldSerial {
				h.score++
			}
		}
		h.cols[c] = Column{Index: c, Letter: columnLetter(c), Title: title, Field: field}
	}
	return h
}

// twoRowTitle names a column of a two-row header and matches it: the sub
// title first, then group and sub together, then the group title.
func twoRowTitle(idx aliasIndex, g, s string) (string, rules.Field) {
	switch {
	case g == "":
		return s, idx.lookup(NormalizeTitle(s))
	case s == "":
		return g, idx.lookup(NormalizeTitle(g))
	}
	ng, ns := NormalizeTitle(g), NormalizeTitle(s)
	for _, k := range []string{ns, ng + ns} {
		if f, ok := idx.exact[k]; ok {
			return g + "/" + s, f
		}
	}
	for _, k := range []string{ns, ng + ns, ng} {
		if f := idx.lookup(k); f != "" {
			return g + "/" + s, f
		}
	}
	return g + "/" + s, ""
}

func cell(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

// columnLetter is the Excel name of the 0-based column c.
func columnLetter(c int) string {
	name, err := excelize.ColumnNumberToName(c + 1)
	if err != nil { // beyond XFD, only possible in a CSV
		return fmt.Sprintf("C%d", c+1)
	}
	return name
}

// displayTitle is a header cell as an operator reads it: NFKC, trimmed, and
// without the line breaks of a wrapped cell (Alt+Enter), which split Chinese
// titles mid-word.
func displayTitle(s string) string {
	s = strings.TrimSpace(norm.NFKC.String(s))
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), "")
	}
	return s
}

// NormalizeTitle is how a column title is compared with aliases: NFKC (full-width → half-width), remove all whitespace
// (incl. U+3000 and newlines inside the cell), remove bracketed notes (（必填）, (18位), 【…】), trailing ：/:, '*' marks.
// ASCII letters are lower-cased, so "ID" and "id" are one title. A title that
// is nothing but a bracketed note keeps the note's text.
func NormalizeTitle(s string) string {
	if s == "" {
		return ""
	}
	s = norm.NFKC.String(s)
	var b, note strings.Builder
	b.Grow(len(s))
	depth := 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '*':
		case isOpenBracket(r):
			depth++
		case isCloseBracket(r):
			if depth > 0 {
				depth--
			}
		case depth > 0:
			note.WriteRune(r)
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			b.WriteByte(byte(r) + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "" {
		out = note.String()
	}
	return strings.TrimRight(out, ":")
}

// isOpenBracket and isCloseBracket cover the brackets left after NFKC: ( [ {
// are what （ ［ ｛ become; 【 〔 〖 have no compatibility mapping.
func isOpenBracket(r rune) bool {
	return r == '(' || r == '[' || r == '{' || r == '【' || r == '〔' || r == '〖'
}

func isCloseBracket(r rune) bool {
	return r == ')' || r == ']' || r == '}' || r == '】' || r == '〕' || r == '〗'
}
