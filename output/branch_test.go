package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baolong/liudong/output/pdf"
)

func TestBranchesOf(t *testing.T) {
	m := func(id, branch, status, community string) MemberRow {
		return MemberRow{MemberID: id, Name: "党员" + id, OriginBranch: branch,
			MemberClass: &MemberClass{Status: status, Community: community}}
	}
	tests := []struct {
		name    string
		members []MemberRow
		want    []string // "branch name: member IDs"
	}{
		{"variants of one name are one branch", []MemberRow{
			m("1", "中共隆回县六都寨镇石门村支部委员会", "dual", "同心社区"),
			m("2", "湖南省邵阳市隆回县六都寨镇石门村党支部", "dual", "同心社区"),
			m("3", "中共隆回县六都寨镇石门村支部委员会", "unknown_whereabouts", ""),
		}, []string{"中共隆回县六都寨镇石门村支部委员会: 1 2 3"}},
		{"a name without its county joins the one with it", []MemberRow{
			m("1", "中共信丰县大塘埠镇新街社区支部委员会", "dual", "同心社区"),
			m("2", "中共大塘埠镇新街社区支部委员会", "inflow_only", "南约社区"),
		}, []string{"中共信丰县大塘埠镇新街社区支部委员会: 1 2"}},
		{"the joined branch is named by its fullest key's records, however few", []MemberRow{
			m("1", "中共大塘埠镇新街社区支部委员会", "dual", "同心社区"),
			m("2", "中共信丰县大塘埠镇新街社区支部委员会", "dual", "同心社区"),
			m("3", "中共大塘埠镇新街社区支部委员会", "inflow_only", "南约社区"),
		}, []string{"中共信丰县大塘埠镇新街社区支部委员会: 1 2 3"}},
		{"a township name two counties end with stays apart", []MemberRow{
			m("1", "中共信丰县大塘埠镇新街社区支部委员会", "dual", "同心社区"),
			m("2", "中共于都县大塘埠镇新街社区支部委员会", "dual", "同心社区"),
			m("3", "中共大塘埠镇新街社区支部委员会", "inflow_only", "南约社区"),
		}, []string{"中共于都县大塘埠镇新街社区支部委员会: 2", "中共信丰县大塘埠镇新街社区支部委员会: 1", "中共大塘埠镇新街社区支部委员会: 3"}},
		{"a village name alone is not joined to a full one", []MemberRow{
			m("1", "于都县银坑镇东岭村党支部", "dual", "同心社区"),
			m("2", "东岭村党支部", "dual", "同心社区"),
		}, []string{"东岭村党支部: 2", "于都县银坑镇东岭村党支部: 1"}},
		{"no branch, no letter; all left, no branch", []MemberRow{
			m("1", "", "inflow_only", "同心社区"),
			m("2", "石门村党支部", "left", "同心社区"),
			m("3", "  ", "inflow_only", "同心社区"),
		}, nil},
		{"the commonest spelling names the branch", []MemberRow{
			m("1", "石门村支部", "dual", "同心社区"),
			m("2", "中共石门村支部委员会", "dual", "同心社区"),
			m("3", "中共石门村支部委员会", "dual", "同心社区"),
		}, []string{"中共石门村支部委员会: 1 2 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range BranchesOf(tt.members) {
				var ids []string
				for _, m := range b.Members {
					ids = append(ids, m.MemberID)
				}
				got = append(got, b.Name+": "+strings.Join(ids, " "))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPairingLetter(t *testing.T) {
	b := BranchesOf(testMembers())
	if len(b) != 1 || b[0].Name != "中共石门村支部委员会" {
		t.Fatalf("branches %+v, want 中共石门村支部委员会 alone", b)
	}
	s := Sender{Name: "中共宝龙街道流动党员临时党支部", ContactPerson: "陈明", ContactPhone: "0755-28950000"}
	l := PairingLetter(b[0], s, "宝龙街道", "2026-11-25", BranchOptions{Mask: true})
	text := strings.Join(l.Paragraphs, "\n")
	for _, want := range []string{"资源共享", "组织共建", "活动共抓", "作用共促", "共有1名党员", "另有1名党员", "截至2026年11月25日"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter lacks %q:\n%s", want, text)
		}
	}
	if l.To != "中共石门村支部委员会" || !slices.Equal(l.Signature, []string{s.Name, "2026年11月25日"}) {
		t.Errorf("to %q, signature %q", l.To, l.Signature)
	}
	if got := strings.Join(l.Contact, ""); !strings.Contains(got, "陈明") || !strings.Contains(got, "0755-28950000") {
		t.Errorf("contact %q", got)
	}
	// Only the member found here is listed, masked.
	if len(l.List.rows) != 1 || cellValues(l.List.rows[0])[1] != "张伟" || l.List.rows[0][3] != "430524********1234" || l.List.rows[0][4] != "138****5678" {
		t.Errorf("list %v", l.List.rows)
	}
	// Without a contact in config, a line to fill in by hand.
	l = PairingLetter(b[0], Sender{Name: s.Name}, "宝龙街道", "2026-11-25", BranchOptions{})
	if got := strings.Join(l.Contact, ""); !strings.Contains(got, "联系人：＿") {
		t.Errorf("contact without config %q", got)
	}
	if l.List.rows[0][3] != "430524198503121234" {
		t.Errorf("unmasked list shows %v", l.List.rows[0][3])
	}
}

func TestBranchReport(t *testing.T) {
	b := BranchesOf(testMembers())[0]
	r := BranchReport(b, "宝龙街道", "2026-11-25", BranchOptions{Mask: true})
	if want := "截至2026年11月25日，贵党组织在宝龙街道登记的党员共2名：已失联1名，去向不明1名。"; r.Summary != want {
		t.Errorf("summary %q, want %q", r.Summary, want)
	}
	var got []string
	for _, row := range r.List.rows {
		row = cellValues(row)
		got = append(got, row[1].(string)+"="+row[8].(string))
	}
	if want := []string{"张伟=已找到，但已失联", "阿依古丽·买买提=去向不明，请协助查找"}; !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	// What the member did here: counsellor, activities, hours, visits, last contact.
	if got := cellValues(r.List.rows[0])[9:]; !slices.Equal(got, []any{"陈明", 4, 7.5, 1, "2026-05-03"}) {
		t.Errorf("participation %v", got)
	}
}

// TestWriteBranches writes every branch's files into a run folder and reads
// them back: the letter's sheets and text, the report's table, and no full
// ID number or phone anywhere when masked.
func TestWriteBranches(t *testing.T) {
	sum := &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	members := append(testMembers(), MemberRow{MemberID: "M0000006", Name: "赵六", IDNumber: "430524198801010033",
		Phone: "13500004444", OriginBranch: "大塘村党支部", MemberClass: &MemberClass{Status: "unknown_whereabouts", WhereaboutsUnknown: true}})
	dir, err := WriteRun(t.TempDir(), sum, func(f *Folder) error {
		_, err := WriteBranches(f, Branches{Street: "宝龙街道", Date: "2026-11-25",
			Sender: Sender{Name: "中共宝龙街道流动党员临时党支部"}, Members: members}, BranchOptions{Mask: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, BranchDir, "*", "*.xlsx"))
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(dir, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	slices.Sort(rel)
	// 大塘村's only member is not found here: a report, no letter.
	want := []string{"流出地党组织/中共石门村支部委员会/情况通报.xlsx", "流出地党组织/中共石门村支部委员会/结对函.xlsx",
		"流出地党组织/大塘村党支部/情况通报.xlsx"}
	if !slices.Equal(rel, want) {
		t.Fatalf("files %q, want %q", rel, want)
	}
	letter := allCells(t, filepath.Join(dir, want[1]))
	if got := letter[LetterName][0][0]; got != "关于建立流动党员“双向共管”结对关系的函" {
		t.Errorf("letter title %q", got)
	}
	if got := letter[LetterName][2][0]; got != "中共石门村支部委员会：" {
		t.Errorf("salutation %q", got)
	}
	if rows := letter["附件名单"]; len(rows) != 3 || rows[2][1] != "张伟" {
		t.Errorf("attached list %q", rows)
	}
	for _, f := range files {
		for sheet, rows := range allCells(t, f) {
			for i, r := range rows {
				for _, c := range r {
					for _, re := range []*regexp.Regexp{fullID, fullPhone, landline} {
						if re.MatchString(c) {
							t.Errorf("%s %s row %d: unmasked %q", filepath.Base(f), sheet, i+1, c)
						}
					}
				}
			}
		}
	}
}

// TestWriteBranchesPDF: with a font, every letter and report is also a
// PDF, except where a name has a character the font lacks: that PDF is
// left out and reported, never printed with a blank box.
func TestWriteBranchesPDF(t *testing.T) {
	path, err := pdf.FindFont("")
	if err != nil {
		t.Skipf("no CJK font (.ci/run installs fonts-droid-fallback): %v", err)
	}
	font, err := pdf.LoadFont(path)
	if err != nil {
		t.Fatal(err)
	}
	members := append(testMembers(), MemberRow{MemberID: "M0000007", Name: "𠀀明", OriginBranch: "大塘村党支部",
		MemberClass: &MemberClass{Community: "同心社区", Status: "inflow_only"}})
	sum := &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	var w BranchesWritten
	dir, err := WriteRun(t.TempDir(), sum, func(f *Folder) error {
		w, err = WriteBranches(f, Branches{Street: "宝龙街道", Date: "2026-11-25", Sender: Sender{Name: "中共宝龙街道流动党员临时党支部"},
			Members: members, Font: font, Started: sum.Started}, BranchOptions{Mask: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, BranchDir, "*", "*.pdf"))
	var rel []string
	for _, f := range pdfs {
		r, _ := filepath.Rel(dir, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	slices.Sort(rel)
	if want := []string{"流出地党组织/中共石门村支部委员会/情况通报.pdf", "流出地党组织/中共石门村支部委员会/结对函.pdf"}; !slices.Equal(rel, want) {
		t.Errorf("PDFs %q, want %q", rel, want)
	}
	if w.PDFs != 2 || len(w.Missing) != 2 || w.Missing[0].Chars != "𠀀" {
		t.Errorf("written %d PDFs, missing %+v: want 2, and both of 大塘村's files reported for 𠀀", w.PDFs, w.Missing)
	}
}

// TestOutputsReusedWhenUnchanged: the next run takes an unchanged PDF or
// workbook from the previous folder instead of making it again; a changed
// document, or a file someone altered in the previous folder, is made anew.
func TestOutputsReusedWhenUnchanged(t *testing.T) {
	path, err := pdf.FindFont("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	font, err := pdf.LoadFont(path)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	run := func(id int, members []MemberRow) (string, int) {
		sum := &Summary{RunID: id, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
		var reused int
		dir, err := WriteRun(root, sum, func(f *Folder) error {
			_, err := WriteBranches(f, Branches{Street: "宝龙街道", Date: "2026-11-25", Sender: Sender{Name: "中共宝龙街道流动党员临时党支部"},
				Members: members, Font: font, Started: sum.Started}, BranchOptions{Mask: true})
			reused = f.Reused()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return dir, reused
	}
	dir, reused := run(1, testMembers())
	if reused != 0 {
		t.Fatalf("first run reused %d files", reused)
	}
	letter := filepath.Join(dir, BranchPath("中共石门村支部委员会", LetterName+".pdf"))
	before, _ := os.ReadFile(letter)
	if _, reused = run(2, testMembers()); reused != 4 {
		t.Errorf("unchanged: reused %d files, want the letter and the report, PDF and workbook", reused)
	}
	after, _ := os.ReadFile(letter)
	if !bytes.Equal(before, after) {
		t.Error("the reused letter differs")
	}
	changed := testMembers()
	changed[0].Employer = "新的工作单位"
	if _, reused = run(3, changed); reused != 1 {
		t.Errorf("one member's employer changed: reused %d, want 1 (the report's PDF, which has no employer column)", reused)
	}
	if err := os.WriteFile(letter, []byte("altered"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, reused = run(4, changed)
	if reused != 3 {
		t.Errorf("after the letter's PDF was altered in the previous folder: reused %d, want 3 (all but that PDF)", reused)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, BranchPath("中共石门村支部委员会", LetterName+".pdf"))); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Error("the altered letter was copied, not rendered anew")
	}
}

// BenchmarkBranchesOf groups a city's members by origin branch: called by
// the letters and the certificates on every run.
func BenchmarkBranchesOf(b *testing.B) {
	const n = 200_000
	members := make([]MemberRow, n)
	for i := range members {
		members[i] = MemberRow{MemberID: fmt.Sprintf("M%07d", i+1), Name: "党员",
			OriginBranch: fmt.Sprintf("中共隆回县六都寨镇第%d村支部委员会", i%5000), MemberClass: &MemberClass{Status: "dual", Community: "同心社区"}}
		if i%3 == 0 {
			members[i].OriginBranch = fmt.Sprintf("六都寨镇第%d村党支部", i%5000)
		}
	}
	for b.Loop() {
		if len(BranchesOf(members)) == 0 {
			b.Fatal("no branches")
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "members/s")
}

// TestBranchesPointIntoMembers: a branch's members are the caller's rows,
// not copies (a city's grouping copied 0.4 GB).
func TestBranchesPointIntoMembers(t *testing.T) {
	members := testMembers()
	n := 0
	for _, b := range BranchesOf(members) {
		for _, m := range b.Members {
			i := slices.IndexFunc(members, func(r MemberRow) bool { return r.MemberID == m.MemberID })
			if i < 0 || m != &members[i] {
				t.Errorf("branch %s: member %s is not members[%d]", b.Name, m.MemberID, i)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no branch has members")
	}
}
