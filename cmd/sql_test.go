package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQLCommand(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	writeFile(t, filepath.Join(inbox, "surveys", "同心.csv"), "姓名,身份证号,联系电话,备注\n张伟,430524198503121234,13812345678,=HYPERLINK(\"x\")\n")
	writeFile(t, filepath.Join(dir, "c.yaml"), "log:\n  format: json\n")
	db := filepath.Join(dir, "r.duckdb")
	common := []string{"--config", filepath.Join(dir, "c.yaml"), "--db", db}
	var out, errb bytes.Buffer
	if code := Do(append([]string{"run", "--inbox", inbox, "--out", filepath.Join(dir, "out")}, common...), nil, &out, &errb); code != ExitOK {
		t.Fatalf("run: exit %d\n%s", code, errb.String())
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
		lacks    []string
	}{
		{"table", []string{"SELECT name, status_label FROM v_member"}, ExitOK, []string{"name", "张伟", "仅流入地登记", "(1 行)"}, nil},
		{"csv escapes formulas", []string{"--csv", "SELECT remark FROM v_source_record"}, ExitOK, []string{"remark", `'=HYPERLINK`}, []string{"\n=HYPERLINK"}},
		{"dates as dates", []string{"SELECT DATE '2026-05-08' AS d, TIMESTAMP '2026-05-08 02:00:00' AS ts"}, ExitOK,
			[]string{"2026-05-08 ", "2026-05-08 02:00:00"}, []string{"UTC", "+0000"}},
		{"read-only", []string{"DELETE FROM member"}, ExitUsage, nil, nil},
		{"bad sql", []string{"SELEC 1"}, ExitUsage, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out.Reset()
			errb.Reset()
			args := append(append([]string{"sql"}, common...), tt.args...)
			if code := Do(args, nil, &out, &errb); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			for _, s := range tt.contains {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(out.String(), s) {
					t.Errorf("output has %q:\n%s", s, out.String())
				}
			}
		})
	}
	// The registry is unchanged by the refused DELETE.
	out.Reset()
	Do(append(append([]string{"sql"}, common...), "SELECT count(*) AS n FROM member"), nil, &out, &errb)
	if !strings.Contains(out.String(), "1") {
		t.Errorf("member count after a refused DELETE:\n%s", out.String())
	}
}
