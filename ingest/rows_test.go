package ingest

import (
	"errors"
	"reflect"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/baolong/liudong/rules"
)

func TestFooterMarkerMatch(t *testing.T) {
	tests := []struct {
		name, marker, cell string
		want               bool
	}{
		{"name then colon", "填表人", "填表人：张三    审核人：李四", true},
		{"name then half-width colon", "填表人", "填表人:张三", true},
		{"spaced-out label", "填表人", "填 表 人：张三", true},
		{"label then space", "审核人", "审核人 李四", true},
		{"label alone", "负责人", "负责人", true},
		{"label then bracket", "填报单位", "填报单位（盖章）：同心社区", true},
		{"note marker", "注", "注：1.本表由社区填写", true},
		{"note marker is not a word prefix", "注", "注意事项培训", false},
		{"contact marker is not a title", "联系人", "联系人及联系方式", false},
		{"marker with its colon is a prefix", "备注：", "备注：无", true},
		{"total is a plain prefix", "合计", "合计15人", true},
		{"total then more words", "合计", "合计人数：15", true},
		{"subtotal", "小计", "小计", true},
		{"full-width colon in marker", "说明：", "说明:以上人员已核实", true},
		{"a name", "负责人", "张负责", false},
		{"empty cell", "合计", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFooterMarkers([]string{tt.marker})
			if len(m) != 1 {
				t.Fatalf("newFooterMarkers(%q) = %v", tt.marker, m)
			}
			if got := m[0].match(norm.NFKC.String(tt.cell)); got != tt.want {
				t.Errorf("%q matches %q = %v, want %v", tt.marker, tt.cell, got, tt.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	above := [][]string{
		{"宝龙街道同心社区流动党员摸排登记表"},
		{"序号", "姓名", "身份证号", "联系电话"},
	}
	_, cols, ok := DetectHeader(above, testOptions())
	if !ok {
		t.Fatal("no header")
	}
	cl := newClassifier(cols, above, []int{2}, newFooterMarkers(defaultFooterMarkers()))
	tests := []struct {
		name string
		row  []string
		want RowKind
	}{
		{"data", []string{"1", "张三", "430524198503121234", "13800138000"}, RowData},
		{"data without serial", []string{"", "张三", "", ""}, RowData},
		{"empty", []string{"", "", "", ""}, RowBlank},
		{"nil", nil, RowBlank},
		{"spaces only", []string{" ", "\u3000", "\t", "\u00a0"}, RowBlank},
		{"serial only", []string{"12", "", " ", ""}, RowBlank},
		{"full-width serial only", []string{"１２", ""}, RowBlank},
		{"text in the serial column only", []string{"以上人员已核实"}, RowData},
		{"footer in first column", []string{"填表人：王五", "", "审核人：赵六", ""}, RowFooter},
		{"footer in second column", []string{"", "填表日期：2024年3月1日"}, RowFooter},
		{"total row", []string{"合计", "35人"}, RowFooter},
		{"note row", []string{"注：身份证号请填18位"}, RowFooter},
		{"repeated header", []string{"序号", "姓名", "身份证号", "联系电话"}, RowRepeatHeader},
		{"repeated header with full-width spaces", []string{"序号", "姓\u3000名", "身份证号", "联系电话 "}, RowRepeatHeader},
		{"repeated title row", []string{"宝龙街道同心社区流动党员摸排登记表"}, RowRepeatHeader},
		{"a member named like a header", []string{"3", "姓名", "", ""}, RowData},
		{"data past the header", []string{"", "", "", "", "额外"}, RowData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := cl.classify(tt.row)
			if got != tt.want {
				t.Errorf("classify(%q) = %v (%s), want %v", tt.row, got, reason, tt.want)
			}
			if (got == RowData) != (reason == "") {
				t.Errorf("kind %v with reason %q", got, reason)
			}
		})
	}
}

// sliceSource serves rows numbered from 1 as a rowSource.
func sliceSource(rows [][]string) rowSource {
	i := 0
	return func() (int, []string, bool, error) {
		if i >= len(rows) {
			return 0, nil, false, nil
		}
		i++
		return i, rows[i-1], true, nil
	}
}

func newTestSheetReader(emit func(*SheetInfo, Row) error) *sheetReader {
	return &sheetReader{
		idx:       newAliasIndex(testAliases()),
		scan:      defaultHeaderScanRows,
		minFields: defaultMinHeaderFields,
		footers:   newFooterMarkers(defaultFooterMarkers()),
		emit:      emit,
	}
}

func TestSheetReaderRead(t *testing.T) {
	rows := [][]string{
		{"摸排表"},
		{"序号", "姓名", "身份证号"},
		{"1", "张三", "430524198503121234"},
		nil,
		nil,
		{"2", "李四"},
		{" ", ""},
		{"3", "王五", "", "", "表外的字"},
		{"4"},
		{"填表人：赵六"},
		nil,
		{""},
		{"5"},
	}
	type got struct {
		n     int
		kind  RowKind
		cells []string
	}
	var out []got
	si := &SheetInfo{}
	sr := newTestSheetReader(func(s *SheetInfo, r Row) error {
		if s != si {
			t.Errorf("emit got another SheetInfo")
		}
		out = append(out, got{r.Number, r.Kind, r.Cells})
		return nil
	})
	if err := sr.read(si, sliceSource(rows)); err != nil {
		t.Fatal(err)
	}
	want := []got{
		{3, RowData, []string{"1", "张三", "430524198503121234", "", ""}},
		{4, RowBlank, []string{"", "", "", "", ""}},
		{5, RowBlank, []string{"", "", "", "", ""}},
		{6, RowData, []string{"2", "李四", "", "", ""}},
		{7, RowBlank, []string{" ", "", "", "", ""}},
		{8, RowData, []string{"3", "王五", "", "", "表外的字"}},
		{9, RowBlank, []string{"4", "", "", "", ""}},
		{10, RowFooter, []string{"填表人：赵六", "", "", "", ""}},
		// rows 11-13 are blank (13 holds only a serial) and end the sheet: dropped
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("rows:\n got %v\nwant %v", out, want)
	}
	if !reflect.DeepEqual(si.HeaderRows, []int{2}) {
		t.Errorf("HeaderRows = %v", si.HeaderRows)
	}
	wantCounts := RowCounts{Data: 3, Blank: 4, Footer: 1, Total: 8}
	if si.Counts != wantCounts {
		t.Errorf("Counts = %+v, want %+v", si.Counts, wantCounts)
	}
	if len(si.Columns) != 5 || si.Columns[4].Title != "" || si.Columns[4].Field != "" {
		t.Errorf("Columns = %+v", si.Columns)
	}
}

func TestSheetReaderWideRow(t *testing.T) {
	// a row wider than every row of the scan window keeps its cells past the
	// last column, and only up to its last non-empty one
	rows := [][]string{{"姓名", "身份证号"}}
	for range 12 {
		rows = append(rows, []string{"张三", "1"})
	}
	rows = append(rows, []string{"李四", "2", "", "备注在这里", "", ""})
	var last Row
	sr := newTestSheetReader(func(_ *SheetInfo, r Row) error { last = r; return nil })
	si := &SheetInfo{}
	if err := sr.read(si, sliceSource(rows)); err != nil {
		t.Fatal(err)
	}
	if want := []string{"李四", "2", "", "备注在这里"}; !reflect.DeepEqual(last.Cells, want) {
		t.Errorf("cells = %q, want %q", last.Cells, want)
	}
	if len(si.Columns) != 2 {
		t.Errorf("%d columns, want 2", len(si.Columns))
	}
}

func TestSheetReaderErrors(t *testing.T) {
	rows := [][]string{{"姓名", "身份证号"}, {"张三", "1"}, {"李四", "2"}}
	stop := errors.New("stop")
	calls := 0
	sr := newTestSheetReader(func(*SheetInfo, Row) error { calls++; return stop })
	if err := sr.read(&SheetInfo{}, sliceSource(rows)); err != stop {
		t.Errorf("err = %v, want the callback's error as is", err)
	}
	if calls != 1 {
		t.Errorf("%d calls after an error, want 1", calls)
	}

	bad := errors.New("source broke")
	src := func() (int, []string, bool, error) { return 0, nil, false, bad }
	if err := newTestSheetReader(nil).read(&SheetInfo{}, src); err != bad {
		t.Errorf("err = %v, want the source's error", err)
	}
}

func TestSheetReaderSkips(t *testing.T) {
	tests := []struct {
		name string
		rows [][]string
		want string
	}{
		{"empty sheet", nil, "工作表为空"},
		{"blank cells only", [][]string{{"", " "}}, "工作表为空"},
		{"counts only", [][]string{{"社区", "人数"}, {"同心", "3"}}, "未找到表头（前10行中最多只认出1个列名：社区；至少需要2个），可能是汇总表或说明页"},
		{"nothing known", [][]string{{"月份", "人数"}}, "未找到表头（前10行中没有可识别的列名），可能是汇总表或说明页"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			si := &SheetInfo{}
			sr := newTestSheetReader(func(*SheetInfo, Row) error { t.Error("row emitted from a skipped sheet"); return nil })
			if err := sr.read(si, sliceSource(tt.rows)); err != nil {
				t.Fatal(err)
			}
			if si.Skipped != tt.want {
				t.Errorf("Skipped = %q, want %q", si.Skipped, tt.want)
			}
			if si.HeaderRows != nil || si.Columns != nil {
				t.Errorf("skipped sheet has header %v, columns %v", si.HeaderRows, si.Columns)
			}
		})
	}
}

// TestTotalsAfterSerial: a totals line numbered like a data row is a footer,
// a person whose row merely starts with a number is not.
func TestTotalsAfterSerial(t *testing.T) {
	cols := []Column{{Index: 0, Field: rules.FieldSerial}, {Index: 1, Field: rules.FieldName}, {Index: 2, Field: rules.FieldIDNumber}, {Index: 3, Field: rules.FieldPhone}}
	c := newClassifier(cols, nil, []int{1}, newFooterMarkers(defaultFooterMarkers()))
	tests := []struct {
		cells []string
		want  RowKind
	}{
		{[]string{"3", "合计", "", ""}, RowFooter},
		{[]string{"3", "合计：3人", "", ""}, RowFooter},
		{[]string{"3", "张伟", "430524198503121234", "13812345678"}, RowData},
		{[]string{"4", "计小明", "430524198503121234", ""}, RowData},
	}
	for _, tt := range tests {
		if got, _ := c.classify(tt.cells); got != tt.want {
			t.Errorf("classify(%q) = %v, want %v", tt.cells, got, tt.want)
		}
	}
}
