package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/ingest"
	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/rules"
)

// Run statuses, stable values of runs.status and summary.json.
const (
	RunRunning     = "running"
	RunOK          = "ok"
	RunQuarantined = "quarantined" // done, but some files in the inbox could not be read
	RunFailed      = "failed"
)

// Options are what a run needs besides the configuration.
type Options struct {
	Version string
	Log     zerolog.Logger
	// Now returns the current time; nil means time.Now. Tests fix it.
	Now func() time.Time
	// Command names the caller in the lock file ("run", "demo", "schedule").
	Command string
	// Progress, when set, hears how long steps advance (progress.go).
	Progress ProgressFunc

	loc *time.Location // the street's time zone, set by Run
}

func (o Options) command() string {
	if o.Command == "" {
		return "run"
	}
	return o.Command
}

// now is the current time, in the street's time zone once Run has set it.
func (o Options) now() time.Time {
	t := time.Now()
	if o.Now != nil {
		t = o.Now()
	}
	if o.loc != nil {
		t = t.In(o.loc)
	}
	return t
}

// Run runs the nightly pipeline once and returns its summary. The summary is
// returned, marked failed, also when the run fails after it started.
func Run(ctx context.Context, cfg Config, opts Options) (*output.Summary, error) {
	log := opts.Log
	loc, err := cfg.Location()
	if err != nil {
		return nil, fmt.Errorf("timezone: %w", err)
	}
	opts.loc = loc
	defer limitGoMemory(cfg.GoMemoryLimit, os.Getenv)()
	// The run's one reference time, in the street's zone whatever the
	// machine's: its date is the run's date everywhere (runs.run_day, the
	// cleaner, contacts' year and 失联, out/<date>/, workbooks, certificates).
	started := opts.now()
	sum := &output.Summary{
		Version: opts.Version, Street: cfg.Street, Started: started, Status: RunRunning,
		Database: cfg.Database, Inbox: cfg.Inbox.Dir,
	}
	timer := stageTimer{sum: sum, progress: opts.Progress}

	// One run at a time (lock.go); a copy of the registry before a run that
	// changes it (backup.go).
	lock, err := LockRegistry(cfg.Database, opts.command(), started)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	timer.start("backup")
	fingerprint := configFingerprint(cfg, opts.Version)
	backup, err := backupBeforeRun(ctx, cfg, fingerprint, started, log)
	if err != nil {
		return nil, err
	}

	timer.start("open")
	db, err := OpenDB(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.limitMemory(ctx, "database_memory_limit", cfg.DatabaseMemoryLimit); err != nil {
		return nil, err
	}
	if n, err := db.markInterrupted(ctx); err != nil {
		return nil, fmt.Errorf("record interrupted runs: %w", err)
	} else if n > 0 {
		log.Warn().Int64("runs", n).Msg("earlier runs were interrupted; recorded as failed")
	}
	if err := db.fillRunDays(ctx, loc); err != nil {
		return nil, fmt.Errorf("record the days of earlier runs: %w", err)
	}
	runID, err := db.startRun(ctx, started, opts.Version, cfg.Inbox.Dir)
	if err != nil {
		return nil, fmt.Errorf("record run start: %w", err)
	}
	sum.RunID = runID
	log = log.With().Int("run_id", runID).Logger()
	log.Info().Str("database", cfg.Database).Str("inbox", cfg.Inbox.Dir).Msg("run started")

	err = runStages(ctx, db, cfg, opts, log, sum, &timer)
	timer.stop()
	sum.Finished = opts.now()
	if err != nil {
		sum.Status = RunFailed
		sum.Error = err.Error()
		tallySummary(sum) // what it read before it failed, for history
	}
	if ferr := db.finishRun(context.WithoutCancel(ctx), sum); ferr != nil {
		err = errors.Join(err, fmt.Errorf("record run end: %w", ferr))
	} else if herr := db.recordRunHistory(context.WithoutCancel(ctx), sum, backup, fingerprint); herr != nil {
		err = errors.Join(err, fmt.Errorf("record run end: %w", herr))
	}
	return sum, err
}

func runStages(ctx context.Context, db *DB, cfg Config, opts Options, log zerolog.Logger, sum *output.Summary, timer *stageTimer) error {
	timer.start("scan")
	files, ignored, err := scanInbox(cfg)
	if err != nil {
		return err
	}
	for _, ig := range ignored {
		sum.Ignored = append(sum.Ignored, output.Ignored{Path: ig.Rel, Reason: ig.Reason})
	}
	plan, err := db.plan(ctx, sum.RunID, files)
	if err != nil {
		return err
	}
	log.Info().Int("files", len(files)).Int("ignored", len(ignored)).Msg("inbox scanned")

	timer.start("ingest")
	cleaner, err := rules.NewCleaner(cfg.Rules, sum.Started)
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	if err := ingestFiles(ctx, db, cfg, cleaner, plan, log.With().Str("stage", "ingest").Logger(), sum, opts.Progress); err != nil {
		return err
	}

	timer.start("match")
	mres, err := db.Match(ctx, sum.RunID, cfg.Rules.Match, log.With().Str("stage", "match").Logger())
	if err != nil {
		return fmt.Errorf("match: %w", err)
	}
	sum.Match = &output.Match{Records: mres.Records, Pairs: mres.Pairs, Links: mres.Links, Reviews: mres.Reviews,
		Converged: mres.Converged, Incremental: mres.Incremental, NewRecords: mres.NewRecords}
	for _, rc := range mres.Rules {
		sum.Match.Rules = append(sum.Match.Rules, output.RulePairs{Rule: rc.Rule, Pairs: rc.Pairs, NewPairs: rc.NewPairs})
	}

	timer.start("reconcile")
	began := time.Now()
	mr, err := db.reconcileMembers(ctx, sum.RunID, cfg.Rules, sum.Started, log.With().Str("stage", "reconcile").Logger(),
		func() { opts.Progress.report(Progress{Stage: "reconcile", Started: began, Done: 1}) })
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	if sum.Members, err = db.memberSummary(ctx, mr); err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}

	timer.start("output")
	// The night's changes are checkpointed before the outputs read them, and
	// before the output stage's own writes (certificates) can hold a
	// transaction open beside it: DuckDB 2.0 writes the same rows into
	// Parquet in other bytes when it reads them from changes not yet
	// checkpointed (the members' contact columns came out a few bytes
	// longer, with the same values), so a first night's files and a rerun's
	// differed. Closing the registry would checkpoint them anyway.
	if _, err := db.ExecContext(ctx, `CHECKPOINT`); err != nil {
		return fmt.Errorf("output: checkpoint: %w", err)
	}
	// The workbooks' Go heap grows beside DuckDB's cache from here on: at
	// 1M persons the run's peak, 12.8 GiB in all with the cache at 8GB
	// (8.3 GiB with it lowered to 2GB here).
	if err := db.limitMemory(ctx, "database_output_memory_limit", cfg.DatabaseOutputMemoryLimit); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tallySummary(sum)
	sum.Status = RunOK
	if sum.Totals.FilesQuarantined > 0 {
		sum.Status = RunQuarantined
	}
	sum.Finished = opts.now()
	dir, err := output.WriteRun(cfg.Out.Dir, sum, func(f *output.Folder) error {
		olog := log.With().Str("stage", "output").Logger()
		// The Parquet export (parquet.go) runs in DuckDB on its own
		// connection while the workbooks are built in Go: neither waits for
		// the other.
		parquet := make(chan error, 1)
		go func() { parquet <- db.exportParquet(ctx, f, olog) }()
		werr := db.writeWorkbooks(ctx, f, cfg, sum, olog)
		return errors.Join(werr, <-parquet)
	})
	if err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	log.Info().Str("dir", dir).Msg("outputs written")
	return nil
}

// ingestFiles reads the planned files, several at once, each worker loading
// what it reads into a group of files committed together (loader). Progress
// counts a file when it is read; its summary and log line come when its
// group is committed, or at once when it is quarantined.
func ingestFiles(ctx context.Context, db *DB, cfg Config, cleaner *rules.Cleaner, plan []plannedFile, log zerolog.Logger, sum *output.Summary, progress ProgressFunc) error {
	var todo []int
	sum.Files = make([]output.FileSummary, len(plan))
	for i, pf := range plan {
		fs := output.FileSummary{Path: pf.Rel, Kind: string(pf.Kind), Action: string(pf.Action)}
		if pf.Prior != nil && pf.Action == actionUnchanged {
			fs.Accepted, fs.Rejected, fs.Skipped = pf.Prior.Accepted, pf.Prior.Rejected, pf.Prior.Skipped
			if pf.Prior.Status == "quarantined" {
				fs.Action = "quarantined"
				fs.Code, fs.Reason, fs.Hint = pf.Prior.QuarantineCode.String, pf.Prior.Reason.String, pf.Prior.Hint.String
			}
		}
		if pf.Action == actionDuplicate && pf.Prior != nil {
			fs.DupOf = pf.Prior.Path
		}
		sum.Files[i] = fs
		if pf.Action == actionLoad {
			todo = append(todo, i)
		}
	}
	defer ingestGC()()
	jobs := make(chan int)
	results := make(chan readResult)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < cfg.Ingest.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loadFiles(ctx, db, sum.RunID, plan, jobs, results, func(pf plannedFile, sink func(*ingest.Record) error) (*ingest.Result, error) {
				return readFile(pf, cfg, cleaner, sink)
			})
		}()
	}
	go func() {
		defer close(jobs)
		for _, i := range todo {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var firstErr error
	prog := Progress{Stage: "ingest", Started: time.Now(), Total: len(todo)}
	progress.report(prog)
	counted := make([]bool, len(plan)) // in prog already, when read into a group
	for r := range results {
		if firstErr != nil {
			continue // drain
		}
		if !counted[r.idx] {
			counted[r.idx] = true
			prog.Done++
			if r.res != nil {
				acc, rej := r.res.Counts()
				prog.Rows += int64(acc + rej + r.res.Skipped)
			}
			progress.report(prog)
		}
		if r.read {
			continue // reported again once its group commits
		}
		pf := plan[r.idx]
		fs := &sum.Files[r.idx]
		fs.ReadTime = r.took.Seconds()
		var q *ingest.QuarantineError
		switch {
		case errors.As(r.err, &q):
			if err := db.quarantineFile(ctx, sum.RunID, pf, q); err != nil {
				firstErr = fmt.Errorf("record quarantine of %s: %w", pf.Rel, err)
				cancel()
				continue
			}
			fs.Action, fs.Code, fs.Reason, fs.Hint = "quarantined", q.Code, q.Reason, q.Hint
			log.Warn().Str("file", pf.Rel).Str("code", q.Code).Msg("file quarantined")
		case r.err != nil:
			firstErr = fmt.Errorf("read and load %s: %w", pf.Rel, r.err)
			cancel()
		default:
			fs.Action = "loaded"
			fs.Format, fs.Encoding = string(r.res.Info.Format), r.res.Info.Encoding
			fs.Accepted, fs.Rejected = r.res.Counts()
			fs.Skipped = r.res.Skipped
			fs.Unmapped = r.res.Unmapped
			for _, s := range r.res.Info.Sheets {
				if s.Skipped != "" {
					fs.Sheets = append(fs.Sheets, s.Name+"："+s.Skipped)
				}
			}
			log.Info().Str("file", pf.Rel).Str("kind", string(pf.Kind)).Int("accepted", fs.Accepted).
				Int("rejected", fs.Rejected).Int("skipped", fs.Skipped).Float64("seconds", r.took.Round(time.Millisecond).Seconds()).Msg("file loaded")
		}
	}
	return firstErr
}

// readResult is what a loading worker reports of a planned file (idx).
type readResult struct {
	idx  int
	res  *ingest.Result
	err  error
	took time.Duration
	read bool // read into a group not yet committed: counts for progress only
}

// loadFiles is one ingest worker: it reads and loads the planned files
// whose indexes it takes from jobs, into groups on a loader of its own, and
// reports each on results as read and again once its group commits (a
// quarantined file at once). At any other error it reports it and stops:
// the open group is lost and its files stay pending.
func loadFiles(ctx context.Context, db *DB, runID int, plan []plannedFile, jobs <-chan int, results chan<- readResult,
	read func(plannedFile, func(*ingest.Record) error) (*ingest.Result, error)) {
	send := func(r readResult) bool {
		select {
		case results <- r:
			return true
		case <-ctx.Done():
			return false
		}
	}
	l, err := db.newLoader(ctx, runID)
	if err != nil {
		if i, ok := <-jobs; ok {
			send(readResult{idx: i, err: err}) // fails the run
		}
		return
	}
	defer l.close(ctx)
	var held []readResult // read into the open group
	commit := func() bool {
		err := l.commit(ctx)
		for _, r := range held {
			if err != nil {
				r.res, r.err = nil, err
			}
			if !send(r) {
				return false
			}
		}
		held = held[:0]
		return err == nil
	}
	for i := range jobs {
		t0 := time.Now()
		res, err := l.load(ctx, plan[i], func(sink func(*ingest.Record) error) (*ingest.Result, error) {
			return read(plan[i], sink)
		})
		r := readResult{idx: i, res: res, err: err, took: time.Since(t0)}
		var q *ingest.QuarantineError
		switch {
		case errors.As(err, &q):
			if !send(r) {
				return
			}
		case err != nil:
			send(r)
			return
		default:
			held = append(held, r)
			if !send(readResult{idx: i, res: res, read: true}) || l.full() && !commit() {
				return
			}
		}
	}
	commit()
}

// ingestGCPercent is the collector's target during ingest. Reading makes
// garbage fast over a small live heap (two maps and their strings per row,
// dropped once the row is appended), so at Go's default of 100 the collector
// runs every few megabytes for little. At 400, BenchmarkIngest (interleaved
// with 100, two runs each) read 4-7% more rows a second at 10k and 100k
// persons; 100k's peak memory went from 0.90-0.97 to 1.01-1.05 GB, below
// the run's peak (output).
const ingestGCPercent = 400

// ingestGC sets the collector's target for ingest and returns what restores
// it. A target other than Go's default stands: the operator set GOGC (a
// GOGC=100 set on purpose cannot be told from the default, and is raised).
func ingestGC() (restore func()) {
	prev := debug.SetGCPercent(ingestGCPercent)
	if prev != 100 {
		debug.SetGCPercent(prev)
	}
	return func() { debug.SetGCPercent(prev) }
}

// limitGoMemory sets the Go heap's soft limit (go_memory_limit, checked by
// Config.Validate) for a run and returns what restores it. GOMEMLIMIT in
// the environment stands: the operator chose it for the process.
func limitGoMemory(limit string, getenv func(string) string) (restore func()) {
	n, err := parseSize(limit)
	if limit == "" || err != nil || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(n)
	return func() { debug.SetMemoryLimit(prev) }
}

// readFile reads and cleans one file into sink; a panic anywhere below
// becomes a quarantine, so one bad file never stops the night.
func readFile(pf plannedFile, cfg Config, cleaner *rules.Cleaner, sink func(*ingest.Record) error) (res *ingest.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &ingest.QuarantineError{
				Code:   "damaged",
				Reason: fmt.Sprintf("读取时出现内部错误（%v）", p),
				Hint:   "请用 Excel 或 WPS 打开并另存为新的 .xlsx 后重新放入；如仍出错请联系维护人员",
			}
		}
	}()
	return ingest.FileTo(pf.Abs, pf.Rel, pf.Kind, cfg.Ingest, cleaner, sink)
}

// tallySummary adds up the per-file results by kind.
func tallySummary(sum *output.Summary) {
	byKind := map[string]*output.Counts{}
	for _, k := range ingest.Kinds() {
		byKind[string(k)] = &output.Counts{}
	}
	for _, f := range sum.Files {
		c := byKind[f.Kind]
		if c == nil {
			continue
		}
		switch f.Action {
		case string(actionSuperseded):
			c.FilesSuperseded++
			continue
		case string(actionRemoved):
			c.FilesRemoved++
			continue
		case "loaded":
			c.FilesLoaded++
			c.RowsAccepted += f.Accepted
			c.RowsRejected += f.Rejected
			c.RowsSkipped += f.Skipped
		case string(actionUnchanged):
			c.FilesUnchanged++
		case string(actionDuplicate):
			c.FilesDuplicate++
		case "quarantined":
			c.FilesQuarantined++
		}
		c.FilesSeen++
	}
	sum.Kinds = nil
	sum.Totals = output.Counts{}
	for _, k := range ingest.Kinds() {
		c := byKind[string(k)]
		sum.Kinds = append(sum.Kinds, output.KindCounts{Kind: string(k), Counts: *c})
		sum.Totals.Add(*c)
	}
}

// stageTimer records how long each stage takes into the summary.
type stageTimer struct {
	sum      *output.Summary
	name     string
	began    time.Time
	progress ProgressFunc
}

func (t *stageTimer) start(name string) {
	t.stop()
	t.name, t.began = name, time.Now()
	t.progress.report(Progress{Stage: name, Started: t.began})
}

func (t *stageTimer) stop() {
	if t.name == "" {
		return
	}
	t.progress.report(Progress{Stage: t.name, Started: t.began, Final: true})
	t.sum.Stages = append(t.sum.Stages, output.Stage{Name: t.name, Seconds: time.Since(t.began).Seconds()})
	t.name = ""
}

func (db *DB) startRun(ctx context.Context, started time.Time, version, inbox string) (int, error) {
	var id int
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) + 1 FROM runs`).Scan(&id); err != nil {
			return err
		}
		// started_at is stored as UTC; run_day is the date where the street is.
		_, err := tx.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, run_day, status, version, inbox)
			VALUES (?, ?, CAST(? AS DATE), ?, ?, ?)`,
			id, started, started.Format("2006-01-02"), RunRunning, version, inbox)
		return err
	})
	return id, err
}

// fillRunDays gives the runs recorded before migration 0012 their day: the
// date of started_at (UTC) in the street's zone loc. Once done it finds
// nothing to do.
func (db *DB) fillRunDays(ctx context.Context, loc *time.Location) error {
	rows, err := db.QueryContext(ctx, `SELECT run_id, started_at FROM runs WHERE run_day IS NULL`)
	if err != nil {
		return err
	}
	days := map[int]string{}
	for rows.Next() {
		var id int
		var started time.Time
		if err := rows.Scan(&id, &started); err != nil {
			rows.Close()
			return err
		}
		days[id] = started.In(loc).Format("2006-01-02")
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(days) == 0 {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for id, day := range days {
			if _, err := tx.ExecContext(ctx, `UPDATE runs SET run_day = CAST(? AS DATE) WHERE run_id = ?`, day, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) finishRun(ctx context.Context, sum *output.Summary) error {
	counts, _ := json.Marshal(sum.Kinds)
	stages := map[string]float64{}
	for _, s := range sum.Stages {
		stages[s.Name] += s.Seconds
	}
	timings, _ := json.Marshal(stages)
	t := sum.Totals
	_, err := db.ExecContext(ctx, `UPDATE runs SET ended_at = ?, status = ?, files_seen = ?, files_loaded = ?, files_unchanged = ?,
		files_superseded = ?, files_removed = ?, files_quarantined = ?, rows_accepted = ?, rows_rejected = ?, rows_skipped = ?,
		counts = ?, stage_timings = ?, error = ? WHERE run_id = ?`,
		sum.Finished, sum.Status, t.FilesSeen, t.FilesLoaded, t.FilesUnchanged, t.FilesSuperseded, t.FilesRemoved,
		t.FilesQuarantined, t.RowsAccepted, t.RowsRejected, t.RowsSkipped, string(counts), string(timings),
		nullable(sum.Error), sum.RunID)
	return err
}
