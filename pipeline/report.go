package pipeline

import (
	"context"
	"database/sql"
	"fmt"

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
