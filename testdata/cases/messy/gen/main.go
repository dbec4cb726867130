// Command gen writes the inbox of the "messy" golden case: the files an
// office really sends, with the defects DOMAIN.md lists. Run from the
// repository root: go run ./testdata/cases/messy/gen
package main

import (
	"bytes"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const root = "testdata/cases/messy/inbox"

func main() {
	os.RemoveAll(root)
	for _, d := range []string{"surveys", "rosters", "activities", "counsellors", "visits", "decisions"} {
		must(os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	survey()
	gbkSurvey()
	roster()
	activities()
	visits()
	counsellors()
	titledRoster()
	write("rosters/2019年名册.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4088)...))
	write("surveys/南约社区摸排表.xlsx", nil)
	write("surveys/~$同心社区2026年10月摸排表.xlsx", []byte("lock"))
	write("请查收.txt", []byte("misplaced"))
	write("decisions/.keep", nil)
}

// id completes a 17-digit body with its GB 11643 check character.
func id(body string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func write(rel string, b []byte) {
	must(os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), b, 0o644))
}

func fixedProps(f *excelize.File) {
	must(f.SetDocProps(&excelize.DocProperties{Created: "2026-10-20T00:00:00Z", Modified: "2026-10-20T00:00:00Z", Creator: "WPS"}))
}

func set(f *excelize.File, sheet, cell string, v any) { must(f.SetCellValue(sheet, cell, v)) }

func row(f *excelize.File, sheet string, r int, vals ...any) {
	cell, _ := excelize.CoordinatesToCellName(1, r)
	must(f.SetSheetRow(sheet, cell, &vals))
}

// survey: merged title, two-row header with merged group cells, 序号, a
// number-cell ID, date cells, text dates, blank and serial-only rows, a row
// without a name, a footer, and a 汇总 sheet of counts.
func survey() {
	f := excelize.NewFile()
	fixedProps(f)
	s := "10月"
	must(f.SetSheetName("Sheet1", s))
	set(f, s, "A1", "宝龙街道同心社区流动党员摸排登记表")
	must(f.MergeCell(s, "A1", "L1"))
	row(f, s, 2, "序号", "基本信息", nil, nil, "公民身份号码", "出生年月", "联系方式", nil, "组织关系", nil, "现住址", "微信号", "状态")
	row(f, s, 3, nil, "姓名", "性别", "民族", nil, nil, "手机", "固定电话", "所在党组织", "入党时间", nil, nil, nil)
	for _, m := range [][2]string{{"A2", "A3"}, {"B2", "D2"}, {"E2", "E3"}, {"F2", "F3"}, {"G2", "H2"}, {"I2", "J2"}, {"K2", "K3"}, {"L2", "L3"}, {"M2", "M3"}} {
		must(f.MergeCell(s, m[0], m[1]))
	}
	born := time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)
	joined := time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC)
	row(f, s, 4, 1, "张 伟", "男", "汉", id("43052419850312123"), born, "138 1234 5678", "0755-28901234", "中共隆回县六都寨镇石门村支部委员会", joined, "龙岗区宝龙街道同心社区宝龙路1号", "zw1985", "在深")
	row(f, s, 5, 2, "陳麗華", "女", "汉族", float64(430524199001010020), "1990.01", "+86 139-1234-5678", nil, "隆回县六都寨镇石门村党支部", "2012年6月", "同心社区2栋301", nil, "在深")
	row(f, s, 6, 3, "阿卜杜•热合曼", "男", "维吾尔族", "６５０１０２１９８８０５０５００１Ｘ", "19880505", "13712345678", nil, "乌鲁木齐市天山区某社区党支部", "2010/5/4", "同心社区5栋", nil, "在深")
	row(f, s, 7, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	row(f, s, 8, 4, "王芳", "女", "汉", "430524780315002", 28199, "13612345678", nil, "中共隆回县六都寨镇石门村支部委员会", 38899, "同心社区8栋", nil, "已返乡")
	row(f, s, 9, 5)
	row(f, s, 10, 6, nil, "男", "汉", "43052419700101003x", nil, "13512345678", nil, "隆回县六都寨镇石门村支部", nil, nil, nil, nil)
	row(f, s, 11, 7, "李娜", "男", "汉族", id("43052419920101002"), "1992-02-01", "1351234567", nil, "湖南省邵阳市隆回县六都寨镇石门村党支部", "1985.03", "同心社区3栋", nil, "在深")
	row(f, s, 13, "填表人：李丽  审核人：王强  填表日期：2026年10月20日")
	_, err := f.NewSheet("汇总")
	must(err)
	row(f, "汇总", 1, "社区", "人数")
	row(f, "汇总", 2, "同心社区", 6)
	must(f.SaveAs(filepath.Join(root, "surveys", "同心社区2026年10月摸排表.xlsx")))
}

// gbkSurvey: a CSV exported in GBK, header on line 1.
func gbkSurvey() {
	body := "姓名,身份证号码,手机号码,出生日期,入党日期,组织关系所在党组织,所在社区,是否参加志愿服务\r\n" +
		"刘洋," + id("45010219881111001") + ",+86 13812340000,1988/11/11,20100701,中共南宁市兴宁区某村支部委员会,宝龙,是\r\n" +
		"赵敏,4.50102E+17,13812340001,19900202,2015年7月,南宁市兴宁区某村党支部,宝龙社区,否\r\n" +
		"欧阳晓燕," + id("45010219930303002") + ",0755 2890 1234,1993.03,2016-07,南宁市兴宁区某村支部,宝龙街道宝龙社区,\r\n"
	enc, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(body))
	must(err)
	write("surveys/宝龙社区摸排.csv", enc)
}

// roster: an origin branch's outflow roster, UTF-8 with BOM.
func roster() {
	body := "\ufeff序号,党员姓名,公民身份证号,联系电话,流出时间,流出地党组织,党员类别,文化程度,流入地\n" +
		"1,张玮," + id("43052419850312123") + ",13812345678,2015.03,中共隆回县六都寨镇石门村支部委员会,正式,大专,深圳市龙岗区\n" +
		"2,陈丽华,430524199001010020,13912345678,2016年,中共隆回县六都寨镇石门村支部委员会,正式党员,本科,深圳\n" +
		"3,周杰," + id("43052419950505001") + ",13312345678,2020-05,中共隆回县六都寨镇石门村支部委员会,预备,高中,深圳龙岗\n"
	write("rosters/隆回县六都寨镇石门村流出党员名册.csv", []byte(body))
}

// activities: contact-card records with a date cell, a text date, and a
// row without a date.
func activities() {
	f := excelize.NewFile()
	fixedProps(f)
	s := "Sheet1"
	row(f, s, 1, "姓名", "联系电话", "活动日期", "活动类型", "活动内容", "时长（小时）", "签字书记")
	row(f, s, 2, "张伟", "13812345678", time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), "主题党日", "小区防疫卡口执勤", 2, "李丽华")
	row(f, s, 3, "陈丽华", "13912345678", "2026.3.7", "义工", "爱心存折录入", "1.5小时", "李丽华")
	row(f, s, 4, "王芳", "13612345678", nil, "党课", "微党课", 1, "李丽华")
	must(f.SaveAs(filepath.Join(root, "activities", "同心社区联系卡记录.xlsx")))
}

func visits() {
	var b bytes.Buffer
	b.WriteString("辅导员,党员姓名,走访日期,走访情况\n")
	b.WriteString("李丽华,张伟,2026-04-02,\"了解工作情况，\n家庭和睦\"\n")
	b.WriteString("李丽华,陈丽华,2026/9/15,已走访\n")
	write("visits/2026年走访记录.csv", b.Bytes())
}

// counsellors: a counsellor's name merged down over the members they are
// paired with, as offices lay it out.
func counsellors() {
	f := excelize.NewFile()
	fixedProps(f)
	s := "结对表"
	must(f.SetSheetName("Sheet1", s))
	row(f, s, 1, "辅导员姓名", "职务", "结对党员姓名", "党员身份证号", "结对时间")
	row(f, s, 2, "李丽华", "社区党委书记", "张伟", id("43052419850312123"), "2026-03-01")
	row(f, s, 3, nil, nil, "陈丽华", "430524199001010020", "2026-03-01")
	row(f, s, 4, nil, nil, "王芳", "430524780315002", "2026-03-01")
	row(f, s, 5, "黄强", "社区党委委员", "刘洋", id("45010219881111001"), "2026-04-01")
	row(f, s, 6, nil, nil, "赵敏", nil, "2026-04-01")
	must(f.MergeCell(s, "A2", "A4"))
	must(f.MergeCell(s, "B2", "B4"))
	must(f.MergeCell(s, "A5", "A6"))
	must(f.SaveAs(filepath.Join(root, "counsellors", "同心社区辅导员结对表.xlsx")))
}

// titledRoster: a roster whose branch is named only in its title.
func titledRoster() {
	f := excelize.NewFile()
	fixedProps(f)
	s := "Sheet1"
	set(f, s, "A1", "中共隆回县六都寨镇石门村支部委员会流出党员名册")
	must(f.MergeCell(s, "A1", "E1"))
	row(f, s, 2, "序号", "姓名", "身份证号", "流出时间", "联系电话")
	row(f, s, 3, 1, "周杰", id("43052419950505001"), "2020.05", "13312345678")
	must(f.SaveAs(filepath.Join(root, "rosters", "石门村2026年名册.xlsx")))
}
