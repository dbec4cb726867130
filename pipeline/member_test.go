package pipeline

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// memberOf returns the member of the current record at file:row.
func memberOf(t *testing.T, db *DB, file string, row int) string {
	t.Helper()
	var m string
	if err := db.QueryRow(`SELECT coalesce(member_id, '') FROM v_source_record WHERE file_path = ? AND row_number = ?`, file, row).Scan(&m); err != nil {
		t.Fatalf("%s:%d: %v", file, row, err)
	}
	return m
}

func statusOf(t *testing.T, db *DB, member string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(`SELECT status FROM v_member WHERE member_id = ?`, member).Scan(&s); err != nil {
		t.Fatalf("member %s: %v", member, err)
	}
	return s
}

// TestMembersAcrossNights follows members through resubmitted files, a new
// roster and an analyst's decision: IDs survive, a merge keeps the older
// ID, statuses follow the sources, and history records it all.
func TestMembersAcrossNights(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	const survey = "surveys/同心社区2026年10月.csv"
	writeCSV(t, cfg, survey, surveyCSV)
	if sum := runOnce(t, cfg); !sum.Members.FirstBuild {
		t.Error("night 1: the summary does not say the registry was first built")
	}
	db := openTestDB(t, cfg)
	zhang, li := memberOf(t, db, survey, 2), memberOf(t, db, survey, 3)
	if zhang == "" || li == "" || zhang == li {
		t.Fatalf("night 1: members %q and %q", zhang, li)
	}
	if s := statusOf(t, db, zhang); s != StatusInflowOnly {
		t.Errorf("night 1: a survey-only member is %s, want %s", s, StatusInflowOnly)
	}
	db.Close()

	// Night 2: the community resends its file with one more person.
	writeCSV(t, cfg, survey, surveyCSV+"3,王芳,,13712345678,同心社区\n")
	sum := runOnce(t, cfg)
	if ms := sum.Members; ms.FirstBuild || len(ms.Changes) != 1 || ms.Changes[0].Name != "王芳" || ms.Changes[0].From != "" {
		t.Errorf("night 2: summary changes %+v (first build %v), want 王芳 new", ms.Changes, ms.FirstBuild)
	}
	db = openTestDB(t, cfg)
	if got := memberOf(t, db, survey, 2); got != zhang {
		t.Errorf("night 2: 张伟 is %s, was %s: a resent file must keep member IDs", got, zhang)
	}
	if got := memberOf(t, db, survey, 3); got != li {
		t.Errorf("night 2: 李娜 is %s, was %s", got, li)
	}
	wang := memberOf(t, db, survey, 4)
	if wang == "" || wang == zhang || wang == li {
		t.Errorf("night 2: 王芳 got %q", wang)
	}
	db.Close()

	// Night 3: an origin roster lists 张伟; an analyst says its row and the
	// survey row are the same person.
	const roster = "rosters/石门村.csv"
	// The roster has an older phone: a discrepancy once the rows are one member.
	writeCSV(t, cfg, roster, "姓名,身份证号,联系电话,流出地党组织\n张伟,430524198503121236,13900000000,中共隆回县六都寨镇石门村支部委员会\n")
	runOnce(t, cfg)
	db = openTestDB(t, cfg)
	rosterMember := memberOf(t, db, roster, 2)
	if s := statusOf(t, db, rosterMember); s != StatusUnknownWhereabouts && rosterMember != zhang {
		t.Errorf("night 3: an unlinked roster-only member is %s, want %s", s, StatusUnknownWhereabouts)
	}
	var surveyRec, rosterRec int64
	db.QueryRow(`SELECT record_id FROM v_source_record WHERE file_path = ? AND row_number = 2`, survey).Scan(&surveyRec)
	db.QueryRow(`SELECT record_id FROM v_source_record WHERE file_path = ? AND row_number = 2`, roster).Scan(&rosterRec)
	db.Close()

	writeCSV(t, cfg, "decisions/核查.csv", fmt.Sprintf("记录编号,对方记录编号,处理意见\n%d,%d,同一人\n99999,%d,非同一人\n", rosterRec, surveyRec, surveyRec))
	runOnce(t, cfg)
	db = openTestDB(t, cfg)
	if a, b := memberOf(t, db, survey, 2), memberOf(t, db, roster, 2); a != zhang || b != zhang {
		t.Errorf("night 4: survey row is %s and roster row %s, want both %s (the older ID)", a, b, zhang)
	}
	if s := statusOf(t, db, zhang); s != StatusDual {
		t.Errorf("night 4: found by a community and on a roster: %s, want %s", s, StatusDual)
	}
	var analyst, decision string
	var sameMember bool
	if err := db.QueryRow(`SELECT coalesce(analyst_decision, ''), decision, same_member FROM v_link
		WHERE l_record_id = least(?::BIGINT, ?::BIGINT) AND r_record_id = greatest(?::BIGINT, ?::BIGINT)`,
		surveyRec, rosterRec, surveyRec, rosterRec).Scan(&analyst, &decision, &sameMember); err != nil {
		t.Fatalf("night 4: the pair is not in v_link: %v", err)
	}
	if analyst != "同一人" || decision != "link" || !sameMember {
		t.Errorf("night 4: v_link says analyst %q, decision %q, same member %v", analyst, decision, sameMember)
	}
	if rosterMember != zhang {
		var into string
		db.QueryRow(`SELECT coalesce(merged_into, '') FROM member WHERE member_id = ?`, rosterMember).Scan(&into)
		if into != zhang {
			t.Errorf("member %s merged into %q, want %s", rosterMember, into, zhang)
		}
	}
	var changes int
	db.QueryRow(`SELECT count(*) FROM member_status_history WHERE member_id = ? AND to_status = 'dual'`, zhang).Scan(&changes)
	if changes != 1 {
		t.Errorf("status history of %s has %d changes to dual, want 1", zhang, changes)
	}
	var members int
	db.QueryRow(`SELECT count(*) FROM v_member`).Scan(&members)
	if members != 3 {
		t.Errorf("night 4: %d members, want 3", members)
	}
	var id int64
	var valueSet string
	if err := db.QueryRow(`SELECT discrepancy_id, value_set FROM v_discrepancy WHERE member_id = ? AND field = 'phone' AND resolved_run_id IS NULL`, zhang).Scan(&id, &valueSet); err != nil {
		t.Fatalf("night 4: no open phone discrepancy for %s: %v", zhang, err)
	}
	if valueSet != "13812345678 | 13900000000" {
		t.Errorf("night 4: discrepancy values %q", valueSet)
	}
	db.Close()

	// Night 5: the branch corrects its roster; the discrepancy is resolved.
	writeCSV(t, cfg, roster, "姓名,身份证号,联系电话,流出地党组织\n张伟,430524198503121236,13812345678,中共隆回县六都寨镇石门村支部委员会\n")
	runOnce(t, cfg)
	db = openTestDB(t, cfg)
	var resolved sql.NullInt64
	db.QueryRow(`SELECT resolved_run_id FROM v_discrepancy WHERE discrepancy_id = ?`, id).Scan(&resolved)
	if !resolved.Valid || resolved.Int64 != 5 {
		t.Errorf("night 5: discrepancy %d resolved by run %v, want 5", id, resolved)
	}
	if got := memberOf(t, db, roster, 2); got != zhang {
		t.Errorf("night 5: the corrected roster row is %s, want %s", got, zhang)
	}
}

// TestMemberDecisions: 已离开 by member ID makes a member left; 已核实去向 by
// record ID clears whereabouts_unknown; a decision naming nothing known is
// reported in the summary.
func TestMemberDecisions(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	const survey, roster = "surveys/同心社区.csv", "rosters/石门村.csv"
	writeCSV(t, cfg, survey, surveyCSV)
	writeCSV(t, cfg, roster, "姓名,身份证号,联系电话\n周杰,430524199505050011,13312345678\n")
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	zhang := memberOf(t, db, survey, 2)
	zhou := memberOf(t, db, roster, 2)
	var zhouRec int64
	db.QueryRow(`SELECT record_id FROM v_source_record WHERE file_path = ? AND row_number = 2`, roster).Scan(&zhouRec)
	var unknown bool
	db.QueryRow(`SELECT whereabouts_unknown FROM v_member WHERE member_id = ?`, zhou).Scan(&unknown)
	if !unknown {
		t.Fatalf("a roster-only member should have unknown whereabouts")
	}
	db.Close()

	writeCSV(t, cfg, "decisions/d.csv", fmt.Sprintf("党员编号,记录编号,处理意见\n%s,,已离开\n,%d,已核实去向\nM9999999,,已离开\n", zhang, zhouRec))
	sum := runOnce(t, cfg)
	db = openTestDB(t, cfg)
	if s := statusOf(t, db, zhang); s != StatusLeft {
		t.Errorf("%s after 已离开: %s, want %s", zhang, s, StatusLeft)
	}
	db.QueryRow(`SELECT whereabouts_unknown FROM v_member WHERE member_id = ?`, zhou).Scan(&unknown)
	if unknown {
		t.Errorf("%s after 已核实去向 still has unknown whereabouts", zhou)
	}
	if sum.Members == nil || len(sum.Members.UnknownDecisions) != 1 {
		t.Errorf("unknown decisions reported: %+v, want the one naming M9999999", sum.Members)
	}
}

// TestReviewPairsAreDiscrepancies: a pair scored between the thresholds is
// a possible_same_person discrepancy until an analyst decides it.
func TestReviewPairsAreDiscrepancies(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
	writeCSV(t, cfg, "rosters/石门村.csv", "姓名,身份证号,联系电话\n张伟,430524198503121236,13812345678\n")
	// Nothing is sure enough to link; everything scored is for review.
	cfg.Rules.Match.LinkThreshold = 0.999999999
	cfg.Rules.Match.ReviewThreshold = 1e-9
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	var reviews, open int
	db.QueryRow(`SELECT count(*) FROM v_link WHERE decision = 'review'`).Scan(&reviews)
	db.QueryRow(`SELECT count(*) FROM v_discrepancy WHERE kind = 'possible_same_person' AND resolved_run_id IS NULL`).Scan(&open)
	if reviews == 0 || open != reviews {
		t.Errorf("%d review pairs, %d open possible_same_person discrepancies: want equal and > 0", reviews, open)
	}
	var l, r int64
	db.QueryRow(`SELECT l_record_id, r_record_id FROM v_link WHERE decision = 'review' LIMIT 1`).Scan(&l, &r)
	db.Close()
	writeCSV(t, cfg, "decisions/d.csv", fmt.Sprintf("记录编号,对方记录编号,处理意见\n%d,%d,非同一人\n", l, r))
	runOnce(t, cfg)
	db = openTestDB(t, cfg)
	var resolved int
	db.QueryRow(`SELECT count(*) FROM v_discrepancy WHERE kind = 'possible_same_person' AND record_ids = ? AND resolved_run_id = 2`,
		fmt.Sprintf("%d %d", l, r)).Scan(&resolved)
	if resolved != 1 {
		t.Errorf("the decided pair's discrepancy was not resolved by run 2")
	}
}

// TestStatusLeft: the newest survey saying 已返乡 makes a member left, an
// older one does not; a roster saying 已转出 does too.
func TestStatusLeft(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区2026年9月.csv", "姓名,身份证号,状态\n张伟,430524198503121236,已返乡\n李娜,43052419900101002X,在深\n")
	writeCSV(t, cfg, "surveys/同心社区2026年10月.csv", "姓名,身份证号,状态\n张伟,430524198503121236,在深\n李娜,43052419900101002X,已返乡\n")
	writeCSV(t, cfg, "rosters/石门村.csv", "姓名,身份证号,状态\n王芳,43052419780315002X,已转出\n")
	runOnce(t, cfg)
	// Five records are too few for the matcher's estimates: an analyst
	// links each person's two months.
	db := openTestDB(t, cfg)
	var pairs []string
	for _, name := range []string{"张伟", "李娜"} {
		var a, b int64
		db.QueryRow(`SELECT min(record_id), max(record_id) FROM v_source_record WHERE name = ?`, name).Scan(&a, &b)
		pairs = append(pairs, fmt.Sprintf("%d,%d,同一人", a, b))
	}
	db.Close()
	writeCSV(t, cfg, "decisions/d.csv", "记录编号,对方记录编号,处理意见\n"+strings.Join(pairs, "\n")+"\n")
	runOnce(t, cfg)
	db = openTestDB(t, cfg)
	for name, want := range map[string]string{"张伟": StatusInflowOnly, "李娜": StatusLeft, "王芳": StatusLeft} {
		var got string
		if err := db.QueryRow(`SELECT status FROM v_member WHERE name = ?`, name).Scan(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}

// TestMemberStepDigest: the steps that record what a member's result was
// made from count a digest of their own SQL in it, so a changed step makes
// every member's result again.
func TestMemberStepDigest(t *testing.T) {
	for _, name := range []string{"03_golden.sql", "04_discrepancy.sql"} {
		raw, err := memberSQL.ReadFile("sql/member/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), "'@script'") {
			t.Errorf("%s does not count its SQL ('@script') in its digest", name)
		}
		sum := sha256.Sum256(raw)
		got := memberStep(name)
		if strings.Contains(got, "'@script'") || !strings.Contains(got, "'"+hex.EncodeToString(sum[:8])+"'") {
			t.Errorf("%s: '@script' not replaced by the digest of its text", name)
		}
	}
}
