package output

import (
	"io"
	"runtime"
	"strings"
	"testing"
)

func TestDiscrepancyWorkbook(t *testing.T) {
	d := Discrepancies{Street: "宝龙街道", Date: "2026-11-25",
		Pairs: []PairRow{{ID: 7, New: true, Probability: 0.8, Weight: 2.1, Parts: "name:pinyin +4.0",
			A: PairSide{RecordID: 10000001, Name: "张伟", Source: "surveys/a.csv:2"},
			B: PairSide{RecordID: 20000001, Name: "张玮", Source: "rosters/b.csv:2"}}},
		Conflicts: []ConflictRow{{ID: 8, MemberID: "M0000001", Name: "张伟", Field: "phone", Values: "138（a）；139（b）"}},
		Unknown:   []UnknownRow{{New: true, MemberID: "M0000002", Name: "周杰"}},
		InflowOnly: []InflowOnlyRow{{MemberID: "M0000003", Name: "李四", Community: "同心社区", Branch: "石门村党支部",
			LetterFile: "流出地党组织/石门村党支部/结对函.xlsx"}, {MemberID: "M0000004", Name: "王五"}},
		Contacts: []ContactRow{{ID: 9, New: true, RecordID: 650000003, Kind: "visit", Name: "李伟", Community: "同乐社区",
			Ambiguous: true, Candidates: "M0000076 李伟（同乐社区） 得分 10.6；M0000247 李伟（同乐社区） 得分 10.6"}},
		Duplicates: []DuplicateRow{{ID: 10, MemberID: "M0000060", Name: "吴华", What: "2026-05-07 理论学习", Records: "1 2"}},
		Flags: []FlagRow{{ID: 11, MemberID: "M0000007", Name: "高霞静", Problem: "失联", LastContact: "2026-05-03", Visits: 3},
			{MemberID: "M0000008", Name: "赵敏", Problem: "即将失联"}},
		BadIDs:      []BadIDRow{{RecordID: 5, Raw: "430524198503121…", Status: "excel_damaged"}},
		Rejected:    []RejectedRow{{RecordID: 6, Kind: "survey", File: "surveys/a.csv", Row: "9", Reason: "姓名为空"}},
		Quarantined: []QuarantinedRow{{Path: "rosters/old.xls", Kind: "roster", Reason: "旧版", Hint: "另存为 .xlsx"}},
	}
	wb, err := DiscrepancyWorkbook(d)
	if err != nil {
		t.Fatal(err)
	}
	f := reopen(t, wb)
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "可能同一人,字段冲突,去向不明,待发结对函,无法对应的记录,重复活动,联系与走访,身份证号问题,拒收记录,隔离文件" {
		t.Errorf("sheets %v", got)
	}
	pairs, _ := f.GetRows("可能同一人")
	if len(pairs) != 3 || pairs[2][1] != "新增" || pairs[2][2] != "10000001" || pairs[2][3] != "20000001" {
		t.Errorf("pair rows %q", pairs)
	}
	for _, sheet := range []string{"可能同一人", "去向不明", "无法对应的记录"} {
		dvs, err := f.GetDataValidations(sheet)
		if err != nil || len(dvs) != 1 {
			t.Fatalf("%s: data validations %v, %v", sheet, dvs, err)
		}
		if !strings.Contains(dvs[0].Formula1, "已核实去向") && !strings.Contains(dvs[0].Formula1, "同一人") {
			t.Errorf("%s: drop-down %q", sheet, dvs[0].Formula1)
		}
	}
	for sheet, want := range map[string]string{"身份证号问题": "被 Excel 改坏（数字格式）", "拒收记录": "社区摸排表", "隔离文件": "另存为 .xlsx"} {
		rows, _ := f.GetRows(sheet)
		if len(rows) != 3 || !strings.Contains(strings.Join(rows[2], "|"), want) {
			t.Errorf("%s rows %q, want one mentioning %q", sheet, rows, want)
		}
	}
	contacts, _ := f.GetRows("无法对应的记录")
	if len(contacts) != 3 || contacts[2][2] != "650000003" || contacts[2][9] != "多名党员同样相符" || !strings.Contains(contacts[2][10], "M0000247") {
		t.Errorf("无法对应的记录 rows %q", contacts)
	}
	flags, _ := f.GetRows("联系与走访")
	if len(flags) != 4 || flags[2][5] != "失联" || flags[3][0] != "" || flags[3][5] != "即将失联" {
		t.Errorf("联系与走访 rows %q: want 失联 with its number, then the 即将失联 warning without one", flags)
	}
	inflow, _ := f.GetRows("待发结对函")
	if len(inflow) != 4 || inflow[2][7] != "已生成：流出地党组织/石门村党支部/结对函.xlsx" || !strings.Contains(inflow[3][7], "流出地党组织不详") {
		t.Errorf("待发结对函 rows %q", inflow)
	}
	conflicts, _ := f.GetRows("字段冲突")
	if conflicts[2][4] != "联系电话" || conflicts[2][1] != "" {
		t.Errorf("conflict row %q: want the field in Chinese and no 新增 mark", conflicts[2])
	}
}

// manyConflicts is a report of n field conflicts, as a city's night has
// hundreds of thousands.
func manyConflicts(n int) Discrepancies {
	d := Discrepancies{Street: "宝龙街道", Date: "2026-11-25", Conflicts: make([]ConflictRow, n)}
	for i := range d.Conflicts {
		d.Conflicts[i] = ConflictRow{ID: int64(i + 1), MemberID: "M0000001", Name: "张伟", Field: "phone", Values: "138（a）；139（b）"}
	}
	return d
}

// The report's rows are made from the caller's structs as the workbook is
// saved, not copied into cells when it is built: at 1M persons the copy
// was a second 0.2-0.3 GB of the output stage's heap beside the 640,000
// discrepancies themselves.
func TestDiscrepancyWorkbookHoldsNoCells(t *testing.T) {
	const n = 50_000
	d := manyConflicts(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	wb, err := DiscrepancyWorkbook(d)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	// A row as cells is seven interfaces (112 bytes), a slice header and
	// its ID as text: more than 150 bytes.
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("building the report kept %d bytes (%d a row)", grew, grew/n)
	if grew > 40*n {
		t.Errorf("building the report kept %d bytes (%d a row): its rows are held as cells", grew, grew/n)
	}
	f := reopen(t, wb)
	defer f.Close()
	rows, err := f.GetRows("字段冲突")
	if err != nil || len(rows) != n+2 || rows[n+1][0] != "50000" || rows[n+1][4] != "联系电话" {
		t.Fatalf("字段冲突: %d rows, %v", len(rows), err)
	}
	runtime.KeepAlive(d)
}

func BenchmarkDiscrepancyWorkbook(b *testing.B) {
	d := manyConflicts(100_000)
	b.ReportAllocs()
	for b.Loop() {
		wb, err := DiscrepancyWorkbook(d)
		if err != nil {
			b.Fatal(err)
		}
		if err := wb.Write(io.Discard); err != nil {
			b.Fatal(err)
		}
		wb.Close()
	}
}
