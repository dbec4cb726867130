package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
	"github.com/baolong/liudong/sampledata"
)

// BenchmarkRunFromEmpty runs the whole pipeline (scan, read, clean, load,
// summary) over a generated inbox of 10,000 persons into an empty registry.
// LIUDONG_BENCH_PERSONS changes the size.
func BenchmarkRunFromEmpty(b *testing.B) {
	persons := 10000
	if s := os.Getenv("LIUDONG_BENCH_PERSONS"); s != "" {
		if _, err := fmt.Sscan(s, &persons); err != nil {
			b.Fatal(err)
		}
	}
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
	persons := 20_000
	if s := os.Getenv("LIUDONG_MATCH_BENCH_PERSONS"); s != "" {
		if _, err := fmt.Sscan(s, &persons); err != nil {
			b.Fatal(err)
		}
	}
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
		if _, err := db.reconcileMembers(context.Background(), 2000+i, rcfg, time.Now(), zerolog.Nop()); err != nil {
			b.Fatal(err)
		}
		records = res.Records
	}
	b.StopTimer()
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
