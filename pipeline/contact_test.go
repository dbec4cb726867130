package pipeline

import "testing"

// TestContactLinking: activity and visit records are linked to members by
// the matcher's weights; a visit naming only the member and the counsellor
// is linked through the counsellor's pairing; a record of nobody known, or
// of two members alike, is a discrepancy with its candidates.
func TestContactLinking(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,联系电话\n张伟,430524198503121236,13812345678\n"+
		"李娜,430524199001010020,13912345678\n李娜,430524199202020021,13712345678\n")
	writeCSV(t, cfg, "counsellors/同心社区结对表.csv", "辅导员,党员姓名,身份证号,结对时间\n陈明,张伟,430524198503121236,2026-01-05\n")
	writeCSV(t, cfg, "activities/同心社区联系卡.csv", "姓名,联系电话,活动日期,活动类型,时长\n"+
		"张伟,13812345678,2026-03-01,党课,2\n"+ // phone: linked
		"李娜,,2026-03-01,党课,2\n"+ // two 李娜 in 同心社区: ambiguous
		"王小明,,2026-03-01,党课,2\n") // nobody: unmatched
	writeCSV(t, cfg, "visits/走访记录.csv", "辅导员,党员姓名,走访日期\n陈明,张伟,2026-04-02\n陈明,李娜,2026-04-03\n")
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	zhang := memberOf(t, db, "surveys/同心社区.csv", 2)
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
	var counsellor string
	var visits int
	db.QueryRow(`SELECT coalesce(counsellor, ''), visits_year FROM v_member WHERE member_id = ?`, zhang).Scan(&counsellor, &visits)
	if counsellor != "陈明" || visits != 1 {
		t.Errorf("张伟: counsellor %q, %d visits; want 陈明 and 1", counsellor, visits)
	}
}
