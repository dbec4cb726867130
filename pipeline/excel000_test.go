package pipeline

import (
	"testing"

	"github.com/baolong/liudong/rules"
)

// TestExcelCutIDLinks checks that a person whose ID number Excel cut to 15
// digits and someone typed back as text (…000, which here still passes the
// check digit) is one member with their record that has the whole number,
// through the excel_000 level, and that the member keeps the whole number
// although the cut one is in the newer survey.
func TestExcelCutIDLinks(t *testing.T) {
	// A 15-digit start whose …000 form has check character 0 (valid).
	var cut, whole string
	for d := 0; d < 10 && cut == ""; d++ {
		for e := 0; e < 10; e++ {
			p := "4305241985031" + string(rune('0'+d)) + string(rune('0'+e))
			if rules.IDCheckChar(p+"00") == '0' {
				cut = p + "000"
				whole = p + "37" + string(rules.IDCheckChar(p+"37"))
				break
			}
		}
	}
	if cut == "" {
		t.Fatal("no valid …000 number found")
	}
	dir := t.TempDir()
	cfg := testConfig(dir)
	const oct, sep = "surveys/同心社区2026年10月.csv", "surveys/同心社区2026年9月.csv"
	writeCSV(t, cfg, oct, "序号,姓名,身份证号,联系电话,所在社区\n1,王建国,"+cut+",13812345678,同心社区\n2,李娜,43052419900101002X,13912345678,同心社区\n")
	writeCSV(t, cfg, sep, "序号,姓名,身份证号,联系电话,所在社区\n1,王建国,"+whole+",13612345678,同心社区\n2,李娜,43052419900101002X,13912345678,同心社区\n")
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	m1, m2 := memberOf(t, db, oct, 2), memberOf(t, db, sep, 2)
	if m1 == "" || m1 != m2 {
		t.Errorf("王建国 is members %q and %q, want one", m1, m2)
	}
	var level string
	if err := db.QueryRow(`SELECT CAST(l.levels[1] AS VARCHAR) FROM link l
		JOIN source_record a ON a.record_id = l.l_record_id JOIN source_record b ON b.record_id = l.r_record_id
		WHERE a.name = '王建国' AND b.name = '王建国'`).Scan(&level); err != nil {
		t.Fatalf("the pair's levels: %v", err)
	}
	var name string
	if err := db.QueryRow(`SELECT level FROM match_param WHERE run_id = (SELECT max(run_id) FROM match_param)
		AND comparison = 'id_number' AND level_index = ?`, level).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "excel_000" {
		t.Errorf("the pair's id_number level is %s, want excel_000", name)
	}
	var id string
	if err := db.QueryRow(`SELECT id_number FROM member WHERE member_id = ?`, m1).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id != whole {
		t.Errorf("the member's ID number is the one ending %s, want the whole number", id[len(id)-3:])
	}
}
