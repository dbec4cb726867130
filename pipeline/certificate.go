package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/output/pdf"
)

// The year's activity certificates (活动认证书): one per current member
// with at least one activity in the year up to today (dated to the day, or
// to the month when that is all the record gives). A member's serial number
// is given once, in member order after the year's last, and kept; a
// certificate whose content changed since it was issued (a late activity
// record) is revised: its revision counts up and is dated today. What it
// records is committed in one transaction with the reading, so a rerun
// reproduces the same certificates.
//
// A city has hundreds of thousands of certificates and few change in a
// night, so they are not all read. Each certificate's input (what it shows
// of the member, and a digest of the member's activities computed in the
// database) is kept with it; a member whose input is unchanged has the
// content it was last issued with, and a branch whose certificates and
// members are all unchanged has its files taken from the previous run's
// folder (output.ReuseBranchCertificates). Only the other branches' activities
// are read, a branch at a time, and their files written.

// yearActivities is a query of the activities a year's certificates count
// (v_activity's rows and columns, in that year and up to today: its
// parameters are the year, today and today's month), of the members in
// table `of` (member_id, and its other columns) or of
// every member when of is empty. It joins contact to source_record itself
// instead of reading v_activity: through the view DuckDB took
// source_record (9 million rows at 1M persons, every one with its content)
// for the smaller side and built its hash join on it, 1.4 GB for a query
// that returns a quarter of the year's activities (by hand on the 1M
// registry: 0.48 GB this way, the same rows). The records' source_kind
// tells DuckDB that few of them are activities.
func yearActivities(of string) string {
	from, more := "contact c", ""
	if of != "" {
		from, more = "contact c JOIN "+of+" l USING (member_id)", ", l.* EXCLUDE (member_id)"
	}
	return `SELECT c.member_id, c.record_id, c.activity_day AS activity_date, r.activity_date AS activity_date_text,
		c.activity_type, r.content, r.hours, r.signed_by` + more + `
	FROM ` + from + ` JOIN source_record r USING (record_id)
	WHERE c.source_kind = 'activity' AND c.member_id IS NOT NULL AND c.duplicate_of IS NULL
	  AND r.source_kind = 'activity' AND r.retired_run_id IS NULL
	  AND coalesce(year(c.activity_day), TRY_CAST(left(r.activity_date, 4) AS INTEGER)) = ?
	  AND coalesce(c.activity_day <= ?::DATE, left(r.activity_date, 7) <= ?)`
}

// certificateInputVersion is part of every certificate's input digest:
// change it when what a certificate shows changes, so every certificate is
// read and compared again (none is revised unless its content changed).
const certificateInputVersion = "cert-input-1"

// issued is a certificate as the certificate table records it.
type issued struct {
	serial, revision int
	hash, input      string
	on, revised      string
	fresh            bool // issued by this run
}

// stamp gives a certificate its serial, revision and dates.
func (is issued) stamp(c *output.Certificate, cfg Config, year int) {
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

// certificateInput is the digest of what a certificate is made from: the
// member's fields it shows and the digest of its activities.
func certificateInput(c output.Certificate, activities string) string {
	h := sha256.New()
	for _, s := range []string{certificateInputVersion, strconv.Itoa(c.Year), c.MemberID, c.Name, c.IDNumber, c.Branch,
		c.Community, c.Counsellor, c.Issuer, activities} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeCertificates issues the year's certificates and writes them, with
// each origin branch's annual report, into dir; branches are members
// grouped by output.BranchesOf.
func (db *DB) writeCertificates(ctx context.Context, dir *output.Folder, cfg Config, year, runID int, today time.Time,
	members []output.MemberRow, branches []output.Branch, font *pdf.Font) (output.CertificatesWritten, error) {
	branchOf := map[string]string{}
	for _, b := range branches {
		for _, m := range b.Members {
			branchOf[m.MemberID] = b.Name
		}
	}
	var types []string
	for _, t := range cfg.Rules.ActivityTypes {
		types = append(types, t.Name)
	}
	o := output.CertOptions{Street: cfg.Street, Types: types, Meetings: cfg.Rules.Contacts.Meetings,
		Volunteer: volunteerType, Mask: cfg.Certificates.Mask}
	date := today.Format("2006-01-02")
	args := []any{year, date, today.Format("2006-01")}
	var w output.CertificatesWritten
	err := db.inConn(ctx, func(conn *sql.Conn) error {
		prior, next, err := readIssued(ctx, conn, year)
		if err != nil {
			return err
		}
		digests, err := activityDigests(ctx, conn, args)
		if err != nil {
			return err
		}
		// Every certificate, without its activities: issued, or new (its
		// serial given now, in member order), and whether its content must
		// be read (pending: new, or its input changed).
		heads := make([]output.Certificate, 0, len(digests))
		pending := map[string]string{} // member ID → input digest
		issuer := cfg.IssuerName()     // one string for every certificate
		for _, m := range members {
			d, ok := digests[m.MemberID]
			if !ok {
				continue
			}
			c := output.Certificate{Year: year, MemberID: m.MemberID, Name: m.Name, IDNumber: m.IDNumber,
				Branch: branchOf[m.MemberID], Community: m.Community, Counsellor: m.Counsellor, Issuer: issuer}
			in := certificateInput(c, d)
			is, ok := prior[m.MemberID]
			switch {
			case !ok:
				next++
				is = issued{serial: next, on: date, fresh: true}
				prior[m.MemberID] = is
				pending[m.MemberID] = in
			case is.input != in:
				pending[m.MemberID] = in
			default:
				c.Digest = is.hash
			}
			is.stamp(&c, cfg, year)
			heads = append(heads, c)
		}
		groups := output.CertificateBranches(heads, branches)
		var load []int
		for i, g := range groups {
			if !slices.ContainsFunc(g.Certs, func(c output.Certificate) bool { return pending[c.MemberID] != "" }) {
				if gw, ok := output.ReuseBranchCertificates(dir, year, date, g, font, o); ok {
					w.Add(gw)
					continue
				}
			}
			load = append(load, i)
		}
		w.Read = len(load)
		var changes []certificateChange
		write := func(i int) error {
			// The folder's certificates are copied for the writing, which
			// may go on in the background, and the list's entries let go of
			// their activities: the list is one array for every folder
			// (output.CertificateBranches), kept until the last is written.
			g := groups[i]
			g.Certs = slices.Clone(g.Certs)
			for j := range groups[i].Certs {
				groups[i].Certs[j].Activities = nil
			}
			for j := range g.Certs {
				c := &g.Certs[j]
				in := pending[c.MemberID]
				if in == "" {
					continue
				}
				hash, err := c.ContentSHA256()
				if err != nil {
					return err
				}
				is := prior[c.MemberID]
				ch := certificateChange{id: c.MemberID, kind: "input"}
				switch {
				case is.fresh:
					ch.kind = "issue"
					w.Issued++
				case is.hash != hash:
					is.revision++
					is.revised = date
					ch.kind = "revise"
					w.Revised++
				}
				is.hash, is.input = hash, in
				ch.is = is
				changes = append(changes, ch)
				is.stamp(c, cfg, year)
				c.Digest = hash
			}
			gw, err := output.WriteBranchCertificates(dir, year, date, g, font, o)
			w.Add(gw)
			return err
		}
		for _, part := range certificateParts(groups, load, certificatesPerQuery) {
			if err := streamActivities(ctx, conn, args, groups, part, write); err != nil {
				return err
			}
		}
		return recordCertificates(ctx, conn, year, runID, date, changes)
	})
	if err != nil {
		return w, fmt.Errorf("certificates %d: %w", year, err)
	}
	return w, nil
}

// readIssued reads a year's certificates as issued, and the last serial.
func readIssued(ctx context.Context, conn *sql.Conn, year int) (map[string]issued, int, error) {
	prior := map[string]issued{}
	next := 0
	rows, err := conn.QueryContext(ctx, `SELECT member_id, serial, revision, content_sha256, coalesce(input_sha256, ''),
			CAST(issued_on AS VARCHAR), coalesce(CAST(revised_on AS VARCHAR), '') FROM certificate WHERE year = ?`, year)
	if err != nil {
		return nil, 0, fmt.Errorf("read certificates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var is issued
		if err := rows.Scan(&id, &is.serial, &is.revision, &is.hash, &is.input, &is.on, &is.revised); err != nil {
			return nil, 0, fmt.Errorf("read certificates: %w", err)
		}
		prior[id] = is
		next = max(next, is.serial)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read certificates: %w", err)
	}
	return prior, next, nil
}

// activityDigests is, per member with activities in the year, a digest of
// them: their number and the sum of each one's hash (order does not
// matter: a certificate lists them by date and record). Computed in the
// database, it costs a scan, not reading the year's activities.
func activityDigests(ctx context.Context, conn *sql.Conn, args []any) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT member_id, count(*) || ':' || sum(hash(record_id, activity_date,
			activity_date_text, activity_type, content, hours, signed_by)::HUGEINT)
		FROM (`+yearActivities("")+`) GROUP BY member_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("digest activities: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, d string
		if err := rows.Scan(&id, &d); err != nil {
			return nil, fmt.Errorf("digest activities: %w", err)
		}
		out[id] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest activities: %w", err)
	}
	return out, nil
}

// certificatesPerQuery is about how many certificates' activities one query
// reads and sorts (streamActivities), so the sort's memory does not grow
// with the registry. (At 1M persons the year's 4.2 million activities read
// at once took DuckDB half a gigabyte past its memory limit for a moment;
// most of that was the hash join yearActivities now avoids, not the sort.)
const certificatesPerQuery = 250_000

// certificateParts splits load (indexes into groups, ascending) into runs of
// whole groups of about perQuery certificates each, in order.
func certificateParts(groups []output.BranchCertificates, load []int, perQuery int) [][]int {
	var parts [][]int
	n := 0
	for _, i := range load {
		if len(parts) == 0 || (n > 0 && n+len(groups[i].Certs) > perQuery) {
			parts = append(parts, nil)
			n = 0
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], i)
		n += len(groups[i].Certs)
	}
	return parts
}

// streamActivities reads the activities of the certificates of the groups
// load names (indexes into groups, ascending), a group at a time in that
// order, filling in each certificate's and calling write(i) when group i
// is complete.
func streamActivities(ctx context.Context, conn *sql.Conn, args []any, groups []output.BranchCertificates, load []int,
	write func(i int) error) error {
	type at struct{ group, cert int }
	where := map[string]at{}
	for _, i := range load {
		for j, c := range groups[i].Certs {
			where[c.MemberID] = at{i, j}
		}
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE certificate_load (member_id VARCHAR, grp INTEGER)`); err != nil {
		return err
	}
	ids := make([]string, 0, len(where))
	for id := range where {
		ids = append(ids, id)
	}
	if err := appendRows(conn, "temp", "certificate_load", len(ids), func(i int) []driver.Value {
		return []driver.Value{ids[i], int32(where[ids[i]].group)}
	}); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT a.member_id, coalesce(CAST(activity_date AS VARCHAR), activity_date_text, ''),
			coalesce(activity_type, ''), coalesce(content, ''), coalesce(hours, 0), coalesce(signed_by, '')
		FROM (`+yearActivities("certificate_load")+`) AS a
		ORDER BY a.grp, a.member_id, 2, a.record_id`, args...)
	if err != nil {
		return fmt.Errorf("read activities: %w", err)
	}
	defer rows.Close()
	done := 0 // groups of load written
	upTo := func(group int) error {
		for ; done < len(load) && load[done] < group; done++ {
			if err := write(load[done]); err != nil {
				return err
			}
		}
		return nil
	}
	for rows.Next() {
		var id string
		var a output.CertActivity
		if err := rows.Scan(&id, &a.Date, &a.Type, &a.Content, &a.Hours, &a.SignedBy); err != nil {
			return fmt.Errorf("read activities: %w", err)
		}
		w := where[id]
		if err := upTo(w.group); err != nil {
			return err
		}
		c := &groups[w.group].Certs[w.cert]
		c.Activities = append(c.Activities, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read activities: %w", err)
	}
	if err := upTo(len(groups)); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `DROP TABLE certificate_load`)
	return err
}

// certificateChange is a certificate to record: issued, revised, or with a
// new input and the same content.
type certificateChange struct {
	id   string
	kind string // issue | revise | input
	is   issued
}

// recordCertificates records the night's certificate changes, staged and
// written in three statements (one a member would cost a statement each).
func recordCertificates(ctx context.Context, conn *sql.Conn, year, runID int, date string, changes []certificateChange) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE certificate_change
		(member_id VARCHAR, kind VARCHAR, serial INTEGER, content_sha256 VARCHAR, input_sha256 VARCHAR, revision INTEGER)`); err != nil {
		return err
	}
	if err := appendRows(conn, "temp", "certificate_change", len(changes), func(i int) []driver.Value {
		ch := changes[i]
		return []driver.Value{ch.id, ch.kind, int32(ch.is.serial), ch.is.hash, ch.is.input, int32(ch.is.revision)}
	}); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO certificate (year, member_id, serial, content_sha256, issued_run_id, issued_on,
			input_sha256)
		SELECT ?, member_id, serial, content_sha256, ?, ?::DATE, input_sha256 FROM certificate_change WHERE kind = 'issue'`,
		year, runID, date); err != nil {
		return fmt.Errorf("issue certificates: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE certificate SET content_sha256 = c.content_sha256, revision = c.revision,
			revised_on = ?::DATE, input_sha256 = c.input_sha256
		FROM certificate_change c WHERE c.kind = 'revise' AND certificate.year = ? AND certificate.member_id = c.member_id`,
		date, year); err != nil {
		return fmt.Errorf("revise certificates: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE certificate SET input_sha256 = c.input_sha256
		FROM certificate_change c WHERE c.kind = 'input' AND certificate.year = ? AND certificate.member_id = c.member_id`,
		year); err != nil {
		return fmt.Errorf("record certificate inputs: %w", err)
	}
	_, err := conn.ExecContext(ctx, `DROP TABLE certificate_change`)
	return err
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
	res.Written, err = db.writeCertificates(ctx, dir, cfg, year, int(runID.Int64), today, members, output.BranchesOf(members), font)
	if err != nil {
		dir.Abort()
		return nil, err
	}
	if res.Dir, err = dir.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}
