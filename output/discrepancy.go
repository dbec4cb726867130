package output

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// DiscrepancyFile is the discrepancy report's name in the run folder.
const DiscrepancyFile = "差异核查表.xlsx"

// Discrepancies is what the analysts review after a night: pairs that may
// be one person, fields the sources disagree on, and members whose
// whereabouts are unknown. The report's column titles are those the
// decision files are read by (记录编号, 对方记录编号, 党员编号, 处理意见, 备注),
// so the filled-in workbook goes back into inbox/decisions/ as it is.
type Discrepancies struct {
	Street, Date string
	Pairs        []PairRow
	Conflicts    []ConflictRow
	Unknown      []UnknownRow
	InflowOnly   []InflowOnlyRow
	Contacts     []ContactRow
	Duplicates   []DuplicateRow
	Flags        []FlagRow
	BadIDs       []BadIDRow
	Rejected     []RejectedRow
	Quarantined  []QuarantinedRow
}

// BadIDRow is a record whose ID number is invalid or damaged by Excel.
type BadIDRow struct {
	RecordID                                       int64
	MemberID, Name, Raw, Status, Location, Message string
}

// RejectedRow is a row that could not describe a person, with why.
type RejectedRow struct {
	RecordID                       int64
	Kind, File, Sheet, Row, Reason string
}

// QuarantinedRow is a file that could not be read, with what to do.
type QuarantinedRow struct {
	Path, Kind, Reason, Hint string
}

// PairRow is a pair of records scored between the thresholds.
type PairRow struct {
	ID                  int64 // discrepancy_id
	New                 bool
	A, B                PairSide
	Probability, Weight float64
	Parts               string // per comparison: level and weight
}

// PairSide is one record of a pair, as the analyst compares it.
type PairSide struct {
	RecordID                                     int64
	Name, IDNumber, Birth, Phone, Branch, Source string
}

// ConflictRow is a field two records of one member give differently.
type ConflictRow struct {
	ID                    int64
	New                   bool
	MemberID, Name, Field string
	Values                string // each value with its file:sheet!row
}

// UnknownRow is a member on an origin roster no community found.
type UnknownRow struct {
	New                                               bool
	MemberID, Name, IDNumber, Phone, Branch, Employer string
}

// InflowOnlyRow is a member a community found whom no origin roster lists:
// the origin branch needs a pairing letter, or must first be found out.
type InflowOnlyRow struct {
	New                                                bool
	MemberID, Name, Community, Phone, Branch, Employer string
	// LetterFile is the pairing letter written for its branch, if any.
	LetterFile string
}

// ContactRow is a contact record (activity, pairing, visit) that fits no
// member, or fits two alike, with its candidates.
type ContactRow struct {
	ID                                             int64
	New                                            bool
	RecordID                                       int64
	Kind, Name, IDNumber, Phone, Community, Source string
	Ambiguous                                      bool
	Candidates                                     string // M0000076 李伟（同乐社区）12.3；…
}

// DuplicateRow is an activity entered more than once for one member.
type DuplicateRow struct {
	ID                                  int64
	New                                 bool
	MemberID, Name, What, Records, From string
}

// FlagRow is a member (or a counsellor) the contact rules flag: 失联,
// 即将失联, 本年走访不足, 未配辅导员, 辅导员负担过重.
type FlagRow struct {
	ID                                                          int64 // 0 for a warning that is no discrepancy
	New                                                         bool
	MemberID, Name, Community, Problem, LastContact, Counsellor string
	Visits                                                      int
	Note                                                        string
}

func newMark(b bool) string {
	if b {
		return "新增"
	}
	return ""
}

// DiscrepancyWorkbook builds the report.
func DiscrepancyWorkbook(d Discrepancies) (*excelize.File, error) {
	f, st, err := newWorkbook("可能同一人")
	if err != nil {
		return nil, err
	}
	title := d.Street + "流动党员差异核查表"
	pairs := table{sheet: "可能同一人", title: title + " · 可能同一人", date: d.Date,
		cols: []string{"编号", "新增", "记录编号", "对方记录编号", "姓名(甲)", "姓名(乙)", "身份证号(甲)", "身份证号(乙)",
			"出生日期(甲)", "出生日期(乙)", "联系电话(甲)", "联系电话(乙)", "党组织(甲)", "党组织(乙)", "来源(甲)", "来源(乙)",
			"匹配概率", "匹配权重", "各项得分", "处理意见", "备注"},
		// The decisions the reconciliation understands about a pair.
		dropDowns: map[string][]string{"处理意见": {"同一人", "非同一人"}},
		minWidths: map[string]float64{"处理意见": 12, "备注": 20}}
	// The rows' strings are pointers to the structs' fields (table.rows).
	pairs.source = rowsOf(d.Pairs, func(p *PairRow, dst []any) []any {
		return append(dst, strconv.FormatInt(p.ID, 10), newMark(p.New),
			strconv.FormatInt(p.A.RecordID, 10), strconv.FormatInt(p.B.RecordID, 10), &p.A.Name, &p.B.Name,
			&p.A.IDNumber, &p.B.IDNumber, &p.A.Birth, &p.B.Birth, &p.A.Phone, &p.B.Phone, &p.A.Branch, &p.B.Branch,
			&p.A.Source, &p.B.Source, strconv.FormatFloat(p.Probability, 'f', 3, 64), strconv.FormatFloat(p.Weight, 'f', 1, 64), &p.Parts, "", "")
	})
	conflicts := table{sheet: "字段冲突", title: title + " · 字段冲突", date: d.Date,
		cols:      []string{"编号", "新增", "党员编号", "姓名", "字段", "各来源的值", "备注"},
		minWidths: map[string]float64{"备注": 20}, maxWidth: 60}
	conflicts.source = rowsOf(d.Conflicts, func(c *ConflictRow, dst []any) []any {
		return append(dst, strconv.FormatInt(c.ID, 10), newMark(c.New), &c.MemberID, &c.Name, fieldLabel(c.Field), &c.Values, "")
	})
	unknown := table{sheet: "去向不明", title: title + " · 去向不明", date: d.Date,
		cols: []string{"新增", "党员编号", "姓名", "公民身份证号", "联系电话", "流出地党组织", "工作单位", "处理意见", "备注"},
		// …and about a member.
		dropDowns: map[string][]string{"处理意见": {"已核实去向", "已离开"}},
		minWidths: map[string]float64{"处理意见": 12, "备注": 20}}
	unknown.source = rowsOf(d.Unknown, func(u *UnknownRow, dst []any) []any {
		return append(dst, newMark(u.New), &u.MemberID, &u.Name, &u.IDNumber, &u.Phone, &u.Branch, &u.Employer, "", "")
	})
	inflow := table{sheet: "待发结对函", title: title + " · 仅流入地登记（待发结对函）", date: d.Date,
		cols:      []string{"新增", "党员编号", "姓名", "所在社区", "联系电话", "流出地党组织（本人所报）", "工作单位", "结对函", "备注"},
		minWidths: map[string]float64{"备注": 20}, maxWidth: 40}
	inflow.source = rowsOf(d.InflowOnly, func(u *InflowOnlyRow, dst []any) []any {
		letter := "流出地党组织不详：请社区向本人核实后补报"
		if u.LetterFile != "" {
			letter = "已生成：" + u.LetterFile
		}
		return append(dst, newMark(u.New), &u.MemberID, &u.Name, &u.Community, &u.Phone, &u.Branch, &u.Employer, letter, "")
	})
	contacts := table{sheet: "无法对应的记录", title: title + " · 无法对应到党员的联系记录", date: d.Date,
		cols: []string{"编号", "新增", "记录编号", "类别", "姓名", "身份证号", "联系电话", "所在社区", "来源", "情况", "候选党员",
			"党员编号", "处理意见", "备注"},
		// 同一人 with the chosen 党员编号 assigns the record; 忽略 drops it from the report.
		dropDowns: map[string][]string{"处理意见": {"同一人", "忽略"}},
		minWidths: map[string]float64{"党员编号": 12, "处理意见": 12, "备注": 20}, maxWidth: 40}
	contacts.source = rowsOf(d.Contacts, func(c *ContactRow, dst []any) []any {
		what := "无匹配的党员"
		if c.Ambiguous {
			what = "多名党员同样相符"
		}
		return append(dst, strconv.FormatInt(c.ID, 10), newMark(c.New), strconv.FormatInt(c.RecordID, 10),
			kindTitle(c.Kind), &c.Name, &c.IDNumber, &c.Phone, &c.Community, &c.Source, what, &c.Candidates, "", "", "")
	})
	dups := table{sheet: "重复活动", title: title + " · 重复登记的活动（只计一次）", date: d.Date,
		cols:      []string{"编号", "新增", "党员编号", "姓名", "日期与类型", "记录编号", "登记位置", "备注"},
		minWidths: map[string]float64{"备注": 20}, maxWidth: 50}
	dups.source = rowsOf(d.Duplicates, func(r *DuplicateRow, dst []any) []any {
		return append(dst, strconv.FormatInt(r.ID, 10), newMark(r.New), &r.MemberID, &r.Name, &r.What, &r.Records, &r.From, "")
	})
	flags := table{sheet: "联系与走访", title: title + " · 失联、走访与辅导员", date: d.Date,
		cols:      []string{"编号", "新增", "党员编号", "姓名", "所在社区", "问题", "最近联系日期", "本年走访次数", "辅导员", "说明", "备注"},
		minWidths: map[string]float64{"备注": 20}, maxWidth: 50}
	flags.source = rowsOf(d.Flags, func(r *FlagRow, dst []any) []any {
		id := ""
		if r.ID != 0 {
			id = strconv.FormatInt(r.ID, 10)
		}
		return append(dst, id, newMark(r.New), &r.MemberID, &r.Name, &r.Community, &r.Problem, &r.LastContact,
			r.Visits, &r.Counsellor, &r.Note, "")
	})
	badIDs := table{sheet: "身份证号问题", title: title + " · 身份证号问题", date: d.Date,
		cols: []string{"记录编号", "党员编号", "姓名", "号码（可辨认的部分）", "问题", "位置", "说明"}, maxWidth: 60}
	badIDs.source = rowsOf(d.BadIDs, func(b *BadIDRow, dst []any) []any {
		return append(dst, strconv.FormatInt(b.RecordID, 10), b.MemberID, b.Name, b.Raw, idStatusLabel(b.Status), b.Location, b.Message)
	})
	rejected := table{sheet: "拒收记录", title: title + " · 拒收记录", date: d.Date,
		cols: []string{"记录编号", "类别", "文件", "工作表", "行号", "原因"}, maxWidth: 60}
	rejected.source = rowsOf(d.Rejected, func(r *RejectedRow, dst []any) []any {
		return append(dst, strconv.FormatInt(r.RecordID, 10), kindTitle(r.Kind), r.File, r.Sheet, r.Row, r.Reason)
	})
	quarantined := table{sheet: "隔离文件", title: title + " · 隔离文件", date: d.Date,
		cols: []string{"文件", "类别", "原因", "处理办法"}, maxWidth: 60}
	quarantined.source = rowsOf(d.Quarantined, func(q *QuarantinedRow, dst []any) []any {
		return append(dst, q.Path, kindTitle(q.Kind), q.Reason, q.Hint)
	})
	for _, t := range []table{pairs, conflicts, unknown, inflow, contacts, dups, flags, badIDs, rejected, quarantined} {
		if err := writeTable(f, st, t); err != nil {
			f.Close()
			return nil, fmt.Errorf("discrepancy report: %w", err)
		}
	}
	return f, nil
}

// WriteDiscrepancies writes the report into the run folder, in the
// background (the folder's Wait returns its error); d must not change until then.
func WriteDiscrepancies(dir *Folder, d Discrepancies) {
	dir.WriteWorkbookAsync(DiscrepancyFile, func() (*excelize.File, error) { return DiscrepancyWorkbook(d) })
}

// fieldLabel is the Chinese name of a field a conflict is about.
func fieldLabel(f string) string {
	switch f {
	case "name":
		return "姓名"
	case "id_number":
		return "公民身份证号"
	case "birth_date":
		return "出生日期"
	case "gender":
		return "性别"
	case "phone":
		return "联系电话"
	case "origin_branch_key":
		return "流出地党组织"
	case "member_type":
		return "人员类别"
	case "join_date":
		return "加入党组织日期"
	}
	return f
}

// idStatusLabel says in Chinese what is wrong with an ID number.
func idStatusLabel(s string) string {
	switch s {
	case "bad_check_digit":
		return "校验位错误"
	case "bad_birth_date":
		return "出生日期不成立"
	case "bad_region":
		return "地区码不成立"
	case "bad_format":
		return "位数或字符不对"
	case "excel_damaged":
		return "被 Excel 改坏（数字格式）"
	}
	return s
}
