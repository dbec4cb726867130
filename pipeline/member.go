package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/rules"
)

//go:embed sql/member/*.sql
var memberSQL embed.FS

// memberStep is an embedded step's SQL, with a digest of its text for
// '@script': the steps that record what a member's result was made from
// (03_golden.sql, 04_discrepancy.sql) count their own SQL in it, so a new
// version of a step makes every member's result again.
func memberStep(name string) string {
	b, err := memberSQL.ReadFile("sql/member/" + name)
	if err != nil {
		panic(fmt.Sprintf("embedded step %s: %v", name, err)) // a build defect, not an input
	}
	sum := sha256.Sum256(b)
	return strings.ReplaceAll(string(b), "'@script'", "'"+hex.EncodeToString(sum[:8])+"'")
}

// Member statuses, stable codes of v_member.status (Chinese labels in README).
const (
	StatusDual               = "dual"                // 双向共管
	StatusInflowOnly         = "inflow_only"         // 仅流入地登记
	StatusUnknownWhereabouts = "unknown_whereabouts" // 去向不明
	StatusLeft               = "left"                // 已离开
)

// MemberResult is what a run did to the members.
type MemberResult struct {
	Records, Members       int
	Created, Merged, Split int
	Retired                int
	StatusChanges          int
	DroppedLinks           int // links a 非同一人 decision overruled
	DiscrepanciesOpened    int
	DiscrepanciesResolved  int
	UnknownDecisionIDs     []string
	Contacts               *ContactResult
}

// reconcileMembers groups the current person records into members with
// stable IDs, then remakes the golden record and status of every member
// whose records or decisions changed, and
// writes them in one transaction; it calls membersCommitted when that is
// committed. Contact records are then linked to the members (contact.go)
// and the discrepancies found, and both written in a second one; today is
// the run date. The golden records, the person records' discrepancies and
// the contact scores are computed into temporary tables before the
// transactions (contact.go says why for the scores). A crash between the
// two leaves the members of this run and the contacts of the last: the
// rerun recomputes both, as a run recomputes them every night.
func (db *DB) reconcileMembers(ctx context.Context, runID int, cfg rules.Config, today time.Time, log zerolog.Logger,
	membersCommitted func()) (*MemberResult, error) {
	res := &MemberResult{}
	in := clusterInput{}
	began := time.Now()
	prev := map[int64]previousMember{}

	members, err := db.memberAges(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, memberStep("01_prior_member.sql"))
	if err != nil {
		return nil, fmt.Errorf("prior members: %w", err)
	}
	for rows.Next() {
		var id int64
		var prior sql.NullString
		if err := rows.Scan(&id, &prior); err != nil {
			rows.Close()
			return nil, err
		}
		in.records = append(in.records, id)
		if prior.Valid {
			if p, ok := members.resolve(prior.String); ok {
				prev[id] = p
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res.Records = len(in.records)
	stepTime(log, "prior members", began)

	began = time.Now()
	if in.links, err = db.memberLinks(ctx); err != nil {
		return nil, err
	}
	stepTime(log, "read links", began)
	known := make(map[int64]bool, len(in.records))
	for _, r := range in.records {
		known[r] = true
	}
	if in.same, in.differ, res.UnknownDecisionIDs, err = db.pairDecisions(ctx, known); err != nil {
		return nil, err
	}

	began = time.Now()
	cl, dropped := clusters(in)
	res.DroppedLinks = len(dropped)
	next := members.maxNumber
	ids, events := assignIDs(cl, prev, func() string { next++; return memberIDFormat(next) })
	memberDecisions, unknown, err := db.memberDecisions(ctx, members, func(rec int64) (string, bool) {
		c, ok := cl[rec]
		if !ok {
			c, ok = cl[db.successor(ctx, rec)]
		}
		return ids[c], ok
	}, events)
	if err != nil {
		return nil, err
	}
	res.UnknownDecisionIDs = append(res.UnknownDecisionIDs, unknown...)
	stepTime(log, "cluster and assign IDs", began)

	// Two transactions on one connection (its temporary tables live from
	// one to the next): the members, then the contacts and discrepancies,
	// with the person records' discrepancies and the contacts' scoring
	// between them (contact.go says why).
	contacts, err := newContactSteps(cfg, today, log)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// The assignments, the decisions and the golden records are temporary
	// tables made before the transaction, which then only writes (at 1M
	// golden records took 15-20 s inside it or outside before session 9's
	// numeric keys: no faster outside, but the transaction is shorter).
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE assign (record_id BIGINT, member_id VARCHAR)`); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "temp", "assign", len(in.records), func(i int) []driver.Value {
		r := in.records[i]
		return []driver.Value{r, ids[cl[r]]}
	}); err != nil {
		return nil, fmt.Errorf("stage assignments: %w", err)
	}
	if err := stageMemberDecisions(ctx, conn, memberDecisions); err != nil {
		return nil, fmt.Errorf("stage decisions: %w", err)
	}
	began = time.Now()
	if _, err := conn.ExecContext(ctx, memberStep("03_golden.sql")); err != nil {
		return nil, fmt.Errorf("golden records: %w", err)
	}
	stepTime(log, "member/03_golden.sql", began)
	err = inTx(ctx, conn, func() error {
		steps := []struct {
			what string
			sql  string
			args []any
		}{
			{"assign records", `UPDATE source_record SET member_id = a.member_id FROM assign a
				WHERE source_record.record_id = a.record_id AND source_record.member_id IS DISTINCT FROM a.member_id`, nil},
			// by ID: golden (03_golden.sql) is in member's order, new members last by ID
			{"new members", `INSERT INTO member (member_id, created_run_id)
				SELECT member_id, ? FROM (SELECT DISTINCT member_id FROM assign
					WHERE member_id NOT IN (SELECT member_id FROM member)) ORDER BY member_id`, []any{runID}},
			{"members back", `UPDATE member SET retired_run_id = NULL, merged_into = NULL
				WHERE retired_run_id IS NOT NULL AND member_id IN (SELECT member_id FROM assign)`, nil},
		}
		for _, s := range steps {
			began := time.Now()
			if _, err := conn.ExecContext(ctx, s.sql, s.args...); err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
			stepTime(log, s.what, began)
		}
		for _, e := range events {
			switch e.Kind {
			case "created":
				res.Created++
			case "split":
				res.Split++
			case "merged":
				res.Merged++
			}
		}
		if err := recordMemberEvents(ctx, conn, runID, events); err != nil {
			return err
		}
		// A member none of whose records is current any more is retired.
		r, err := conn.ExecContext(ctx, `UPDATE member SET retired_run_id = ?, golden_input = NULL
			WHERE retired_run_id IS NULL AND member_id NOT IN (SELECT member_id FROM assign)`, runID)
		if err != nil {
			return fmt.Errorf("retire members: %w", err)
		}
		if n, _ := r.RowsAffected(); n > 0 {
			res.Retired = int(n)
			if _, err := conn.ExecContext(ctx, `INSERT INTO member_history (run_id, member_id, event)
				SELECT ?, member_id, 'retired' FROM member WHERE retired_run_id = ? AND merged_into IS NULL
				AND member_id NOT IN (SELECT member_id FROM member_history WHERE run_id = ?)`, runID, runID, runID); err != nil {
				return err
			}
		}
		began := time.Now()
		r, err = conn.ExecContext(ctx, `INSERT INTO member_status_history (run_id, member_id, from_status, to_status)
			SELECT ?, g.member_id, m.status, g.status FROM golden g JOIN member m USING (member_id)
			WHERE m.status IS DISTINCT FROM g.status`, runID)
		if err != nil {
			return fmt.Errorf("status history: %w", err)
		}
		n, _ := r.RowsAffected()
		res.StatusChanges = int(n)
		// Every current member was seen; golden has only those whose
		// records or decisions changed (03_golden.sql).
		if _, err := conn.ExecContext(ctx, `UPDATE member SET last_seen_run_id = ?
			WHERE retired_run_id IS NULL AND last_seen_run_id IS DISTINCT FROM ?`, runID, runID); err != nil {
			return fmt.Errorf("members seen: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `UPDATE member SET
				status_run_id = CASE WHEN member.status IS DISTINCT FROM g.status THEN ? ELSE member.status_run_id END,
				status = g.status, records = g.records, survey_records = g.survey_records, roster_records = g.roster_records,
				name = g.name, gender = g.gender, ethnicity = g.ethnicity, id_number = g.id_number, birth_date = g.birth_date,
				education = g.education, member_type = g.member_type, origin_branch = g.origin_branch,
				origin_branch_key = g.origin_branch_key, join_date = g.join_date, phone = g.phone, address = g.address,
				employer = g.employer, community = g.community, outflow_date = g.outflow_date, outflow_reason = g.outflow_reason,
				whereabouts_verified = g.whereabouts_verified, golden_input = g.golden_input
			FROM golden g WHERE member.member_id = g.member_id`, runID); err != nil {
			return fmt.Errorf("update members: %w", err)
		}
		stepTime(log, "status history and update members", began)
		return nil
	})
	if err != nil {
		return nil, err
	}
	membersCommitted()
	began = time.Now()
	if _, err := conn.ExecContext(ctx, memberStep("04_discrepancy.sql")); err != nil {
		return nil, fmt.Errorf("person discrepancies: %w", err)
	}
	stepTime(log, "member/04_discrepancy.sql", began)
	identities, err := contacts.score(ctx, conn)
	if err != nil {
		return nil, err
	}
	err = inTx(ctx, conn, func() error {
		var err error
		if res.Contacts, err = contacts.apply(ctx, conn, identities); err != nil {
			return err
		}
		began := time.Now()
		if err := recordDiscrepancies(ctx, conn, runID, res); err != nil {
			return fmt.Errorf("discrepancies: %w", err)
		}
		stepTime(log, "discrepancies", began)
		return conn.QueryRowContext(ctx, `SELECT count(*) FROM member WHERE retired_run_id IS NULL`).Scan(&res.Members)
	})
	if err != nil {
		return nil, err
	}
	log.Info().Int("records", res.Records).Int("members", res.Members).Int("created", res.Created).
		Int("merged", res.Merged).Int("split", res.Split).Int("retired", res.Retired).
		Int("status_changes", res.StatusChanges).Int("contact_records", res.Contacts.Records).
		Int("contact_identities", res.Contacts.Identities).
		Int("contacts_linked", res.Contacts.ByOutcome["linked"]+res.Contacts.ByOutcome["decided"]).
		Int("contacts_ambiguous", res.Contacts.ByOutcome["ambiguous"]).Int("contacts_unmatched", res.Contacts.ByOutcome["unmatched"]).
		Int("duplicate_activities", res.Contacts.Duplicates).Msg("members reconciled")
	return res, nil
}

// recordMemberEvents appends this run's events to member_history, in their
// order, and marks merged members as merged into the other and retired.
func recordMemberEvents(ctx context.Context, conn *sql.Conn, runID int, events []memberEvent) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE member_event
		(seq INTEGER, member_id VARCHAR, event VARCHAR, other_member_id VARCHAR, records INTEGER)`); err != nil {
		return err
	}
	if err := appendRows(conn, "temp", "member_event", len(events), func(i int) []driver.Value {
		e := events[i]
		return []driver.Value{int32(i), e.MemberID, e.Kind, nullable(e.Other), int32(e.Records)}
	}); err != nil {
		return fmt.Errorf("stage member events: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE member SET merged_into = e.other_member_id, retired_run_id = ?, golden_input = NULL
		FROM member_event e WHERE e.event = 'merged' AND member.member_id = e.member_id`, runID); err != nil {
		return fmt.Errorf("record merges: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO member_history (run_id, member_id, event, other_member_id, records)
		SELECT ?, member_id, event, other_member_id, records FROM member_event ORDER BY seq`, runID); err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	_, err := conn.ExecContext(ctx, `DROP TABLE member_event`)
	return err
}

// memberAges knows every member ID given so far: when it was created and
// whom it was merged into.
type memberAges struct {
	byID      map[string]memberAge
	maxNumber int
}

type memberAge struct {
	created    int
	mergedInto string
}

func (db *DB) memberAges(ctx context.Context) (memberAges, error) {
	out := memberAges{byID: map[string]memberAge{}}
	rows, err := db.QueryContext(ctx, `SELECT member_id, created_run_id, coalesce(merged_into, '') FROM member`)
	if err != nil {
		return out, fmt.Errorf("read members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, into string
		var created int
		if err := rows.Scan(&id, &created, &into); err != nil {
			return out, err
		}
		out.byID[id] = memberAge{created: created, mergedInto: into}
		if n, err := strconv.Atoi(strings.TrimPrefix(id, "M")); err == nil && n > out.maxNumber {
			out.maxNumber = n
		}
	}
	return out, rows.Err()
}

// resolve follows merges to the member an ID lives on as.
func (m memberAges) resolve(id string) (previousMember, bool) {
	for i := 0; i < 100; i++ {
		a, ok := m.byID[id]
		if !ok {
			return previousMember{}, false
		}
		if a.mergedInto == "" {
			return previousMember{ID: id, Created: a.created}, true
		}
		id = a.mergedInto
	}
	return previousMember{}, false
}

// memberLinks reads the matcher's links of this run, if it ran.
func (db *DB) memberLinks(ctx context.Context) ([]scoredLink, error) {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'link'`).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT l_record_id, r_record_id, weight FROM link WHERE decision = 'link'`)
	if err != nil {
		return nil, fmt.Errorf("read links: %w", err)
	}
	defer rows.Close()
	var out []scoredLink
	for rows.Next() {
		var l scoredLink
		if err := rows.Scan(&l.l, &l.r, &l.weight); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// pairDecisions reads the analysts' 同一人 / 非同一人 decisions about two
// records. A decision naming a record that is not a current person record
// is returned in unknown (reported, not ignored).
func (db *DB) pairDecisions(ctx context.Context, known map[int64]bool) (same, differ []pairKey, unknown []string, err error) {
	rows, err := db.QueryContext(ctx, memberStep("02_decisions.sql"))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a, b sql.NullString
		var decision string
		if err := rows.Scan(&id, &a, &b, &decision); err != nil {
			return nil, nil, nil, err
		}
		x, errA := strconv.ParseInt(strings.TrimSpace(a.String), 10, 64)
		y, errB := strconv.ParseInt(strings.TrimSpace(b.String), 10, 64)
		if errA == nil && !known[x] {
			x = db.successor(ctx, x)
		}
		if errB == nil && !known[y] {
			y = db.successor(ctx, y)
		}
		if errA != nil || errB != nil || !known[x] || !known[y] {
			unknown = append(unknown, fmt.Sprintf("%d: %s %s", id, a.String, b.String))
			continue
		}
		if decision == "同一人" {
			same = append(same, newPairKey(x, y))
		} else {
			differ = append(differ, newPairKey(x, y))
		}
	}
	return same, differ, unknown, rows.Err()
}

// successor returns the current record that took the place of a retired
// one when its file was resent (same file, name and ID number), or the ID
// itself: a decision about a row outlives a resend of its file.
func (db *DB) successor(ctx context.Context, id int64) int64 {
	var next sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT max(c.record_id) FROM source_record o JOIN source_record c
		ON c.file_path = o.file_path AND c.name IS NOT DISTINCT FROM o.name AND c.id_number IS NOT DISTINCT FROM o.id_number
		WHERE o.record_id = ? AND o.retired_run_id IS NOT NULL AND c.retired_run_id IS NULL AND c.status = 'accepted'`, id).Scan(&next)
	if err != nil || !next.Valid {
		return id
	}
	return next.Int64
}

// inConn runs fn on one connection inside a transaction (temp tables and
// the appender need the same connection).
func (db *DB) inConn(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return inTx(ctx, conn, func() error { return fn(conn) })
}

// inTx runs fn in a transaction on conn: committed when fn succeeds, rolled
// back when it fails.
func inTx(ctx context.Context, conn *sql.Conn, fn func() error) error {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	_, err := conn.ExecContext(ctx, "COMMIT")
	return err
}

// memberSummary adds the count of members per status to what a run did.
func (db *DB) memberSummary(ctx context.Context, r *MemberResult) (*output.Members, error) {
	out := &output.Members{Records: r.Records, Members: r.Members, ByStatus: map[string]int{}, Created: r.Created,
		Merged: r.Merged, Split: r.Split, Retired: r.Retired, StatusChanges: r.StatusChanges, UnknownDecisions: r.UnknownDecisionIDs,
		DiscrepanciesOpened: r.DiscrepanciesOpened, DiscrepanciesResolved: r.DiscrepanciesResolved}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM discrepancy WHERE resolved_run_id IS NULL`).Scan(&out.DiscrepanciesOpen); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM member_status_history
		WHERE run_id = (SELECT max(run_id) FROM member_status_history) AND to_status = 'unknown_whereabouts'
		  AND run_id = (SELECT max(run_id) FROM runs)`).Scan(&out.NewlyUnknown); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE contact_flag = 'lost_contact'),
			count(*) FILTER (WHERE contact_flag = 'lost_contact_soon') FROM v_member`).Scan(&out.LostContact, &out.LostContactSoon); err != nil {
		return nil, err
	}
	out.FirstBuild = r.Created > 0 && r.Created == r.Members
	if !out.FirstBuild {
		crows, err := db.QueryContext(ctx, `SELECT h.member_id, coalesce(m.name, ''), coalesce(m.community, ''),
				coalesce(h.from_status, ''), h.to_status
			FROM member_status_history h JOIN member m USING (member_id)
			WHERE h.run_id = (SELECT max(run_id) FROM runs)
			ORDER BY h.member_id`)
		if err != nil {
			return nil, fmt.Errorf("read status changes: %w", err)
		}
		for crows.Next() {
			var c output.MemberChange
			if err := crows.Scan(&c.MemberID, &c.Name, &c.Community, &c.From, &c.To); err != nil {
				crows.Close()
				return nil, err
			}
			out.Changes = append(out.Changes, c)
		}
		crows.Close()
		if err := crows.Err(); err != nil {
			return nil, err
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT coalesce(community, ''), status, count(*) FROM v_member GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c, s string
		var n int
		if err := rows.Scan(&c, &s, &n); err != nil {
			return nil, err
		}
		out.ByStatus[s] += n
		out.ByCommunity = append(out.ByCommunity, output.CommunityStatus{Community: c, Status: s, Members: n})
	}
	return out, rows.Err()
}

// recordDiscrepancies opens this run's new discrepancies (the person
// records', staged by 04_discrepancy.sql, and the contacts', by
// sql/contact/04_member.sql) and resolves those no longer seen; one still
// seen keeps its ID and first run. With them it records whose field
// conflicts were found anew (member_conflict_input), so the next run
// compares only the members whose records changed since.
func recordDiscrepancies(ctx context.Context, conn *sql.Conn, runID int, res *MemberResult) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE cur_discrepancy AS
		SELECT key, kind, member_id, field, value_set, record_ids, detail FROM person_discrepancy
		UNION ALL
		SELECT key, kind, member_id, field, value_set, record_ids, detail FROM contact_discrepancy`); err != nil {
		return err
	}
	r, err := conn.ExecContext(ctx, `INSERT INTO discrepancy (discrepancy_id, key, kind, member_id, field, value_set, record_ids, detail, first_run_id)
		SELECT (SELECT coalesce(max(discrepancy_id), 0) FROM discrepancy) + row_number() OVER (ORDER BY key), key, kind, member_id, field,
			value_set, record_ids, detail, ?
		FROM cur_discrepancy
		WHERE key NOT IN (SELECT key FROM discrepancy WHERE resolved_run_id IS NULL)`, runID)
	if err != nil {
		return err
	}
	n, _ := r.RowsAffected()
	res.DiscrepanciesOpened = int(n)
	r, err = conn.ExecContext(ctx, `UPDATE discrepancy SET resolved_run_id = ?
		WHERE resolved_run_id IS NULL
		  AND key NOT IN (SELECT key FROM cur_discrepancy)`, runID)
	if err != nil {
		return err
	}
	n, _ = r.RowsAffected()
	res.DiscrepanciesResolved = int(n)
	// The members whose field conflicts were found anew this run, as of
	// now (04_discrepancy.sql's conflict_member), and none gone.
	if _, err := conn.ExecContext(ctx, `DELETE FROM member_conflict_input
		WHERE member_id IN (SELECT member_id FROM conflict_member) OR member_id NOT IN (SELECT member_id FROM conflict_digest)`); err != nil {
		return fmt.Errorf("member conflict inputs: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO member_conflict_input
		SELECT member_id, digest FROM conflict_digest WHERE member_id IN (SELECT member_id FROM conflict_member)`); err != nil {
		return fmt.Errorf("member conflict inputs: %w", err)
	}
	return nil
}

// memberDecision is an analyst's decision about one member: 已离开 or 已核实去向.
type memberDecision struct {
	memberID, decision string
}

// memberDecisions reads the decisions about one member, naming it by member
// ID (followed through merges, including this run's) or by one of its
// records. Those naming nothing known are returned in unknown.
func (db *DB) memberDecisions(ctx context.Context, ages memberAges, memberOfRecord func(int64) (string, bool), events []memberEvent) ([]memberDecision, []string, error) {
	mergedNow := map[string]string{}
	for _, e := range events {
		if e.Kind == "merged" {
			mergedNow[e.MemberID] = e.Other
		}
	}
	rows, err := db.QueryContext(ctx, memberStep("05_member_decisions.sql"))
	if err != nil {
		return nil, nil, fmt.Errorf("read member decisions: %w", err)
	}
	defer rows.Close()
	var out []memberDecision
	var unknown []string
	for rows.Next() {
		var id int64
		var ref, member sql.NullString
		var decision string
		if err := rows.Scan(&id, &ref, &member, &decision); err != nil {
			return nil, nil, err
		}
		var got string
		if m := strings.TrimSpace(member.String); m != "" {
			if p, ok := ages.resolve(m); ok {
				got = p.ID
			}
			if into, ok := mergedNow[got]; ok {
				got = into
			}
		} else if x, err := strconv.ParseInt(strings.TrimSpace(ref.String), 10, 64); err == nil {
			got, _ = memberOfRecord(x)
		}
		if got == "" {
			unknown = append(unknown, fmt.Sprintf("%d: %s %s", id, ref.String, member.String))
			continue
		}
		out = append(out, memberDecision{memberID: got, decision: decision})
	}
	return out, unknown, rows.Err()
}

// stageMemberDecisions puts the member decisions where 03_golden.sql reads them.
func stageMemberDecisions(ctx context.Context, conn *sql.Conn, ds []memberDecision) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE member_decision (member_id VARCHAR, decision VARCHAR)`); err != nil {
		return err
	}
	return appendRows(conn, "temp", "member_decision", len(ds), func(i int) []driver.Value {
		return []driver.Value{ds[i].memberID, ds[i].decision}
	})
}
