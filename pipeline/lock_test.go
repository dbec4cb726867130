package pipeline

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLockRegistryConflicts takes the lock twice in one process: flock locks
// belong to the open file, so the second handle (its own descriptor) must
// be refused, naming the holder, until the first is released.
func TestLockRegistryConflicts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "r.duckdb")
	started := time.Date(2026, 11, 25, 2, 0, 0, 0, time.FixedZone("CST", 8*3600))
	l1, err := LockRegistry(db, "run", started)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockRegistry(db, "demo", time.Now())
	le, ok := IsLocked(err)
	if !ok {
		t.Fatalf("second lock: %v, want a LockedError", err)
	}
	if le.PID != os.Getpid() || !le.Started.Equal(started) || le.Command != "liudong run" {
		t.Errorf("holder = %+v, want pid %d, started %v, liudong run", le, os.Getpid(), started)
	}
	for _, want := range []string{"process", "2026-11-25 02:00:00", "r.duckdb.lock"} {
		if !strings.Contains(le.Error(), want) {
			t.Errorf("message %q lacks %q", le.Error(), want)
		}
	}
	if err := l1.Release(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(LockPath(db)); len(b) != 0 {
		t.Errorf("released lock file still names a holder: %q", b)
	}
	l2, err := LockRegistry(db, "run", time.Now())
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	l2.Release()
	l2.Release() // twice is harmless
}

// TestLockHelperProcess is not a test: TestLockReleasedWhenHolderKilled
// runs the test binary with LIUDONG_TEST_LOCK_DB set to hold a lock in
// another process.
func TestLockHelperProcess(t *testing.T) {
	db := os.Getenv("LIUDONG_TEST_LOCK_DB")
	if db == "" {
		t.Skip("helper process only")
	}
	if _, err := LockRegistry(db, "run", time.Now()); err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("locked\n")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// TestLockReleasedWhenHolderKilled: another process holds the lock, a run
// here is refused naming that PID; the holder is SIGKILLed (no cleanup) and
// the lock is free at once, though its file still names the dead holder.
func TestLockReleasedWhenHolderKilled(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "LIUDONG_TEST_LOCK_DB="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("helper: %q", line)
	}
	_, err = LockRegistry(db, "run", time.Now())
	le, ok := IsLocked(err)
	if !ok || le.PID != cmd.Process.Pid {
		t.Fatalf("lock held by helper %d: got %v", cmd.Process.Pid, err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if b, _ := os.ReadFile(LockPath(db)); !strings.Contains(string(b), "pid:") {
		t.Errorf("the killed holder's name should stay in the file, got %q", b)
	}
	l, err := LockRegistry(db, "run", time.Now())
	if err != nil {
		t.Fatalf("lock after the holder was killed: %v", err)
	}
	l.Release()
}
