package output

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
)

// Folder is a run's output folder under construction: files are written
// into a hidden temporary folder and the whole folder is renamed into place
// by Commit, so out/<date>/ is complete or absent. Its methods are safe for
// concurrent use, and workbooks may be built in the background (pool.go).
type Folder struct {
	mu    sync.Mutex        // guards files, sources, prev, reused
	pool  *pool             // background workbooks, started on first use
	root  string            // out/
	name  string            // 2026-11-25
	tmp   string            // out/.2026-11-25.tmp-<run>
	files map[string]string // name → sha256
	runID int
	// keepLatest: Commit leaves out/latest alone (a folder that is not a
	// night's run, such as `liudong certificates`).
	keepLatest bool
	// sources are the keys of what files were made from (reuse.go).
	sources map[string]string
	// prev is the previous folder's files and sources, read on first use.
	prev   *previousFolder
	reused int
}

// KeepLatest makes Commit leave out/latest pointing where it does.
func (f *Folder) KeepLatest() { f.keepLatest = true }

// NewFolder starts the output folder name (the run date) under root.
func NewFolder(root, name string, runID int) (*Folder, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	cleanLeftovers(root)
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
	return f.writeFrom(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeFrom adds a file to the folder whose content write writes, hashing
// it on the way: a workbook goes to disk without a copy of it in memory
// (the 1M registry is half a gigabyte).
func (f *Folder) writeFrom(name string, write func(io.Writer) error) error {
	p := filepath.Join(f.tmp, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	fh, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	h := sha256.New()
	err = write(io.MultiWriter(fh, h))
	if err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	f.mu.Lock()
	f.files[filepath.ToSlash(name)] = hex.EncodeToString(h.Sum(nil))
	f.mu.Unlock()
	return nil
}

// Path is where the file name goes inside the folder under construction,
// for a writer that makes its own files (DuckDB's COPY); register them with
// AddExisting.
func (f *Folder) Path(name string) string { return filepath.Join(f.tmp, name) }

// AddExisting adds a file already written at Path(name) to the manifest:
// it is flushed to disk and hashed.
func (f *Folder) AddExisting(name string) error {
	fh, err := os.OpenFile(f.Path(name), os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("add %s: %w", name, err)
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return fmt.Errorf("add %s: %w", name, err)
	}
	if err := fh.Sync(); err != nil {
		return fmt.Errorf("add %s: %w", name, err)
	}
	f.mu.Lock()
	f.files[filepath.ToSlash(name)] = hex.EncodeToString(h.Sum(nil))
	f.mu.Unlock()
	return nil
}

// WriteWorkbook adds a workbook to the folder and closes it.
func (f *Folder) WriteWorkbook(name string, wb *excelize.File) error {
	err := f.writeFrom(name, func(w io.Writer) error { return streamWorkbook(wb, w) })
	if errors.Is(err, errZip64InMemory) {
		// A sheet past 4 GiB of XML: written again through memory, where
		// its local header can be mended (markZip64).
		err = f.writeFrom(name, func(w io.Writer) error {
			_, err := wb.WriteTo(w)
			return err
		})
	}
	if cerr := wb.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("save %s: %w", name, cerr)
	}
	return err
}

// streamWorkbook writes wb to w as it is zipped. excelize's WriteTo zips
// the whole workbook into a growing buffer and then copies it out: for a
// city's registry, hundreds of megabytes copied at every doubling (about 5
// CPU s of a 1M-person night's output) and held in memory.
func streamWorkbook(wb *excelize.File, w io.Writer) error {
	bw, _ := workbookBuffers.Get().(*bufio.Writer)
	if bw == nil {
		bw = bufio.NewWriterSize(nil, 64<<10)
	}
	bw.Reset(w)
	defer func() {
		bw.Reset(nil) // what it held, after a failure, is dropped; the file is not kept
		workbookBuffers.Put(bw)
	}()
	zipTo := wb.ZipWriter
	wb.ZipWriter = func(io.Writer) excelize.ZipWriter { return zipTo(bw) }
	defer func() { wb.ZipWriter = zipTo }()
	buf, err := wb.WriteToBuffer()
	if err != nil {
		return err
	}
	if buf.Len() > 0 {
		return fmt.Errorf("%d bytes of the workbook were written to memory, not to its file", buf.Len())
	}
	return bw.Flush()
}

// workbookBuffers are the idle write buffers of streamWorkbook: a cache of
// allocations, no state (a buffer is Reset to its file before use). A 1M
// night writes about 10,000 workbooks, and a new 64 KB buffer for each was
// 0.64 GB of the output stage's 24 GB of allocations.
var workbookBuffers sync.Pool

// manifest lists every file of a run folder with its SHA-256.
type manifest struct {
	RunID int               `json:"run_id"`
	Files map[string]string `json:"files"`
	// Sources: for files made from a known content (PDFs), a key of that
	// content, so the next run can reuse an unchanged file (reuse.go).
	Sources map[string]string `json:"sources,omitempty"`
	Names   []string          `json:"-"`
}

// Commit writes manifest.json, renames the folder into place (replacing an
// earlier folder of the same name) and points out/latest at it. It returns
// the final path.
func (f *Folder) Commit() (string, error) {
	if err := f.Wait(); err != nil {
		return "", err
	}
	m := manifest{RunID: f.runID, Files: f.files, Sources: f.sources}
	for n := range f.files {
		m.Names = append(m.Names, n)
	}
	sort.Strings(m.Names)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	if err := WriteFileSynced(filepath.Join(f.tmp, "manifest.json"), b); err != nil {
		return "", fmt.Errorf("write manifest: %w", err)
	}
	SyncDir(f.tmp)
	final := filepath.Join(f.root, f.name)
	if _, err := os.Stat(final); err == nil {
		// Replace the earlier folder of the same date in one step where the
		// system can (Linux: renameat2 RENAME_EXCHANGE), so out/<date> and
		// out/latest are never missing, even if the process dies here.
		if exchange(f.tmp, final) == nil {
			os.RemoveAll(f.tmp) // now the earlier folder
		} else {
			old := filepath.Join(f.root, fmt.Sprintf(".%s.old-%d", f.name, f.runID))
			if err := os.Rename(final, old); err != nil {
				return "", fmt.Errorf("move earlier %s aside: %w", final, err)
			}
			// A crash here leaves only old: cleanLeftovers puts it back.
			if err := os.Rename(f.tmp, final); err != nil {
				return "", fmt.Errorf("publish %s: %w", final, err)
			}
			os.RemoveAll(old)
		}
	} else if err := os.Rename(f.tmp, final); err != nil {
		return "", fmt.Errorf("publish %s: %w", final, err)
	}
	SyncDir(f.root)
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
	SyncDir(f.root)
	return final, nil
}

// cleanLeftovers removes what a run killed while writing left in the output
// root: temporary folders and links (never published, so never latest), and
// puts back an earlier folder a killed replacement had moved aside.
func cleanLeftovers(root string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, ".") {
			continue
		}
		p := filepath.Join(root, n)
		switch {
		case strings.HasPrefix(n, ".latest.tmp-"):
			os.Remove(p)
		case strings.Contains(n, ".tmp-"):
			os.RemoveAll(p)
		case strings.Contains(n, ".old-"):
			date := strings.TrimPrefix(n[:strings.LastIndex(n, ".old-")], ".")
			if _, err := os.Stat(filepath.Join(root, date)); os.IsNotExist(err) && date != "" {
				os.Rename(p, filepath.Join(root, date))
			} else {
				os.RemoveAll(p)
			}
		}
	}
}

// WriteFileSynced writes a file and flushes it to disk, so a folder renamed
// into place after a power cut holds whole files.
func WriteFileSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// SyncDir makes renames in dir durable; best effort.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Abort removes the temporary folder.
func (f *Folder) Abort() {
	f.Wait()
	os.RemoveAll(f.tmp)
}

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
		if err := f.Wait(); err != nil {
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
