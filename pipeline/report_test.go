package pipeline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/sampledata"
)

// TestRosterMaskingFollowsConfig: out.mask_rosters decides whether the
// community roster carries full ID numbers.
func TestRosterMaskingFollowsConfig(t *testing.T) {
	for _, mask := range []bool{true, false} {
		dir := t.TempDir()
		cfg := testConfig(dir)
		cfg.Out.MaskRosters = mask
		writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
		runOnce(t, cfg)
		f, err := excelize.OpenFile(filepath.Join(cfg.Out.Dir, "latest", "社区名册", "同心社区.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("名册")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|"))
		}
		full := strings.Contains(all.String(), "430524198503121236")
		if full == mask {
			t.Errorf("mask_rosters %v: full ID number present = %v", mask, full)
		}
	}
}

var (
	fullIDNumber = regexp.MustCompile(`\d{17}[\dX]`)
	fullMobile   = regexp.MustCompile(`1[3-9]\d{9}`)
)

// TestMaskedOutputsHoldNoFullIDOrPhone runs a generated inbox and reads
// back every file that leaves the street (community rosters, what goes to
// origin branches): no full ID number or mobile number may appear. The
// registry, which stays with the street, must have them: otherwise the
// patterns would find nothing anywhere.
func TestMaskedOutputsHoldNoFullIDOrPhone(t *testing.T) {
	dir := t.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: 80, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	runOnce(t, cfg)
	out := filepath.Join(cfg.Out.Dir, "latest")
	registry := dumpWorkbook(t, filepath.Join(out, output.RegistryFile))
	if !fullIDNumber.MatchString(registry) || !fullMobile.MatchString(registry) {
		t.Fatal("the registry shows no full ID number or phone: the test cannot see unmasked numbers")
	}
	var files []string
	for _, pattern := range []string{output.RosterDir + "/*.xlsx", output.BranchDir + "/*/*.xlsx"} {
		fs, err := filepath.Glob(filepath.Join(out, filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Fatalf("no %s written", pattern)
		}
		files = append(files, fs...)
	}
	for _, f := range files {
		for _, line := range strings.Split(dumpWorkbook(t, f), "\n") {
			if fullIDNumber.MatchString(line) || fullMobile.MatchString(line) {
				rel, _ := filepath.Rel(out, f)
				t.Errorf("%s: unmasked number in %s", rel, line)
			}
		}
	}
	// The PDFs too, read back as text when poppler's pdftotext is there
	// (.ci/run installs it).
	pdfs, _ := filepath.Glob(filepath.Join(out, output.BranchDir, "*", "*.pdf"))
	if _, err := exec.LookPath("pdftotext"); err != nil || len(pdfs) == 0 {
		t.Logf("PDFs not checked: %d PDFs, pdftotext: %v", len(pdfs), err)
		return
	}
	for _, f := range pdfs {
		text, err := exec.Command("pdftotext", "-layout", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", f, err)
		}
		if !strings.Contains(string(text), "********") {
			t.Errorf("%s: no masked ID number in its text: is the text extractable?", filepath.Base(f))
		}
		for _, line := range strings.Split(string(text), "\n") {
			if fullIDNumber.MatchString(line) || fullMobile.MatchString(line) {
				rel, _ := filepath.Rel(out, f)
				t.Errorf("%s: unmasked number in %q", rel, line)
			}
		}
	}
}

// TestRunWithoutFont: with no usable font the run still succeeds, writes
// every workbook and no PDF, and says in the summary how to enable PDF.
func TestRunWithoutFont(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Out.PDFFont = filepath.Join(dir, "没有这个字体.ttf")
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
	writeCSV(t, cfg, "rosters/石门村.csv", "姓名,身份证号,流出地党组织\n张伟,430524198503121236,中共石门村支部委员会\n")
	sum := runOnce(t, cfg)
	if sum.Status != RunOK {
		t.Fatalf("status %s: %s", sum.Status, sum.Error)
	}
	if sum.PDF == nil || !strings.Contains(sum.PDF.Disabled, "out.pdf_font") || sum.PDF.Files != 0 {
		t.Errorf("summary PDF %+v: want disabled, naming out.pdf_font", sum.PDF)
	}
	out := filepath.Join(cfg.Out.Dir, "latest")
	pdfs, _ := filepath.Glob(filepath.Join(out, "*", "*", "*.pdf"))
	letters, _ := filepath.Glob(filepath.Join(out, output.BranchDir, "*", output.LetterName+".xlsx"))
	if len(pdfs) != 0 || len(letters) != 1 {
		t.Errorf("PDFs %v (want none), letters %v (want one)", pdfs, letters)
	}
	md, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	if !strings.Contains(string(md), "**未生成 PDF**") {
		t.Errorf("summary.md does not say PDFs were not written:\n%s", md)
	}
}

// TestReviewPairsReported: every open 可能同一人 discrepancy is on the
// report's first sheet with both records, its probability and its parts.
// The link threshold is set next to 1, so most of the sample's
// links go to review.
func TestReviewPairsReported(t *testing.T) {
	dir := t.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: 60, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	cfg.Rules.Match.LinkThreshold = 0.999999999999
	cfg.Rules.Match.ReviewThreshold = 0.5
	sum := runOnce(t, cfg)
	db := openTestDB(t, cfg)
	want := map[string]bool{}
	rows, err := db.Query(`SELECT record_ids FROM discrepancy WHERE kind = 'possible_same_person' AND resolved_run_id IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ids string
		if err := rows.Scan(&ids); err != nil {
			t.Fatal(err)
		}
		want[ids] = true
	}
	rows.Close()
	if len(want) < 10 {
		t.Fatalf("%d review pairs; the test needs the sample's links in review", len(want))
	}
	d, err := db.reportDiscrepancies(context.Background(), sum.RunID+1, cfg.Street, "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Pairs) != len(want) {
		t.Errorf("%d pairs reported, %d open review discrepancies", len(d.Pairs), len(want))
	}
	for _, p := range d.Pairs {
		ids := fmt.Sprintf("%d %d", p.A.RecordID, p.B.RecordID)
		if !want[ids] || p.Probability < 0.5 || p.Parts == "" || p.A.Source == "" || p.B.Source == "" {
			t.Errorf("pair %s: in discrepancies %v, probability %v, parts %q, sources %q %q", ids, want[ids],
				p.Probability, p.Parts, p.A.Source, p.B.Source)
		}
	}
}

// TestInterner: equal strings share one copy; each keeps its value.
func TestInterner(t *testing.T) {
	a, b, c := strings.Repeat("宝龙", 2), strings.Repeat("宝", 1)+"龙宝龙", "同心社区"
	if unsafe.StringData(a) == unsafe.StringData(b) {
		t.Fatal("the test's strings already share storage")
	}
	in := interner{}
	in.all(&a, &c)
	in.all(&b)
	if a != "宝龙宝龙" || b != "宝龙宝龙" || c != "同心社区" {
		t.Errorf("values changed: %q %q %q", a, b, c)
	}
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("equal strings not shared")
	}
	if len(in) != 2 {
		t.Errorf("%d strings kept, want 2", len(in))
	}
}

// TestReportMembersShareClasses: members with the same status, community,
// gender and the rest share one MemberClass, and each member reads its own
// values through it.
func TestReportMembersShareClasses(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,性别\n"+
		"张伟,430524198503121236,男\n李强,430524199001010039,男\n王芳,43052419780315002X,女\n")
	writeCSV(t, cfg, "surveys/南约社区.csv", "姓名,身份证号,性别\n赵军,430524198801010037,男\n")
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	members, err := db.reportMembers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]output.MemberRow{}
	for _, m := range members {
		byName[m.Name] = m
	}
	zhang, li, wang, zhao := byName["张伟"], byName["李强"], byName["王芳"], byName["赵军"]
	if zhang.MemberClass == nil || zhang.MemberClass != li.MemberClass {
		t.Errorf("张伟 and 李强 (同心社区, 男, %s): classes %p and %p, want one", zhang.Status, zhang.MemberClass, li.MemberClass)
	}
	if wang.MemberClass == zhang.MemberClass || zhao.MemberClass == zhang.MemberClass {
		t.Error("王芳 (女) or 赵军 (南约社区) shares 张伟's class")
	}
	if zhang.Community != "同心社区" || zhang.Gender != "男" || wang.Gender != "女" || zhao.Community != "南约社区" ||
		zhang.Status != "inflow_only" || zhang.StatusLabel == "" {
		t.Errorf("values: 张伟 %+v, 王芳 %+v, 赵军 %+v", *zhang.MemberClass, *wang.MemberClass, *zhao.MemberClass)
	}
}
