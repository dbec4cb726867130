package output

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	// Digest is ContentSHA256, set by whoever issued the certificate: its
	// files' reuse keys are made from it, so a branch whose certificates
	// did not change is recognised without its activities. Empty: computed
	// from Activities.
	Digest string `json:"-"`
}

// ContentSHA256 is the SHA-256 of what a certificate says, its serial, file
// number and dates left out: the same content hashes the same on every run,
// and a certificate whose content changed is revised.
func (c Certificate) ContentSHA256() (string, error) {
	c.Serial, c.Number, c.Revision, c.RevisedOn, c.IssuedOn = "", 0, 0, "", ""
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
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
	// An activity's strings are pointers into the certificate's activities.
	rows := newCellRows(len(c.Activities)+len(t.ByType)+1, len(tb.cols))
	for i := range c.Activities {
		a := &c.Activities[i]
		rows.row(i+1, &a.Date, &a.Type, &a.Content, a.Hours, &a.SignedBy)
	}
	for _, bt := range t.ByType {
		rows.row("", "", bt.Type+" 小计", fmt.Sprintf("%d 次", bt.Count), bt.Hours, "")
	}
	rows.row("", "", "合计", fmt.Sprintf("%d 次", t.Activities), t.Hours, "")
	tb.rows = rows.rows
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
	// Folders are the folders of certificates (an origin branch's each),
	// Read those whose activities were read (the others were taken whole
	// from the previous run's folder; the caller fills it in).
	Folders, Read int
	Missing       []MissingGlyphs
}

// Add adds what another branch's certificates wrote.
func (w *CertificatesWritten) Add(o CertificatesWritten) {
	w.Certificates += o.Certificates
	w.PDFs += o.PDFs
	w.Issued += o.Issued
	w.Revised += o.Revised
	w.Folders += o.Folders
	w.Read += o.Read
	w.Missing = append(w.Missing, o.Missing...)
}

// AnnualName is the annual report's file name without extension.
const AnnualName = "年度通报"

// BranchCertificates is one folder of a year's certificates: an origin
// branch's certificates, in member order, and the branch itself for its
// annual report.
type BranchCertificates struct {
	Name  string // the folder's branch name; "" when unknown
	Certs []Certificate
	// Branch, when set, gets its annual report (年度通报): the branches the
	// letters go to.
	Branch *Branch
}

// CertificateBranches groups a year's certificates (in member order) into
// their folders, with the branches the letters go to (BranchesOf) that have
// members found here as well, by name. It sorts certs by folder in place,
// keeping member order within each, and each folder's Certs is a part of
// certs: a city has most of a million certificates, and a copy of them in
// folders beside the list was 0.2 GB.
func CertificateBranches(certs []Certificate, branches []Branch) []BranchCertificates {
	slices.SortStableFunc(certs, func(a, b Certificate) int { return cmp.Compare(a.Branch, b.Branch) })
	byName := map[string]*BranchCertificates{}
	var out []*BranchCertificates
	group := func(name string) *BranchCertificates {
		g := byName[name]
		if g == nil {
			g = &BranchCertificates{Name: name}
			byName[name] = g
			out = append(out, g)
		}
		return g
	}
	for lo := 0; lo < len(certs); {
		hi := lo + 1
		for hi < len(certs) && certs[hi].Branch == certs[lo].Branch {
			hi++
		}
		group(certs[lo].Branch).Certs = certs[lo:hi:hi]
		lo = hi
	}
	for i := range branches {
		b := &branches[i]
		if _, ok := byName[b.Name]; ok || len(b.Found()) > 0 {
			group(b.Name).Branch = b
		}
	}
	slices.SortFunc(out, func(a, b *BranchCertificates) int { return cmp.Compare(a.Name, b.Name) })
	groups := make([]BranchCertificates, len(out))
	for i, g := range out {
		groups[i] = *g
	}
	return groups
}

// WriteCertificates writes each folder of CertificateBranches with
// WriteBranchCertificates.
func WriteCertificates(dir *Folder, c Certificates, o CertOptions) (CertificatesWritten, error) {
	var w CertificatesWritten
	for _, g := range CertificateBranches(c.Certs, BranchesOf(c.Members)) {
		bw, err := WriteBranchCertificates(dir, c.Year, c.Date, g, c.Font, o)
		w.Add(bw)
		if err != nil {
			return w, err
		}
	}
	return w, nil
}

// certificateFiles are the files of a folder of certificates, name → reuse
// key, as WriteBranchCertificates writes them when no PDF is left out for
// characters the font lacks. The keys are made from the certificates'
// digests, not their activities, so ReuseBranchCertificates can tell an
// unchanged folder without them.
func certificateFiles(year int, date string, g BranchCertificates, font *pdf.Font, o CertOptions) map[string]string {
	files := map[string]string{}
	faces := make([]certificateFace, len(g.Certs))
	for i, c := range g.Certs {
		faces[i] = faceOf(c)
	}
	if len(g.Certs) > 0 {
		files[CertificatePath(year, g.Name, CertificateDir+".xlsx")] = workbookKey(CertificateDir, o, faces)
		if font != nil {
			for i, c := range g.Certs {
				files[certificatePDFName(year, g.Name, c)] = certificatePDFKey(font, o, faces[i])
			}
			files[CertificatePath(year, g.Name, CertificateDir+"（合订）.pdf")] = certificatePDFKey(font, o, faces...)
		}
	}
	if g.Branch != nil {
		key := annualKey(year, date, *g.Branch, g.Certs, o)
		files[CertificatePath(year, g.Name, AnnualName+".xlsx")] = workbookKey(key)
		if font != nil {
			files[CertificatePath(year, g.Name, AnnualName+".pdf")] = contentKey(pdfLayoutVersion+"\x00"+font.Path(), key)
		}
	}
	return files
}

// certificateFace is what a certificate's files are made from: its content
// (by digest) and what is printed beside it.
type certificateFace struct {
	Digest, Serial, RevisedOn, IssuedOn string
	Number, Revision                    int
}

func faceOf(c Certificate) certificateFace {
	d := c.Digest
	if d == "" {
		d, _ = c.ContentSHA256()
	}
	return certificateFace{Digest: d, Serial: c.Serial, RevisedOn: c.RevisedOn, IssuedOn: c.IssuedOn, Number: c.Number,
		Revision: c.Revision}
}

// certificatePDFKey is the reuse key of a PDF of certificates (one, or a
// branch's bound together).
func certificatePDFKey(font *pdf.Font, o CertOptions, faces ...certificateFace) string {
	return contentKey(pdfLayoutVersion+"\x00"+font.Path(), []any{CertificateDir, o, faces})
}

// annualKey is what a branch's annual report is made from: per member what
// its line shows, certificates by digest.
//
// The certificates are found by index (a map of whole certificates, and
// lines grown past their five cells, were 1.1 GB of the 1M output stage's
// allocations); the key is as before (TestAnnualKeyStable).
func annualKey(year int, date string, b Branch, certs []Certificate, o CertOptions) string {
	byMember := make(map[string]int, len(certs))
	for i := range certs {
		byMember[certs[i].MemberID] = i // the last of a member's, as before
	}
	lines := make([][]any, len(b.Members))
	for i, m := range b.Members {
		line := make([]any, 5, 7)
		line[0], line[1], line[2], line[3], line[4] = m.Name, m.Community, branchStatus(m), m.Counsellor, m.VisitsYear
		if j, ok := byMember[m.MemberID]; ok {
			c := &certs[j]
			line = append(line, faceOf(*c).Digest, c.Serial)
		}
		lines[i] = line
	}
	return contentKey(AnnualName, []any{year, date, b.Name, o, lines})
}

func certificatePDFName(year int, branch string, c Certificate) string {
	return CertificatePath(year, branch, SafeFileName(fmt.Sprintf("%04d_%s", c.Number, c.Name))+".pdf")
}

// ReuseBranchCertificates adds every file of a folder of certificates from
// the previous run's folder when all of them are unchanged there (made from
// the same certificates, branch, date and options), and reports whether it
// did; the certificates need no activities for it. When it did not, the
// caller writes them with WriteBranchCertificates.
func ReuseBranchCertificates(dir *Folder, year int, date string, g BranchCertificates, font *pdf.Font,
	o CertOptions) (CertificatesWritten, bool) {
	files := certificateFiles(year, date, g, font, o)
	if !dir.reuseAll(files) {
		return CertificatesWritten{}, false
	}
	w := CertificatesWritten{Certificates: len(g.Certs), Folders: 1}
	for name := range files {
		if strings.HasSuffix(name, ".pdf") {
			w.PDFs++
		}
	}
	return w, true
}

// WriteBranchCertificates writes a folder of certificates into
// 活动认证书/<year>/<branch>/: each member's certificate as PDF
// (<serial>_<name>.pdf), all of them in one PDF for mailing (活动认证书（合订）.pdf)
// and one workbook (活动认证书.xlsx, all of them on one sheet, a printed page
// each), and the branch's annual report (年度通报.xlsx and .pdf). Files made
// from the same as in the previous run's folder are taken from there.
func WriteBranchCertificates(dir *Folder, year int, date string, g BranchCertificates, font *pdf.Font,
	o CertOptions) (CertificatesWritten, error) {
	w := CertificatesWritten{Folders: 1}
	if slices.ContainsFunc(g.Certs, func(c Certificate) bool { return c.Digest == "" }) {
		// Digested once here, not by every key that shows them.
		g.Certs = slices.Clone(g.Certs)
		for i := range g.Certs {
			if g.Certs[i].Digest == "" {
				g.Certs[i].Digest, _ = g.Certs[i].ContentSHA256()
			}
		}
	}
	files := certificateFiles(year, date, g, font, o)
	certs := g.Certs
	if len(certs) > 0 {
		name := CertificatePath(year, g.Name, CertificateDir+".xlsx")
		// The tables are made only when the workbook is not reused: a
		// folder read for its annual report alone (a new date) keeps its
		// certificates' workbook.
		dir.writeWorkbookKeyedAsync(name, files[name], func() (*excelize.File, error) {
			tables := make([]table, len(certs))
			for i, cert := range certs {
				tables[i] = certificateTable(cert, o)
			}
			return certificateWorkbook(tables)
		})
		w.Certificates += len(certs)
	}
	if font != nil && len(certs) > 0 {
		jobs := make([]pdfJob, 0, len(certs))
		for _, cert := range certs {
			name := certificatePDFName(year, g.Name, cert)
			jobs = append(jobs, pdfJob{name: name, key: files[name], doc: CertificateDocument(cert, o)})
		}
		docs, missing, err := writePDFs(dir, jobs, font)
		if err != nil {
			return w, err
		}
		w.Missing = append(w.Missing, missing...)
		w.PDFs += len(docs)
		if len(docs) > 0 {
			// The certificates whose PDF was written, by name: a
			// certificate left out for its characters is left out here too.
			left := map[string]bool{}
			for _, m := range missing {
				left[m.File] = true
			}
			var faces []certificateFace
			for _, cert := range certs {
				if !left[certificatePDFName(year, g.Name, cert)] {
					faces = append(faces, faceOf(cert))
				}
			}
			name, key := CertificatePath(year, g.Name, CertificateDir+"（合订）.pdf"), certificatePDFKey(font, o, faces...)
			if !dir.Reuse(name, key) {
				b, err := pdf.RenderAll(docs, font)
				if err != nil {
					return w, fmt.Errorf("certificates of %s: %w", g.Name, err)
				}
				if err := dir.WriteKeyed(name, key, b); err != nil {
					return w, err
				}
			}
			w.PDFs++
		}
	}
	if g.Branch != nil {
		r := AnnualReport(*g.Branch, certs, year, date, o)
		name := CertificatePath(year, g.Name, AnnualName+".xlsx")
		dir.writeWorkbookKeyedAsync(name, files[name], func() (*excelize.File, error) { return ReportWorkbook(r) })
		if font != nil {
			d := pdf.Document{Title: r.Title, Author: o.Street, Footer: true, Blocks: []pdf.Block{
				pdf.Heading{Text: r.Title, Size: 18}, pdf.Paragraph{Text: r.Summary, Indent: true},
				pdfTable(r.List, []string{"序号", "姓名", "所在社区", "辅导员", "活动次数", "三会一课", "志愿服务", "志愿服务时长",
					"活动总时长", "走访次数", "在我街道情况"})}}
			name := CertificatePath(year, g.Name, AnnualName+".pdf")
			docs, missing, err := writePDFs(dir, []pdfJob{{name: name, key: files[name], doc: d}}, font)
			if err != nil {
				return w, err
			}
			w.PDFs += len(docs)
			w.Missing = append(w.Missing, missing...)
		}
	}
	return w, nil
}

// AnnualReport is an origin branch's 年度通报: each of its members' year
// here — activities by kind, hours, visits, status — for 民主评议.
func AnnualReport(b Branch, certs []Certificate, year int, date string, o CertOptions) StatusReport {
	// The certificates by index, and the rows in one array of cells with
	// the members' strings pointed at (table.rows): a map of whole
	// certificates and a boxed copy of every string were 0.74 GB of a 1M
	// night's allocations.
	byMember := make(map[string]int, len(certs))
	for i := range certs {
		byMember[certs[i].MemberID] = i // the last of a member's, as before
	}
	r := StatusReport{Title: fmt.Sprintf("%s党员%d年在%s活动情况通报", b.Name, year, o.Street)}
	r.List = table{sheet: AnnualName, title: r.Title, date: date,
		cols: []string{"序号", "姓名", "所在社区", "在我街道情况", "辅导员", "活动次数", "三会一课", "主题党日", "理论学习",
			"志愿服务", "志愿服务时长", "技能培训", "其他", "活动总时长", "走访次数", "认证书编号"}}
	rows := newCellRows(len(b.Members), len(r.List.cols))
	known := append(append([]string{}, o.Meetings...), "主题党日", "理论学习", o.Volunteer, "技能培训")
	active := 0
	for i, m := range b.Members {
		var c Certificate
		j, ok := byMember[m.MemberID]
		if ok {
			c = certs[j]
		}
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
		other := t.Activities - count(known...)
		serial := ""
		if ok {
			serial = c.Serial
			active++
		}
		rows.row(i+1, &m.Name, &m.Community, branchStatus(m), &m.Counsellor,
			t.Activities, t.Meetings, count("主题党日"), count("理论学习"), t.Volunteer, t.VolunteerHours, count("技能培训"),
			other, t.Hours, m.VisitsYear, serial)
	}
	r.List.rows = rows.rows
	r.Summary = fmt.Sprintf("贵党组织在%s登记的党员共%d名，其中%d名在%d年参加了流入地党组织活动并获发活动认证书（截至%s）。",
		o.Street, len(b.Members), active, year, chineseDate(date))
	return r
}
