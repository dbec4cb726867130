package pipeline

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// Lock is the one-run-at-a-time lock of a registry: an OS file lock
// (flock) on <database>.lock. The kernel releases it when the holding
// process ends in any way, so a crash never leaves a lock that blocks the
// next night. The file names the holder (PID, start, command) for the
// message a second process prints.
type Lock struct {
	fl   *flock.Flock
	path string
}

// LockedError is returned when another process holds the registry's lock.
type LockedError struct {
	Path    string    // the lock file
	PID     int       // 0 when the holder has not written its name yet
	Started time.Time // zero when unknown
	Command string
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("process %d", e.PID)
		if e.Command != "" {
			who += fmt.Sprintf(" (%s)", e.Command)
		}
	}
	since := ""
	if !e.Started.IsZero() {
		since = ", started " + e.Started.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprintf("registry is in use by %s%s (lock %s)", who, since, e.Path)
}

// LockPath is the lock file of a database.
func LockPath(database string) string { return database + ".lock" }

// LockRegistry takes the registry's lock without waiting; when another
// process holds it, it returns a *LockedError naming the holder. command
// ("run", "restore" …) is written into the lock file with the PID and now.
func LockRegistry(database, command string, now time.Time) (*Lock, error) {
	path := LockPath(database)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	fl := flock.New(path, flock.SetPermissions(0o644))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, holderOf(path)
	}
	l := &Lock{fl: fl, path: path}
	body := fmt.Sprintf("pid: %d\nstarted: %s\ncommand: liudong %s\n", os.Getpid(), now.Format(time.RFC3339), command)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		fl.Unlock()
		return nil, fmt.Errorf("write lock %s: %w", path, err)
	}
	return l, nil
}

// Release empties the lock file and releases the lock. Safe to call twice.
func (l *Lock) Release() error {
	if l == nil || !l.fl.Locked() {
		return nil
	}
	// An empty file says nobody holds it; a crash leaves the last holder's
	// name, which only a process that gets the lock overwrites.
	os.Truncate(l.path, 0)
	return l.fl.Unlock()
}

// holderOf reads who holds the lock at path. The holder writes its name
// just after taking the lock, so an empty file is read again for a moment.
func holderOf(path string) *LockedError {
	e := &LockedError{Path: path}
	for range 20 {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			parseHolder(string(b), e)
			if e.PID > 0 {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return e
}

func parseHolder(s string, e *LockedError) {
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "pid":
			e.PID, _ = strconv.Atoi(v)
		case "started":
			e.Started, _ = time.Parse(time.RFC3339, v)
		case "command":
			e.Command = v
		}
	}
}

// IsLocked reports whether err says the registry is in use.
func IsLocked(err error) (*LockedError, bool) {
	var le *LockedError
	ok := errors.As(err, &le)
	return le, ok
}

// LockHolder returns who holds the registry's lock, or nil when nobody
// does. It only reads (it never takes the lock, so it cannot delay a run):
// the name in the file counts when that process is alive.
func LockHolder(database string) *LockedError {
	b, err := os.ReadFile(LockPath(database))
	if err != nil || len(b) == 0 {
		return nil
	}
	e := &LockedError{Path: LockPath(database)}
	parseHolder(string(b), e)
	if e.PID <= 0 || !processAlive(e.PID) {
		return nil
	}
	return e
}
