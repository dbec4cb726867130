package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/rules"
	"github.com/baolong/liudong/sampledata"
)

// BenchmarkRunFromEmpty runs the whole pipeline (scan, read, clean, load,
// summary) over a generated inbox of 10,000 persons into an empty registry.
// LIUDONG_BENCH_PERSONS changes the size.
func BenchmarkRunFromEmpty(b *testing.B) {
	persons := benchPersons(b, "LIUDONG_BENCH_PERSONS", 10000)
	dir := b.TempDir()
	if _, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	rows := 0
	var took time.Duration
	for i := 0; b.Loop(); i++ {
		cfg := testConfig(dir)
		cfg.Database = filepath.Join(dir, "db", time.Now().Format("150405.000000")+".duckdb")
		cfg.Out.Dir = filepath.Join(dir, "out")
		t0 := time.Now()
		sum, err := Run(context.Background(), cfg, Options{Log: zerolog.Nop(), Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
		rows += sum.Totals.RowsAccepted + sum.Totals.RowsRejected
	}
	b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
}

// BenchmarkReconcile times what the issue calls reconciliation — matching
// and then members (clusters, stable IDs, golden records, statuses,
// discrepancies) — on an ingested sample of LIUDONG_MATCH_BENCH_PERSONS
// persons (default 20,000).
func BenchmarkReconcile(b *testing.B) {
	persons := benchPersons(b, "LIUDONG_MATCH_BENCH_PERSONS", 20_000)
	db, _ := ingestSample(b, persons, 5)
	cfg := rules.DefaultMatchConfig()
	rcfg := rules.DefaultConfig()
	var records int64
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		res, err := db.Match(context.Background(), 2000+i, cfg, zerolog.Nop())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.reconcileMembers(context.Background(), 2000+i, rcfg, time.Now(), zerolog.Nop(), func() {}); err != nil {
			b.Fatal(err)
		}
		records = res.Records
	}
	b.StopTimer()
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkExportParquet times the Parquet export of a run's registry
// (LIUDONG_PARQUET_BENCH_PERSONS persons, default 5,000): "fresh" into an
// output folder with no previous run, every file written; "unchanged" next
// to the run's own folder, every file linked from it (a night when nothing
// changed). rows/s counts the members and source records exported.
// LIUDONG_PARQUET_BENCH_DB names an existing registry to export instead
// (a copy: opening it applies pending migrations).
func BenchmarkExportParquet(b *testing.B) {
	dir := b.TempDir()
	cfg := testConfig(dir)
	ctx := context.Background()
	if path := os.Getenv("LIUDONG_PARQUET_BENCH_DB"); path != "" {
		cfg.Database = path
		if err := os.MkdirAll(cfg.Out.Dir, 0o755); err != nil {
			b.Fatal(err)
		}
	} else {
		persons := benchPersons(b, "LIUDONG_PARQUET_BENCH_PERSONS", 5000)
		if _, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if _, err := Run(ctx, cfg, Options{Log: zerolog.Nop(), Now: fixedNow}); err != nil {
			b.Fatal(err)
		}
	}
	db, err := OpenDB(ctx, cfg.Database)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var rows int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM v_member) + (SELECT count(*) FROM v_source_record)`).Scan(&rows); err != nil {
		b.Fatal(err)
	}
	export := func(b *testing.B, root string, i int) {
		f, err := output.NewFolder(root, fmt.Sprintf("bench-%d", i), 1000+i)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.exportParquet(ctx, f, zerolog.Nop()); err != nil {
			b.Fatal(err)
		}
		if _, err := f.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("fresh", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			export(b, filepath.Join(dir, fmt.Sprintf("fresh-%d", i)), i)
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("unchanged", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			export(b, cfg.Out.Dir, i)
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// benchPersons is the sample size a benchmark runs on: the environment
// variable env when set, else def.
func benchPersons(b *testing.B, env string, def int) int {
	b.Helper()
	persons := def
	if s := os.Getenv(env); s != "" {
		if _, err := fmt.Sscan(s, &persons); err != nil {
			b.Fatalf("%s: %v", env, err)
		}
	}
	return persons
}

// BenchmarkIngest times the ingest stage alone (read, clean and load every
// file of an inbox into an empty registry, cfg.Ingest.Workers at once) on a
// generated inbox of LIUDONG_INGEST_BENCH_PERSONS persons (default 5,000),
// or on the inbox folder LIUDONG_INGEST_BENCH_INBOX when set (bench/run.sh's
// cached inboxes). rows/s counts rows read, as the benchmark table does.
func BenchmarkIngest(b *testing.B) {
	dir := b.TempDir()
	inbox := os.Getenv("LIUDONG_INGEST_BENCH_INBOX")
	if inbox == "" {
		persons := benchPersons(b, "LIUDONG_INGEST_BENCH_PERSONS", 5000)
		if _, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		inbox = filepath.Join(dir, "inbox")
	}
	ctx := context.Background()
	var rows int64
	var took time.Duration
	for i := 0; b.Loop(); i++ {
		cfg := testConfig(dir)
		cfg.Inbox.Dir = inbox
		cfg.Database = filepath.Join(dir, fmt.Sprintf("ingest-%d.duckdb", i))
		n, d := benchIngestOnce(ctx, b, cfg)
		rows += n
		took += d
		os.Remove(cfg.Database)
		os.Remove(cfg.Database + ".wal")
	}
	b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
}

// benchIngestOnce scans cfg's inbox and ingests it into a new registry; it
// returns the rows read and the time ingestFiles took.
func benchIngestOnce(ctx context.Context, b *testing.B, cfg Config) (int64, time.Duration) {
	b.Helper()
	db, err := OpenDB(ctx, cfg.Database)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.limitMemory(ctx, "database_memory_limit", cfg.DatabaseMemoryLimit); err != nil {
		b.Fatal(err)
	}
	sum := &output.Summary{Started: fixedNow()}
	if sum.RunID, err = db.startRun(ctx, sum.Started, "bench", cfg.Inbox.Dir); err != nil {
		b.Fatal(err)
	}
	files, _, err := scanInbox(cfg)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := db.plan(ctx, sum.RunID, files)
	if err != nil {
		b.Fatal(err)
	}
	cleaner, err := rules.NewCleaner(cfg.Rules, sum.Started)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := ingestFiles(ctx, db, cfg, cleaner, plan, zerolog.Nop(), sum, nil); err != nil {
		b.Fatal(err)
	}
	d := time.Since(t0)
	var n int64
	for _, f := range sum.Files {
		n += int64(f.Accepted + f.Rejected + f.Skipped)
	}
	return n, d
}
