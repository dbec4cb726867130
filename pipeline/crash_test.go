//go:build unix

package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/sampledata"
)

// TestCrashHelperProcess is not a test: TestCrashSafety runs the test
// binary with LIUDONG_TEST_CRASH_DIR set to have it be the pipeline, once,
// over <dir>/inbox. LIUDONG_TEST_CRASH_AT=<stage>[:<files>|:end] makes it
// SIGKILL itself when the run reaches that point (through the Progress
// hook, so production code has no crash switch).
func TestCrashHelperProcess(t *testing.T) {
	dir := os.Getenv("LIUDONG_TEST_CRASH_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	cfg := testConfig(dir)
	opts := Options{Version: "test", Log: zerolog.Nop(), Now: fixedNow}
	if at := os.Getenv("LIUDONG_TEST_CRASH_AT"); at != "" {
		stage, when, _ := strings.Cut(at, ":")
		n, _ := strconv.Atoi(when)
		opts.Progress = func(p Progress) {
			hit := p.Stage == stage && (when == "" && !p.Final && p.Done == 0 ||
				when == "end" && p.Final || n > 0 && !p.Final && p.Done == n)
			if hit {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				time.Sleep(time.Minute)
			}
		}
	}
	if _, err := Run(context.Background(), cfg, opts); err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// crashRun runs the pipeline in a child process over dir; with at set it
// kills itself there; with after > 0 the test kills it after that long. It
// reports whether the child was killed.
func crashRun(t *testing.T, dir, at string, after time.Duration) (killed bool, took time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$")
	cmd.Env = append(os.Environ(), "LIUDONG_TEST_CRASH_DIR="+dir, "LIUDONG_TEST_CRASH_AT="+at)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if after > 0 {
		timer := time.AfterFunc(after, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	took = time.Since(t0)
	if err == nil {
		return false, took
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return true, took
	}
	t.Fatalf("pipeline failed (not killed): %v\n%s", err, stderr.String())
	return false, took
}

// crashState is what a run leaves that must not depend on crashes: the
// registry's digest and the workbooks' cell values.
type crashState struct {
	registry string
	outputs  map[string]string // file → normalised content
}

func readCrashState(t *testing.T, dir string) crashState {
	t.Helper()
	cfg := testConfig(dir)
	db := openTestDB(t, cfg)
	s := crashState{registry: registryDigest(t, db), outputs: map[string]string{}}
	var links, running int
	var linkHash string
	if err := db.QueryRow(`SELECT count(*), coalesce(CAST(sum(hash(l_record_id, r_record_id, decision, round(probability, 9))) AS VARCHAR), '0') FROM link`).Scan(&links, &linkHash); err != nil {
		t.Fatal(err)
	}
	s.registry += fmt.Sprintf(" links %d/%s", links, linkHash)
	db.QueryRow(`SELECT count(*) FROM runs WHERE status = 'running'`).Scan(&running)
	if running != 0 {
		t.Errorf("%d runs still marked running after a complete run", running)
	}
	db.Close()
	latest := checkLatest(t, cfg.Out.Dir)
	if latest == "" {
		t.Fatal("no out/latest after a complete run")
	}
	raw, _ := os.ReadFile(filepath.Join(latest, "manifest.json"))
	var m struct {
		Files map[string]string `json:"files"`
	}
	json.Unmarshal(raw, &m)
	for name := range m.Files {
		if strings.HasPrefix(name, "summary.") {
			continue // the run's own account: its ID, times, what it read
		}
		if strings.HasPrefix(name, "parquet/") {
			continue // the registry's export (parquet.go), compared through the registry digest
		}
		// PDFs are the same bytes for the same content and day.
		if strings.HasSuffix(name, ".pdf") {
			s.outputs[name] = m.Files[name]
			continue
		}
		// Workbook bytes differ from run to run (excelize writes the zip
		// entries in map order): compare cell values.
		s.outputs[name] = dumpWorkbook(t, filepath.Join(latest, name))
	}
	return s
}

// checkLatest checks out/latest, when present, points at a complete folder:
// a manifest whose every file is there with its SHA-256. It returns the
// folder ("" when there is no latest yet).
func checkLatest(t *testing.T, out string) string {
	t.Helper()
	latest := filepath.Join(out, "latest")
	if _, err := os.Lstat(latest); os.IsNotExist(err) {
		return ""
	}
	dir, err := filepath.EvalSymlinks(latest)
	if err != nil {
		t.Errorf("out/latest is broken: %v", err)
		return ""
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Errorf("out/latest → %s has no manifest: a partial folder", dir)
		return ""
	}
	var m struct {
		Files map[string]string `json:"files"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || len(m.Files) == 0 {
		t.Errorf("out/latest manifest unreadable: %v", err)
		return ""
	}
	for name, want := range m.Files {
		got, _, err := hashFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || got != want {
			t.Errorf("out/latest/%s: sha256 %s, manifest %s (%v)", name, got, want, err)
		}
	}
	return dir
}

// lastRunFinished reports whether the newest run in dir's registry was
// recorded as finished, read without changing anything.
func lastRunFinished(t *testing.T, dir string) bool {
	t.Helper()
	path := testConfig(dir).Database
	if _, err := os.Stat(path); err != nil {
		return false
	}
	db, err := openReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var status string
	db.QueryRow(`SELECT status FROM runs ORDER BY run_id DESC LIMIT 1`).Scan(&status)
	return status == RunOK || status == RunQuarantined
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		_, _, err = copyFile(p, target)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (s crashState) diff(ref crashState) []string {
	var out []string
	if s.registry != ref.registry {
		out = append(out, fmt.Sprintf("registry:\n  want %s\n  got  %s", ref.registry, s.registry))
	}
	var names []string
	for n := range ref.outputs {
		names = append(names, n)
	}
	for n := range s.outputs {
		if _, ok := ref.outputs[n]; !ok {
			out = append(out, "extra output "+n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if got, ok := s.outputs[n]; !ok {
			out = append(out, "missing output "+n)
		} else if got != ref.outputs[n] {
			out = append(out, fmt.Sprintf("output %s differs: %s", n, firstDiff(ref.outputs[n], got)))
		}
	}
	return out
}

// TestCrashSafety kills the pipeline (SIGKILL, no cleanup) at named points
// of every stage and after random delays, reruns it, and checks that the
// registry (records, findings, files, members and their IDs and statuses,
// discrepancies, links) and the workbooks equal those of a run that was
// never interrupted, and that out/latest never points at a partial folder.
// LIUDONG_CRASH_TRIALS sets the number of random trials (default 12).
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and reruns the pipeline many times")
	}
	template := t.TempDir()
	if _, err := sampledata.Generate(template, sampledata.Options{Persons: 60, Seed: 5, BadFiles: true}); err != nil {
		t.Fatal(err)
	}
	newDir := func() string {
		d := t.TempDir()
		copyTree(t, filepath.Join(template, "inbox"), filepath.Join(d, "inbox"))
		return d
	}
	refDir := newDir()
	if killed, _ := crashRun(t, refDir, "", 0); killed {
		t.Fatal("reference run killed")
	}
	// The second reference run times a whole run's wall clock (process
	// start, backup, ingest, match, reconcile, output) for the random kills.
	timeDir := newDir()
	_, full := crashRun(t, timeDir, "", 0)
	ref := readCrashState(t, refDir)
	t.Logf("uninterrupted run: %.2f s; %d output workbooks", full.Seconds(), len(ref.outputs))

	// check lets a run finish (unless one just did: a second complete run
	// would rightly mark nothing 新增) and compares with the reference.
	check := func(name, dir string, finished bool) {
		t.Helper()
		checkLatest(t, filepath.Join(dir, "out"))
		if !finished {
			if killed, _ := crashRun(t, dir, "", 0); killed {
				t.Fatalf("%s: the final run was killed", name)
			}
		}
		got := readCrashState(t, dir)
		for _, d := range got.diff(ref) {
			t.Errorf("%s: %s", name, d)
		}
		entries, _ := os.ReadDir(filepath.Join(dir, "out"))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("%s: leftover %s in out/", name, e.Name())
			}
		}
	}

	// Named points: the start of each stage, within ingest, between the
	// reconciliation's two transactions (members committed, contacts and
	// discrepancies not), the end of reconciliation (committed, no output
	// yet) and of output (published, run not yet recorded as finished).
	points := []string{"backup", "open", "scan", "ingest", "ingest:1", "ingest:5", "match", "match:end",
		"reconcile", "reconcile:1", "reconcile:end", "output", "output:end"}
	for _, at := range points {
		dir := newDir()
		if killed, _ := crashRun(t, dir, at, 0); !killed {
			t.Errorf("%s: the run was not killed there", at)
		}
		check("killed at "+at, dir, false)
	}

	trials := 12
	if s := os.Getenv("LIUDONG_CRASH_TRIALS"); s != "" {
		trials, _ = strconv.Atoi(s)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := 0
	var delays []string
	for i := range trials {
		dir := newDir()
		// One to three kills in a row at random moments of a run, then a
		// run left to finish.
		finished := false
		for k := 0; k < 1+rng.IntN(3) && !finished; k++ {
			d := time.Duration(rng.Int64N(int64(full) * 11 / 10))
			killed, _ := crashRun(t, dir, "", d)
			if killed {
				kills++
				delays = append(delays, fmt.Sprintf("%.2f", d.Seconds()))
			}
			// A kill as the process exits finds the run recorded finished.
			finished = !killed || lastRunFinished(t, dir)
			checkLatest(t, filepath.Join(dir, "out"))
		}
		check(fmt.Sprintf("random trial %d", i), dir, finished)
	}
	t.Logf("%d named points, %d random trials with %d kills (seconds into the run: %s)", len(points), trials, kills, strings.Join(delays, " "))
}
