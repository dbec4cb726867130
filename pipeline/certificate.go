package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/baolong/liudong/output"
)

// certificates issues the year's activity certificates (活动认证书): one per
// current member with at least one activity in the year up to today (dated
// to the day, or to the month when that is all the record gives). A
// member's serial number is given once, in member order after the year's
// last, and kept; a certificate whose content changed since it was issued
// (a late activity record) is revised: its revision counts up and is dated
// today. What it records is committed in one transaction, so a rerun
// reproduces the same certificates. branchOf names each member's origin
// branch as the outputs group them.
func (db *DB) certificates(ctx context.Context, cfg Config, year, runID int, today time.Time, branchOf map[string]string,
	members []output.MemberRow) (certs []output.Certificate, issuedNow, revisedNow int, err error) {
	rows, err := db.QueryContext(ctx, `SELECT member_id, coalesce(CAST(activity_date AS VARCHAR), activity_date_text, ''),
			coalesce(activity_type, ''), coalesce(content, ''), coalesce(hours, 0), coalesce(signed_by, '')
		FROM v_activity
		WHERE coalesce(year(activity_date), TRY_CAST(left(activity_date_text, 4) AS INTEGER)) = ?
		  AND coalesce(activity_date <= ?::DATE, left(activity_date_text, 7) <= ?)
		ORDER BY member_id, 2, record_id`, year, today.Format("2006-01-02"), today.Format("2006-01"))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("read activities: %w", err)
	}
	acts := map[string][]output.CertActivity{}
	var order []string
	for rows.Next() {
		var id string
		var a output.CertActivity
		if err := rows.Scan(&id, &a.Date, &a.Type, &a.Content, &a.Hours, &a.SignedBy); err != nil {
			rows.Close()
			return nil, 0, 0, err
		}
		if _, ok := acts[id]; !ok {
			order = append(order, id)
		}
		acts[id] = append(acts[id], a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, 0, err
	}
	byID := map[string]output.MemberRow{}
	for _, m := range members {
		byID[m.MemberID] = m
	}
	for _, id := range order {
		m, ok := byID[id]
		if !ok {
			continue // not a current member
		}
		certs = append(certs, output.Certificate{Year: year, MemberID: id, Name: m.Name, IDNumber: m.IDNumber,
			Branch: branchOf[id], Community: m.Community, Counsellor: m.Counsellor, Activities: acts[id],
			Issuer: cfg.IssuerName()})
	}

	date := today.Format("2006-01-02")
	err = db.inConn(ctx, func(conn *sql.Conn) error {
		type issued struct {
			serial, revision  int
			hash, on, revised string
		}
		prior := map[string]issued{}
		next := 0
		rows, err := conn.QueryContext(ctx, `SELECT member_id, serial, revision, content_sha256, CAST(issued_on AS VARCHAR),
				coalesce(CAST(revised_on AS VARCHAR), '') FROM certificate WHERE year = ?`, year)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var is issued
			if err := rows.Scan(&id, &is.serial, &is.revision, &is.hash, &is.on, &is.revised); err != nil {
				rows.Close()
				return err
			}
			prior[id] = is
			next = max(next, is.serial)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		type change struct {
			id       string
			is       issued
			revision bool
		}
		var changes []change
		for i := range certs {
			c := &certs[i]
			hash, err := certificateHash(*c)
			if err != nil {
				return err
			}
			is, ok := prior[c.MemberID]
			switch {
			case !ok:
				next++
				is = issued{serial: next, hash: hash, on: date}
				changes = append(changes, change{id: c.MemberID, is: is})
				issuedNow++
			case is.hash != hash:
				is.revision++
				is.hash, is.revised = hash, date
				changes = append(changes, change{id: c.MemberID, is: is, revision: true})
				revisedNow++
			}
			c.Number = is.serial
			c.Serial = fmt.Sprintf("%s〔%d〕第%04d号", cfg.SerialPrefix(), year, is.serial)
			c.Revision, c.RevisedOn = is.revision, is.revised
			c.IssuedOn = is.on
			if is.revised != "" {
				c.IssuedOn = is.revised
			}
			if cfg.Certificates.IssueDate != "" {
				c.IssuedOn = cfg.Certificates.IssueDate
			}
		}
		// New and revised certificates are staged and written in two
		// statements: one INSERT or UPDATE each would cost a statement per member.
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE certificate_change
			(member_id VARCHAR, serial INTEGER, content_sha256 VARCHAR, revision INTEGER, revised BOOLEAN)`); err != nil {
			return err
		}
		if err := appendRows(conn, "temp", "certificate_change", len(changes), func(i int) []driver.Value {
			ch := changes[i]
			return []driver.Value{ch.id, int32(ch.is.serial), ch.is.hash, int32(ch.is.revision), ch.revision}
		}); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO certificate (year, member_id, serial, content_sha256, issued_run_id, issued_on)
			SELECT ?, member_id, serial, content_sha256, ?, ?::DATE FROM certificate_change WHERE NOT revised`,
			year, runID, date); err != nil {
			return fmt.Errorf("issue certificates: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `UPDATE certificate SET content_sha256 = c.content_sha256, revision = c.revision,
				revised_on = ?::DATE
			FROM certificate_change c WHERE c.revised AND certificate.year = ? AND certificate.member_id = c.member_id`,
			date, year); err != nil {
			return fmt.Errorf("revise certificates: %w", err)
		}
		_, err = conn.ExecContext(ctx, `DROP TABLE certificate_change`)
		return err
	})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("certificates %d: %w", year, err)
	}
	return certs, issuedNow, revisedNow, nil
}

// certificateHash is the SHA-256 of what a certificate says, serial and
// dates left out: the same content hashes the same on every run.
func certificateHash(c output.Certificate) (string, error) {
	c.Serial, c.Number, c.Revision, c.RevisedOn, c.IssuedOn = "", 0, 0, "", ""
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// CertificatesResult is what `liudong certificates` wrote.
type CertificatesResult struct {
	Dir     string
	Written output.CertificatesWritten
	// PDFDisabled says why there are no PDFs, when there are none.
	PDFDisabled string
}

// IssueCertificates issues the certificates of year from the registry as it
// stands (the last run's members and activities) and writes them, with the
// origin branches' annual reports, into out/活动认证书-<year>/ (replaced
// whole; out/latest is left alone), holding the registry's lock. A past year counts activities up to its
// last day; the current year up to today in the street's time zone.
func IssueCertificates(ctx context.Context, cfg Config, year int, now time.Time) (*CertificatesResult, error) {
	loc, err := cfg.Location()
	if err != nil {
		return nil, fmt.Errorf("timezone: %w", err)
	}
	now = now.In(loc)
	// It records serial numbers: one writer at a time, as a run.
	lock, err := LockRegistry(cfg.Database, fmt.Sprintf("certificates --year %d", year), now)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	db, err := OpenDB(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var runID sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(run_id) FROM runs WHERE status IN ('ok', 'quarantined')`).Scan(&runID); err != nil {
		return nil, err
	}
	if !runID.Valid {
		return nil, fmt.Errorf("the registry has no completed run yet: run `liudong run` first")
	}
	today := now
	if end := time.Date(year, 12, 31, 0, 0, 0, 0, now.Location()); end.Before(now) {
		today = end
	} else if year > now.Year() {
		return nil, fmt.Errorf("year %d has not begun", year)
	}
	members, err := db.reportMembers(ctx)
	if err != nil {
		return nil, err
	}
	font, disabled := loadPDFFont(cfg.Out.PDFFont)
	res := &CertificatesResult{PDFDisabled: disabled}
	dir, err := output.NewFolder(cfg.Out.Dir, fmt.Sprintf("%s-%d", output.CertificateDir, year), int(runID.Int64))
	if err != nil {
		return nil, err
	}
	dir.KeepLatest()
	res.Written, err = db.writeCertificates(ctx, dir, cfg, year, int(runID.Int64), today, members, font)
	if err != nil {
		dir.Abort()
		return nil, err
	}
	if res.Dir, err = dir.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}
