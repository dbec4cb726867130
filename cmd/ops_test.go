package cmd

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/pipeline"
)

// opsDir is a folder with a small inbox and a config.yaml (JSON logs);
// extra is appended to the config.
func opsDir(t *testing.T, extra string) (dir string, args func(cmd string, more ...string) []string) {
	t.Helper()
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "inbox", "surveys", "同心.csv"), "姓名,身份证号,联系电话\n张伟,430524198503121234,13812345678\n")
	writeFile(t, filepath.Join(dir, "config.yaml"), "log:\n  format: json\n"+extra)
	return dir, func(cmd string, more ...string) []string {
		return append([]string{cmd, "--config", filepath.Join(dir, "config.yaml"), "--inbox", filepath.Join(dir, "inbox"),
			"--db", filepath.Join(dir, "r.duckdb"), "--out", filepath.Join(dir, "out")}, more...)
	}
}

// TestLockedExitCode: a run while another process holds the registry exits
// at once with ExitLocked, naming the holder's PID and start.
func TestLockedExitCode(t *testing.T) {
	dir, args := opsDir(t, "")
	started := time.Date(2026, 11, 25, 2, 0, 0, 0, time.Local)
	l, err := pipeline.LockRegistry(filepath.Join(dir, "r.duckdb"), "run", started)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	var out, errb bytes.Buffer
	for _, cmd := range []string{"run", "restore"} {
		a := args(cmd)
		if cmd == "restore" {
			a = append(a, "1")
		}
		if code := Do(a, nil, &out, &errb); code != ExitLocked {
			t.Errorf("%s under a held lock: exit %d, want %d; stderr:\n%s", cmd, code, ExitLocked, errb.String())
		}
	}
	for _, want := range []string{"进程 ", "2026-11-25 02:00:00", "ps -p"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("message lacks %q:\n%s", want, errb.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "r.duckdb")); !os.IsNotExist(err) {
		t.Errorf("a refused run created the registry: %v", err)
	}
}

// TestHistoryStatusRestore runs twice, lists the runs, shows what waits in
// the inbox, and restores the backup taken before the second run.
func TestHistoryStatusRestore(t *testing.T) {
	dir, args := opsDir(t, "")
	var out, errb bytes.Buffer
	do := func(a []string, want int) string {
		t.Helper()
		out.Reset()
		errb.Reset()
		if code := Do(a, nil, &out, &errb); code != want {
			t.Fatalf("%v: exit %d, want %d; stderr:\n%s", a[0], code, want, errb.String())
		}
		return out.String()
	}
	if s := do(args("status"), ExitOK); !strings.Contains(s, "台账尚未创建") || !strings.Contains(s, "新增  surveys/同心.csv") {
		t.Errorf("status before any run:\n%s", s)
	}
	do(args("run"), ExitOK)
	if s := do(args("status"), ExitOK); !strings.Contains(s, "上次运行：#1") || !strings.Contains(s, "待处理：无") {
		t.Errorf("status after a run:\n%s", s)
	}
	writeFile(t, filepath.Join(dir, "inbox", "surveys", "宝龙.csv"), "姓名,身份证号,联系电话\n王芳,110101199003071234,13712345678\n")
	if s := do(args("status"), ExitOK); !strings.Contains(s, "社区摸排表") || !strings.Contains(s, "新增  surveys/宝龙.csv") {
		t.Errorf("status with a new file:\n%s", s)
	}
	do(args("run"), ExitOK)
	h := do(args("history", "-n", "5"), ExitOK)
	lines := strings.Split(strings.TrimSpace(h), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "运行") || !strings.HasPrefix(lines[1], "#2") || !strings.HasPrefix(lines[2], "#1") {
		t.Fatalf("history:\n%s", h)
	}
	if !strings.Contains(lines[1], "run-000002-") || !strings.Contains(lines[2], "新增1") {
		t.Errorf("history lacks the backup of run 2 or the member created by run 1:\n%s", h)
	}
	if s := do(args("restore"), ExitOK); !strings.Contains(s, "第 2 次运行之前的台账") {
		t.Errorf("backup list:\n%s", s)
	}
	if s := do(args("restore", "2"), ExitOK); !strings.Contains(s, "撤销本次恢复") {
		t.Errorf("restore:\n%s", s)
	}
	if h := do(args("history"), ExitOK); strings.Contains(h, "#2") {
		t.Errorf("after restoring the backup taken before run 2, history still shows it:\n%s", h)
	}
	do(args("restore", "99"), ExitFailed)
}

// TestRunTimesInStreetZone: history and status show when a run started as
// the street's clock read it (timezone), not as the registry keeps it (UTC)
// nor in the machine's zone.
func TestRunTimesInStreetZone(t *testing.T) {
	run := pipeline.RunRow{RunID: 7, Started: time.Date(2026, 12, 31, 18, 30, 0, 0, time.UTC), Status: pipeline.RunOK}
	tests := []struct{ zone, history, status string }{
		{"Asia/Shanghai", "2027-01-01 02:30", "上次运行：#7，2027-01-01 02:30:00 开始"},
		{"America/New_York", "2026-12-31 13:30", "上次运行：#7，2026-12-31 13:30:00 开始"},
	}
	for _, tt := range tests {
		cfg := pipeline.DefaultConfig()
		cfg.Timezone = tt.zone
		var h, s bytes.Buffer
		printHistory(&h, cfg, []pipeline.RunRow{run})
		printStatus(&s, cfg, &pipeline.StatusReport{Registry: true, LastRun: &run})
		if !strings.Contains(h.String(), tt.history) {
			t.Errorf("%s: history lacks %q:\n%s", tt.zone, tt.history, h.String())
		}
		if !strings.Contains(s.String(), tt.status) {
			t.Errorf("%s: status lacks %q:\n%s", tt.zone, tt.status, s.String())
		}
	}
}

// TestOnFailure: a failed run is recorded failed with its error, publishes
// nothing, and runs on_failure with the run's ID, error and database; a
// failing or slow on_failure is logged and changes nothing else.
func TestOnFailure(t *testing.T) {
	for _, tc := range []struct {
		name, command, wantLog string
		timeout                int
	}{
		{"writes a file", `printf '%s|%s|%s|%s' "$LIUDONG_RUN_ID" "$LIUDONG_EXIT_CODE" "$LIUDONG_DB" "$LIUDONG_ERROR" > "$HOOK_OUT"`, "on_failure command ran", 60},
		{"fails", `echo cannot send >&2; exit 3`, "on_failure command failed", 60},
		{"too slow", `sleep 30`, "on_failure command timed out", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, args := opsDir(t, "on_failure:\n  command: '"+strings.ReplaceAll(tc.command, "'", "''")+"'\n  timeout_seconds: "+strconv.Itoa(tc.timeout)+"\n")
			hookOut := filepath.Join(dir, "hook.txt")
			t.Setenv("HOOK_OUT", hookOut)
			// out.dir is a file: the run fails at its last stage, after
			// loading and reconciling.
			writeFile(t, filepath.Join(dir, "out"), "not a folder")
			var out, errb bytes.Buffer
			t0 := time.Now()
			if code := Do(args("run"), nil, &out, &errb); code != ExitFailed {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFailed, errb.String())
			}
			if took := time.Since(t0); took > 20*time.Second {
				t.Errorf("run with on_failure took %v", took)
			}
			if !strings.Contains(errb.String(), tc.wantLog) {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, errb.String())
			}
			db, err := sql.Open("duckdb", filepath.Join(dir, "r.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var status, msg string
			if err := db.QueryRow(`SELECT status, error FROM runs WHERE run_id = 1`).Scan(&status, &msg); err != nil {
				t.Fatal(err)
			}
			if status != "failed" || !strings.Contains(msg, "output") {
				t.Errorf("run recorded %s with error %q", status, msg)
			}
			if tc.name != "writes a file" {
				return
			}
			b, err := os.ReadFile(hookOut)
			if err != nil {
				t.Fatalf("on_failure did not run: %v", err)
			}
			parts := strings.SplitN(string(b), "|", 4)
			if len(parts) != 4 || parts[0] != "1" || parts[1] != "1" || parts[2] != filepath.Join(dir, "r.duckdb") || !strings.Contains(parts[3], "output") {
				t.Errorf("on_failure environment: %q", b)
			}
		})
	}
}

// TestSchedule runs the pipeline every second (a six-field cron), stops on
// cancel (what SIGINT/SIGTERM do through Do's context), and checks runs never
// overlapped and none is left marked running.
func TestSchedule(t *testing.T) {
	dir, _ := opsDir(t, "schedule:\n  cron: \"* * * * * *\"\n  timezone: Asia/Shanghai\n")
	fs, cf := testFlags(t, "--config", filepath.Join(dir, "config.yaml"), "--inbox", filepath.Join(dir, "inbox"),
		"--db", filepath.Join(dir, "r.duckdb"), "--out", filepath.Join(dir, "out"))
	cfg, err := loadConfig(fs, cf, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	logs := &syncBuffer{b: &errb}
	e := &env{stdout: &out, stderr: logs}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runSchedule(ctx, e, cfg, nil) }()
	// Two runs finished, then the signal (a fixed wait failed on a loaded
	// machine, where one run took two seconds).
	for deadline := time.Now().Add(60 * time.Second); logs.count(`"message":"run finished"`) < 2 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("schedule did not stop within 30 s of the signal")
	}
	if !strings.Contains(out.String(), "定时运行已启动") {
		t.Errorf("stdout: %s", out.String())
	}
	db, err := sql.Open("duckdb", cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT run_id, status, started_at, ended_at FROM runs ORDER BY run_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var prevEnd time.Time
	n := 0
	for rows.Next() {
		var id int
		var status string
		var start time.Time
		var end sql.NullTime
		if err := rows.Scan(&id, &status, &start, &end); err != nil {
			t.Fatal(err)
		}
		n++
		if status == "running" || !end.Valid {
			t.Errorf("run %d left %s", id, status)
		}
		if start.Before(prevEnd) {
			t.Errorf("run %d started before the previous ended", id)
		}
		prevEnd = end.Time
	}
	if n < 2 {
		t.Errorf("%d scheduled runs in a minute of a every-second schedule, want at least 2; log:\n%s", n, errb.String())
	}

	cfg.Schedule.Cron = "every night"
	if err := runSchedule(context.Background(), e, cfg, nil); err == nil {
		t.Error("a bad cron expression was accepted")
	} else if code, _, _ := explain(err); code != ExitUsage {
		t.Errorf("bad cron: exit %d, want %d", code, ExitUsage)
	}
}

// syncBuffer is a bytes.Buffer several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// count counts sub in what was written so far.
func (s *syncBuffer) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), sub)
}

// TestProgress: on a terminal the bar is wiped before each log line and
// drawn again after; elsewhere a log line with rows per second comes
// periodically.
func TestProgress(t *testing.T) {
	var term bytes.Buffer
	p := newProgress(&term, time.Hour)
	p.update(pipeline.Progress{Stage: "ingest", Started: time.Now().Add(-2 * time.Second), Done: 3, Total: 10, Rows: 1000})
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	p.Write([]byte("a log line\n"))
	p.Close()
	s := term.String()
	if !strings.Contains(s, "3/10 个文件") || !strings.Contains(s, "1000 行") || !strings.Contains(s, "行/秒") {
		t.Errorf("bar: %q", s)
	}
	if !strings.Contains(s, "\r\033[Ka log line\n") {
		t.Errorf("the bar was not wiped before the log line: %q", s)
	}
	if !strings.HasSuffix(s, "\r\033[K") {
		t.Errorf("the bar was not wiped at the end: %q", s)
	}

	var logb bytes.Buffer
	lp := newProgress(nil, 20*time.Millisecond)
	lp.setLog(zerolog.New(&syncBuffer{b: &logb}))
	lp.update(pipeline.Progress{Stage: "ingest", Started: time.Now().Add(-time.Second), Done: 1, Total: 4, Rows: 500})
	time.Sleep(100 * time.Millisecond)
	lp.Close()
	if !strings.Contains(logb.String(), `"message":"progress"`) || !strings.Contains(logb.String(), `"rows_per_second"`) {
		t.Errorf("progress log lines: %s", logb.String())
	}
}
