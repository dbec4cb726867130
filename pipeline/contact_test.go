package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
	"github.com/baolong/liudong/sampledata"
)

// TestContactLinking: activity and visit records are linked to members by
// the matcher's weights; a visit naming only the member and the counsellor
// is linked through the counsellor's pairing, also when it names the
// counsellor by surname and title (王书记); a record of nobody known, or
// of two members alike, is a discrepancy with its candidates.
func TestContactLinking(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,联系电话\n张伟,430524198503121236,13812345678\n"+
		"李娜,430524199001010020,13912345678\n李娜,430524199202020021,13712345678\n")
	writeCSV(t, cfg, "counsellors/同心社区结对表.csv", "辅导员,职务,党员姓名,身份证号,结对时间\n陈明,,张伟,430524198503121236,2026-01-05\n"+
		"王建国,社区党委书记,李娜,430524199001010020,2026-01-05\n王强,社区党委副书记,张伟,430524198503121236,2025-01-05\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,联系电话,活动日期,活动类型,时长\n"+
		"张伟,13812345678,2026-03-01,党课,2\n"+ // phone: linked
		"李娜,,2026-03-01,党课,2\n"+ // two 李娜 in 同心社区: ambiguous
		"王小明,,2026-03-01,党课,2\n") // nobody: unmatched
	writeCSV(t, cfg, "visits/走访记录.csv", "辅导员,党员姓名,走访日期\n陈明,张伟,2026-04-02\n陈明,李娜,2026-04-03\n"+
		"王书记,李娜,2026-04-04\n"+ // 王建国, 书记, is paired with one 李娜
		"王主任,李娜,2026-04-05\n"+ // no 王 paired with a 李娜 is a 主任
		"王书记,张伟,2026-04-06\n"+ // 王强, paired with 张伟, is a 副书记
		"王副书记,张伟,2026-04-07\n") // … so this is his
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	zhang := memberOf(t, db, "surveys/同心社区.csv", 2)
	li := memberOf(t, db, "surveys/同心社区.csv", 3)
	tests := []struct {
		file    string
		row     int
		outcome string
		member  string
	}{
		{"activities/同心社区联系卡.csv", 2, "linked", zhang},
		{"activities/同心社区联系卡.csv", 3, "ambiguous", ""},
		{"activities/同心社区联系卡.csv", 4, "unmatched", ""},
		{"counsellors/同心社区结对表.csv", 2, "linked", zhang},
		{"visits/走访记录.csv", 2, "paired", zhang},
		{"visits/走访记录.csv", 3, "unmatched", ""}, // 陈明 is not paired with a 李娜
		{"visits/走访记录.csv", 4, "paired", li},
		{"visits/走访记录.csv", 5, "unmatched", ""},
		{"visits/走访记录.csv", 6, "unmatched", ""},
		{"visits/走访记录.csv", 7, "paired", zhang},
	}
	for _, tt := range tests {
		var outcome, member, kinds string
		if err := db.QueryRow(`SELECT c.outcome, coalesce(c.member_id, ''),
				(SELECT coalesce(string_agg(kind, ','), '') FROM discrepancy d WHERE d.record_ids = CAST(c.record_id AS VARCHAR) AND resolved_run_id IS NULL)
			FROM v_contact c WHERE file_path = ? AND row_number = ?`, tt.file, tt.row).Scan(&outcome, &member, &kinds); err != nil {
			t.Fatalf("%s:%d: %v", tt.file, tt.row, err)
		}
		wantKinds := ""
		if tt.outcome == "ambiguous" || tt.outcome == "unmatched" {
			wantKinds = "contact_" + tt.outcome
		}
		if outcome != tt.outcome || member != tt.member || kinds != wantKinds {
			t.Errorf("%s:%d: %s %q (discrepancy %q), want %s %q (%q)", tt.file, tt.row, outcome, member, kinds, tt.outcome, tt.member, wantKinds)
		}
	}
	// The ambiguous card's candidates: both 李娜, best first, ties by member ID.
	var candidates string
	if err := db.QueryRow(`SELECT CAST(candidates AS VARCHAR) FROM v_contact WHERE file_path = ? AND row_number = 3`,
		"activities/同心社区联系卡.csv").Scan(&candidates); err != nil {
		t.Fatal(err)
	}
	var cands []struct {
		MemberID  string  `json:"member_id"`
		Name      string  `json:"name"`
		Community string  `json:"community"`
		Weight    float64 `json:"weight"`
	}
	if err := json.Unmarshal([]byte(candidates), &cands); err != nil {
		t.Fatalf("candidates %s: %v", candidates, err)
	}
	if len(cands) != 2 || cands[0].MemberID == "" || cands[0].Name != "李娜" || cands[1].Name != "李娜" || cands[0].Community != "同心社区" ||
		cands[0].Weight < cands[1].Weight || (cands[0].Weight == cands[1].Weight && cands[0].MemberID > cands[1].MemberID) ||
		strings.Contains(candidates, "-0.0") {
		t.Errorf("candidates of the ambiguous card: %s", candidates)
	}
	var counsellor string
	var visits int
	db.QueryRow(`SELECT coalesce(counsellor, ''), visits_year FROM v_member WHERE member_id = ?`, zhang).Scan(&counsellor, &visits)
	if counsellor != "陈明" || visits != 2 {
		t.Errorf("张伟: counsellor %q, %d visits; want 陈明 and 2", counsellor, visits)
	}
}

// TestContactBlockCap: a name shared by more members of a community than
// rules.contacts.max_block_members pairs nothing by name, so a card with
// only that name is unmatched rather than ambiguous among them; a card of
// the same name with a phone is still linked through the phone. The cap
// counts members, not records: 张伟 is on two survey sheets, two records
// of one member.
func TestContactBlockCap(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Rules.Contacts.MaxBlockMembers = 1
	cfg.Rules.Contacts.MinWeight = 8 // this small model gives a name and community about 9.6
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,联系电话\n"+
		"李娜,430524199001010020,13912345678\n李娜,430524199202020021,13712345678\n张伟,430524198503121236,13812345678\n")
	writeCSV(t, cfg, "surveys/同心社区（补充）.csv", "姓名,身份证号,联系电话\n张伟,430524198503121236,13812345678\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,联系电话,活动日期,活动类型,时长\n"+
		"李娜,,2026-03-01,党课,2\n"+ // two 李娜, over the cap of one: no pair by name
		"李娜,13912345678,2026-03-01,党课,2\n"+ // the phone pairs it
		"张伟,,2026-03-01,党课,2\n") // one 张伟: within the cap
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	tests := []struct {
		row     int
		outcome string
		member  string
	}{
		{2, "unmatched", ""},
		{3, "linked", memberOf(t, db, "surveys/同心社区.csv", 2)},
		{4, "linked", memberOf(t, db, "surveys/同心社区.csv", 4)},
	}
	for _, tt := range tests {
		outcome, member := contactOutcome(t, db, "activities/同心社区联系卡.csv", tt.row)
		if outcome != tt.outcome || member != tt.member {
			t.Errorf("row %d: %s %q, want %s %q", tt.row, outcome, member, tt.outcome, tt.member)
		}
	}
}

// TestContactFlags: 失联 after six months without activity or visit (with the
// date of the last), 即将失联 from five, fewer than two visits this year,
// no counsellor, and a counsellor over the configured load, each where the
// thresholds put it; only members here are flagged.
func TestContactFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Rules.Contacts.MaxMembersPerCounsellor = 1
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号\n张伟,430524198503121236\n李娜,430524199001010020\n王芳,43052419780315002X\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,身份证号,活动日期,活动类型,时长\n"+
		"张伟,430524198503121236,2026-05-20,党课,2\n"+ // six months and five days before 2026-11-25
		"李娜,430524199001010020,2026-06-20,党课,2\n"+ // five months and five days
		"王芳,43052419780315002X,2026-11-01,党课,2\n")
	writeCSV(t, cfg, "counsellors/同心社区结对表.csv", "辅导员,党员姓名,身份证号\n陈明,李娜,430524199001010020\n陈明,王芳,43052419780315002X\n")
	writeCSV(t, cfg, "visits/同心社区走访.csv", "辅导员,党员姓名,身份证号,走访日期\n陈明,王芳,43052419780315002X,2026-03-02\n"+
		"陈明,王芳,43052419780315002X,2026-09-02\n陈明,李娜,430524199001010020,2026-02-02\n")
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	tests := []struct {
		name, flag, lastContact string
		problems                string // open discrepancy kinds, sorted
	}{
		{"张伟", "lost_contact", "2026-05-20", "lost_contact,no_counsellor"},
		{"李娜", "lost_contact_soon", "2026-06-20", "few_visits"},
		{"王芳", "", "2026-11-01", ""},
	}
	for _, tt := range tests {
		var flag, last, problems string
		if err := db.QueryRow(`SELECT coalesce(m.contact_flag, ''), CAST(m.last_contact_date AS VARCHAR),
				(SELECT coalesce(string_agg(kind, ',' ORDER BY kind), '') FROM discrepancy d
				 WHERE d.member_id = m.member_id AND d.resolved_run_id IS NULL)
			FROM v_member m WHERE name = ?`, tt.name).Scan(&flag, &last, &problems); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if flag != tt.flag || last != tt.lastContact || problems != tt.problems {
			t.Errorf("%s: flag %q, last contact %s, discrepancies %q; want %q, %s, %q", tt.name, flag, last, problems,
				tt.flag, tt.lastContact, tt.problems)
		}
	}
	var overloaded string
	db.QueryRow(`SELECT coalesce(string_agg(value_set, ','), '') FROM discrepancy WHERE kind = 'counsellor_overload' AND resolved_run_id IS NULL`).Scan(&overloaded)
	if overloaded != "陈明" {
		t.Errorf("overloaded counsellors %q, want 陈明 (two members, at most one)", overloaded)
	}
}

// TestContactFlagsOnTheStreetsDay: 失联 and 即将失联 are counted back from
// the run's date in the street's zone. At 2026-11-24 18:30 UTC it is
// already 2026-11-25 in Shanghai, so a last activity exactly six months
// before (2026-05-25) is 失联 and one exactly five months before
// (2026-06-25) 即将失联; the UTC date would put each a day short.
func TestContactFlagsOnTheStreetsDay(t *testing.T) {
	cfg := testConfig(t.TempDir())
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号\n张伟,430524198503121236\n李娜,430524199001010020\n王芳,43052419780315002X\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,身份证号,活动日期,活动类型,时长\n"+
		"张伟,430524198503121236,2026-05-25,党课,2\n"+
		"李娜,430524199001010020,2026-06-25,党课,2\n"+
		"王芳,43052419780315002X,2026-06-26,党课,2\n")
	runAt(t, cfg, time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC))
	db := openTestDB(t, cfg)
	tests := []struct{ name, flag string }{
		{"张伟", "lost_contact"},      // six months to the day
		{"李娜", "lost_contact_soon"}, // five months to the day
		{"王芳", ""},                  // a day less than five months
	}
	for _, tt := range tests {
		var flag string
		if err := db.QueryRow(`SELECT coalesce(contact_flag, '') FROM v_member WHERE name = ?`, tt.name).Scan(&flag); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if flag != tt.flag {
			t.Errorf("%s: contact flag %q, want %q", tt.name, flag, tt.flag)
		}
	}
}

// TestContactParts: comparing the contact records a few at a time
// (rules.contacts.records_per_part) links every one as comparing them all
// at once does.
func TestContactParts(t *testing.T) {
	gen := t.TempDir()
	if _, err := sampledata.Generate(gen, sampledata.Options{Persons: 150, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	outcomes := func(perPart int) string {
		dir := t.TempDir()
		cfg := testConfig(dir)
		cfg.Inbox.Dir = filepath.Join(gen, "inbox")
		cfg.Out.PDFFont = filepath.Join(dir, "no-font.ttf")
		cfg.Rules.Contacts.RecordsPerPart = perPart
		runOnce(t, cfg)
		return digest(t, openTestDB(t, cfg), "v_contact", "record_id, outcome, member_id, round(weight, 6), margin, candidates")
	}
	one, parts := outcomes(1_000_000), outcomes(97)
	if one != parts {
		t.Errorf("contacts compared in parts of 97: %s, all at once: %s", parts, one)
	}
	if strings.HasPrefix(one, "0/") {
		t.Error("no contact records")
	}
}

// TestContactIdentities: cards that carry the same identity are compared
// once (a member's many activity cards), and give the same links as
// comparing every card: a blocking key that reads record_id (and pairs
// nothing) makes every card its own identity.
func TestContactIdentities(t *testing.T) {
	gen := t.TempDir()
	if _, err := sampledata.Generate(gen, sampledata.Options{Persons: 150, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	type result struct {
		digest              string
		records, identities int
	}
	link := func(readRecordID bool) result {
		dir := t.TempDir()
		cfg := testConfig(dir)
		cfg.Inbox.Dir = filepath.Join(gen, "inbox")
		cfg.Out.PDFFont = filepath.Join(dir, "no-font.ttf")
		if readRecordID {
			cfg.Rules.Contacts.Blocking = append(cfg.Rules.Contacts.Blocking,
				rules.BlockingRule{Name: "never", Keys: []string{"CASE WHEN record_id < 0 THEN name END"}})
		}
		var logs bytes.Buffer
		if _, err := Run(context.Background(), cfg, Options{Version: "test", Log: zerolog.New(&logs), Now: fixedNow}); err != nil {
			t.Fatal(err)
		}
		var r result
		for _, line := range strings.Split(logs.String(), "\n") {
			var e struct {
				Message    string `json:"message"`
				Records    int    `json:"contact_records"`
				Identities int    `json:"contact_identities"`
			}
			if json.Unmarshal([]byte(line), &e) == nil && e.Message == "members reconciled" {
				r.records, r.identities = e.Records, e.Identities
			}
		}
		r.digest = digest(t, openTestDB(t, cfg), "v_contact", "record_id, outcome, member_id, round(weight, 6), margin, candidates")
		return r
	}
	shared, own := link(false), link(true)
	t.Logf("%d contact records, %d identities", shared.records, shared.identities)
	if shared.records == 0 || shared.identities == 0 {
		t.Fatalf("no contact records or identities logged: %+v", shared)
	}
	if shared.identities >= shared.records {
		t.Errorf("%d identities among %d contact records: cards with the same identity were not compared once", shared.identities, shared.records)
	}
	if own.identities != own.records {
		t.Errorf("a key reading record_id: %d identities among %d records, want one each", own.identities, own.records)
	}
	if shared.digest != own.digest {
		t.Errorf("contacts by identity: %s, card by card: %s", shared.digest, own.digest)
	}
}

// TestContactBlockingUnlessBoth: a contact blocking rule with unless_both
// pairs no card with a person record when both meet the condition, and pairs
// the others as before.
func TestContactBlockingUnlessBoth(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Rules.Contacts.Blocking = []rules.BlockingRule{{Name: "name", Keys: []string{"name"}, UnlessBoth: "name = '张伟'"}}
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,联系电话\n"+
		"李娜,430524199001010020,13912345678\n张伟,430524198503121236,13812345678\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,活动日期,活动类型,时长\n"+
		"李娜,2026-03-01,党课,2\n"+ // paired by name
		"张伟,2026-03-01,党课,2\n") // both records meet unless_both: no pair
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	for _, tt := range []struct {
		row     int
		outcome string
		member  string
	}{
		{2, "linked", memberOf(t, db, "surveys/同心社区.csv", 2)},
		{3, "unmatched", ""},
	} {
		outcome, member := contactOutcome(t, db, "activities/同心社区联系卡.csv", tt.row)
		if outcome != tt.outcome || member != tt.member {
			t.Errorf("row %d: %s %q, want %s %q", tt.row, outcome, member, tt.outcome, tt.member)
		}
	}
}

// contactOutcome is the outcome of the contact record at file:row and the
// member it went to ("" for none).
func contactOutcome(t *testing.T, db *DB, file string, row int) (outcome, member string) {
	t.Helper()
	if err := db.QueryRow(`SELECT outcome, coalesce(member_id, '') FROM v_contact WHERE file_path = ? AND row_number = ?`,
		file, row).Scan(&outcome, &member); err != nil {
		t.Fatalf("%s:%d: %v", file, row, err)
	}
	return outcome, member
}

// TestContactDuplicates: the same member, day and type entered twice counts
// once (duplicate_of names the first record); a date given only to the month
// is compared as given; another type, day or person is not a duplicate, and
// records linked to nobody are never duplicates.
func TestContactDuplicates(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号\n张伟,430524198503121236\n王芳,43052419780315002X\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,身份证号,活动日期,活动类型,时长\n"+
		"张伟,430524198503121236,2026-03-01,党课,2\n"+ // 2: first
		"张伟,430524198503121236,2026-03-01,党课,1\n"+ // 3: of 2
		"张伟,430524198503121236,2026-03-01,志愿服务,2\n"+ // 4: another type
		"张伟,430524198503121236,2026年3月,党课,2\n"+ // 5: a month, not that day
		"张伟,430524198503121236,2026.3,党课,2\n"+ // 6: the same month: of 5
		"张伟,430524198503121236,2026-03-02,党课,2\n"+ // 7: another day
		"王芳,43052419780315002X,2026-03-01,党课,2\n"+ // 8: another member
		"李娜,,2026-03-01,党课,2\n"+ // 9: nobody
		"李娜,,2026-03-01,党课,2\n") // 10: nobody, so not of 9
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	got := map[int]int{}
	rows, err := db.Query(`SELECT r.row_number, coalesce(d.row_number, 0)
		FROM contact c JOIN source_record r USING (record_id) LEFT JOIN source_record d ON d.record_id = c.duplicate_of
		WHERE c.source_kind = 'activity'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var row, of int
		if err := rows.Scan(&row, &of); err != nil {
			t.Fatal(err)
		}
		got[row] = of
	}
	want := map[int]int{2: 0, 3: 2, 4: 0, 5: 0, 6: 5, 7: 0, 8: 0, 9: 0, 10: 0}
	if !maps.Equal(got, want) {
		t.Errorf("row → duplicate of row: got %v, want %v", got, want)
	}
}
