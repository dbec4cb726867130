package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/xuri/excelize/v2"
)

// Folder is a run's output folder under construction: files are written
// into a hidden temporary folder and the whole folder is renamed into place
// by Commit, so out/<date>/ is complete or absent.
type Folder struct {
	root  string            // out/
	name  string            // 2026-11-25
	tmp   string            // out/.2026-11-25.tmp-<run>
	files map[string]string // name → sha256
	runID int
	// keepLatest: Commit leaves out/latest alone (a folder that is not a
	// night's run, such as `liudong certificates`).
	keepLatest bool
}

// KeepLatest makes Commit leave out/latest pointing where it does.
func (f *Folder) KeepLatest() { f.keepLatest = true }

// NewFolder starts the output folder name (the run date) under root.
func NewFolder(root, name string, runID int) (*Folder, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	tmp := filepath.Join(root, fmt.Sprintf(".%s.tmp-%d", name, runID))
	if err := os.RemoveAll(tmp); err != nil {
		return nil, fmt.Errorf("clear %s: %w", tmp, err)
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", tmp, err)
	}
	return &Folder{root: root, name: name, tmp: tmp, files: map[string]string{}, runID: runID}, nil
}

// Write adds a file to the folder.
func (f *Folder) Write(name string, data []byte) error {
	p := filepath.Join(f.tmp, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	f.files[filepath.ToSlash(name)] = hex.EncodeToString(sum[:])
	return nil
}

// WriteWorkbook adds a workbook to the folder and closes it.
func (f *Folder) WriteWorkbook(name string, wb *excelize.File) error {
	var buf bytes.Buffer
	_, err := wb.WriteTo(&buf)
	if cerr := wb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return f.Write(name, buf.Bytes())
}

// manifest lists every file of a run folder with its SHA-256.
type manifest struct {
	RunID int               `json:"run_id"`
	Files map[string]string `json:"files"`
	Names []string          `json:"-"`
}

// Commit writes manifest.json, renames the folder into place (replacing an
// earlier folder of the same name) and points out/latest at it. It returns
// the final path.
func (f *Folder) Commit() (string, error) {
	m := manifest{RunID: f.runID, Files: f.files}
	for n := range f.files {
		m.Names = append(m.Names, n)
	}
	sort.Strings(m.Names)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(f.tmp, "manifest.json"), b, 0o644); err != nil {
		return "", fmt.Errorf("write manifest: %w", err)
	}
	final := filepath.Join(f.root, f.name)
	old := filepath.Join(f.root, fmt.Sprintf(".%s.old-%d", f.name, f.runID))
	if _, err := os.Stat(final); err == nil {
		if err := os.Rename(final, old); err != nil {
			return "", fmt.Errorf("move earlier %s aside: %w", final, err)
		}
	}
	if err := os.Rename(f.tmp, final); err != nil {
		return "", fmt.Errorf("publish %s: %w", final, err)
	}
	os.RemoveAll(old)
	if f.keepLatest {
		return final, nil
	}
	latest := filepath.Join(f.root, "latest")
	tmpLink := filepath.Join(f.root, fmt.Sprintf(".latest.tmp-%d", f.runID))
	os.Remove(tmpLink)
	if err := os.Symlink(f.name, tmpLink); err != nil {
		return final, fmt.Errorf("link latest: %w", err)
	}
	if err := os.Rename(tmpLink, latest); err != nil {
		return final, fmt.Errorf("link latest: %w", err)
	}
	return final, nil
}

// Abort removes the temporary folder.
func (f *Folder) Abort() { os.RemoveAll(f.tmp) }

// WriteRunFolder writes a run's summary into out/<run date>/ and returns the
// folder's path.
func WriteRunFolder(root string, sum *Summary) (string, error) {
	return WriteRun(root, sum, nil)
}

// WriteRun writes a run's summary, and whatever extra adds (workbooks), into
// out/<run date>/ and returns the folder's path. When extra fails nothing
// is published.
func WriteRun(root string, sum *Summary, extra func(*Folder) error) (string, error) {
	f, err := NewFolder(root, sum.Started.Format("2006-01-02"), sum.RunID)
	if err != nil {
		return "", err
	}
	if err := writeRun(f, sum, extra); err != nil {
		f.Abort()
		return "", err
	}
	return f.Commit()
}

func writeRun(f *Folder, sum *Summary, extra func(*Folder) error) error {
	if extra != nil {
		if err := extra(f); err != nil {
			return err
		}
	}
	js, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	if err := f.Write("summary.json", js); err != nil {
		return err
	}
	return f.Write("summary.md", []byte(SummaryMarkdown(sum)))
}
