package pipeline

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestRosterMaskingFollowsConfig: out.mask_rosters decides whether the
// community roster carries full ID numbers.
func TestRosterMaskingFollowsConfig(t *testing.T) {
	for _, mask := range []bool{true, false} {
		dir := t.TempDir()
		cfg := testConfig(dir)
		cfg.Out.MaskRosters = mask
		writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
		runOnce(t, cfg)
		f, err := excelize.OpenFile(filepath.Join(cfg.Out.Dir, "latest", "社区名册", "同心社区.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("名册")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|"))
		}
		full := strings.Contains(all.String(), "430524198503121236")
		if full == mask {
			t.Errorf("mask_rosters %v: full ID number present = %v", mask, full)
		}
	}
}
