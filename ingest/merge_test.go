package ingest

import (
	"reflect"
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
