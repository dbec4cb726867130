package ingest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestParseMerges(t *testing.T) {
	tests := []struct {
		name string
		tail string
		want []mergedRange
	}{
		{"none", `<sheetData></sheetData><pageMargins/>`, nil},
		{"two", `</sheetData><mergeCells count="2"><mergeCell ref="A1:L1"/><mergeCell ref="B5:B9"/></mergeCells>`,
			[]mergedRange{{Ref: "A1:L1", Top: 1, Bottom: 1, Left: 0, Right: 11}, {Ref: "B5:B9", Top: 5, Bottom: 9, Left: 1, Right: 1}}},
		{"prefixed", `</x:sheetData><x:mergeCells><x:mergeCell ref="C2:C3"/></x:mergeCells>`,
			[]mergedRange{{Ref: "C2:C3", Top: 2, Bottom: 3, Left: 2, Right: 2}}},
		{"cell text mentioning mergeCell inside the data is ignored",
			`<c><is><t>mergeCell ref="A1:A9"</t></is></c></sheetData><mergeCell ref="D4:D5"/>`,
			[]mergedRange{{Ref: "D4:D5", Top: 4, Bottom: 5, Left: 3, Right: 3}}},
		{"bad refs are skipped", `</sheetData><mergeCell ref="A1"/><mergeCell ref="Z9:A1"/><mergeCell ref="??"/>`, nil},
		{"cut off", `</sheetData><mergeCell ref="A1:A`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseMerges([]byte(tt.tail)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMergeFiller(t *testing.T) {
	m := newMergeFiller([]mergedRange{
		{Ref: "A1:L1", Top: 1, Bottom: 1, Left: 0, Right: 11}, // a title: horizontal, never filled
		{Ref: "A3:A5", Top: 3, Bottom: 5, Left: 0, Right: 0},
		{Ref: "B3:C4", Top: 3, Bottom: 4, Left: 1, Right: 2},
	})
	rows := [][]string{
		3: {"李丽华", "书记", "", "张伟"},
		4: {"", "", "", "陈丽华"},
		5: {"", "x", "", "王芳"},
		6: {"", "", "", "赵敏"},
	}
	want := map[int][]string{
		4: {"李丽华", "书记", "", "陈丽华"},
		5: {"李丽华", "x", "", "王芳"},
		6: {"", "", "", "赵敏"},
	}
	wantFilled := map[int][]FilledCell{
		4: {{0, "A3:A5"}, {1, "B3:C4"}},
		5: {{0, "A3:A5"}},
	}
	for n := 3; n <= 6; n++ {
		got := m.fill(n, rows[n])
		if !reflect.DeepEqual(got, wantFilled[n]) {
			t.Errorf("row %d filled %v, want %v", n, got, wantFilled[n])
		}
		if w, ok := want[n]; ok && !reflect.DeepEqual(rows[n], w) {
			t.Errorf("row %d = %q, want %q", n, rows[n], w)
		}
	}
	if newMergeFiller([]mergedRange{{Ref: "A1:L1", Top: 1, Bottom: 1}}) != nil {
		t.Error("a filler for horizontal ranges only should be nil")
	}
}

func TestBranchFromTitle(t *testing.T) {
	tests := []struct{ name, title, file, want string }{
		{"title", "中共隆回县六都寨镇石门村支部委员会流出党员名册", "rosters/x.xlsx", "中共隆回县六都寨镇石门村支部委员会"},
		{"title with year", "2026年中共隆回县六都寨镇石门村支部委员会流出党员名册", "x.xlsx", "中共隆回县六都寨镇石门村支部委员会"},
		{"file name", "", "rosters/隆回县六都寨镇石门村党支部流出党员名册.xlsx", "隆回县六都寨镇石门村党支部"},
		{"总支", "六都寨镇石门村党总支流动党员登记", "", "六都寨镇石门村党总支"},
		{"spaced out", "中　共 隆回县六都寨镇 石门村支部委员会 名册", "", "中共隆回县六都寨镇石门村支部委员会"},
		{"no branch", "流出党员名册", "rosters/名册.xlsx", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := branchFromTitle(tt.title, tt.file); got != tt.want {
				t.Errorf("branchFromTitle(%q, %q) = %q, want %q", tt.title, tt.file, got, tt.want)
			}
		})
	}
}

// naiveFill is the filler as first written: every range looked at for every
// row. mergeFiller must fill the same cells in the same order.
type naiveFill struct {
	ranges []mergedRange
	top    map[int]string
}

func (m *naiveFill) fill(n int, cells []string) (filled []FilledCell) {
	for i, r := range m.ranges {
		if !r.vertical() {
			continue
		}
		switch {
		case n == r.Top:
			if r.Left < len(cells) {
				m.top[i] = cells[r.Left]
			}
		case n > r.Top && n <= r.Bottom:
			v := m.top[i]
			if v == "" || r.Left >= len(cells) || strings.TrimSpace(cells[r.Left]) != "" {
				continue
			}
			cells[r.Left] = v
			filled = append(filled, FilledCell{Column: r.Left, Range: r.Ref})
		}
	}
	return filled
}

// TestMergeFillerAsNaive compares the filler with the naive one on random
// sheets: overlapping and nested ranges in any document order, rows skipped
// (empty rows are not in the sheet), some read out of order, cells blank or
// not.
func TestMergeFillerAsNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for sheet := 0; sheet < 500; sheet++ {
		const cols = 5
		rows := 5 + rng.IntN(40)
		var ranges []mergedRange
		for range rng.IntN(12) {
			top := 1 + rng.IntN(rows)
			bottom := top + rng.IntN(6)
			left := rng.IntN(cols + 1) // sometimes past a short row
			right := left + rng.IntN(2)
			ranges = append(ranges, mergedRange{Ref: fmt.Sprintf("R%d:%d:%d", top, bottom, left), Top: top, Bottom: bottom, Left: left, Right: right})
		}
		var order []int
		for n := 1; n <= rows; n++ {
			if rng.IntN(5) > 0 {
				order = append(order, n)
			}
		}
		if rng.IntN(4) == 0 && len(order) > 2 {
			i, j := rng.IntN(len(order)), rng.IntN(len(order))
			order[i], order[j] = order[j], order[i]
		}
		got, want := newMergeFiller(ranges), &naiveFill{ranges: ranges, top: map[int]string{}}
		for _, n := range order {
			cells := make([]string, 1+rng.IntN(cols))
			for c := range cells {
				if rng.IntN(2) == 0 {
					cells[c] = fmt.Sprintf("v%d.%d", n, c)
				} else if rng.IntN(4) == 0 {
					cells[c] = " "
				}
			}
			gotCells := append([]string(nil), cells...)
			g, w := got.fill(n, gotCells), want.fill(n, cells)
			if !reflect.DeepEqual(g, w) || !reflect.DeepEqual(gotCells, cells) {
				t.Fatalf("sheet %d (ranges %v, rows %v), row %d: filled %v %q, want %v %q", sheet, ranges, order, n, g, gotCells, w, cells)
			}
		}
	}
}

// BenchmarkMergeFiller reads a counsellor sheet of 30,000 rows whose
// counsellor column is merged down over each counsellor's 3 members.
func BenchmarkMergeFiller(b *testing.B) {
	const rows = 30_000
	var ranges []mergedRange
	for top := 2; top+2 <= rows; top += 3 {
		ranges = append(ranges, mergedRange{Ref: fmt.Sprintf("B%d:B%d", top, top+2), Top: top, Bottom: top + 2, Left: 1, Right: 1})
	}
	cells := make([]string, 8)
	for b.Loop() {
		m := newMergeFiller(ranges)
		for n := 2; n <= rows; n++ {
			cells[1] = ""
			if (n-2)%3 == 0 {
				cells[1] = "王书记"
			}
			m.fill(n, cells)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
