package output

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/output/pdf"
	"github.com/baolong/liudong/rules"
)

// CertificateDir is the folder of the year-end activity certificates
// (活动认证书) in a run folder: 活动认证书/<year>/<branch>/….
const CertificateDir = "活动认证书"

// Certificate is one member's year-end activity certificate.
type Certificate struct {
	Year       int
	Serial     string // 宝龙认字〔2026〕第0123号
	Number     int    // 123, the serial's number: file names
	Revision   int    // 0 as first issued
	RevisedOn  string // 2026-12-03, the latest revision
	MemberID   string
	Name       string
	IDNumber   string // full: masked when written
	Branch     string // origin branch, "" when unknown
	Community  string
	Counsellor string
	Activities []CertActivity // by date
	Issuer     string
	IssuedOn   string // 2026-12-31
}

// CertActivity is one activity on a certificate.
type CertActivity struct {
	Date, Type, Content string
	Hours               float64
	SignedBy            string
}

// CertTotals are a certificate's totals.
type CertTotals struct {
	Activities int
	Hours      float64
	// ByType: count and hours per activity type, in the order types first
	// appear in the configured list, then others by name.
	ByType []TypeTotal
	// Meetings counts the 三会一课 activities; Volunteer the 志愿服务 ones.
	Meetings        int
	Volunteer       int
	VolunteerHours  float64
	MeetingsDetails string // 支部党员大会 2 次、党课 1 次
}

// TypeTotal is one activity type's count and hours.
type TypeTotal struct {
	Type  string
	Count int
	Hours float64
}

// CertOptions configure the certificates.
type CertOptions struct {
	Street string
	// Types orders the per-type totals (rules.activity_types).
	Types []string
	// Meetings are the types of 三会一课; Volunteer the volunteering type.
	Meetings  []string
	Volunteer string
	// Mask shows ID numbers masked (certificates leave the street).
	Mask bool
}

// Totals adds up a certificate's activities.
func (c Certificate) Totals(o CertOptions) CertTotals {
	var t CertTotals
	idx := map[string]int{}
	for _, a := range c.Activities {
		t.Activities++
		t.Hours += a.Hours
		i, ok := idx[a.Type]
		if !ok {
			i = len(t.ByType)
			idx[a.Type] = i
			t.ByType = append(t.ByType, TypeTotal{Type: a.Type})
		}
		t.ByType[i].Count++
		t.ByType[i].Hours += a.Hours
		if slices.Contains(o.Meetings, a.Type) {
			t.Meetings++
		}
		if a.Type == o.Volunteer {
			t.Volunteer++
			t.VolunteerHours += a.Hours
		}
	}
	order := func(typ string) int {
		if i := slices.Index(o.Types, typ); i >= 0 {
			return i
		}
		return len(o.Types)
	}
	slices.SortStableFunc(t.ByType, func(a, b TypeTotal) int {
		return cmp.Or(cmp.Compare(order(a.Type), order(b.Type)), cmp.Compare(a.Type, b.Type))
	})
	var parts []string
	for _, m := range o.Meetings {
		for _, bt := range t.ByType {
			if bt.Type == m {
				parts = append(parts, fmt.Sprintf("%s %d 次", m, bt.Count))
			}
		}
	}
	t.MeetingsDetails = strings.Join(parts, "、")
	return t
}

// hours writes hours without trailing zeros: 12, 2.5.
func hours(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

// CertificateDocument lays out a certificate for PDF: title, serial (and
// 修订 with its date), who, the year's activities, totals per type, the 三会
// 一课 count and volunteer hours, the counsellor, the issuer, the date and
// a space for the stamp.
func CertificateDocument(c Certificate, o CertOptions) pdf.Document {
	id := c.IDNumber
	if o.Mask {
		id = rules.MaskID(id)
	}
	t := c.Totals(o)
	serial := c.Serial
	if c.Revision > 0 {
		serial += "（修订，" + chineseDate(c.RevisedOn) + "）"
	}
	issued, _ := time.Parse("2006-01-02", c.IssuedOn)
	d := pdf.Document{Title: "活动认证书 " + c.Serial, Author: c.Issuer, Date: issued, Footer: true}
	who := fmt.Sprintf("兹证明 %s 同志（公民身份证号 %s", c.Name, cmp.Or(id, "不详"))
	if c.Branch != "" {
		who += "，组织关系在" + c.Branch
	}
	who += fmt.Sprintf("）于 %d 年在%s%s参加流入地党组织活动 %d 次，共 %s 小时，情况如下。", c.Year, o.Street, c.Community, t.Activities, hours(t.Hours))
	acts := pdf.Table{Size: 9, Columns: []pdf.Column{{Title: "序号", Width: 8}, {Title: "日期", Width: 22}, {Title: "类型", Width: 22},
		{Title: "内容", Width: 64}, {Title: "时长（小时）", Width: 18}, {Title: "签字证明", Width: 24}}}
	for i, a := range c.Activities {
		acts.Rows = append(acts.Rows, []string{strconv.Itoa(i + 1), a.Date, a.Type, a.Content, hours(a.Hours), a.SignedBy})
	}
	byType := pdf.Table{Size: 9, Columns: []pdf.Column{{Title: "活动类型", Width: 40}, {Title: "次数", Width: 20}, {Title: "时长（小时）", Width: 20}}}
	for _, bt := range t.ByType {
		byType.Rows = append(byType.Rows, []string{bt.Type, strconv.Itoa(bt.Count), hours(bt.Hours)})
	}
	byType.Rows = append(byType.Rows, []string{"合计", strconv.Itoa(t.Activities), hours(t.Hours)})
	summary := fmt.Sprintf("其中参加“三会一课” %d 次", t.Meetings)
	if t.MeetingsDetails != "" {
		summary += "（" + t.MeetingsDetails + "）"
	}
	summary += fmt.Sprintf("，志愿服务 %d 次、%s 小时。", t.Volunteer, hours(t.VolunteerHours))
	if c.Counsellor != "" {
		summary += "结对辅导员：" + c.Counsellor + "。"
	}
	d.Blocks = []pdf.Block{
		pdf.Heading{Text: "活动认证书", Size: 26},
		pdf.Paragraph{Text: serial, Align: pdf.AlignRight, Size: 12},
		pdf.Paragraph{Text: who, Indent: true, Size: 14},
		acts,
		pdf.Spacer{Height: 4},
		byType,
		pdf.Paragraph{Text: summary, Indent: true, Size: 14},
		pdf.Paragraph{Text: "特此证明，供流出地党组织开展民主评议党员时参考。", Indent: true, Size: 14},
		pdf.Spacer{Height: 6},
		pdf.Signature{Lines: []string{c.Issuer, chineseDate(c.IssuedOn)}, Size: 14},
		pdf.StampBox{},
	}
	return d
}

// certificateTable is a certificate as a print-ready table: the header
// facts in the title, the activities as rows, the totals after them.
func certificateTable(c Certificate, o CertOptions) table {
	t := c.Totals(o)
	id := c.IDNumber
	if o.Mask {
		id = rules.MaskID(id)
	}
	title := fmt.Sprintf("活动认证书 %s", c.Serial)
	if c.Revision > 0 {
		title += "（修订，" + c.RevisedOn + "）"
	}
	note := fmt.Sprintf("%s（%s）　%s　%s%s　辅导员：%s\n%d 年参加活动 %d 次、%s 小时，其中“三会一课” %d 次，志愿服务 %d 次、%s 小时\n%s　%s",
		c.Name, cmp.Or(id, "身份证号不详"), cmp.Or(c.Branch, "流出地党组织不详"), o.Street, c.Community, cmp.Or(c.Counsellor, "未配"),
		c.Year, t.Activities, hours(t.Hours), t.Meetings, t.Volunteer, hours(t.VolunteerHours), c.Issuer, chineseDate(c.IssuedOn))
	tb := table{sheet: CertificateDir, title: title, note: note, date: c.IssuedOn,
		cols: []string{"序号", "日期", "类型", "内容", "时长（小时）", "签字证明"}, maxWidth: 40}
	for i, a := range c.Activities {
		tb.rows = append(tb.rows, []any{i + 1, a.Date, a.Type, a.Content, a.Hours, a.SignedBy})
	}
	for _, bt := range t.ByType {
		tb.rows = append(tb.rows, []any{"", "", bt.Type + " 小计", fmt.Sprintf("%d 次", bt.Count), bt.Hours, ""})
	}
	tb.rows = append(tb.rows, []any{"", "", "合计", fmt.Sprintf("%d 次", t.Activities), t.Hours, ""})
	return tb
}

// certsPerSheet is how many certificates one sheet of a branch's workbook
// holds: each but the first begins with a manual page break, and Excel
// refuses a sheet of more than 1,023 of them. Further certificates continue
// on 活动认证书（2）, ….
const certsPerSheet = 1000

// certificateGap is the blank rows between two certificates on screen.
const certificateGap = 2

// certificateWorkbook is a branch's certificates, by serial, one below the
// other on one sheet (活动认证书), each beginning a printed page.
func certificateWorkbook(tables []table) (*excelize.File, error) {
	f, st, err := newWorkbook(CertificateDir)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(tables); i += certsPerSheet {
		sheet := CertificateDir
		if n := i/certsPerSheet + 1; n > 1 {
			sheet = fmt.Sprintf("%s（%d）", CertificateDir, n)
		}
		if err := writePages(f, st, sheet, tables[i:min(i+certsPerSheet, len(tables))], certificateGap); err != nil {
			f.Close()
			return nil, fmt.Errorf("certificates: %w", err)
		}
	}
	return f, nil
}

// CertificatePath is a file of a certificate folder in the run folder:
// 活动认证书/2026/<branch>/<file>.
func CertificatePath(year int, branch, file string) string {
	return path.Join(CertificateDir, strconv.Itoa(year), SafeFileName(cmp.Or(branch, "流出地党组织不详")), file)
}

// Certificates is a year's certificates and the members they are for.
type Certificates struct {
	Year  int
	Date  string // the run date
	Certs []Certificate
	// Members are the current members: the annual report (年度通报) of a
	// branch lists all of its members, with or without activities.
	Members []MemberRow
	// Font prints the certificates and reports as PDF too; nil: workbooks only.
	Font *pdf.Font
}

// CertificatesWritten is what WriteCertificates wrote.
type CertificatesWritten struct {
	Certificates, PDFs int
	// Issued and Revised count the certificates first issued or revised
	// today (the caller fills them in).
	Issued, Revised int
	Missing         []MissingGlyphs
}

// AnnualName is the annual report's file name without extension.
const AnnualName = "年度通报"

// WriteCertificates writes, per origin branch, into 活动认证书/<year>/<branch>/:
// each member's certificate as PDF (<serial>_<name>.pdf), all of them in one
// PDF for mailing (活动认证书（合订）.pdf) and one workbook (活动认证书.xlsx, all
// of them on one sheet, a printed page each), and the branch's annual report
// (年度通报.xlsx and .pdf).
func WriteCertificates(dir *Folder, c Certificates, o CertOptions) (CertificatesWritten, error) {
	var w CertificatesWritten
	byBranch := map[string][]Certificate{}
	var branches []string
	for _, cert := range c.Certs {
		if _, ok := byBranch[cert.Branch]; !ok {
			branches = append(branches, cert.Branch)
		}
		byBranch[cert.Branch] = append(byBranch[cert.Branch], cert)
	}
	// Branches as the letters group them, so one branch's variants share a folder.
	for _, b := range BranchesOf(c.Members) {
		if _, ok := byBranch[b.Name]; !ok && len(b.Found()) > 0 {
			branches = append(branches, b.Name)
		}
	}
	slices.Sort(branches)
	branches = slices.Compact(branches)
	members := map[string]Branch{}
	for _, b := range BranchesOf(c.Members) {
		members[b.Name] = b
	}
	for _, branch := range branches {
		certs := byBranch[branch]
		if len(certs) > 0 {
			tables := make([]table, len(certs))
			keyParts := make([]any, len(certs))
			for i, cert := range certs {
				tables[i] = certificateTable(cert, o)
				keyParts[i] = tables[i].data()
			}
			dir.writeWorkbookKeyedAsync(CertificatePath(c.Year, branch, CertificateDir+".xlsx"), workbookKey(keyParts...),
				func() (*excelize.File, error) { return certificateWorkbook(tables) })
			w.Certificates += len(certs)
		}
		if c.Font != nil && len(certs) > 0 {
			jobs := make([]pdfJob, 0, len(certs))
			for _, cert := range certs {
				jobs = append(jobs, pdfJob{
					name: CertificatePath(c.Year, branch, SafeFileName(fmt.Sprintf("%04d_%s", cert.Number, cert.Name))+".pdf"),
					doc:  CertificateDocument(cert, o),
				})
			}
			docs, missing, err := writePDFs(dir, jobs, c.Font)
			if err != nil {
				return w, err
			}
			w.Missing = append(w.Missing, missing...)
			w.PDFs += len(docs)
			if len(docs) > 0 {
				name, key := CertificatePath(c.Year, branch, CertificateDir+"（合订）.pdf"), pdfKey(c.Font, docs...)
				if !dir.Reuse(name, key) {
					b, err := pdf.RenderAll(docs, c.Font)
					if err != nil {
						return w, fmt.Errorf("certificates of %s: %w", branch, err)
					}
					if err := dir.WriteKeyed(name, key, b); err != nil {
						return w, err
					}
				}
				w.PDFs++
			}
		}
		if b, ok := members[branch]; ok {
			r := AnnualReport(b, certs, c.Year, c.Date, o)
			dir.writeWorkbookKeyedAsync(CertificatePath(c.Year, branch, AnnualName+".xlsx"), r.key(), func() (*excelize.File, error) {
				return ReportWorkbook(r)
			})
			if c.Font != nil {
				d := pdf.Document{Title: r.Title, Author: o.Street, Footer: true, Blocks: []pdf.Block{
					pdf.Heading{Text: r.Title, Size: 18}, pdf.Paragraph{Text: r.Summary, Indent: true},
					pdfTable(r.List, []string{"序号", "姓名", "所在社区", "辅导员", "活动次数", "三会一课", "志愿服务", "志愿服务时长",
						"活动总时长", "走访次数", "在我街道情况"})}}
				docs, missing, err := writePDFs(dir, []pdfJob{{name: CertificatePath(c.Year, branch, AnnualName+".pdf"), doc: d}}, c.Font)
				if err != nil {
					return w, err
				}
				w.PDFs += len(docs)
				w.Missing = append(w.Missing, missing...)
			}
		}
	}
	return w, nil
}

// AnnualReport is an origin branch's 年度通报: each of its members' year
// here — activities by kind, hours, visits, status — for 民主评议.
func AnnualReport(b Branch, certs []Certificate, year int, date string, o CertOptions) StatusReport {
	byMember := map[string]Certificate{}
	for _, c := range certs {
		byMember[c.MemberID] = c
	}
	r := StatusReport{Title: fmt.Sprintf("%s党员%d年在%s活动情况通报", b.Name, year, o.Street)}
	r.List = table{sheet: AnnualName, title: r.Title, date: date,
		cols: []string{"序号", "姓名", "所在社区", "在我街道情况", "辅导员", "活动次数", "三会一课", "主题党日", "理论学习",
			"志愿服务", "志愿服务时长", "技能培训", "其他", "活动总时长", "走访次数", "认证书编号"}}
	active := 0
	for _, m := range b.Members {
		c, ok := byMember[m.MemberID]
		t := c.Totals(o)
		count := func(types ...string) int {
			n := 0
			for _, bt := range t.ByType {
				if slices.Contains(types, bt.Type) {
					n += bt.Count
				}
			}
			return n
		}
		known := append(append([]string{}, o.Meetings...), "主题党日", "理论学习", o.Volunteer, "技能培训")
		other := t.Activities - count(known...)
		serial := ""
		if ok {
			serial = c.Serial
			active++
		}
		r.List.rows = append(r.List.rows, []any{len(r.List.rows) + 1, m.Name, m.Community, branchStatus(m), m.Counsellor,
			t.Activities, t.Meetings, count("主题党日"), count("理论学习"), t.Volunteer, t.VolunteerHours, count("技能培训"),
			other, t.Hours, m.VisitsYear, serial})
	}
	r.Summary = fmt.Sprintf("贵党组织在%s登记的党员共%d名，其中%d名在%d年参加了流入地党组织活动并获发活动认证书（截至%s）。",
		o.Street, len(b.Members), active, year, chineseDate(date))
	return r
}
