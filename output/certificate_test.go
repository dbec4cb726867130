package output

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const testBranch = "中共石门村支部委员会"

// testCertificates are three certificates of one branch, the second revised,
// the third with an activity too long for one line, and one of another
// branch.
func testCertificates() []Certificate {
	cert := func(n int, name, id string, acts ...CertActivity) Certificate {
		return Certificate{Year: 2026, Serial: fmt.Sprintf("宝龙认字〔2026〕第%04d号", n), Number: n, MemberID: fmt.Sprintf("M%07d", n),
			Name: name, IDNumber: id, Branch: testBranch, Community: "同心社区", Counsellor: "李丽华",
			Issuer: "中共宝龙街道流动党员临时党支部", IssuedOn: "2026-11-25", Activities: acts}
	}
	certs := []Certificate{
		cert(1, "张玮", "43052419850312123X",
			CertActivity{Date: "2026-03-07", Type: "主题党日", Content: "小区防疫卡口执勤", Hours: 2, SignedBy: "李丽华"},
			CertActivity{Date: "2026-05-12", Type: "党课", Content: "专题党课", Hours: 1.5, SignedBy: "王芳"}),
		cert(2, "陈丽华", "430524199001010020",
			CertActivity{Date: "2026-03-07", Type: "志愿服务", Content: "爱心存折录入", Hours: 1.5, SignedBy: "李丽华"},
			CertActivity{Date: "2026-06-01", Type: "支部党员大会", Content: "半年工作总结", Hours: 2, SignedBy: "王芳"},
			CertActivity{Date: "2026-09-20", Type: "理论学习", Content: "学习党章", Hours: 1, SignedBy: "王芳"}),
		cert(3, "阿依古丽·买买提", "650102199203150046",
			CertActivity{Date: "2026-10-01", Type: "志愿服务", Content: strings.Repeat("社区国庆游园活动秩序维护与垃圾分类宣传", 3), Hours: 4, SignedBy: "李丽华"}),
	}
	certs[1].Revision, certs[1].RevisedOn = 1, "2026-11-20"
	other := cert(4, "刘洋", "430524198807070011", CertActivity{Date: "2026-04-01", Type: "党课", Content: "党课", Hours: 1})
	other.Branch = "中共隆回县六都寨镇石门村支部委员会"
	return append(certs, other)
}

// certBlock is one certificate as read back from a sheet.
type certBlock struct {
	row   int    // its title row
	title string // 活动认证书 <serial>[（修订，…）]
	note  string // the facts under the title
	acts  []string
	total string
}

// readCertBlocks reads the certificates of a sheet, in order: a block
// begins at a title in column A, its activities are the numbered rows.
func readCertBlocks(t *testing.T, f *excelize.File, sheet string) []certBlock {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []certBlock
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		if strings.HasPrefix(r[0], "活动认证书 ") {
			title, note, _ := strings.Cut(r[0], "\n")
			out = append(out, certBlock{row: i + 1, title: title, note: note})
			continue
		}
		if len(out) == 0 || len(r) < 5 {
			continue
		}
		b := &out[len(out)-1]
		if _, err := strconv.Atoi(r[0]); err == nil {
			b.acts = append(b.acts, strings.Join(r[1:4], " "))
		} else if r[2] == "合计" {
			b.total = r[3] + " " + r[4]
		}
	}
	return out
}

// rowBreaks are the manual page breaks of each sheet of an xlsx file, by
// sheet name: the rows a new printed page begins after. excelize writes
// them but has no call to read them.
func rowBreaks(t *testing.T, file string) map[string][]int {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	decode := func(name string, v any) {
		t.Helper()
		r, err := z.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := xml.NewDecoder(r).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	decode("xl/workbook.xml", &wb)
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	decode("xl/_rels/workbook.xml.rels", &rels)
	out := map[string][]int{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID != s.RID {
				continue
			}
			var ws struct {
				Breaks []struct {
					ID  int  `xml:"id,attr"`
					Man bool `xml:"man,attr"`
				} `xml:"rowBreaks>brk"`
			}
			decode(path.Join("xl", strings.TrimPrefix(r.Target, "/xl/")), &ws)
			out[s.Name] = []int{}
			for _, b := range ws.Breaks {
				if !b.Man {
					t.Errorf("sheet %s: break after row %d is not manual", s.Name, b.ID)
				}
				out[s.Name] = append(out[s.Name], b.ID)
			}
		}
	}
	return out
}

// TestCertificateWorkbook writes a branch's certificates and reads its
// workbook back: one sheet, the certificates in serial order with all they
// show, each beginning a printed page, ID numbers masked.
func TestCertificateWorkbook(t *testing.T) {
	certs := testCertificates()
	o := CertOptions{Street: "宝龙街道", Volunteer: "志愿服务", Meetings: []string{"支部党员大会", "党课"}, Mask: true}
	sum := &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	dir, err := WriteRun(t.TempDir(), sum, func(f *Folder) error {
		w, err := WriteCertificates(f, Certificates{Year: 2026, Date: "2026-11-25", Certs: certs}, o)
		if err == nil && w.Certificates != len(certs) {
			t.Errorf("wrote %d certificates, want %d", w.Certificates, len(certs))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, CertificatePath(2026, testBranch, CertificateDir+".xlsx"))
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{CertificateDir}) {
		t.Fatalf("sheets %q, want one, %s", got, CertificateDir)
	}
	blocks := readCertBlocks(t, f, CertificateDir)
	want := certs[:3]
	if len(blocks) != len(want) {
		t.Fatalf("%d certificates on the sheet, want %d: %+v", len(blocks), len(want), blocks)
	}
	masked := []string{"430524********123X", "430524********0020", "650102********0046"}
	for i, c := range want {
		b := blocks[i]
		title := "活动认证书 " + c.Serial
		if c.Revision > 0 {
			title += "（修订，" + c.RevisedOn + "）"
		}
		if b.title != title {
			t.Errorf("certificate %d: title %q, want %q", i+1, b.title, title)
		}
		for _, s := range []string{c.Name + "（" + masked[i] + "）", testBranch, "宝龙街道同心社区", "辅导员：李丽华",
			"中共宝龙街道流动党员临时党支部　2026年11月25日"} {
			if !strings.Contains(b.note, s) {
				t.Errorf("certificate %d: facts %q lack %q", i+1, b.note, s)
			}
		}
		var acts []string
		var h float64
		for _, a := range c.Activities {
			acts = append(acts, a.Date+" "+a.Type+" "+a.Content)
			h += a.Hours
		}
		if !slices.Equal(b.acts, acts) {
			t.Errorf("certificate %d: activities %q, want %q", i+1, b.acts, acts)
		}
		if want := fmt.Sprintf("%d 次 %s", len(c.Activities), hours(h)); b.total != want {
			t.Errorf("certificate %d: 合计 %q, want %q", i+1, b.total, want)
		}
	}
	if !strings.Contains(blocks[1].note, "“三会一课” 1 次，志愿服务 1 次、1.5 小时") {
		t.Errorf("certificate 2: totals in the facts %q", blocks[1].note)
	}
	for s, rows := range allCells(t, file) {
		for _, r := range rows {
			for _, v := range r {
				if fullID.MatchString(v) {
					t.Errorf("%s: full ID number in %q", s, v)
				}
			}
		}
	}

	// A page each: a break after the row before the 2nd and 3rd titles,
	// and blank rows before them on screen.
	wantBreaks := []int{blocks[1].row - 1, blocks[2].row - 1}
	if got := rowBreaks(t, file)[CertificateDir]; !slices.Equal(got, wantBreaks) {
		t.Errorf("row breaks after rows %v, want %v (before the 2nd and 3rd certificates)", got, wantBreaks)
	}
	for _, b := range blocks[1:] {
		if v, _ := f.GetCellValue(CertificateDir, fmt.Sprintf("A%d", b.row-1)); v != "" {
			t.Errorf("row %d before certificate at row %d is not blank: %q", b.row-1, b.row, v)
		}
	}
	// Each title merged over the columns before the date, as on a sheet of its own.
	merged := map[string]bool{}
	mcs, err := f.GetMergeCells(CertificateDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, mc := range mcs {
		merged[mc.GetStartAxis()+":"+mc.GetEndAxis()] = true
	}
	for _, b := range blocks {
		for _, r := range []string{fmt.Sprintf("A%d:D%d", b.row, b.row), fmt.Sprintf("E%d:F%d", b.row, b.row)} {
			if !merged[r] {
				t.Errorf("certificate at row %d: %s not merged (merged: %v)", b.row, r, merged)
			}
		}
		if h, _ := f.GetRowHeight(CertificateDir, b.row); h < 30+15*4 {
			t.Errorf("certificate at row %d: title row %.0f high, too low for the title and three lines of facts", b.row, h)
		}
	}
	// One width for the whole sheet: the third certificate's long content
	// widens 内容 for all (to the cap), and wraps in a taller row.
	if w, _ := f.GetColWidth(CertificateDir, "D"); w != 40 {
		t.Errorf("内容 is %.1f wide, want 40 (the cap: the third certificate's content is longer)", w)
	}
	if h, _ := f.GetRowHeight(CertificateDir, blocks[2].row+2); h < 2*13 {
		t.Errorf("the long activity's row is %.0f high: its wrapped text is hidden", h)
	}
	pl, err := f.GetPageLayout(CertificateDir)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout %+v, want A4 one page wide", pl)
	}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			t.Errorf("print titles %q: they would repeat the first certificate's title on every page", dn.RefersTo)
		}
	}

	other := filepath.Join(dir, CertificatePath(2026, certs[3].Branch, CertificateDir+".xlsx"))
	g, err := excelize.OpenFile(other)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if b := readCertBlocks(t, g, CertificateDir); len(b) != 1 || b[0].title != "活动认证书 "+certs[3].Serial {
		t.Errorf("the other branch's workbook holds %+v, want its one certificate", b)
	}
	if got := rowBreaks(t, other)[CertificateDir]; len(got) != 0 {
		t.Errorf("one certificate, row breaks after %v", got)
	}
}

// TestCertificateWorkbookPageBreakLimit: past certsPerSheet certificates
// (Excel refuses more than 1,023 page breaks a sheet) the rest continue on
// 活动认证书（2）.
func TestCertificateWorkbookPageBreakLimit(t *testing.T) {
	o := CertOptions{Street: "宝龙街道", Mask: true}
	var tables []table
	for i := range certsPerSheet + 1 {
		c := testCertificates()[0]
		c.Number = i + 1
		c.Serial = fmt.Sprintf("宝龙认字〔2026〕第%04d号", i+1)
		tables = append(tables, certificateTable(c, o))
	}
	wb, err := certificateWorkbook(tables)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "c.xlsx")
	if err := wb.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	wb.Close()
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	second := CertificateDir + "（2）"
	if got := f.GetSheetList(); !slices.Equal(got, []string{CertificateDir, second}) {
		t.Fatalf("sheets %q, want %s and %s", got, CertificateDir, second)
	}
	breaks := rowBreaks(t, file)
	if n := len(breaks[CertificateDir]); n != certsPerSheet-1 {
		t.Errorf("%s: %d page breaks, want %d", CertificateDir, n, certsPerSheet-1)
	}
	if b := readCertBlocks(t, f, CertificateDir); len(b) != certsPerSheet || b[len(b)-1].title != fmt.Sprintf("活动认证书 宝龙认字〔2026〕第%04d号", certsPerSheet) {
		t.Errorf("%s holds %d certificates, want %d", CertificateDir, len(b), certsPerSheet)
	}
	if b := readCertBlocks(t, f, second); len(b) != 1 || b[0].row != 1 || b[0].title != fmt.Sprintf("活动认证书 宝龙认字〔2026〕第%04d号", certsPerSheet+1) {
		t.Errorf("%s holds %+v, want the last certificate from its first row", second, b)
	}
}

// TestReuseBranchCertificates: a folder of certificates is taken whole from
// the previous run's folder when its certificates (by digest, without their
// activities), members, date and options are the same, and not at all when
// one file cannot be: the files it linked are taken back, and the previous
// folder's files are left as they were.
func TestReuseBranchCertificates(t *testing.T) {
	root := t.TempDir()
	o := CertOptions{Street: "宝龙街道", Volunteer: "志愿服务", Meetings: []string{"支部党员大会", "党课"}, Mask: true}
	members := testMembers()
	run := func(id int, write func(f *Folder, groups []BranchCertificates) error) string {
		t.Helper()
		certs := testCertificates()
		for i := range certs {
			certs[i].Digest, _ = certs[i].ContentSHA256()
		}
		sum := &Summary{RunID: id, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
		dir, err := WriteRun(root, sum, func(f *Folder) error {
			return write(f, CertificateBranches(certs, BranchesOf(members)))
		})
		if err != nil {
			t.Fatal(err)
		}
		return dir
	}
	writeAll := func(f *Folder, groups []BranchCertificates) error {
		for _, g := range groups {
			if _, err := WriteBranchCertificates(f, 2026, "2026-11-25", g, nil, o); err != nil {
				return err
			}
		}
		return nil
	}
	first := run(1, writeAll)
	names := map[string]bool{}
	for _, g := range CertificateBranches(testCertificates(), BranchesOf(members)) {
		for name := range certificateFiles(2026, "2026-11-25", g, nil, o) {
			names[name] = true
			if _, err := os.Stat(filepath.Join(first, name)); err != nil {
				t.Errorf("certificateFiles names %s, which WriteBranchCertificates did not write: %v", name, err)
			}
		}
	}
	if len(names) < 3 {
		t.Fatalf("certificate files %v, want both branches' workbooks and an annual report", names)
	}

	// Unchanged, without activities: every folder taken whole.
	second := run(2, func(f *Folder, groups []BranchCertificates) error {
		for _, g := range groups {
			for i := range g.Certs {
				g.Certs[i].Activities = nil
			}
			w, ok := ReuseBranchCertificates(f, 2026, "2026-11-25", g, nil, o)
			if !ok || w.Certificates != len(g.Certs) || w.Folders != 1 {
				t.Errorf("%s: reused %v (%+v), want the whole folder", g.Name, ok, w)
			}
		}
		return nil
	})
	for name := range names {
		a, errA := os.Stat(filepath.Join(first, name))
		b, errB := os.Stat(filepath.Join(second, name))
		if errA != nil || errB != nil || !os.SameFile(a, b) {
			t.Errorf("%s not linked from the first run", name)
		}
	}

	// One file altered in the previous folder: its folder is not reused,
	// and what was linked of it is taken back; another date is another
	// annual report.
	annual := filepath.Join(second, CertificatePath(2026, testBranch, AnnualName+".xlsx"))
	workbook := filepath.Join(second, CertificatePath(2026, testBranch, CertificateDir+".xlsx"))
	before, _ := os.ReadFile(workbook)
	if err := os.Remove(annual); err != nil { // a link: remove, then write, to leave the first run's alone
		t.Fatal(err)
	}
	if err := os.WriteFile(annual, []byte("altered"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := run(3, func(f *Folder, groups []BranchCertificates) error {
		for _, g := range groups {
			if _, ok := ReuseBranchCertificates(f, 2026, "2026-11-25", g, nil, o); ok == (g.Name == testBranch) {
				t.Errorf("%s: reused %v", g.Name, ok)
			}
			if g.Name == testBranch {
				if _, err := os.Stat(f.Path(CertificatePath(2026, testBranch, CertificateDir+".xlsx"))); !os.IsNotExist(err) {
					t.Errorf("the workbook of a folder not reused is still linked (%v)", err)
				}
				if _, err := WriteBranchCertificates(f, 2026, "2026-11-25", g, nil, o); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if after, _ := os.ReadFile(workbook); !bytes.Equal(before, after) {
		t.Error("the previous folder's workbook changed")
	}
	if b, _ := os.ReadFile(filepath.Join(third, CertificatePath(2026, testBranch, AnnualName+".xlsx"))); bytes.Equal(b, []byte("altered")) {
		t.Error("the altered annual report was taken")
	}
	run(4, func(f *Folder, groups []BranchCertificates) error {
		for _, g := range groups {
			_, ok := ReuseBranchCertificates(f, 2026, "2026-11-26", g, nil, o)
			if ok && g.Branch != nil {
				t.Errorf("%s: reused on another date, with its annual report", g.Name)
			}
			if !ok {
				if _, err := WriteBranchCertificates(f, 2026, "2026-11-26", g, nil, o); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// TestCertificateBranchesGroupInPlace: the folders are parts of the list,
// sorted by branch with member order kept in each, and a folder cannot
// grow into the next.
func TestCertificateBranchesGroupInPlace(t *testing.T) {
	certs := []Certificate{
		{MemberID: "M1", Branch: "乙支部"}, {MemberID: "M2", Branch: "甲支部"}, {MemberID: "M3"},
		{MemberID: "M4", Branch: "乙支部"}, {MemberID: "M5", Branch: "甲支部"}, {MemberID: "M6", Branch: "乙支部"},
	}
	groups := CertificateBranches(certs, nil)
	var got []string
	for _, g := range groups {
		var ids []string
		for i := range g.Certs {
			ids = append(ids, g.Certs[i].MemberID)
			if j := slices.IndexFunc(certs, func(c Certificate) bool { return c.MemberID == g.Certs[i].MemberID }); &certs[j] != &g.Certs[i] {
				t.Errorf("%s of %q is a copy, not the list's", g.Certs[i].MemberID, g.Name)
			}
		}
		got = append(got, g.Name+":"+strings.Join(ids, ","))
	}
	if want := []string{":M3", "乙支部:M1,M4,M6", "甲支部:M2,M5"}; !slices.Equal(got, want) {
		t.Errorf("folders %q, want %q", got, want)
	}
	g := groups[1]
	g.Certs = append(g.Certs, Certificate{MemberID: "M9"})
	if groups[2].Certs[0].MemberID != "M2" {
		t.Errorf("appending to one folder overwrote the next: %s", groups[2].Certs[0].MemberID)
	}
}
