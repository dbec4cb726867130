package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// mergedRange is a merged cell range of a sheet, 1-based rows and 0-based
// columns, inclusive.
type mergedRange struct {
	Ref         string // "B5:B9" as Excel shows it
	Top, Bottom int
	Left, Right int
}

// vertical reports whether the range spans more than one row: such a range
// in the data (a counsellor's name merged down over their members) means
// the same value for every row it covers.
func (m mergedRange) vertical() bool { return m.Bottom > m.Top }

// parseMerges finds the <mergeCell ref="A1:B2"/> elements in the end of a
// worksheet part. Offices' sheets put <mergeCells> after <sheetData>, so the
// end of the part is enough. Prefixed elements (<x:mergeCell>) count too.
func parseMerges(tail []byte) []mergedRange {
	if i := bytes.LastIndex(tail, []byte("sheetData>")); i >= 0 {
		tail = tail[i:]
	}
	var out []mergedRange
	for {
		i := bytes.Index(tail, []byte("mergeCell "))
		if i < 0 {
			return out
		}
		tail = tail[i+len("mergeCell "):]
		j := bytes.Index(tail, []byte(`ref="`))
		end := bytes.IndexByte(tail, '>')
		if j < 0 || (end >= 0 && j > end) {
			continue
		}
		rest := tail[j+len(`ref="`):]
		k := bytes.IndexByte(rest, '"')
		if k < 0 {
			return out
		}
		ref := string(rest[:k])
		from, to, ok := strings.Cut(ref, ":")
		if !ok {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(from)
		c2, r2, err2 := excelize.CellNameToCoordinates(to)
		if err1 != nil || err2 != nil || r2 < r1 || c2 < c1 {
			continue
		}
		out = append(out, mergedRange{Ref: ref, Top: r1, Bottom: r2, Left: c1 - 1, Right: c2 - 1})
	}
}

// sheetParts maps each sheet name of a workbook to its worksheet part
// ("xl/worksheets/sheet1.xml"), from xl/workbook.xml and its relationships.
func sheetParts(zr *zip.Reader) map[string]string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if readZipXML(zr, "xl/workbook.xml", &wb) != nil || readZipXML(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return nil
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := strings.ReplaceAll(r.Target, "\\", "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		if t, ok := target[s.RID]; ok {
			out[s.Name] = t
		}
	}
	return out
}

func readZipXML(zr *zip.Reader, name string, v any) error {
	for _, e := range zr.File {
		if !strings.EqualFold(strings.ReplaceAll(e.Name, "\\", "/"), name) {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(io.LimitReader(rc, 32<<20)).Decode(v)
	}
	return io.ErrUnexpectedEOF
}

// mergeFiller fills the cells a vertical merged range covers below its top
// row with the top row's value, as Excel shows them. A row looks only at the
// ranges that cover it: a counsellor sheet merges a name down over every
// counsellor's members, so its ranges grow with its rows, and looking at all
// of them for every row took a 1,000,000-person inbox's contact files 24 s.
type mergeFiller struct {
	ranges []mergedRange // by top row; ties in document order
	order  []int         // each range's place in the document
	top    []string      // each range's top-left value, once its top row is read
	next   int           // ranges[:next] start at or above the last row read
	active []int         // of those, the ones reaching down to the last row read, in document order
	last   int           // the last row read
}

func newMergeFiller(ranges []mergedRange) *mergeFiller {
	var v []mergedRange
	var order []int
	for i, r := range ranges {
		if r.vertical() {
			v = append(v, r)
			order = append(order, i)
		}
	}
	if len(v) == 0 {
		return nil
	}
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return v[a].Top - v[b].Top })
	m := &mergeFiller{ranges: make([]mergedRange, len(v)), order: make([]int, len(v)), top: make([]string, len(v))}
	for i, j := range idx {
		m.ranges[i], m.order[i] = v[j], order[j]
	}
	return m
}

// fill notes the top values in row n and fills the covered empty cells. It
// returns the filled column indexes with their ranges, in the document's
// order of the ranges. Rows come in ascending order; one that does not
// starts the search for its ranges again.
func (m *mergeFiller) fill(n int, cells []string) (filled []FilledCell) {
	if m == nil {
		return nil
	}
	if n < m.last {
		m.next, m.active = 0, m.active[:0]
	}
	m.last = n
	for m.next < len(m.ranges) && m.ranges[m.next].Top <= n {
		// Kept in document order: where malformed ranges overlap, the first
		// in the document fills the cell, as it always has.
		at, _ := slices.BinarySearchFunc(m.active, m.order[m.next], func(i, o int) int { return m.order[i] - o })
		m.active = slices.Insert(m.active, at, m.next)
		m.next++
	}
	keep := m.active[:0]
	for _, i := range m.active {
		r := m.ranges[i]
		if r.Bottom < n {
			continue
		}
		keep = append(keep, i)
		if n == r.Top {
			if r.Left < len(cells) {
				m.top[i] = cells[r.Left]
			}
			continue
		}
		v := m.top[i]
		if v == "" || r.Left >= len(cells) || strings.TrimSpace(cells[r.Left]) != "" {
			continue
		}
		cells[r.Left] = v
		filled = append(filled, FilledCell{Column: r.Left, Range: r.Ref})
	}
	m.active = keep
	return filled
}
