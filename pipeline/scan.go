package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/baolong/liudong/ingest"
)

// inboxFile is one file found in the inbox.
type inboxFile struct {
	Kind ingest.Kind
	Abs  string // absolute path
	Rel  string // relative to the inbox, forward slashes
	Size int64
	Hash string // hex SHA-256 of the content
}

// ignoredFile is a file in the inbox that is not read, and why.
type ignoredFile struct {
	Rel    string
	Reason string
}

// scanInbox lists every file in the kinds' folders, in path order, with its
// content hash. Office lock files (~$x.xlsx) and hidden files are ignored and
// reported; files directly in the inbox root are reported as misplaced.
func scanInbox(cfg Config) ([]inboxFile, []ignoredFile, error) {
	root := cfg.Inbox.Dir
	if st, err := os.Stat(root); err != nil {
		return nil, nil, fmt.Errorf("inbox %s: %w", root, err)
	} else if !st.IsDir() {
		return nil, nil, fmt.Errorf("inbox %s: not a folder", root)
	}
	var files []inboxFile
	var ignored []ignoredFile
	known := map[string]bool{}
	for _, k := range ingest.Kinds() {
		folder := cfg.Inbox.Folder(k)
		known[filepath.Clean(folder)] = true
		dir := filepath.Join(root, folder)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == dir {
					return nil // an absent folder holds no files
				}
				return err
			}
			rel := relSlash(root, p)
			name := d.Name()
			if d.IsDir() {
				if p != dir && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasPrefix(name, "~$"):
				ignored = append(ignored, ignoredFile{rel, "Excel/WPS 打开文件时生成的临时锁文件，已忽略"})
				return nil
			case strings.HasPrefix(name, "."):
				ignored = append(ignored, ignoredFile{rel, "隐藏文件，已忽略"})
				return nil
			case !d.Type().IsRegular():
				ignored = append(ignored, ignoredFile{rel, "不是普通文件（链接或设备），已忽略"})
				return nil
			}
			h, size, err := hashFile(p)
			if err != nil {
				return fmt.Errorf("read %s: %w", rel, err)
			}
			files = append(files, inboxFile{Kind: k, Abs: p, Rel: rel, Size: size, Hash: h})
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("scan inbox folder %s: %w", folder, err)
		}
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, nil, fmt.Errorf("scan inbox %s: %w", root, err)
	}
	for _, e := range entries {
		if known[e.Name()] || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		ignored = append(ignored, ignoredFile{e.Name(), "不在任何分类文件夹中（surveys、rosters …），未读取：请移入对应文件夹"})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	return files, ignored, nil
}

func relSlash(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		rel = p
	}
	return filepath.ToSlash(rel)
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// fileAction is what this run does with a file.
type fileAction string

const (
	actionLoad       fileAction = "load"       // new or changed: read it
	actionUnchanged  fileAction = "unchanged"  // read before, same content
	actionDuplicate  fileAction = "duplicate"  // same content as another current file
	actionSuperseded fileAction = "superseded" // an earlier version retired by this run
	actionRemoved    fileAction = "removed"    // no longer in the inbox: retired
)

// plannedFile is one entry of the run's plan.
type plannedFile struct {
	inboxFile
	FileID int64
	Action fileAction
	Prior  *manifestRow // the version this run found in the manifest
}

// manifestRow is one current row of source_file.
type manifestRow struct {
	FileID         int64
	Path           string
	Kind           string
	Hash           string
	Status         string
	DupOf          sql.NullInt64
	QuarantineCode sql.NullString
	Reason, Hint   sql.NullString
	Accepted       int
	Rejected       int
	Skipped        int
}

// plan compares the inbox with the manifest and records the decisions in
// one transaction: new versions are entered as pending (so a crash and a
// rerun give them the same file_id), replaced and removed versions are
// retired together with their records. It returns every file's action,
// including the retired ones.
func (db *DB) plan(ctx context.Context, runID int, files []inboxFile) ([]plannedFile, error) {
	current, err := db.currentManifest(ctx)
	if err != nil {
		return nil, err
	}
	var nextID int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(file_id), 0) FROM source_file`).Scan(&nextID); err != nil {
		return nil, err
	}
	d := decidePlan(current, files, nextID)
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range d.retire {
			if _, err := tx.ExecContext(ctx, `UPDATE source_file SET retired_run_id = ?, retired_reason = ? WHERE file_id = ?`, runID, string(r.action), r.fileID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE source_record SET retired_run_id = ? WHERE file_id = ? AND retired_run_id IS NULL`, runID, r.fileID); err != nil {
				return err
			}
		}
		for _, f := range d.enter {
			if f.Action == actionDuplicate {
				if _, err := tx.ExecContext(ctx, `INSERT INTO source_file (file_id, path, source_kind, sha256, size_bytes, status, duplicate_of, first_run_id)
					VALUES (?, ?, ?, ?, ?, 'duplicate', ?, ?)`, f.FileID, f.Rel, string(f.Kind), f.Hash, f.Size, f.Prior.FileID, runID); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_file (file_id, path, source_kind, sha256, size_bytes, status, first_run_id)
				VALUES (?, ?, ?, ?, ?, 'pending', ?)`, f.FileID, f.Rel, string(f.Kind), f.Hash, f.Size, runID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return d.files, nil
}

// planDecision is what a plan does, decided without touching the database,
// so `liudong status` and the backup can preview it read-only.
type planDecision struct {
	files  []plannedFile // every file's action, the retired ones first
	retire []retirement  // versions to retire, with their records
	enter  []plannedFile // new manifest rows: actionLoad (pending) or actionDuplicate
}

type retirement struct {
	fileID int64
	action fileAction // superseded | removed
}

// decidePlan compares the inbox with the current manifest; nextID is the
// highest file_id given so far.
func decidePlan(current []manifestRow, files []inboxFile, nextID int64) planDecision {
	var d planDecision
	byPath := map[string]*manifestRow{}
	for i := range current {
		byPath[current[i].Path] = &current[i]
	}
	inInbox := map[string]string{} // path → hash
	for _, f := range files {
		inInbox[f.Rel] = f.Hash
	}
	retired := map[int64]bool{}
	retire := func(m *manifestRow, action fileAction) {
		retired[m.FileID] = true
		d.retire = append(d.retire, retirement{fileID: m.FileID, action: action})
		if m.Status != "duplicate" {
			d.files = append(d.files, plannedFile{inboxFile: inboxFile{Kind: ingest.Kind(m.Kind), Rel: m.Path, Hash: m.Hash}, FileID: m.FileID, Action: action, Prior: m})
		}
	}
	// First every retirement, so that what stays current is known.
	for i := range current {
		m := &current[i]
		h, ok := inInbox[m.Path]
		switch {
		case !ok:
			retire(m, actionRemoved)
		case h != m.Hash:
			retire(m, actionSuperseded)
		}
	}
	// A duplicate whose twin was retired now stands alone: read it.
	for i := range current {
		m := &current[i]
		if m.Status == "duplicate" && !retired[m.FileID] && (retired[m.DupOf.Int64] || byPath[m.Path] == nil) {
			retire(m, actionSuperseded)
		}
	}
	byHash := map[string]*manifestRow{}
	for i := range current {
		m := &current[i]
		if !retired[m.FileID] && m.Status != "duplicate" {
			byHash[m.Hash] = m
		}
	}
	for _, f := range files {
		if prior := byPath[f.Rel]; prior != nil && !retired[prior.FileID] {
			action := actionUnchanged
			if prior.Status == "pending" {
				action = actionLoad
			} else if prior.Status == "duplicate" {
				action = actionDuplicate
			}
			pf := plannedFile{inboxFile: f, FileID: prior.FileID, Action: action, Prior: prior}
			if action == actionDuplicate {
				pf.Prior = twinOf(current, prior)
			}
			d.files = append(d.files, pf)
			continue
		}
		nextID++
		if twin := byHash[f.Hash]; twin != nil {
			pf := plannedFile{inboxFile: f, FileID: nextID, Action: actionDuplicate, Prior: twin}
			d.enter = append(d.enter, pf)
			d.files = append(d.files, pf)
			continue
		}
		pf := plannedFile{inboxFile: f, FileID: nextID, Action: actionLoad}
		d.enter = append(d.enter, pf)
		d.files = append(d.files, pf)
		// A copy later in this scan is a duplicate of this one.
		byHash[f.Hash] = &manifestRow{FileID: nextID, Path: f.Rel, Kind: string(f.Kind), Hash: f.Hash, Status: "pending"}
	}
	return d
}

// twinOf returns the manifest row a duplicate copies, or nil.
func twinOf(current []manifestRow, dup *manifestRow) *manifestRow {
	for i := range current {
		if current[i].FileID == dup.DupOf.Int64 {
			return &current[i]
		}
	}
	return nil
}

func (db *DB) currentManifest(ctx context.Context) ([]manifestRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT file_id, path, source_kind, sha256, status, duplicate_of, quarantine_code, quarantine_reason,
		quarantine_hint, rows_accepted, rows_rejected, rows_skipped
		FROM source_file WHERE retired_run_id IS NULL ORDER BY file_id`)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	defer rows.Close()
	var out []manifestRow
	for rows.Next() {
		var m manifestRow
		if err := rows.Scan(&m.FileID, &m.Path, &m.Kind, &m.Hash, &m.Status, &m.DupOf, &m.QuarantineCode, &m.Reason, &m.Hint,
			&m.Accepted, &m.Rejected, &m.Skipped); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
