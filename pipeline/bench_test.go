package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

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
