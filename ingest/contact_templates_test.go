package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baolong/liudong/rules"
)

// Contact-card, counsellor-pairing and visit files as other offices make
// them: templates our generator (sampledata) does not write, with their
// titles, merged cells, informal dates and hours, titles after names and
// ID numbers in several forms. Each fixture is read with the shipped
// configuration and checked column by column and row by row.

// templateCase is one office template: a file and what reading it must give.
type templateCase struct {
	name string
	kind Kind
	rel  string                    // path in the inbox, which names the community when no column does
	file func(t *testing.T) string // writes the fixture, returns its path
	cols map[string]rules.Field    // column title as shown → field ("" = kept as extra)
	rows []wantRecord
}

// wantRecord is what one data row must become. Only the values listed are
// checked; codes must all be among the record's finding codes.
type wantRecord struct {
	sheet  string
	row    int
	status string
	values map[rules.Field]string
	codes  []string
}

// checkID completes 17 digits with their GB 11643 check character.
func checkID(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// ID numbers of the fixtures' members; 陈静's is on some sheets in its
// legacy 15 digits, and ends in X when converted.
var (
	idZhang  = checkID("43052419850312121") // 张伟
	idLi     = checkID("44030719900101002") // 李娜
	idLiu    = checkID("45010219881111001") // 刘洋
	idChen15 = "430524850312123"            // 陈静
	idChen   = checkID("43052419850312123") // 陈静, 18 digits: …X
)

func contactTemplates() []templateCase {
	return []templateCase{
		{
			name: "党员活动登记表",
			kind: KindActivity,
			rel:  "activities/党员活动登记表2026.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{{name: "2026年", rows: map[int][]any{
					1:  {"宝龙街道同心社区党员活动登记表"},
					2:  {"姓名", "身份证号码", "参加活动时间", "活动名称", "活动形式", "学时", "组织单位", "支部书记签名"},
					3:  {"张伟同志", idZhang, "2026.3.5", "学习二十届四中全会精神", "组织生活会", "2小时", "同心社区党委", "王书记"},
					4:  {"李娜", "4403 0719 9001 0100 2" + idLi[17:], "2026年3月上旬", "参观东江纵队纪念馆", "参观学习", "半天", "同心社区党委", "王书记"},
					5:  {"刘洋", idLiu, "3月5日", "社区环境整治", "义务劳动", "2-3小时", "", "王书记"},
					6:  {"陈静", idChen15, 46000, "学习强国积分学习", "学习强国", "120分钟", "", "王书记"},
					7:  {"刘洋", idLiu, "2026/03/05", "专题党课", "党课学习", "1.5h", "", "王建国书记"},
					8:  {"李娜", "", "2026-3-5", "重温入党誓词", "主题党日活动", "两小时", "", ""},
					9:  {"张伟", "", "2026-3-6", "研究季度工作", "支部委员会会议", "1小时30分", "", ""},
					10: {"填表人：李丽华", "", "审核人：王建国"},
				}, merges: [][2]string{{"A1", "H1"}}}}, false)
			},
			cols: map[string]rules.Field{
				"姓名": rules.FieldName, "身份证号码": rules.FieldIDNumber, "参加活动时间": rules.FieldActivityDate,
				"活动名称": rules.FieldContent, "活动形式": rules.FieldActivityType, "学时": rules.FieldHours,
				"组织单位": "", "支部书记签名": rules.FieldSignedBy,
			},
			rows: []wantRecord{
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldName: "张伟", rules.FieldIDNumber: idZhang, rules.FieldActivityDate: "2026-03-05",
					rules.FieldActivityType: "组织生活会", rules.FieldHours: "2", rules.FieldSignedBy: "王书记",
					rules.FieldContent: "学习二十届四中全会精神", rules.FieldCommunity: "同心社区",
				}, codes: []string{rules.CodeNameTitle, CodeCommunityFromTitle}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldIDNumber: idLi, rules.FieldActivityDate: "2026-03", rules.FieldActivityType: "理论学习",
					rules.FieldHours: "4",
				}, codes: []string{rules.CodeDateVague, rules.CodeHoursApproximate}},
				// No year in the cell: rejected, saying so (the file name's year is not used).
				{row: 5, status: StatusRejected, values: map[rules.Field]string{
					rules.FieldActivityType: "志愿服务", rules.FieldHours: "2",
				}, codes: []string{rules.CodeDateNoYear, rules.CodeHoursApproximate}},
				{row: 6, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldIDNumber: idChen, rules.FieldActivityDate: "2025-12-09",
					rules.FieldActivityType: "理论学习", rules.FieldHours: "2",
				}, codes: []string{rules.CodeIDConverted15}},
				{row: 7, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "党课", rules.FieldHours: "1.5", rules.FieldSignedBy: "王建国",
				}, codes: []string{rules.CodeNameTitle}},
				{row: 8, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "主题党日", rules.FieldHours: "2",
				}},
				{row: 9, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "支委会", rules.FieldHours: "1.5", rules.FieldActivityDate: "2026-03-06",
				}},
			},
		},
		{
			name: "三会一课签到表",
			kind: KindActivity,
			rel:  "activities/三会一课签到表.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{{name: "三会一课", rows: map[int][]any{
					1: {"龙东社区流动党员临时党支部“三会一课”签到表"},
					2: {"序号", "会议类型", "会议时间", "会议主题", "参会人员", "主持人", "记录人", "会议地点", "学习时长"},
					3: {1, "支部党员大会", "2026年3月5日", "民主评议党员", "张伟", "王建国", "李丽华", "党群服务中心", "2"},
					4: {2, "支部党员大会", "2026年3月5日", "民主评议党员", "李 娜", "王建国", "李丽华", "党群服务中心", "2"},
					5: {3, "党小组会", "2026年4月5日", "学习党章", "李娜、刘洋", "王建国", "李丽华", "党群服务中心", "约1小时"},
					6: {4, "党小组学习", "2026年4月5日下午", "学习党章", "刘洋", "王建国", "李丽华", "党群服务中心", "1小时左右"},
				}, merges: [][2]string{{"A1", "I1"}}}}, false)
			},
			cols: map[string]rules.Field{
				"序号": rules.FieldSerial, "会议类型": rules.FieldActivityType, "会议时间": rules.FieldActivityDate,
				"会议主题": rules.FieldContent, "参会人员": rules.FieldName, "主持人": "", "记录人": "",
				"会议地点": rules.FieldPlace, "学习时长": rules.FieldHours,
			},
			rows: []wantRecord{
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldName: "张伟", rules.FieldActivityType: "支部党员大会", rules.FieldActivityDate: "2026-03-05",
					rules.FieldCommunity: "龙东社区", rules.FieldHours: "2",
				}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{rules.FieldName: "李娜"},
					codes: []string{rules.CodeNameSpacesRemoved}},
				// An attendance list in one cell is kept whole and flagged: it fits no one member.
				{row: 5, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldName: "李娜、刘洋", rules.FieldActivityType: "党小组会", rules.FieldHours: "1",
				}, codes: []string{rules.CodeNameMultiple, rules.CodeHoursApproximate}},
				{row: 6, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "党小组会", rules.FieldHours: "1", rules.FieldActivityDate: "2026-04-05",
				}, codes: []string{rules.CodeHoursApproximate}},
			},
		},
		{
			name: "志愿服务时长统计 (GBK CSV)",
			kind: KindActivity,
			rel:  "activities/南约社区志愿服务时长统计.csv",
			file: func(t *testing.T) string {
				csv := "志愿者姓名,服务时长（小时）,服务日期,服务项目,义工编号,联系电话\r\n" +
					"张伟,3,2026/3/5,社区环境清洁,YG0001,13800138000\r\n" +
					"李娜,2.5h,2026/3/6,交通劝导,YG0002,139 0013 9000\r\n" +
					"刘洋,两个半小时,2026年3月7日,关爱独居老人,YG0003,+86 137-0013-7000\r\n" +
					"合计,8,,,,\r\n"
				return writeFile(t, "volunteer.csv", encode(t, simplifiedchinese.GBK, csv))
			},
			cols: map[string]rules.Field{
				"志愿者姓名": rules.FieldName, "服务时长(小时)": rules.FieldHours, "服务日期": rules.FieldActivityDate,
				"服务项目": rules.FieldContent, "联系电话": rules.FieldPhone,
				// 义工编号 holds 编号 and is read as a 序号: its text stays in raw, not in extra.
				"义工编号": rules.FieldSerial,
			},
			rows: []wantRecord{
				{row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldName: "张伟", rules.FieldHours: "3", rules.FieldActivityDate: "2026-03-05",
					rules.FieldContent: "社区环境清洁", rules.FieldCommunity: "南约社区", rules.FieldActivityType: "",
				}},
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{rules.FieldHours: "2.5", rules.FieldPhone: "13900139000"}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldHours: "2.5", rules.FieldPhone: "13700137000", rules.FieldActivityDate: "2026-03-07",
				}},
			},
		},
		{
			name: "爱心存折 (a sheet per community, a 汇总 sheet)",
			kind: KindActivity,
			rel:  "activities/宝龙街道爱心存折2026.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{
					{name: "同心社区", rows: map[int][]any{
						1: {"序号", "义工姓名", "义工号", "手机号", "服务时间", "服务类型", "服务时长", "备注"},
						2: {1, "张伟", "SZ0001", "13800138000", "2026-03-05", "义务劳动", "半天", ""},
						3: {2, "李娜", "SZ0002", "13900139000", "2026-03-06", "志愿活动", "120分钟", "计入爱心存折"},
					}},
					{name: "龙东社区", rows: map[int][]any{
						1: {"序号", "义工姓名", "义工号", "手机号", "服务时间", "服务类型", "服务时长", "备注"},
						2: {1, "刘洋", "SZ0003", "13700137000", 46090, "党员志愿服务", "两小时", ""},
						3: {2, "陈静", "SZ0004", "13600136000", "2026-03-08", "社区服务", "1天", ""},
					}},
					{name: "汇总", rows: map[int][]any{
						1: {"社区", "义工人数", "服务总时长"},
						2: {"同心社区", 2, 6},
					}},
				}, false)
			},
			cols: map[string]rules.Field{
				"义工姓名": rules.FieldName, "义工号": "", "手机号": rules.FieldPhone, "服务时间": rules.FieldActivityDate,
				"服务类型": rules.FieldActivityType, "服务时长": rules.FieldHours, "备注": rules.FieldRemark,
			},
			rows: []wantRecord{
				{sheet: "同心社区", row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldName: "张伟", rules.FieldActivityType: "志愿服务", rules.FieldHours: "4", rules.FieldCommunity: "同心社区",
				}, codes: []string{rules.CodeHoursApproximate}},
				{sheet: "同心社区", row: 3, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "志愿服务", rules.FieldHours: "2",
				}},
				{sheet: "龙东社区", row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "志愿服务", rules.FieldHours: "2", rules.FieldActivityDate: "2026-03-09",
					rules.FieldCommunity: "龙东社区",
				}},
				// A type no list knows is kept as written, with a warning.
				{sheet: "龙东社区", row: 3, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "社区服务", rules.FieldHours: "8",
				}, codes: []string{rules.CodeActivityTypeUnknown, rules.CodeHoursApproximate}},
				// The 汇总 sheet's 社区 and 服务总时长 read as a header: its rows are
				// rejected for having no date, not taken for activities.
				{sheet: "汇总", row: 2, status: StatusRejected, values: map[rules.Field]string{rules.FieldHours: "6"}},
			},
		},
		{
			name: "联系卡 exported from a 智慧党建 system (UTF-8 CSV with BOM)",
			kind: KindActivity,
			rel:  "activities/同乐社区党员联系卡导出.csv",
			file: func(t *testing.T) string {
				csv := "\ufeff党员姓名,公民身份号码,联系电话,活动时间,活动类别,活动名称,学习时长,活动地点,确认人\n" +
					"张伟," + idZhang + ",13800138000,2026-03-05 14:30:00,学习强国,每日答题,30分钟,线上,王建国\n" +
					"李娜," + idLi[:17] + "0,13900139000,2026-03-05 09:00:00,组织生活会,民主评议,3,党群服务中心,王建国\n" +
					"刘洋,'" + idLiu + ",13700137000,2026-03-06,专题组织生活会,对照检查,2.5小时,党群服务中心,王建国\n" +
					"陈静," + strings.ToLower(idChen) + ",,2026-03-07,三会一课,学习,2,党群服务中心,王建国\n"
				return writeFile(t, "export.csv", []byte(csv))
			},
			cols: map[string]rules.Field{
				"党员姓名": rules.FieldName, "公民身份号码": rules.FieldIDNumber, "联系电话": rules.FieldPhone,
				"活动时间": rules.FieldActivityDate, "活动类别": rules.FieldActivityType, "活动名称": rules.FieldContent,
				"学习时长": rules.FieldHours, "活动地点": rules.FieldPlace, "确认人": rules.FieldSignedBy,
			},
			rows: []wantRecord{
				{row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldIDNumber: idZhang, rules.FieldActivityDate: "2026-03-05", rules.FieldActivityType: "理论学习",
					rules.FieldHours: "0.5", rules.FieldCommunity: "同乐社区",
				}},
				// A wrong check digit is an error on the ID number, not on the record.
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{rules.FieldActivityType: "组织生活会"},
					codes: []string{rules.CodeIDCheckDigit}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldIDNumber: idLiu, rules.FieldActivityType: "组织生活会", rules.FieldHours: "2.5",
				}},
				// 三会一课 names four kinds of meeting: kept, with a warning.
				{row: 5, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "三会一课", rules.FieldIDNumber: idChen,
				},
					codes: []string{rules.CodeActivityTypeUnknown}},
			},
		},
		{
			name: "主题党日 record with a two-row header",
			kind: KindActivity,
			rel:  "activities/龙新社区主题党日活动记录.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{{name: "3月", rows: map[int][]any{
					1: {"序号", "姓名", "身份证号", "活动情况", "", "", "", "支部书记签字"},
					2: {"", "", "", "时间", "类型", "内容", "时长(小时)", ""},
					3: {1, "张伟", idZhang, "2026.03.05", "主题党日", "重温入党誓词", "2.5", "王建国"},
					4: {2, "李娜", idLi, "2026.03.05", "党日", "重温入党誓词", "两个半小时", "王建国"},
				}, merges: [][2]string{{"D1", "G1"}, {"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}, {"H1", "H2"}}}}, false)
			},
			cols: map[string]rules.Field{
				"姓名": rules.FieldName, "身份证号": rules.FieldIDNumber, "活动情况/时间": rules.FieldActivityDate,
				"活动情况/类型": rules.FieldActivityType, "活动情况/内容": rules.FieldContent,
				"活动情况/时长(小时)": rules.FieldHours, "支部书记签字": rules.FieldSignedBy,
			},
			rows: []wantRecord{
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityDate: "2026-03-05", rules.FieldActivityType: "主题党日", rules.FieldHours: "2.5",
					rules.FieldSignedBy: "王建国", rules.FieldCommunity: "龙新社区",
				}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldActivityType: "主题党日", rules.FieldHours: "2.5",
				}},
			},
		},
		{
			name: "辅导员结对表 (结对人 / 联系党员, merged counsellor cells)",
			kind: KindCounsellor,
			rel:  "counsellors/结对表.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{{name: "Sheet1", rows: map[int][]any{
					1: {"同乐社区流动党员辅导员结对表"},
					2: {"结对人", "联系党员", "党委职务", "手机号码", "结对日期"},
					3: {"王建国", "张伟", "社区党委委员", "13800138000", "2026.1.5"},
					4: {"", "李娜", "", "", "2026.1.5"},
					5: {"陈红同志", "刘洋", "社区党委副书记", "13900139000", "2026年1月上旬"},
					6: {"填表人：", "", "填表日期：2026年1月"},
				}, merges: [][2]string{{"A1", "E1"}, {"A3", "A4"}, {"C3", "C4"}, {"D3", "D4"}}}}, false)
			},
			cols: map[string]rules.Field{
				"结对人": rules.FieldCounsellor, "联系党员": rules.FieldName, "党委职务": rules.FieldCounsellorPost,
				// Whose phone? The titles cannot tell: read as the member's (see the report).
				"手机号码": rules.FieldPhone, "结对日期": rules.FieldPairedFrom,
			},
			rows: []wantRecord{
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldCounsellor: "王建国", rules.FieldName: "张伟", rules.FieldCounsellorPost: "社区党委委员",
					rules.FieldPairedFrom: "2026-01-05", rules.FieldCommunity: "同乐社区",
				}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldCounsellor: "王建国", rules.FieldName: "李娜", rules.FieldCounsellorPost: "社区党委委员",
				}, codes: []string{CodeMergedCell}},
				{row: 5, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldCounsellor: "陈红", rules.FieldPairedFrom: "2026-01",
				}, codes: []string{rules.CodeNameTitle, rules.CodeDateVague}},
			},
		},
		{
			name: "辅导员结对表 (结对人电话, 结对对象)",
			kind: KindCounsellor,
			rel:  "counsellors/宝龙社区结对名单.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{{name: "结对名单", rows: map[int][]any{
					1: {"序号", "结对人姓名", "结对人职务", "结对人电话", "结对对象", "身份证号", "结对时间", "备注"},
					2: {1, "王建国", "书记", "13800138000", "张伟", idZhang, "2026年1月", ""},
					3: {2, "王书记", "书记", "13800138000", "李娜", idLi, "2026年1月", "原辅导员调离"},
				}}}, false)
			},
			cols: map[string]rules.Field{
				"结对人姓名": rules.FieldCounsellor, "结对人职务": rules.FieldCounsellorPost,
				"结对人电话": rules.FieldCounsellorPhone, "结对对象": rules.FieldName, "身份证号": rules.FieldIDNumber,
				"结对时间": rules.FieldPairedFrom, "备注": rules.FieldRemark,
			},
			rows: []wantRecord{
				{row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldCounsellor: "王建国", rules.FieldCounsellorPhone: "13800138000", rules.FieldPhone: "",
					rules.FieldName: "张伟", rules.FieldPairedFrom: "2026-01", rules.FieldCommunity: "宝龙社区",
				}},
				// A surname with a title is kept, and flagged: it names no one.
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{rules.FieldCounsellor: "王书记"},
					codes: []string{rules.CodeNameTitle}},
			},
		},
		{
			name: "走访记录 (走访人 / 被走访党员, informal dates)",
			kind: KindVisit,
			rel:  "visits/龙新社区2026年走访记录.xlsx",
			file: func(t *testing.T) string {
				return writeXLSX(t, []xlsxSheet{{name: "2026年", rows: map[int][]any{
					1: {"走访人", "被走访党员", "走访时间", "走访方式", "走访内容", "备注"},
					2: {"王建国书记", "张伟", "2026.3.5", "入户走访", "了解工作生活情况", ""},
					3: {"王建国", "李娜同志", "3月5日", "电话", "提醒按时交纳党费", ""},
					4: {"王建国", "刘洋", "2026年3月上旬", "微信", "", "已提醒交党费"},
					5: {"王建国", "陈静", "2026年3月", "入户走访", "无异常", ""},
				}}}, false)
			},
			cols: map[string]rules.Field{
				"走访人": rules.FieldCounsellor, "被走访党员": rules.FieldName, "走访时间": rules.FieldVisitDate,
				"走访方式": "", "走访内容": rules.FieldNotes, "备注": "", // 备注 is a notes alias too: the first column keeps the field
			},
			rows: []wantRecord{
				{row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldCounsellor: "王建国", rules.FieldVisitDate: "2026-03-05", rules.FieldCommunity: "龙新社区",
				}, codes: []string{rules.CodeNameTitle}},
				{row: 3, status: StatusRejected, values: map[rules.Field]string{rules.FieldName: "李娜"},
					codes: []string{rules.CodeNameTitle, rules.CodeDateNoYear}},
				{row: 4, status: StatusAccepted, values: map[rules.Field]string{rules.FieldVisitDate: "2026-03"},
					codes: []string{rules.CodeDateVague}},
				{row: 5, status: StatusAccepted, values: map[rules.Field]string{rules.FieldVisitDate: "2026-03"}},
			},
		},
		{
			name: "谈心谈话记录 (GBK CSV)",
			kind: KindVisit,
			rel:  "visits/同心社区谈心谈话记录.csv",
			file: func(t *testing.T) string {
				csv := "序号,走访干部,走访对象,联系电话,联系日期,谈话内容\r\n" +
					"1,李丽华,张伟,13800138000,2026年3月5日,了解思想动态\r\n" +
					"2,李丽华,李娜,13900139000,2026-03-05,鼓励参加主题党日\r\n"
				return writeFile(t, "talk.csv", encode(t, simplifiedchinese.GBK, csv))
			},
			cols: map[string]rules.Field{
				"走访干部": rules.FieldCounsellor, "走访对象": rules.FieldName, "联系电话": rules.FieldPhone,
				"联系日期": rules.FieldVisitDate, "谈话内容": rules.FieldNotes,
			},
			rows: []wantRecord{
				{row: 2, status: StatusAccepted, values: map[rules.Field]string{
					rules.FieldCounsellor: "李丽华", rules.FieldName: "张伟", rules.FieldVisitDate: "2026-03-05",
					rules.FieldNotes: "了解思想动态", rules.FieldCommunity: "同心社区",
				}},
				{row: 3, status: StatusAccepted, values: map[rules.Field]string{rules.FieldVisitDate: "2026-03-05"}},
			},
		},
	}
}

func TestContactTemplates(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cl, err := rules.NewCleaner(rules.DefaultConfig(), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range contactTemplates() {
		t.Run(tc.name, func(t *testing.T) {
			res, err := File(tc.file(t), tc.rel, tc.kind, cfg, cl)
			if err != nil {
				t.Fatal(err)
			}
			checkTemplateColumns(t, res, tc.cols)
			if len(res.Records) != len(tc.rows) {
				t.Errorf("%d records, want %d", len(res.Records), len(tc.rows))
			}
			for _, w := range tc.rows {
				var r *Record
				for i := range res.Records {
					if res.Records[i].Row == w.row && (w.sheet == "" || res.Records[i].Sheet == w.sheet) {
						r = &res.Records[i]
						break
					}
				}
				if r == nil {
					t.Errorf("no record for %s row %d", w.sheet, w.row)
					continue
				}
				checkTemplateRecord(t, r, w)
			}
		})
	}
}

// checkTemplateColumns checks every listed title maps to its field in each
// sheet read, and that every unmapped column is listed once as such.
func checkTemplateColumns(t *testing.T, res *Result, want map[string]rules.Field) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range res.Info.Sheets {
		if s.Skipped != "" {
			continue
		}
		for _, c := range s.Columns {
			f, ok := want[c.Title]
			if !ok {
				continue
			}
			seen[c.Title] = true
			if c.Field != f {
				t.Errorf("sheet %q column %s %q → %q, want %q", s.Name, c.Letter, c.Title, c.Field, f)
			}
			if f == "" && !slices.Contains(res.Unmapped, c.Title) {
				t.Errorf("unmapped column %q not listed in %q", c.Title, res.Unmapped)
			}
		}
	}
	for title := range want {
		if !seen[title] {
			t.Errorf("no column titled %q", title)
		}
	}
}

func checkTemplateRecord(t *testing.T, r *Record, w wantRecord) {
	t.Helper()
	where := fmt.Sprintf("%s row %d", r.Sheet, r.Row)
	if r.Status != w.status {
		t.Errorf("%s: status %s (%s), want %s", where, r.Status, r.RejectReason, w.status)
	}
	for f, want := range w.values {
		if got := r.Values[f].Clean; got != want {
			t.Errorf("%s: %s = %q (raw %q), want %q", where, f, got, r.Values[f].Raw, want)
		}
	}
	var got []string
	for _, fd := range r.Findings {
		got = append(got, fd.Code)
	}
	for _, c := range w.codes {
		if !slices.Contains(got, c) {
			t.Errorf("%s: findings %q lack %s", where, got, c)
		}
	}
	// Nothing of the row is lost: a cleaned value that differs from its
	// cell keeps the cell in raw.
	for f, v := range r.Values {
		if v.Raw == "" || f == rules.FieldCommunity {
			continue
		}
		found := false
		for _, raw := range r.Raw {
			if raw == v.Raw {
				found = true
				break
			}
		}
		if !found && !slices.Contains(got, CodeMergedCell) {
			t.Errorf("%s: %s raw %q is not in the record's raw %v", where, f, v.Raw, r.Raw)
		}
	}
}
