package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Sample data: made up, and masked as a letter leaving the street would be.
var (
	surnames    = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	givenNames  = []string{"建国", "秀英", "志强", "丽娟", "海涛", "春梅", "卫东", "晓燕", "俊杰", "桂兰"}
	communities = []string{"宝龙社区", "同心社区", "新桥社区", "龙湖社区"}
	statuses    = []string{"正常", "正常", "正常", "待查找", "失联"}
)

func memberTable(n int) Table {
	t := Table{Columns: []Column{
		{Title: "序号", Width: 0.7, Align: AlignCenter},
		{Title: "姓名", Width: 1},
		{Title: "性别", Width: 0.7, Align: AlignCenter},
		{Title: "身份证号", Width: 2.6},
		{Title: "联系电话", Width: 1.6},
		{Title: "所在社区", Width: 1.3},
		{Title: "状态", Width: 0.9, Align: AlignCenter},
	}}
	for i := range n {
		t.Rows = append(t.Rows, []string{
			fmt.Sprint(i + 1),
			string(surnames[i%len(surnames)]) + givenNames[(i/3)%len(givenNames)],
			[]string{"男", "女"}[i%2],
			fmt.Sprintf("4305%02d********%04d", 20+i%7, 1000+i*37%9000),
			fmt.Sprintf("13%d****%04d", 5+i%4, 1000+i*53%9000),
			communities[i%len(communities)],
			statuses[i%len(statuses)],
		})
	}
	return t
}

// letter is a pairing letter (结对函) with a table of n members.
func letter(n int) Document {
	return Document{
		Title:  "关于流动党员双向共管的结对函",
		Author: "中共宝龙街道工作委员会",
		Date:   time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Footer: true,
		Blocks: []Block{
			Heading{Text: "关于流动党员双向共管的结对函"},
			Paragraph{Text: "中共湘东村支部委员会："},
			Paragraph{Indent: true, Text: "为深入贯彻落实流动党员“双向共管”工作要求，加强流出地与流入地党组织的联系，" +
				"经研究，宝龙街道党工委与贵支部结成对子，双方按照“资源共享、组织共建、活动共抓、作用共促”的原则，" +
				"共同做好流动党员的教育、管理和服务工作。"},
			Paragraph{Indent: true, Text: "现将在我街道居住、工作的贵支部流动党员名单函告如下（共" + fmt.Sprint(n) +
				"名）。请核对后于2026年3月31日前回函，如有变动请及时告知。联系人：街道党建办，电话0731-8888****。"},
			memberTable(n),
			Signature{Lines: []string{"中共宝龙街道工作委员会", "2026年3月2日"}},
			StampBox{},
		},
	}
}

// certificate is a year-end activity certificate (活动认证书).
func certificate(name string) Document {
	return Document{
		Title:  "活动认证书",
		Author: "中共宝龙街道工作委员会",
		Footer: false,
		Blocks: []Block{
			Spacer{Height: 10},
			Heading{Text: "活动认证书", Size: 32},
			Paragraph{Text: "宝龙认字〔2026〕第0123号", Align: AlignRight, Size: 12},
			Spacer{Height: 4},
			Paragraph{Indent: true, Text: name + "同志（身份证号430524********1234）于2025年度在宝龙街道参加流动党员组织生活和志愿服务活动如下，特此认证。"},
			Table{Columns: []Column{
				{Title: "序号", Width: 0.6, Align: AlignCenter},
				{Title: "日期", Width: 1.3, Align: AlignCenter},
				{Title: "活动内容", Width: 4},
				{Title: "时长（小时）", Width: 1.2, Align: AlignCenter},
			}, Rows: [][]string{
				{"1", "2025-03-05", "学雷锋志愿服务：社区环境整治", "3"},
				{"2", "2025-05-12", "主题党日：学习《中国共产党党员教育管理工作条例》", "2"},
				{"3", "2025-07-01", "庆祝建党104周年重温入党誓词活动", "2"},
				{"4", "2025-10-18", "“双向共管”结对共建：走访慰问困难党员", "4"},
				{"5", "2025-12-20", "年终组织生活会：对照党章党规，围绕“双向共管”工作查摆问题、开展批评与自我批评，并为社区困难群众送温暖（Volunteer Service Week）", "3"},
			}},
			Paragraph{Text: "合计：5次，14小时。", Align: AlignRight},
			StampBox{},
			Signature{Lines: []string{"中共宝龙街道工作委员会", "2026年1月8日"}},
		},
	}
}

func mustRender(t testing.TB, d Document) []byte {
	t.Helper()
	b, err := Render(d, testFont(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

func pageCount(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// pdfText returns the text of each page, or skips when pdftotext is missing.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils): text not checked")
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// squeeze drops white space, which pdftotext puts where it sees gaps.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

func TestRenderIsDeterministic(t *testing.T) {
	for name, d := range map[string]Document{"letter": letter(30), "certificate": certificate("王建国")} {
		t.Run(name, func(t *testing.T) {
			a, b := mustRender(t, d), mustRender(t, d)
			if !bytes.Equal(a, b) {
				t.Fatal("two renders of the same document differ")
			}
		})
	}
}

func TestRenderDate(t *testing.T) {
	d := letter(3)
	if b := mustRender(t, d); !bytes.Contains(b, []byte("/CreationDate (D:20260302090000)")) {
		t.Error("the Date is not the creation date")
	}
	d.Date = time.Time{}
	b := mustRender(t, d)
	if bytes.Contains(b, []byte("/CreationDate")) || bytes.Contains(b, []byte("/ModDate")) {
		t.Error("a document without Date has a date")
	}
	pdfText(t, b) // still a PDF poppler reads
}

// TestRenderEmbedsASubset: a one-page letter carries only the glyphs it
// uses, not the 4 MB font.
func TestRenderEmbedsASubset(t *testing.T) {
	d := letter(8)
	b := mustRender(t, d)
	if n := pageCount(b); n != 1 {
		t.Fatalf("the letter has %d pages, want 1", n)
	}
	t.Logf("one-page letter: %d bytes", len(b))
	if len(b) > 150_000 {
		t.Errorf("a one-page letter is %d bytes: is the whole font embedded?", len(b))
	}
	text := squeeze(strings.Join(pdfText(t, b), ""))
	for _, want := range []string{"关于流动党员双向共管的结对函", "资源共享、组织共建、活动共抓、作用共促", "430520********1000", "第1页共1页", "（盖章）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

func TestTablePagination(t *testing.T) {
	d := Document{Footer: true, Blocks: []Block{Heading{Text: "情况通报"}, memberTable(200)}}
	b := mustRender(t, d)
	n := pageCount(b)
	if n < 5 {
		t.Fatalf("a 200-row table fills %d pages, want at least 5", n)
	}
	pages := pdfText(t, b)
	if len(pages) != n {
		t.Fatalf("pdftotext finds %d pages, the PDF has %d", len(pages), n)
	}
	row := 0
	for i, p := range pages {
		if !strings.Contains(p, "身份证号") || !strings.Contains(p, "所在社区") {
			t.Errorf("page %d has no header row:\n%s", i+1, p)
		}
		if want := fmt.Sprintf("第%d页共%d页", i+1, n); !strings.Contains(squeeze(p), want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		// Rows continue in order, none lost or split.
		for _, line := range strings.Split(p, "\n") {
			f := strings.Fields(line)
			if len(f) == 7 && f[0] == fmt.Sprint(row+1) {
				row++
			}
		}
	}
	if row != 200 {
		t.Errorf("found rows 1 to %d in order, want 200", row)
	}
}

func TestRenderAll(t *testing.T) {
	ds := []Document{letter(30), certificate("王建国"), letter(3)}
	b, err := RenderAll(ds, testFont(t))
	if err != nil {
		t.Fatal(err)
	}
	per := make([]int, len(ds))
	total := 0
	for i, d := range ds {
		per[i] = pageCount(mustRender(t, d))
		total += per[i]
	}
	if n := pageCount(b); n != total {
		t.Fatalf("combined file has %d pages, the documents %v", n, per)
	}
	pages := pdfText(t, b)
	if !strings.Contains(squeeze(pages[0]), fmt.Sprintf("第1页共%d页", per[0])) ||
		!strings.Contains(squeeze(pages[per[0]+per[1]]), "第1页共1页") {
		t.Errorf("page numbers are not per document: %v pages", per)
	}
	if !strings.Contains(pages[per[0]], "活动认证书") {
		t.Errorf("the certificate does not start on a new page")
	}
	if _, err := RenderAll(nil, testFont(t)); err == nil {
		t.Error("RenderAll of nothing succeeded")
	}
}

func TestRenderErrors(t *testing.T) {
	f := testFont(t)
	tall := strings.Repeat("很长的备注", 600)
	tests := []struct {
		name    string
		blocks  []Block
		wantErr string
	}{
		{"too many cells", []Block{Paragraph{Text: "x"}, Table{Columns: []Column{{Title: "a"}}, Rows: [][]string{{"1"}, {"1", "2"}}}}, "block 2: table row 2 has 2 cells for 1 columns"},
		{"no columns", []Block{Table{}}, "block 1: table has no columns"},
		{"row taller than a page", []Block{Table{Columns: []Column{{Title: "备注"}}, Rows: [][]string{{tall}}}}, "row 1 is taller than a page"},
		{"nil block", []Block{nil}, "block 1: is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(Document{Blocks: tt.blocks}, f)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestRenderOddText: missing glyphs, runes outside the BMP, control
// characters, invalid UTF-8 and empty blocks still render.
func TestRenderOddText(t *testing.T) {
	d := Document{Title: "𠀀", Footer: true, Blocks: []Block{
		Heading{},
		Paragraph{Text: "张𠀀三、龦\t\x00\x1b\r\n\xff\xfe李四\U00010000"},
		Paragraph{},
		Table{Columns: []Column{{Title: ""}, {Title: "姓名"}}, Rows: [][]string{{}, {"𪚥"}}},
		Signature{},
		Spacer{Height: 1000},
		StampBox{Label: "印", Size: 20},
	}}
	b := mustRender(t, d)
	text := strings.Join(pdfText(t, b), "")
	if !strings.Contains(text, "张〓三") || !strings.Contains(text, "李四〓") {
		t.Errorf("runes outside the BMP are not shown as 〓:\n%s", text)
	}
}

func TestEmptyDocumentIsOnePage(t *testing.T) {
	if n := pageCount(mustRender(t, Document{})); n != 1 {
		t.Errorf("%d pages", n)
	}
}

// TestWriteSamples writes the sample letter and certificate to the folder
// in PDFCHECK_DIR, to look at (pdftoppm -r 60 -png letter.pdf letter).
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("PDFCHECK_DIR")
	if dir == "" {
		t.Skip("set PDFCHECK_DIR to write sample PDFs")
	}
	f := testFont(t)
	all, err := RenderAll([]Document{letter(30), certificate("王建国")}, f)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"letter.pdf":      mustRender(t, letter(30)),
		"certificate.pdf": mustRender(t, certificate("王建国")),
		"report.pdf":      mustRender(t, Document{Footer: true, Blocks: []Block{Heading{Text: "流动党员情况通报"}, memberTable(200)}}),
		"all.pdf":         all,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, %d pages", name, len(b), pageCount(b))
	}
}

// BenchmarkRender renders a one-page letter with a 20-row table, with the
// per-document font subset and, for comparison, with the whole font handed
// to fpdf (which parses it twice per document).
func BenchmarkRender(b *testing.B) {
	f := testFont(b)
	d := letter(20)
	whole := &Font{path: f.path}
	for _, fc := range f.faces {
		c := *fc
		c.sub = nil
		whole.faces = append(whole.faces, &c)
	}
	for _, c := range []struct {
		name string
		f    *Font
	}{{"subset", f}, {"whole-font", whole}} {
		b.Run(c.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				out, err := Render(d, c.f)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "pdf-bytes")
		})
	}
}

// BenchmarkRenderAll renders 100 one-page letters into one file.
func BenchmarkRenderAll(b *testing.B) {
	f := testFont(b)
	ds := make([]Document, 100)
	for i := range ds {
		ds[i] = letter(10)
	}
	var size int
	for b.Loop() {
		out, err := RenderAll(ds, f)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ds)), "ns/document")
}

func TestRenderConcurrently(t *testing.T) {
	f := testFont(t)
	want := mustRender(t, letter(5))
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			b, err := Render(letter(5), f)
			if err == nil && !bytes.Equal(b, want) {
				err = fmt.Errorf("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
