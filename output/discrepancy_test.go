package output

import (
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
