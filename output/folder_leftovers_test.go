package output

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestNewFolderCleansLeftovers: what a killed run left in the output root
// is cleaned by the next run: its temporary folder and link go, and an
// earlier folder it had moved aside (where no atomic exchange exists) comes back.
func TestNewFolderCleansLeftovers(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) {
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, p, "summary.md"), []byte(p), 0o644)
	}
	mk(".2026-11-25.tmp-9") // killed while writing
	mk(".2026-11-24.old-8") // killed between moving aside and publishing
	mk("2026-11-23")        // complete
	mk(".2026-11-23.old-7") // killed after publishing, before removing
	os.Symlink("2026-11-23", filepath.Join(root, ".latest.tmp-9"))
	os.Symlink("2026-11-23", filepath.Join(root, "latest"))

	f, err := NewFolder(root, "2026-11-26", 10)
	if err != nil {
		t.Fatal(err)
	}
	f.Abort()
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if got := strings.Join(names, ","); got != "2026-11-23,2026-11-24,latest" {
		t.Errorf("output root holds %s, want the complete folders, the one put back, and latest", got)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "2026-11-24", "summary.md")); string(b) != ".2026-11-24.old-8" {
		t.Errorf("2026-11-24 was not put back from its moved-aside copy: %q", b)
	}
}

// TestCommitReplacesInOneStep: replacing a folder of the same date leaves
// no moved-aside copy and latest valid.
func TestCommitReplacesInOneStep(t *testing.T) {
	root := t.TempDir()
	for run := 1; run <= 2; run++ {
		f, err := NewFolder(root, "2026-11-25", run)
		if err != nil {
			t.Fatal(err)
		}
		f.Write("n.txt", []byte{byte('0' + run)})
		if _, err := f.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "latest", "n.txt"))
	if err != nil || string(b) != "2" {
		t.Fatalf("latest/n.txt = %q, %v", b, err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, ".*")); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}
