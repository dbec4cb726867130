package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/baolong/liudong/output"
)

// RunRow is one run as `liudong history` and `liudong status` show it.
type RunRow struct {
	RunID            int
	Started          time.Time
	Ended            sql.NullTime
	Status           string
	FilesSeen        int
	FilesLoaded      int
	FilesSuperseded  int
	FilesRemoved     int
	FilesQuarantined int
	RowsAccepted     int
	Members          sql.NullInt64 // NULL before migration 0006 or when the run stopped early
	// What reconciliation changed in this run.
	Created, Merged, Split, Retired, StatusChanges int
	DiscrepanciesOpened, DiscrepanciesResolved     int
	Error                                          string
	Backup                                         string
	ConfigSHA256                                   string
}

// Duration is how long the run took (0 while running or when it never ended).
func (r RunRow) Duration() time.Duration {
	if !r.Ended.Valid {
		return 0
	}
	return r.Ended.Time.Sub(r.Started)
}

// interruptedError is recorded for a run whose process ended without
// finishing it.
const interruptedError = "interrupted: the process ended before the run finished (killed, crashed or the machine stopped); nothing it had not committed is visible"

// markInterrupted records as failed every run still marked running: under
// the lock no other run is in progress, so such a run's process died.
func (db *DB) markInterrupted(ctx context.Context) (int64, error) {
	r, err := db.ExecContext(ctx, `UPDATE runs SET status = ?, error = ? WHERE status = ?`, RunFailed, interruptedError, RunRunning)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

// recordRunHistory keeps what history shows beyond finishRun's counts.
func (db *DB) recordRunHistory(ctx context.Context, sum *output.Summary, backup, fingerprint string) error {
	var members any
	if sum.Members != nil {
		members = sum.Members.Members
	}
	_, err := db.ExecContext(ctx, `UPDATE runs SET members = ?, backup = ?, config_sha256 = ? WHERE run_id = ?`,
		members, nullable(backup), fingerprint, sum.RunID)
	return err
}

// History returns the newest n runs of the registry at path, newest first,
// reading it read-only.
func History(ctx context.Context, path string, n int) ([]RunRow, error) {
	sqlDB, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	return (&DB{DB: sqlDB, Path: path}).history(ctx, n)
}

func (db *DB) history(ctx context.Context, n int) ([]RunRow, error) {
	// A registry not yet upgraded by a run of this version lacks the
	// columns of migration 0006.
	extra := `NULL, NULL, NULL`
	var has int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns() WHERE table_name = 'runs' AND column_name = 'config_sha256'`).Scan(&has); err != nil {
		return nil, err
	}
	if has > 0 {
		extra = `r.members, r.backup, r.config_sha256`
	}
	rows, err := db.QueryContext(ctx, `WITH ev AS (
			SELECT run_id, count(*) FILTER (event = 'created') AS created, count(*) FILTER (event = 'merged') AS merged,
			       count(*) FILTER (event = 'split') AS split, count(*) FILTER (event = 'retired') AS retired
			FROM member_history GROUP BY run_id),
		st AS (SELECT run_id, count(*) AS n FROM member_status_history WHERE from_status IS NOT NULL GROUP BY run_id),
		op AS (SELECT first_run_id AS run_id, count(*) AS n FROM discrepancy GROUP BY ALL),
		rs AS (SELECT resolved_run_id AS run_id, count(*) AS n FROM discrepancy WHERE resolved_run_id IS NOT NULL GROUP BY ALL)
		SELECT r.run_id, r.started_at, r.ended_at, r.status, coalesce(r.files_seen, 0), coalesce(r.files_loaded, 0),
			coalesce(r.files_superseded, 0), coalesce(r.files_removed, 0), coalesce(r.files_quarantined, 0), coalesce(r.rows_accepted, 0),
			coalesce(ev.created, 0), coalesce(ev.merged, 0), coalesce(ev.split, 0), coalesce(ev.retired, 0),
			coalesce(st.n, 0), coalesce(op.n, 0), coalesce(rs.n, 0), coalesce(r.error, ''), `+extra+`
		FROM runs r LEFT JOIN ev USING (run_id) LEFT JOIN st USING (run_id) LEFT JOIN op USING (run_id) LEFT JOIN rs USING (run_id)
		ORDER BY r.run_id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	defer rows.Close()
	var out []RunRow
	for rows.Next() {
		var r RunRow
		var backup, fp sql.NullString
		if err := rows.Scan(&r.RunID, &r.Started, &r.Ended, &r.Status, &r.FilesSeen, &r.FilesLoaded, &r.FilesSuperseded,
			&r.FilesRemoved, &r.FilesQuarantined, &r.RowsAccepted, &r.Created, &r.Merged, &r.Split, &r.Retired,
			&r.StatusChanges, &r.DiscrepanciesOpened, &r.DiscrepanciesResolved, &r.Error, &r.Members, &backup, &fp); err != nil {
			return nil, fmt.Errorf("read runs: %w", err)
		}
		r.Backup, r.ConfigSHA256 = backup.String, fp.String
		out = append(out, r)
	}
	return out, rows.Err()
}

// InboxChange is a file the next run will read or retire.
type InboxChange struct {
	Path   string
	Kind   string
	Change string // new | changed | removed | pending (entered by a run that did not finish reading it)
}

// StatusReport is what `liudong status` shows: the last run and what waits
// in the inbox, found without loading anything.
type StatusReport struct {
	LastRun  *RunRow
	Changes  []InboxChange
	Files    int    // files in the inbox's kinds' folders
	Registry bool   // the database exists
	Changed  string // why the next run would change the registry ("" when it would not)
}

// Status reads the registry read-only and compares the inbox with its
// manifest as the next run's plan would.
func Status(ctx context.Context, cfg Config, version string) (*StatusReport, error) {
	p, err := previewRun(ctx, cfg, configFingerprint(cfg, version))
	if err != nil {
		return nil, err
	}
	s := &StatusReport{LastRun: p.lastRun, Registry: p.exists, Changed: p.changes}
	if !p.exists {
		files, _, err := scanInbox(cfg)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			s.Changes = append(s.Changes, InboxChange{Path: f.Rel, Kind: string(f.Kind), Change: "new"})
		}
		s.Files = len(files)
		return s, nil
	}
	superseded := map[string]bool{}
	for _, f := range p.plan {
		if f.Action == actionSuperseded {
			superseded[f.Rel] = true
		}
	}
	for _, f := range p.plan {
		c := InboxChange{Path: f.Rel, Kind: string(f.Kind)}
		switch {
		case f.Action == actionRemoved:
			c.Change = "removed"
		case f.Action == actionSuperseded:
			continue // shown as its new version, "changed"
		case f.Action == actionLoad && superseded[f.Rel]:
			c.Change = "changed"
		case f.Action == actionLoad && f.Prior != nil:
			c.Change = "pending"
		case f.Action == actionLoad:
			c.Change = "new"
		default:
			s.Files++
			continue
		}
		if c.Change != "removed" {
			s.Files++
		}
		s.Changes = append(s.Changes, c)
	}
	return s, nil
}
