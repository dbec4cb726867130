package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/baolong/liudong/output"
)

// writeWorkbooks writes the registry workbook (for the street) and the
// community rosters (masked unless out.mask_rosters is false) into the run folder.
func (db *DB) writeWorkbooks(ctx context.Context, dir *output.Folder, cfg Config, sum *output.Summary) error {
	members, err := db.reportMembers(ctx)
	if err != nil {
		return err
	}
	sources, err := db.reportSources(ctx)
	if err != nil {
		return err
	}
	date := sum.Started.Format("2006-01-02")
	if err := output.WriteRegistry(dir, output.Registry{Street: cfg.Street, Date: date, Members: members, Sources: sources}); err != nil {
		return err
	}
	disc, err := db.reportDiscrepancies(ctx, sum.RunID, cfg.Street, date)
	if err != nil {
		return err
	}
	if err := output.WriteDiscrepancies(dir, disc); err != nil {
		return err
	}
	r := output.Rosters{Street: cfg.Street, Date: date, Members: members}
	for _, c := range cfg.Rules.Communities {
		r.Communities = append(r.Communities, c.Name)
	}
	return output.WriteRosters(dir, r, output.RosterOptions{Mask: cfg.Out.MaskRosters})
}

// reportMembers reads every current member (v_member), by member ID.
func (db *DB) reportMembers(ctx context.Context) ([]output.MemberRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT member_id, coalesce(name, ''), coalesce(gender, ''), coalesce(ethnicity, ''),
		coalesce(id_number, ''), coalesce(birth_date, ''), coalesce(education, ''), coalesce(member_type, ''),
		coalesce(origin_branch, ''), coalesce(join_date, ''), coalesce(phone, ''), coalesce(address, ''),
		coalesce(employer, ''), coalesce(community, ''), coalesce(outflow_date, ''), coalesce(outflow_reason, ''),
		coalesce(status, ''), coalesce(status_label, ''), coalesce(whereabouts_unknown, false), coalesce(records, 0)
		FROM v_member ORDER BY member_id`)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	defer rows.Close()
	var out []output.MemberRow
	for rows.Next() {
		var m output.MemberRow
		if err := rows.Scan(&m.MemberID, &m.Name, &m.Gender, &m.Ethnicity, &m.IDNumber, &m.BirthDate, &m.Education,
			&m.MemberType, &m.OriginBranch, &m.JoinDate, &m.Phone, &m.Address, &m.Employer, &m.Community,
			&m.OutflowDate, &m.OutflowReason, &m.Status, &m.StatusLabel, &m.WhereaboutsUnknown, &m.Records); err != nil {
			return nil, fmt.Errorf("read members: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	return out, nil
}

// reportSources reads every current source record (v_source_record), by
// record ID.
func (db *DB) reportSources(ctx context.Context) ([]output.SourceRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT record_id, source_kind, file_path, sheet, row_number, status,
		reject_reason, member_id, name
		FROM v_source_record ORDER BY record_id`)
	if err != nil {
		return nil, fmt.Errorf("read source records: %w", err)
	}
	defer rows.Close()
	var out []output.SourceRow
	for rows.Next() {
		var s output.SourceRow
		var sheet, reason, member, name sql.NullString
		if err := rows.Scan(&s.RecordID, &s.Kind, &s.File, &sheet, &s.Row, &s.Status, &reason, &member, &name); err != nil {
			return nil, fmt.Errorf("read source records: %w", err)
		}
		s.Sheet, s.RejectReason, s.MemberID, s.Name = sheet.String, reason.String, member.String, name.String
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read source records: %w", err)
	}
	return out, nil
}

// reportDiscrepancies reads what the analysts should review: the open
// possible-same-person pairs and field conflicts, and the members whose
// whereabouts are unknown; New marks what is new since the last report the
// analysts received.
func (db *DB) reportDiscrepancies(ctx context.Context, runID int, street, date string) (output.Discrepancies, error) {
	d := output.Discrepancies{Street: street, Date: date}
	// "New" is since the last run that finished (and so published its
	// report), not since the previous run: a run that failed or was killed
	// after reconciling published nothing, and what it found is still new.
	var since int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) FROM runs WHERE run_id < ? AND status IN (?, ?)`,
		runID, RunOK, RunQuarantined).Scan(&since); err != nil {
		return d, fmt.Errorf("read last finished run: %w", err)
	}
	side := func(p string) string {
		return p + `.name, coalesce(` + p + `.id_number, ''), coalesce(` + p + `.birth_date, ''), coalesce(` + p + `.phone, ''),
			coalesce(` + p + `.origin_branch, ''), ` + p + `.file_path || ':' || coalesce(` + p + `.sheet || '!', '') || ` + p + `.row_number`
	}
	rows, err := db.QueryContext(ctx, `SELECT d.discrepancy_id, d.first_run_id > ?, k.l_record_id, k.r_record_id, k.probability, k.weight,
			CAST(k.parts AS VARCHAR), `+side("a")+`, `+side("b")+`
		FROM discrepancy d
		JOIN v_link k ON d.record_ids = k.l_record_id || ' ' || k.r_record_id
		JOIN source_record a ON a.record_id = k.l_record_id
		JOIN source_record b ON b.record_id = k.r_record_id
		WHERE d.kind = 'possible_same_person' AND d.resolved_run_id IS NULL
		ORDER BY d.discrepancy_id`, since)
	if err != nil {
		return d, fmt.Errorf("read review pairs: %w", err)
	}
	for rows.Next() {
		var p output.PairRow
		var parts string
		var an, bn sql.NullString
		if err := rows.Scan(&p.ID, &p.New, &p.A.RecordID, &p.B.RecordID, &p.Probability, &p.Weight, &parts,
			&an, &p.A.IDNumber, &p.A.Birth, &p.A.Phone, &p.A.Branch, &p.A.Source,
			&bn, &p.B.IDNumber, &p.B.Birth, &p.B.Phone, &p.B.Branch, &p.B.Source); err != nil {
			rows.Close()
			return d, err
		}
		p.A.Name, p.B.Name = an.String, bn.String
		p.Parts = partsText(parts)
		d.Pairs = append(d.Pairs, p)
	}
	rows.Close()

	rows, err = db.QueryContext(ctx, `SELECT d.discrepancy_id, d.first_run_id > ?, d.member_id, coalesce(m.name, ''), d.field,
			CAST(d.detail AS VARCHAR)
		FROM discrepancy d LEFT JOIN v_member m USING (member_id)
		WHERE d.kind = 'field_conflict' AND d.resolved_run_id IS NULL
		ORDER BY d.member_id, d.field`, since)
	if err != nil {
		return d, fmt.Errorf("read field conflicts: %w", err)
	}
	for rows.Next() {
		var c output.ConflictRow
		var detail string
		if err := rows.Scan(&c.ID, &c.New, &c.MemberID, &c.Name, &c.Field, &detail); err != nil {
			rows.Close()
			return d, err
		}
		c.Values = valuesText(detail)
		d.Conflicts = append(d.Conflicts, c)
	}
	rows.Close()

	if err := db.reportProblems(ctx, &d); err != nil {
		return d, err
	}

	rows, err = db.QueryContext(ctx, `SELECT coalesce(status_run_id > ?, false), member_id, coalesce(name, ''), coalesce(id_number, ''),
			coalesce(phone, ''), coalesce(origin_branch, ''), coalesce(employer, '')
		FROM v_member WHERE whereabouts_unknown ORDER BY member_id`, since)
	if err != nil {
		return d, fmt.Errorf("read unknown whereabouts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u output.UnknownRow
		if err := rows.Scan(&u.New, &u.MemberID, &u.Name, &u.IDNumber, &u.Phone, &u.Branch, &u.Employer); err != nil {
			return d, err
		}
		d.Unknown = append(d.Unknown, u)
	}
	return d, rows.Err()
}

// partsText renders a link's parts for a person: each comparison's level
// and what it added to the weight.
func partsText(parts string) string {
	var ps []struct {
		Comparison   string  `json:"comparison"`
		Level        string  `json:"level"`
		Weight       float64 `json:"weight"`
		TFAdjustment float64 `json:"tf_adjustment"`
	}
	if err := json.Unmarshal([]byte(parts), &ps); err != nil {
		return parts
	}
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s:%s %+.1f", p.Comparison, p.Level, p.Weight+p.TFAdjustment))
	}
	return strings.Join(out, "；")
}

// valuesText renders a conflict's values with where each came from.
func valuesText(detail string) string {
	var vs []struct {
		Value  string `json:"value"`
		Source string `json:"source"`
	}
	if err := json.Unmarshal([]byte(detail), &vs); err != nil {
		return detail
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.Value+"（"+v.Source+"）")
	}
	return strings.Join(out, "；")
}

// reportProblems reads the invalid ID numbers, the rejected rows and the
// quarantined files of the current inbox.
func (db *DB) reportProblems(ctx context.Context, d *output.Discrepancies) error {
	rows, err := db.QueryContext(ctx, `SELECT r.record_id, coalesce(r.member_id, ''), coalesce(r.name, ''),
			coalesce(r.id_number, r.id_prefix || '…', ''), r.id_status, coalesce(f.location, ''), coalesce(f.message, '')
		FROM v_source_record r
		LEFT JOIN v_finding f ON f.record_id = r.record_id AND f.field = 'id_number' AND f.severity = 'error'
		WHERE r.id_status IN ('bad_check_digit', 'bad_birth_date', 'bad_region', 'bad_format', 'excel_damaged')
		ORDER BY r.record_id`)
	if err != nil {
		return fmt.Errorf("read ID problems: %w", err)
	}
	for rows.Next() {
		var b output.BadIDRow
		if err := rows.Scan(&b.RecordID, &b.MemberID, &b.Name, &b.Raw, &b.Status, &b.Location, &b.Message); err != nil {
			rows.Close()
			return err
		}
		d.BadIDs = append(d.BadIDs, b)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT record_id, source_kind, file_path, coalesce(sheet, ''), CAST(row_number AS VARCHAR),
			coalesce(reject_reason, '')
		FROM v_source_record WHERE status = 'rejected' ORDER BY record_id`)
	if err != nil {
		return fmt.Errorf("read rejected rows: %w", err)
	}
	for rows.Next() {
		var r output.RejectedRow
		if err := rows.Scan(&r.RecordID, &r.Kind, &r.File, &r.Sheet, &r.Row, &r.Reason); err != nil {
			rows.Close()
			return err
		}
		d.Rejected = append(d.Rejected, r)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT path, source_kind, coalesce(quarantine_reason, ''), coalesce(quarantine_hint, '')
		FROM v_source_file WHERE status = 'quarantined' ORDER BY path`)
	if err != nil {
		return fmt.Errorf("read quarantined files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q output.QuarantinedRow
		if err := rows.Scan(&q.Path, &q.Kind, &q.Reason, &q.Hint); err != nil {
			return err
		}
		d.Quarantined = append(d.Quarantined, q)
	}
	return rows.Err()
}
