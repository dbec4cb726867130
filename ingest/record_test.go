package ingest

import (
	"testing"
	"time"

	"github.com/baolong/liudong/rules"
)

func TestCommunityFromTitle(t *testing.T) {
	cl, err := rules.NewCleaner(rules.DefaultConfig(), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, sheet, title string
		want, where              string
	}{
		{"sheet name wins", "activities/宝龙街道义工服务时长统计.xlsx", "龙东社区", "宝龙街道同心社区义工时长", "龙东社区", "工作表名"},
		{"title", "surveys/摸排表.xlsx", "2026年10月", "宝龙街道同心社区流动党员摸排登记表", "同心社区", "表头标题"},
		{"file name", "visits/南约社区_2026年辅导员走访记录.xlsx", "Sheet1", "", "南约社区", "文件名"},
		{"nothing names one", "surveys/摸排表.xlsx", "Sheet1", "流动党员摸排登记表", "", ""},
		{"two communities name none", "surveys/龙东社区、龙新社区汇总.xlsx", "Sheet1", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &recordCleaner{path: tt.path, cleaner: cl}
			v, where := rc.communityFromTitle(&SheetInfo{Name: tt.sheet, Title: tt.title})
			if v.Clean != tt.want || where != tt.where {
				t.Errorf("got %q from %q, want %q from %q", v.Clean, where, tt.want, tt.where)
			}
		})
	}
}

// TestCellsRightOfTheHeaderAreKept: a value typed beyond the last titled
// column is kept in raw and extra, not dropped.
func TestCellsRightOfTheHeaderAreKept(t *testing.T) {
	cl, err := rules.NewCleaner(rules.DefaultConfig(), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	rc := &recordCleaner{path: "surveys/a.csv", kind: DefaultConfig().Kinds[KindSurvey], cleaner: cl}
	rc.useSheet(&SheetInfo{Columns: []Column{{Index: 0, Letter: "A", Title: "姓名", Field: rules.FieldName}}})
	r := rc.clean(1, Row{Number: 2, Cells: []string{"张伟", "", "已返乡"}, Kind: RowData})
	if r.Raw["(C)"] != "已返乡" || r.Extra["(C)"] != "已返乡" {
		t.Errorf("raw %v, extra %v: the untitled cell C2 was lost", r.Raw, r.Extra)
	}
	if r.Values[rules.FieldName].Clean != "张伟" || r.Status != StatusAccepted {
		t.Errorf("record %+v", r)
	}
}
