package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunExitCodes runs the real command line on a small inbox: 0 when every
// file is read, 3 when a file is quarantined, and the operator's output says
// where the summary is and what to do.
func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	writeFile(t, filepath.Join(inbox, "surveys", "同心.csv"), "姓名,身份证号,联系电话\n张伟,430524198503121234,13812345678\n")
	args := []string{"run", "--config", filepath.Join(dir, "none.yaml"), "--inbox", inbox,
		"--db", filepath.Join(dir, "r.duckdb"), "--out", filepath.Join(dir, "out")}
	writeFile(t, filepath.Join(dir, "none.yaml"), "log:\n  format: json\n")

	var out, errb bytes.Buffer
	if code := Do(args, nil, &out, &errb); code != ExitOK {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitOK, errb.String())
	}
	if !strings.Contains(out.String(), "summary.md") {
		t.Errorf("stdout does not say where the summary is:\n%s", out.String())
	}
	if !strings.Contains(errb.String(), `"message":"run finished"`) {
		t.Errorf("no JSON 'run finished' log line on stderr:\n%s", errb.String())
	}
	if strings.Contains(errb.String(), "430524198503121234") || strings.Contains(errb.String(), "13812345678") {
		t.Errorf("personal data in the log:\n%s", errb.String())
	}

	writeFile(t, filepath.Join(inbox, "rosters", "old.xls"), "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"+strings.Repeat("\x00", 600))
	out.Reset()
	errb.Reset()
	if code := Do(args, nil, &out, &errb); code != ExitQuarantined {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitQuarantined, errb.String())
	}
	if !strings.Contains(out.String(), "rosters/old.xls") || !strings.Contains(out.String(), ".xlsx") {
		t.Errorf("stdout does not name the quarantined file and the fix:\n%s", out.String())
	}
	md, err := os.ReadFile(filepath.Join(dir, "out", "latest", "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "rosters/old.xls") {
		t.Errorf("summary.md does not list the quarantined file:\n%s", md)
	}
}

// TestDemoGenerateOnly checks the demo writes an inbox and a truth beside it,
// never inside it, and refuses a folder it did not make.
func TestDemoGenerateOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	var out, errb bytes.Buffer
	if code := Do([]string{"demo", "--generate-only", "--persons", "30", "--out", dir}, nil, &out, &errb); code != ExitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errb.String())
	}
	for _, p := range []string{"inbox/surveys", "truth/persons.csv"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("missing %s: %v", p, err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "inbox", "*", "*.csv")); len(m) > 0 {
		for _, p := range m {
			if strings.Contains(p, "truth") {
				t.Errorf("truth inside the inbox: %s", p)
			}
		}
	}
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "precious.txt"), "x")
	if code := Do([]string{"demo", "--generate-only", "--out", other}, nil, &out, &errb); code != ExitUsage {
		t.Errorf("demo into a foreign non-empty folder: exit %d, want %d", code, ExitUsage)
	}
	if _, err := os.Stat(filepath.Join(other, "precious.txt")); err != nil {
		t.Errorf("demo touched a folder it did not make: %v", err)
	}
}
