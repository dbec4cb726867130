package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFolderCommitIsAtomicAndReplaces(t *testing.T) {
	root := t.TempDir()
	f, err := NewFolder(root, "2026-11-25", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write("a.txt", []byte("first")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "2026-11-25")); !os.IsNotExist(err) {
		t.Fatalf("the dated folder exists before Commit: %v", err)
	}
	dir, err := f.Commit()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(root, "latest", "a.txt"))
	if string(b) != "first" {
		t.Errorf("latest/a.txt = %q", b)
	}
	var m struct {
		RunID int               `json:"run_id"`
		Files map[string]string `json:"files"`
	}
	mb, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("first"))
	if m.RunID != 1 || m.Files["a.txt"] != hex.EncodeToString(sum[:]) {
		t.Errorf("manifest = %+v", m)
	}

	// A second run the same day replaces the folder whole.
	f2, _ := NewFolder(root, "2026-11-25", 2)
	f2.Write("b.txt", []byte("second"))
	if _, err := f2.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "2026-11-25", "a.txt")); !os.IsNotExist(err) {
		t.Errorf("a file of the replaced folder survived")
	}
	// An aborted run leaves nothing behind.
	f3, _ := NewFolder(root, "2026-11-26", 3)
	f3.Write("c.txt", []byte("x"))
	f3.Abort()
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "2026-11-25,latest" {
		t.Errorf("output root holds %v, want the one folder and latest", names)
	}
}

// TestWriteWorkbookHashesWhatItWrites: a workbook streamed to its file has
// the file's SHA-256 in the manifest, and its rows read back.
func TestWriteWorkbookHashesWhatItWrites(t *testing.T) {
	root := t.TempDir()
	f, err := NewFolder(root, "2026-11-25", 1)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := RegistryWorkbook(testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.WriteWorkbook("台账.xlsx", wb); err != nil {
		t.Fatal(err)
	}
	dir, err := f.Commit()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "台账.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files map[string]string `json:"files"`
	}
	mb, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if m.Files["台账.xlsx"] != hex.EncodeToString(sum[:]) {
		t.Errorf("manifest has %q, the file hashes to %x", m.Files["台账.xlsx"], sum)
	}
	cells := allCells(t, filepath.Join(dir, "台账.xlsx"))
	if rows := cells["台账"]; len(rows) < 3 || rows[2][1] == "" {
		t.Errorf("registry sheet rows %q", rows)
	}
}

func TestSummaryMarkdown(t *testing.T) {
	s := &Summary{
		RunID: 7, Street: "宝龙街道", Status: "quarantined",
		Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC), Finished: time.Date(2026, 11, 25, 2, 0, 3, 0, time.UTC),
		Files: []FileSummary{
			{Path: "rosters/old.xls", Kind: "roster", Action: "quarantined", Reason: "旧版 .xls", Hint: "另存为 .xlsx"},
			{Path: "surveys/a.xlsx", Kind: "survey", Action: "loaded", Format: "xlsx", Accepted: 3, Unmapped: []string{"微信号"},
				Sheets: []string{"汇总：未找到表头"}},
		},
		Members: &Members{Members: 3, ByStatus: map[string]int{"dual": 2, "unknown_whereabouts": 1}, NewlyUnknown: 1,
			ByCommunity: []CommunityStatus{{"", "unknown_whereabouts", 1}, {"同心社区", "dual", 2}},
			Changes: []MemberChange{
				{MemberID: "M0000004", Name: "王芳", Community: "同心社区", To: "inflow_only"},
				{MemberID: "M0000001", Name: "张伟", Community: "同心社区", From: "inflow_only", To: "dual"},
				{MemberID: "M0000002", Name: "李娜", From: "dual", To: "unknown_whereabouts"},
			}},
	}
	md := SummaryMarkdown(s)
	for _, want := range []string{"第 7 次运行", "完成，但有文件被隔离", "rosters/old.xls", "另存为 .xlsx", "微信号", "ingest.aliases", "汇总：未找到表头",
		"本次新增去向不明 1 人", "### 新增党员（1 人）\n\n- 王芳（M0000004，同心社区）：仅流入地登记",
		"### 新变为去向不明（1 人）\n\n- 李娜（M0000002）：原为双向共管", "- 张伟（M0000001，同心社区）：仅流入地登记 → 双向共管",
		"| （未被社区找到） | 0 | 0 | 1 | 0 | 1 |", "| 同心社区 | 2 | 0 | 0 | 0 | 2 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary.md lacks %q:\n%s", want, md)
		}
	}
	s.PDF = &PDFSummary{Disabled: "没有找到中文 TrueType 字体", Missing: []MissingGlyphs{{File: "流出地党组织/x/结对函.pdf", Chars: "𠀀"}}}
	if md := SummaryMarkdown(s); !strings.Contains(md, "**未生成 PDF**：没有找到中文 TrueType 字体") || !strings.Contains(md, "`流出地党组织/x/结对函.pdf`：𠀀") {
		t.Errorf("summary.md does not say why there is no PDF:\n%s", md)
	}
	s.Members.FirstBuild = true
	if md := SummaryMarkdown(s); !strings.Contains(md, "首次建立台账：3 名党员均为新建") || strings.Contains(md, "王芳") {
		t.Errorf("first build lists members by name:\n%s", md)
	}
}
