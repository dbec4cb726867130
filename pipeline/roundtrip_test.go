package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/output"
)

// TestDiscrepancyReportRoundTrip generates the report, has an "analyst"
// decide two rows in the workbook itself, drops it into inbox/decisions and
// reruns: the decisions take effect and the decided rows leave the report.
func TestDiscrepancyReportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
	writeCSV(t, cfg, "rosters/石门村.csv", "姓名,身份证号,联系电话\n张伟,430524198503121236,13812345678\n周杰,430524199505050011,13312345678\n")
	// Every scored pair goes to review, so the report has pairs to decide.
	cfg.Rules.Match.LinkThreshold = 0.999999999
	cfg.Rules.Match.ReviewThreshold = 1e-9
	runOnce(t, cfg)
	report := filepath.Join(cfg.Out.Dir, "latest", output.DiscrepancyFile)

	f, err := excelize.OpenFile(report)
	if err != nil {
		t.Fatal(err)
	}
	pairs, _ := f.GetRows("可能同一人")
	unknown, _ := f.GetRows("去向不明")
	if len(pairs) < 3 || len(unknown) < 3 {
		t.Fatalf("report has %d pair rows and %d unknown rows (title and header included); want at least one of each", len(pairs), len(unknown))
	}
	header := pairs[1]
	col := func(hdr []string, name string) int {
		for i, h := range hdr {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %v", name, hdr)
		return -1
	}
	a, b := pairs[2][col(header, "记录编号")], pairs[2][col(header, "对方记录编号")]
	cell, _ := excelize.CoordinatesToCellName(col(header, "处理意见")+1, 3)
	f.SetCellStr("可能同一人", cell, "同一人")
	uh := unknown[1]
	member := unknown[2][col(uh, "党员编号")]
	cell, _ = excelize.CoordinatesToCellName(col(uh, "处理意见")+1, 3)
	f.SetCellStr("去向不明", cell, "已核实去向")
	if err := os.MkdirAll(filepath.Join(cfg.Inbox.Dir, "decisions"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(cfg.Inbox.Dir, "decisions", "差异核查表（已处理）.xlsx")); err != nil {
		t.Fatal(err)
	}
	f.Close()

	sum := runOnce(t, cfg)
	if sum.Totals.RowsRejected != 0 {
		t.Errorf("the returned report had %d rejected rows: undecided rows must not be errors", sum.Totals.RowsRejected)
	}
	db := openTestDB(t, cfg)
	var same bool
	db.QueryRow(`SELECT ra.member_id = rb.member_id FROM source_record ra, source_record rb
		WHERE ra.record_id = CAST(? AS BIGINT) AND rb.record_id = CAST(? AS BIGINT)`, a, b).Scan(&same)
	if !same {
		t.Errorf("records %s and %s decided 同一人 are not one member", a, b)
	}
	var stillUnknown bool
	db.QueryRow(`SELECT whereabouts_unknown FROM v_member WHERE member_id = ?`, member).Scan(&stillUnknown)
	if stillUnknown {
		t.Errorf("member %s decided 已核实去向 still has unknown whereabouts", member)
	}
	db.Close()

	f, err = excelize.OpenFile(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, _ = f.GetRows("可能同一人")
	for _, r := range pairs[2:] {
		if r[col(header, "记录编号")] == a && r[col(header, "对方记录编号")] == b {
			t.Errorf("the decided pair %s–%s is still in the report", a, b)
		}
	}
	unknown, _ = f.GetRows("去向不明")
	for _, r := range unknown[2:] {
		if r[col(uh, "党员编号")] == member {
			t.Errorf("member %s, whose whereabouts were verified, is still in the report", member)
		}
	}
}
