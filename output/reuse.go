package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

// Reusing unchanged files. Rendering a PDF costs about ten milliseconds and
// a street has thousands of certificates that do not change from one night
// to the next: a file written with WriteKeyed records a key of what it was
// made from in manifest.json, and the next run's Reuse takes the file from
// the previous folder (out/latest) when the key is the same, by a hard link
// The file's bytes are checked against the SHA-256 the previous manifest
// recorded, so a file someone changed there is made anew. The key must
// cover everything the bytes depend on: the content, the font, the layout
// code's version.

// previousFolder is the folder out/latest pointed at when this one began.
type previousFolder struct {
	dir            string
	files, sources map[string]string
}

// previous reads out/latest's manifest once; a missing or unreadable one
// means nothing can be reused.
func (f *Folder) previous() *previousFolder {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.prev != nil {
		return f.prev
	}
	f.prev = &previousFolder{}
	dir, err := filepath.EvalSymlinks(filepath.Join(f.root, "latest"))
	if err != nil {
		return f.prev
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return f.prev
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil {
		return f.prev
	}
	f.prev = &previousFolder{dir: dir, files: m.Files, sources: m.Sources}
	return f.prev
}

// Reuse adds name to the folder from the previous folder when it was made
// from the same key and is unchanged there, and reports whether it did.
// The file is hard-linked (copied where links are not possible): published
// files are never written again, so the two folders can share it.
func (f *Folder) Reuse(name, key string) bool {
	want, ok := f.reusable(name, key)
	return ok && f.link(name, key, want)
}

// reusable reports whether the previous folder has name made from key and
// unchanged, with the SHA-256 its manifest recorded.
func (f *Folder) reusable(name, key string) (string, bool) {
	p := f.previous()
	want := p.files[filepath.ToSlash(name)]
	if key == "" || p.sources[filepath.ToSlash(name)] != key || want == "" {
		return "", false
	}
	if got, err := fileSHA256(filepath.Join(p.dir, name)); err != nil || got != want {
		return "", false
	}
	return want, true
}

// link adds the previous folder's name, found reusable with SHA-256 want,
// to this folder.
func (f *Folder) link(name, key, want string) bool {
	src := filepath.Join(f.previous().dir, name)
	dst := f.Path(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false
	}
	if os.Link(src, dst) != nil && copyFile(src, dst) != nil {
		return false
	}
	f.mu.Lock()
	f.files[filepath.ToSlash(name)] = want
	f.reused++
	f.mu.Unlock()
	f.keep(name, key)
	return true
}

// reuseAll adds every one of files (name → key) from the previous folder
// when all of them can be, and reports whether it did; when one cannot, it
// adds none, so the caller writes them all as usual.
func (f *Folder) reuseAll(files map[string]string) bool {
	// Every key first: a folder made from something else is told without
	// reading any of its files.
	p := f.previous()
	for name, key := range files {
		if key == "" || p.sources[filepath.ToSlash(name)] != key {
			return false
		}
	}
	want := make(map[string]string, len(files))
	for name, key := range files {
		sum, ok := f.reusable(name, key)
		if !ok {
			return false
		}
		want[name] = sum
	}
	var linked []string
	for name, key := range files {
		if !f.link(name, key, want[name]) {
			// Take back what was linked: a file written over a link
			// would write over the previous folder's.
			f.mu.Lock()
			for _, l := range linked {
				os.Remove(f.Path(l))
				delete(f.files, filepath.ToSlash(l))
				delete(f.sources, filepath.ToSlash(l))
				f.reused--
			}
			f.mu.Unlock()
			return false
		}
		linked = append(linked, name)
	}
	return true
}

// fileSHA256 is the hex SHA-256 of a file's bytes.
func fileSHA256(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyFile copies src to a new file dst, synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}

// AddExistingKeyed adds a file already written at Path(name), made from
// key, so a later run can reuse it.
func (f *Folder) AddExistingKeyed(name, key string) error {
	if err := f.AddExisting(name); err != nil {
		return err
	}
	if key != "" {
		f.keep(name, key)
	}
	return nil
}

// Reused is how many files were taken from the previous folder; it waits
// for the workbooks being written in the background first.
func (f *Folder) Reused() int {
	f.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reused
}

// WriteKeyed adds a file made from key, so a later run can reuse it.
func (f *Folder) WriteKeyed(name, key string, data []byte) error {
	if err := f.Write(name, data); err != nil {
		return err
	}
	f.keep(name, key)
	return nil
}

func (f *Folder) keep(name, key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sources == nil {
		f.sources = map[string]string{}
	}
	f.sources[filepath.ToSlash(name)] = key
}

// workbookLayoutVersion is part of every workbook's reuse key: change it
// when a change to the workbook code changes what an unchanged table looks
// like, so the next run builds every workbook anew.
const workbookLayoutVersion = "xlsx-layout-2"

// tableData is what a table shows, for a reuse key.
type tableData struct {
	Sheet, Title, Note, Date string
	Cols                     []string
	Rows                     [][]any
	MaxWidth                 float64
	MinWidths                map[string]float64
	DropDowns                map[string][]string
}

func (t table) data() tableData {
	rows := t.rows
	if t.source != nil {
		rows = make([][]any, 0, t.len())
		t.each(func(_ int, r []any) error {
			rows = append(rows, append([]any(nil), r...))
			return nil
		})
	}
	return tableData{Sheet: t.sheet, Title: t.title, Note: t.note, Date: t.date, Cols: t.cols, Rows: rows,
		MaxWidth: t.maxWidth, MinWidths: t.minWidths, DropDowns: t.dropDowns}
}

// workbookKey is what a workbook is made from: parts (texts, tableData …)
// and the layout version.
func workbookKey(parts ...any) string { return contentKey(workbookLayoutVersion, parts) }

// contentKey is the SHA-256 of a version, a NUL and the JSON of what a file
// is made from (as json.Marshal writes it); "" (never reused) when it
// cannot be encoded. The JSON is encoded into the hash: json.Marshal
// copies it out of the encoder's reused buffer, and at 1M persons those
// copies were 0.9 GB of the output stage's allocations (and before that
// as much again copied behind the version). A key must not change from one
// release to the next: every file made from it, PDFs included, would be
// made again on the night of the upgrade (TestContentKeyStable).
func contentKey(version string, content any) string {
	h := sha256.New()
	h.Write([]byte(version))
	h.Write([]byte{0})
	w := &allButLast{w: h}
	if err := json.NewEncoder(w).Encode(content); err != nil {
		return ""
	}
	// w holds back Encode's closing newline, which Marshal does not write.
	return hex.EncodeToString(h.Sum(nil))
}

// allButLast writes on all it is given but the last byte, which it holds.
type allButLast struct {
	w    io.Writer
	last [1]byte
	held bool
}

func (a *allButLast) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if a.held {
		if _, err := a.w.Write(a.last[:]); err != nil {
			return 0, err
		}
	}
	if _, err := a.w.Write(p[:len(p)-1]); err != nil {
		return 0, err
	}
	a.last[0], a.held = p[len(p)-1], true
	return len(p), nil
}

// writeWorkbookKeyed adds the workbook made from key: the previous run's
// when it was made from the same, else build's.
func (f *Folder) writeWorkbookKeyed(name, key string, build func() (*excelize.File, error)) error {
	if f.Reuse(name, key) {
		return nil
	}
	wb, err := build()
	if err != nil {
		return err
	}
	if err := f.WriteWorkbook(name, wb); err != nil {
		return err
	}
	if key != "" {
		f.keep(name, key)
	}
	return nil
}
