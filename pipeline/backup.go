package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
)

// Backups are copies of the closed database file (with its write-ahead log
// when a crash left one), taken under the registry's lock, so nothing
// writes while the file is copied. A copy was chosen over DuckDB's EXPORT
// DATABASE: on the 10,000-person demo registry it is several times faster
// and restores to the very same file (README, "Backups").

const (
	backupFile     = "registry.duckdb" // the database inside a backup folder
	backupInfoFile = "backup.json"
	runBackup      = "run"         // taken before a run changed the registry
	preRestore     = "pre-restore" // the registry a restore replaced
)

// Backup is one snapshot of the registry.
type Backup struct {
	Name   string    `json:"-"`      // folder name: run-000012-20261125T020000
	Dir    string    `json:"-"`      // folder path
	Kind   string    `json:"kind"`   // run | pre-restore
	RunID  int       `json:"run_id"` // the run it was taken before (run) or the newest run it holds (pre-restore)
	Taken  time.Time `json:"taken"`
	Source string    `json:"database"` // the database it copies
	Bytes  int64     `json:"bytes"`
	SHA256 string    `json:"sha256"` // of the database file
	Reason string    `json:"reason,omitempty"`
}

// preview is what a run would do, found without changing anything.
type preview struct {
	exists    bool   // the database file exists
	nextRunID int    // the ID the next run gets
	changes   string // why the next run changes the registry; "" when it does not
	plan      []plannedFile
	lastRun   *RunRow
}

// previewRun opens the registry read-only and compares the inbox with its
// manifest, as plan would, without writing. fingerprint is the
// configuration's (configFingerprint).
func previewRun(ctx context.Context, cfg Config, fingerprint string) (*preview, error) {
	p := &preview{nextRunID: 1}
	if _, err := os.Stat(cfg.Database); errors.Is(err, os.ErrNotExist) {
		p.changes = "new registry"
		return p, nil
	} else if err != nil {
		return nil, err
	}
	p.exists = true
	db, err := openReadOnly(cfg.Database)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	pending, err := pendingMigrations(ctx, db)
	if err != nil {
		return nil, err
	}
	if len(pending) > 0 {
		p.changes = fmt.Sprintf("schema upgrade: %d migrations, from %s", len(pending), pending[0].name)
	}
	rdb := &DB{DB: db, Path: cfg.Database}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) + 1 FROM runs`).Scan(&p.nextRunID); err != nil {
		return nil, err
	}
	runs, err := rdb.history(ctx, 1)
	if err != nil {
		return nil, err
	}
	if len(runs) > 0 {
		p.lastRun = &runs[0]
	}
	current, err := rdb.currentManifest(ctx)
	if err != nil {
		return nil, err
	}
	var maxID int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(file_id), 0) FROM source_file`).Scan(&maxID); err != nil {
		return nil, err
	}
	files, _, err := scanInbox(cfg)
	if err != nil {
		return nil, err
	}
	p.plan = decidePlan(current, files, maxID).files
	if p.changes != "" {
		return p, nil
	}
	n := 0
	for _, f := range p.plan {
		if f.Action == actionLoad || f.Action == actionSuperseded || f.Action == actionRemoved {
			n++
		}
	}
	switch {
	case n > 0:
		p.changes = fmt.Sprintf("%d files to read or retire", n)
	case p.lastRun == nil:
		p.changes = "no run yet"
	case p.lastRun.Status != RunOK && p.lastRun.Status != RunQuarantined:
		p.changes = "the last run did not finish"
	case p.lastRun.ConfigSHA256 != fingerprint:
		p.changes = "configuration or version changed"
	}
	return p, nil
}

// openReadOnly opens a registry file that must not be changed.
func openReadOnly(path string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, fmt.Errorf("open registry %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open registry %s: %w", path, err)
	}
	return db, nil
}

// configFingerprint identifies what decides the registry's contents besides
// the inbox: the cleaning and matching rules, the reading settings and the
// program's version.
func configFingerprint(cfg Config, version string) string {
	b, _ := json.Marshal(struct {
		V      string
		Ingest any
		Rules  any
	}{version, cfg.Ingest, cfg.Rules})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// backupBeforeRun copies the registry when the coming run will change it
// and backups are on; it returns the backup ("" for none). Call it under the
// lock, before the database is opened.
func backupBeforeRun(ctx context.Context, cfg Config, fingerprint string, now time.Time, log zerolog.Logger) (string, error) {
	if cfg.Backup.Keep == 0 {
		return "", nil
	}
	p, err := previewRun(ctx, cfg, fingerprint)
	if err != nil {
		// Unsure what the run will do: back up anyway.
		log.Warn().Err(err).Msg("could not preview the run; backing up")
		p = &preview{changes: "preview failed: " + err.Error()}
		if _, serr := os.Stat(cfg.Database); serr == nil {
			p.exists = true
			p.nextRunID = 0
		}
	}
	if !p.exists {
		return "", nil // nothing to lose
	}
	if p.changes == "" {
		log.Info().Msg("registry unchanged by this run: no backup")
		return "", nil
	}
	t0 := time.Now()
	b, err := takeBackup(cfg, runBackup, p.nextRunID, now, p.changes)
	if err != nil {
		return "", err
	}
	log.Info().Str("dir", b.Dir).Int64("bytes", b.Bytes).Str("reason", p.changes).
		Float64("seconds", time.Since(t0).Round(time.Millisecond).Seconds()).Msg("registry backed up")
	if err := pruneBackups(cfg); err != nil {
		log.Warn().Err(err).Msg("could not delete old backups")
	}
	return b.Dir, nil
}

// takeBackup copies the closed database (and its WAL, if a crash left one)
// into a new backup folder, written under a temporary name and renamed when
// complete.
func takeBackup(cfg Config, kind string, runID int, now time.Time, reason string) (*Backup, error) {
	root := cfg.BackupDir()
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create backup folder: %w", err)
	}
	name := kind + "-" + now.Format("20060102T150405")
	if kind == runBackup {
		name = fmt.Sprintf("%s-%06d-%s", kind, runID, now.Format("20060102T150405"))
	}
	final := filepath.Join(root, name)
	if _, err := os.Stat(final); err == nil {
		final += fmt.Sprintf("-%d", now.UnixNano()%1e9)
		name = filepath.Base(final)
	}
	tmp := filepath.Join(root, ".tmp-"+name)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("create backup folder: %w", err)
	}
	b := &Backup{Name: name, Dir: final, Kind: kind, RunID: runID, Taken: now, Source: cfg.Database, Reason: reason}
	fail := func(err error) (*Backup, error) {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("back up %s to %s: %w", cfg.Database, root, err)
	}
	n, sum, err := copyFile(cfg.Database, filepath.Join(tmp, backupFile))
	if err != nil {
		return fail(err)
	}
	b.Bytes, b.SHA256 = n, sum
	if _, err := os.Stat(cfg.Database + ".wal"); err == nil {
		m, _, err := copyFile(cfg.Database+".wal", filepath.Join(tmp, backupFile+".wal"))
		if err != nil {
			return fail(err)
		}
		b.Bytes += m
	}
	info, _ := json.MarshalIndent(b, "", "  ")
	if err := output.WriteFileSynced(filepath.Join(tmp, backupInfoFile), info); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fail(err)
	}
	output.SyncDir(root)
	return b, nil
}

// copyFile copies src to dst, synced to disk, and returns its size and
// SHA-256. The copy is the kernel's (io.Copy between files: copy_file_range
// on Linux, a reflink where the file system has them), and src is hashed
// beside it on another core. For the 2.4 GB registry of 1M persons (in the
// page cache) 2.6-3.4 s, against 3.9 s reading the bytes through Go and
// hashing them as they were copied. src must not change meanwhile (backups
// hold the registry's lock); a size that differs between the two reads
// fails the copy.
func copyFile(src, dst string) (int64, string, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, "", err
	}
	type hashed struct {
		sum string
		n   int64
		err error
	}
	hc := make(chan hashed, 1)
	go func() {
		var h hashed
		h.sum, h.n, h.err = hashFile(src)
		hc <- h
	}()
	n, err := io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	h := <-hc
	switch {
	case err != nil:
		return n, "", err
	case h.err != nil:
		return n, "", fmt.Errorf("hash %s: %w", src, h.err)
	case h.n != n:
		return n, "", fmt.Errorf("%s changed while it was copied: %d bytes copied, %d hashed", src, n, h.n)
	}
	return n, h.sum, nil
}

// ListBackups returns the complete backups, newest first.
func ListBackups(cfg Config) ([]Backup, error) {
	root := cfg.BackupDir()
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Backup
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := filepath.Join(root, e.Name())
		raw, err := os.ReadFile(filepath.Join(dir, backupInfoFile))
		if err != nil {
			continue // not a backup of ours
		}
		var b Backup
		if json.Unmarshal(raw, &b) != nil {
			continue
		}
		b.Name, b.Dir = e.Name(), dir
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Taken.Equal(out[j].Taken) {
			return out[i].Taken.After(out[j].Taken)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// pruneBackups keeps the newest backup.keep backups of each kind and
// removes leftovers of backups a crash interrupted.
func pruneBackups(cfg Config) error {
	all, err := ListBackups(cfg)
	if err != nil {
		return err
	}
	kept := map[string]int{}
	var errs []error
	for _, b := range all {
		kept[b.Kind]++
		if kept[b.Kind] > cfg.Backup.Keep {
			if err := os.RemoveAll(b.Dir); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if tmps, _ := filepath.Glob(filepath.Join(cfg.BackupDir(), ".tmp-*")); len(tmps) > 0 {
		for _, t := range tmps {
			os.RemoveAll(t)
		}
	}
	return errors.Join(errs...)
}

// FindBackup returns the backup a restore names: a run ID (the backup taken
// before that run) or a backup folder's name.
func FindBackup(cfg Config, which string) (*Backup, error) {
	all, err := ListBackups(cfg)
	if err != nil {
		return nil, err
	}
	id, numErr := strconv.Atoi(strings.TrimPrefix(which, "#"))
	for i := range all {
		b := &all[i]
		if b.Name == which || b.Dir == which || (numErr == nil && b.Kind == runBackup && b.RunID == id) {
			return b, nil
		}
	}
	return nil, fmt.Errorf("no backup %q in %s", which, cfg.BackupDir())
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	Restored *Backup
	Aside    *Backup // the registry as it was before the restore
}

// Restore puts a backup back as the registry, under the lock. The current
// registry is first kept aside as a pre-restore backup, so a restore can be
// undone by restoring that one.
func Restore(ctx context.Context, cfg Config, which string, now time.Time, log zerolog.Logger) (*RestoreResult, error) {
	loc, err := cfg.Location()
	if err != nil {
		return nil, fmt.Errorf("timezone: %w", err)
	}
	now = now.In(loc) // names the pre-restore backup as the street's clock reads
	lock, err := LockRegistry(cfg.Database, "restore "+which, now)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	b, err := FindBackup(cfg, which)
	if err != nil {
		return nil, err
	}
	res := &RestoreResult{Restored: b}
	// Check the backup is whole before anything is replaced.
	if sum, _, err := hashFile(filepath.Join(b.Dir, backupFile)); err != nil {
		return nil, fmt.Errorf("read backup %s: %w", b.Name, err)
	} else if b.SHA256 != "" && sum != b.SHA256 {
		return nil, fmt.Errorf("backup %s is damaged: its SHA-256 is %s, recorded %s", b.Name, sum, b.SHA256)
	}
	if _, err := os.Stat(cfg.Database); err == nil {
		newest := 0
		if db, err := openReadOnly(cfg.Database); err == nil {
			db.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) FROM runs`).Scan(&newest)
			db.Close()
		}
		aside, err := takeBackup(cfg, preRestore, newest, now, "before restoring "+b.Name)
		if err != nil {
			return nil, err
		}
		res.Aside = aside
		log.Info().Str("dir", aside.Dir).Msg("current registry kept aside")
	}
	// Copy the backup beside the database, let DuckDB replay its WAL (if
	// any) into the file, then swap it in with a rename.
	staging := cfg.Database + ".restoring"
	os.Remove(staging)
	os.Remove(staging + ".wal")
	if _, _, err := copyFile(filepath.Join(b.Dir, backupFile), staging); err != nil {
		os.Remove(staging)
		return nil, fmt.Errorf("copy backup %s: %w", b.Name, err)
	}
	if _, err := os.Stat(filepath.Join(b.Dir, backupFile+".wal")); err == nil {
		if _, _, err := copyFile(filepath.Join(b.Dir, backupFile+".wal"), staging+".wal"); err != nil {
			os.Remove(staging)
			return nil, fmt.Errorf("copy backup %s: %w", b.Name, err)
		}
	}
	if err := checkpoint(ctx, staging); err != nil {
		os.Remove(staging)
		os.Remove(staging + ".wal")
		return nil, fmt.Errorf("backup %s does not open: %w", b.Name, err)
	}
	// The old WAL belongs to the old file (kept aside above).
	if err := os.Remove(cfg.Database + ".wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.Rename(staging, cfg.Database); err != nil {
		return nil, fmt.Errorf("put backup in place: %w", err)
	}
	output.SyncDir(filepath.Dir(cfg.Database))
	log.Info().Str("backup", b.Name).Str("database", cfg.Database).Msg("registry restored")
	return res, nil
}

// checkpoint opens a database file and closes it, which folds its WAL into
// it, and checks it is a registry.
func checkpoint(ctx context.Context, path string) error {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `CHECKPOINT`)
	return err
}
