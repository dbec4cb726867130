package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/output/pdf"
)

// writeWorkbooks writes the registry workbook (for the street) and the
// community rosters (masked unless out.mask_rosters is false) into the run folder.
func (db *DB) writeWorkbooks(ctx context.Context, dir *output.Folder, cfg Config, sum *output.Summary, log zerolog.Logger) error {
	began := time.Now()
	members, err := db.reportMembers(ctx)
	if err != nil {
		return err
	}
	stepTime(log, "read members", began)
	date := sum.Started.Format("2006-01-02")
	reg := output.Registry{Street: cfg.Street, Date: date, Members: members}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM source_record WHERE retired_run_id IS NULL`).Scan(&reg.SourceCount); err != nil {
		return fmt.Errorf("count source records: %w", err)
	}
	if limit := cfg.Out.RegistrySourceRows; limit == 0 || reg.SourceCount <= limit {
		began := time.Now()
		if reg.Sources, err = db.reportSources(ctx); err != nil {
			return err
		}
		stepTime(log, "read source records", began)
	} else {
		reg.SourceLimit = limit
		log.Info().Int("source_records", reg.SourceCount).Int("registry_source_rows", limit).
			Msg("the registry workbook does not list the source records: more than out.registry_source_rows; see parquet/source_record")
	}
	output.WriteRegistry(dir, reg)
	began = time.Now()
	disc, err := db.reportDiscrepancies(ctx, sum.RunID, cfg.Street, date)
	if err != nil {
		return err
	}
	stepTime(log, "read discrepancies", began)
	// The members by origin branch, grouped once for the letters, the
	// reports and the certificates (a BranchKey of every member each time).
	branches := output.BranchesOf(members)
	// The pairing letter of each inflow-only member's branch, for the
	// report's 待发结对函 sheet: only those members are looked up (a map
	// of every member was about 0.1 GB at a million).
	letters := make(map[string]string, len(disc.InflowOnly))
	for _, b := range branches {
		if len(b.Found()) == 0 {
			continue
		}
		letter := output.BranchPath(b.Name, output.LetterName+".xlsx")
		for _, m := range b.Members {
			if m.Status == StatusInflowOnly {
				letters[m.MemberID] = letter
			}
		}
	}
	for i, u := range disc.InflowOnly {
		disc.InflowOnly[i].LetterFile = letters[u.MemberID]
	}
	output.WriteDiscrepancies(dir, disc)
	r := output.Rosters{Street: cfg.Street, Date: date, Members: members}
	for _, c := range cfg.Rules.Communities {
		r.Communities = append(r.Communities, c.Name)
	}
	if err := output.WriteRosters(dir, r, output.RosterOptions{Mask: cfg.Out.MaskRosters}); err != nil {
		return err
	}
	sender := output.Sender{Name: cfg.SenderName(), ContactPerson: cfg.Letters.ContactPerson,
		ContactPhone: cfg.Letters.ContactPhone, Address: cfg.Letters.Address}
	font, disabled := loadPDFFont(cfg.Out.PDFFont)
	sum.PDF = &output.PDFSummary{Disabled: disabled}
	if font != nil {
		sum.PDF.Font = font.Path()
	} else {
		log.Warn().Str("hint", disabled).Msg("PDF output disabled: no CJK TrueType font; workbooks are written")
	}
	w, err := output.WriteBranches(dir, output.Branches{Street: cfg.Street, Date: date, Sender: sender, Members: members,
		Groups: branches, Font: font, Started: runDay(sum.Started)}, output.BranchOptions{Mask: cfg.Out.MaskBranchOutputs})
	if err != nil {
		return err
	}
	sum.PDF.Files += w.PDFs
	sum.PDF.Missing = append(sum.PDF.Missing, w.Missing...)
	began = time.Now()
	cw, err := db.writeCertificates(ctx, dir, cfg, sum.Started.Year(), sum.RunID, sum.Started, members, branches, font)
	if err != nil {
		return err
	}
	stepTime(log, "certificates", began)
	log.Debug().Int("folders", cw.Folders).Int("read", cw.Read).Int("issued", cw.Issued).Int("revised", cw.Revised).
		Msg("certificate folders: read and written, the others taken from the previous run")
	sum.Certificates = &output.CertificateSummary{Year: sum.Started.Year(), Certificates: cw.Certificates,
		Issued: cw.Issued, Revised: cw.Revised}
	sum.PDF.Files += cw.PDFs
	sum.PDF.Missing = append(sum.PDF.Missing, cw.Missing...)
	w.Missing = append(w.Missing, cw.Missing...)
	for _, m := range w.Missing {
		// The characters are part of a name: they stay out of the log.
		log.Warn().Str("file", m.File).Int("characters", len([]rune(m.Chars))).Msg("PDF not written: the font lacks characters; see summary.md")
	}
	return nil
}

// volunteerType is the activity type volunteering counts as (志愿服务): the
// type 03_outcome.sql gives volunteer records without one.
const volunteerType = "志愿服务"

// runDay is the start of a run's day: what dates the letters' PDFs, so a
// rerun the same day writes the same bytes.
func runDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// loadPDFFont finds and loads the CJK font of the PDFs: out.pdf_font, else
// the usual places. Without one it returns why, with what to do, in Chinese
// for summary.md.
func loadPDFFont(configured string) (*pdf.Font, string) {
	path, err := pdf.FindFont(configured)
	if err != nil {
		if configured != "" {
			return nil, fmt.Sprintf("config.yaml 的 out.pdf_font 指定的字体 %s 无法使用（%v）；请改正路径或留空以使用系统字体", configured, err)
		}
		return nil, "没有找到中文 TrueType 字体；请安装 fonts-droid-fallback（Debian/Ubuntu：apt-get install fonts-droid-fallback），或在 config.yaml 的 out.pdf_font 指定一个 .ttf 字体"
	}
	font, err := pdf.LoadFont(path)
	if err != nil {
		return nil, fmt.Sprintf("字体 %s 无法用于 PDF（%v）；请在 config.yaml 的 out.pdf_font 指定另一个 .ttf 中文字体", path, err)
	}
	return font, ""
}

// reportMembers reads every current member (v_member), by member ID.
func (db *DB) reportMembers(ctx context.Context) ([]output.MemberRow, error) {
	// Counted first: appended to a growing slice, a million rows of 29
	// fields (about 450 MB) would be copied at each doubling and the old
	// arrays left to the collector.
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM member WHERE retired_run_id IS NULL`).Scan(&n); err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT member_id, coalesce(name, ''), coalesce(gender, ''), coalesce(ethnicity, ''),
		coalesce(id_number, ''), coalesce(birth_date, ''), coalesce(education, ''), coalesce(member_type, ''),
		coalesce(origin_branch, ''), coalesce(origin_branch_key, ''), coalesce(join_date, ''), coalesce(phone, ''), coalesce(address, ''),
		coalesce(employer, ''), coalesce(community, ''), coalesce(outflow_date, ''), coalesce(outflow_reason, ''),
		coalesce(status, ''), coalesce(status_label, ''), coalesce(whereabouts_unknown, false), coalesce(records, 0),
		coalesce(counsellor, ''), coalesce(counsellor_phone, ''), coalesce(CAST(last_activity_date AS VARCHAR), ''),
		coalesce(CAST(last_contact_date AS VARCHAR), ''),
		coalesce(contact_flag, ''), coalesce(activities_year, 0), coalesce(hours_year, 0), coalesce(visits_year, 0)
		FROM v_member ORDER BY member_id`)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	defer rows.Close()
	out := make([]output.MemberRow, 0, n)
	// The fields many members share (a birth date, a branch, a counsellor)
	// are kept once: the driver makes a string of every value, and a
	// million members' repeats were about 0.3 GB of the output stage's heap.
	// Those that go together (a status, a community, …) are kept once per
	// combination, as the member's class.
	in := interner{}
	classes := map[output.MemberClass]*output.MemberClass{}
	for rows.Next() {
		var m output.MemberRow
		var c output.MemberClass
		if err := rows.Scan(&m.MemberID, &m.Name, &c.Gender, &c.Ethnicity, &m.IDNumber, &m.BirthDate, &c.Education,
			&c.MemberType, &m.OriginBranch, &m.OriginBranchKey, &m.JoinDate, &m.Phone, &m.Address, &m.Employer, &c.Community,
			&m.OutflowDate, &c.OutflowReason, &c.Status, &c.StatusLabel, &c.WhereaboutsUnknown, &m.Records,
			&m.Counsellor, &m.CounsellorPhone, &m.LastActivity, &m.LastContact, &c.ContactFlag, &m.ActivitiesYear, &m.HoursYear,
			&m.VisitsYear); err != nil {
			return nil, fmt.Errorf("read members: %w", err)
		}
		in.all(&m.BirthDate, &m.OriginBranch, &m.OriginBranchKey, &m.JoinDate, &m.OutflowDate, &m.Counsellor,
			&m.CounsellorPhone, &m.LastActivity, &m.LastContact)
		if m.MemberClass = classes[c]; m.MemberClass == nil {
			m.MemberClass = &c
			classes[c] = &c
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	return out, nil
}

// interner keeps one copy of each distinct string it is given.
type interner map[string]string

// all replaces each string with the copy kept of it.
func (in interner) all(ss ...*string) {
	for _, s := range ss {
		if k, ok := in[*s]; ok {
			*s = k
		} else {
			in[*s] = *s
		}
	}
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
		-- on the two record IDs as numbers: a string built for every link (33
		-- million at 1M persons) to meet a few hundred pairs took a minute
		JOIN v_link k ON k.l_record_id = TRY_CAST(split_part(d.record_ids, ' ', 1) AS BIGINT)
		             AND k.r_record_id = TRY_CAST(split_part(d.record_ids, ' ', 2) AS BIGINT)
		JOIN source_record a ON a.record_id = k.l_record_id
		JOIN source_record b ON b.record_id = k.r_record_id
		WHERE d.kind = 'possible_same_person' AND d.resolved_run_id IS NULL
		  -- what an open one is (04_discrepancy.sql), said again so that
		  -- v_link builds parts only for review pairs, not for every pair;
		  -- matcher_decision (implied by decision = 'review') is a column of
		  -- link itself, so the filter reaches link's scan before v_link's
		  -- joins (1M persons: 13.8 -> 3.3 s)
		  AND k.matcher_decision = 'review' AND k.decision = 'review'
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
	if err := db.reportContacts(ctx, since, date, &d); err != nil {
		return d, err
	}

	rows, err = db.QueryContext(ctx, `SELECT coalesce(status_run_id > ?, false), member_id, coalesce(name, ''), coalesce(community, ''),
			coalesce(phone, ''), coalesce(origin_branch, ''), coalesce(employer, '')
		FROM v_member WHERE status = 'inflow_only' ORDER BY member_id`, since)
	if err != nil {
		return d, fmt.Errorf("read inflow-only members: %w", err)
	}
	for rows.Next() {
		var u output.InflowOnlyRow
		if err := rows.Scan(&u.New, &u.MemberID, &u.Name, &u.Community, &u.Phone, &u.Branch, &u.Employer); err != nil {
			rows.Close()
			return d, err
		}
		d.InflowOnly = append(d.InflowOnly, u)
	}
	rows.Close()

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

// reportContacts reads the open discrepancies from contacts: records that
// fit no member or two, duplicate activities, and the flags of members and
// counsellors, with the 即将失联 warnings (no discrepancy) among them.
func (db *DB) reportContacts(ctx context.Context, since int, date string, d *output.Discrepancies) error {
	rows, err := db.QueryContext(ctx, `SELECT d.discrepancy_id, d.first_run_id > ?, r.record_id, r.source_kind, coalesce(r.name, ''),
			coalesce(r.id_number, r.id_prefix || '…', ''), coalesce(r.phone, ''), coalesce(r.community, ''),
			r.file_path || ':' || coalesce(r.sheet || '!', '') || r.row_number, d.kind = 'contact_ambiguous',
			coalesce(CAST(ci.candidates AS VARCHAR), '')
		FROM discrepancy d
		-- the discrepancy's one record ID as a number, not every contact's as text
		JOIN contact c ON c.record_id = TRY_CAST(d.record_ids AS BIGINT)
		JOIN source_record r ON r.record_id = c.record_id
		LEFT JOIN contact_identity ci ON ci.key_id = c.key_id
		WHERE d.kind IN ('contact_unmatched', 'contact_ambiguous') AND d.resolved_run_id IS NULL
		ORDER BY d.discrepancy_id`, since)
	if err != nil {
		return fmt.Errorf("read unlinked contacts: %w", err)
	}
	for rows.Next() {
		var c output.ContactRow
		var cands string
		if err := rows.Scan(&c.ID, &c.New, &c.RecordID, &c.Kind, &c.Name, &c.IDNumber, &c.Phone, &c.Community, &c.Source,
			&c.Ambiguous, &cands); err != nil {
			rows.Close()
			return err
		}
		c.Candidates = candidatesText(cands)
		d.Contacts = append(d.Contacts, c)
	}
	rows.Close()

	rows, err = db.QueryContext(ctx, `SELECT d.discrepancy_id, d.first_run_id > ?, d.member_id, coalesce(m.name, ''),
			d.value_set, d.record_ids, CAST(d.detail AS VARCHAR)
		FROM discrepancy d LEFT JOIN member m USING (member_id)
		WHERE d.kind = 'duplicate_activity' AND d.resolved_run_id IS NULL
		ORDER BY d.member_id, d.discrepancy_id`, since)
	if err != nil {
		return fmt.Errorf("read duplicate activities: %w", err)
	}
	for rows.Next() {
		var r output.DuplicateRow
		var detail string
		if err := rows.Scan(&r.ID, &r.New, &r.MemberID, &r.Name, &r.What, &r.Records, &detail); err != nil {
			rows.Close()
			return err
		}
		r.From = repeatsText(detail)
		d.Duplicates = append(d.Duplicates, r)
	}
	rows.Close()

	rows, err = db.QueryContext(ctx, `SELECT * FROM (
		SELECT d.discrepancy_id, d.first_run_id > ?, coalesce(d.member_id, '') AS member_id, coalesce(m.name, ''),
			coalesce(m.community, ''), d.kind AS kind, coalesce(CAST(m.last_contact_date AS VARCHAR), ''), coalesce(m.visits_year, 0),
			coalesce(m.counsellor, d.value_set, '') AS counsellor, coalesce(CAST(d.detail AS VARCHAR), '')
		FROM discrepancy d LEFT JOIN member m USING (member_id)
		WHERE d.kind IN ('lost_contact', 'few_visits', 'no_counsellor', 'counsellor_overload') AND d.resolved_run_id IS NULL
		UNION ALL
		SELECT 0, false, member_id, coalesce(name, ''), coalesce(community, ''), 'lost_contact_soon',
			coalesce(CAST(last_contact_date AS VARCHAR), ''), coalesce(visits_year, 0), coalesce(counsellor, ''), ''
		FROM v_member WHERE contact_flag = 'lost_contact_soon')
		ORDER BY list_position(['lost_contact', 'lost_contact_soon', 'few_visits', 'no_counsellor', 'counsellor_overload'], kind),
			member_id, counsellor`, since)
	if err != nil {
		return fmt.Errorf("read contact flags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r output.FlagRow
		var kind, detail string
		if err := rows.Scan(&r.ID, &r.New, &r.MemberID, &r.Name, &r.Community, &kind, &r.LastContact, &r.Visits,
			&r.Counsellor, &detail); err != nil {
			return err
		}
		r.Problem, r.Note = flagText(kind, detail, r.LastContact, date)
		d.Flags = append(d.Flags, r)
	}
	return rows.Err()
}

// repeatsText renders where a duplicate activity was entered: first, then
// again.
func repeatsText(js string) string {
	var d struct {
		First   string   `json:"first"`
		Repeats []string `json:"repeats"`
	}
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		return js
	}
	return "首次：" + d.First + "；重复：" + strings.Join(d.Repeats, "、")
}

// candidatesText renders a contact record's candidate members for a person:
// M0000076 李伟（同乐社区）得分 12.3；….
func candidatesText(js string) string {
	var cs []struct {
		MemberID  string  `json:"member_id"`
		Name      string  `json:"name"`
		Community string  `json:"community"`
		Weight    float64 `json:"weight"`
	}
	if js == "" {
		return "（无）"
	}
	if err := json.Unmarshal([]byte(js), &cs); err != nil {
		return js
	}
	var out []string
	for _, c := range cs {
		who := c.MemberID + " " + c.Name
		if c.Community != "" {
			who += "（" + c.Community + "）"
		}
		out = append(out, fmt.Sprintf("%s 得分 %.1f", who, c.Weight))
	}
	return strings.Join(out, "；")
}

// flagText is a contact flag's problem and explanation.
func flagText(kind, detail, lastContact, date string) (problem, note string) {
	days := ""
	if last, err := time.Parse("2006-01-02", lastContact); err == nil {
		if today, err := time.Parse("2006-01-02", date); err == nil {
			days = fmt.Sprintf("已 %d 天没有活动或走访记录", int(today.Sub(last).Hours()/24))
		}
	}
	var dt struct {
		Visits   int `json:"visits"`
		Year     int `json:"year"`
		Required int `json:"required"`
		Members  int `json:"members"`
		Max      int `json:"max"`
	}
	_ = json.Unmarshal([]byte(detail), &dt) // absent for warnings; the fields stay zero
	switch kind {
	case "lost_contact":
		return "失联", days
	case "lost_contact_soon":
		return "即将失联", days
	case "few_visits":
		return "本年走访不足", fmt.Sprintf("%d 年走访 %d 次，要求不少于 %d 次", dt.Year, dt.Visits, dt.Required)
	case "no_counsellor":
		return "未配辅导员", "请在辅导员结对表中为其结对"
	case "counsellor_overload":
		return "辅导员负担过重", fmt.Sprintf("结对 %d 名党员，超过 %d 名", dt.Members, dt.Max)
	}
	return kind, detail
}
