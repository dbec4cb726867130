package cmd

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baolong/liudong/pipeline"
)

// TestCertificatesCommand: `liudong certificates` issues the year's
// certificates into out/活动认证书-<year>/, keeps their serial numbers on a
// second call (nothing newly issued), leaves out/latest alone, and refuses
// while a run holds the registry.
func TestCertificatesCommand(t *testing.T) {
	dir, args := opsDir(t, "")
	year := time.Now().Year()
	day := fmt.Sprintf("%d-03-0%d", year, 1+time.Now().YearDay()%5)
	writeFile(t, filepath.Join(dir, "inbox", "activities", "同心社区联系卡.csv"),
		"姓名,身份证号,活动日期,活动类型,活动内容,时长,签字\n张伟,430524198503121234,"+day+",党课,专题党课,2,王书记\n")
	var out, errb bytes.Buffer
	if code := Do(args("run"), nil, &out, &errb); code != ExitOK {
		t.Fatalf("run: exit %d\n%s", code, errb.String())
	}
	latest, _ := filepath.EvalSymlinks(filepath.Join(dir, "out", "latest"))
	// The night's run issued it; the command issues nothing new.
	for i, want := range []string{"本次新发 0 份", "本次新发 0 份"} {
		out.Reset()
		if code := Do(args("certificates", "--year", fmt.Sprint(year)), nil, &out, &errb); code != ExitOK {
			t.Fatalf("certificates #%d: exit %d\n%s", i+1, code, errb.String())
		}
		if !strings.Contains(out.String(), fmt.Sprintf("%d 年活动认证书 1 份", year)) || !strings.Contains(out.String(), want) {
			t.Errorf("certificates #%d said %q, want 1 certificate and %q", i+1, out.String(), want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "out", fmt.Sprintf("活动认证书-%d", year), "活动认证书", fmt.Sprint(year), "*", "活动认证书.xlsx"))
	if len(files) != 1 {
		t.Errorf("certificate workbooks %q, want one", files)
	}
	if now, _ := filepath.EvalSymlinks(filepath.Join(dir, "out", "latest")); now != latest {
		t.Errorf("out/latest moved from %s to %s", latest, now)
	}
	l, err := pipeline.LockRegistry(filepath.Join(dir, "r.duckdb"), "run", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if code := Do(args("certificates"), nil, &out, &errb); code != ExitLocked {
		t.Errorf("certificates under a held lock: exit %d, want %d", code, ExitLocked)
	}
}
