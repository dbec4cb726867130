package ingest

import (
	"testing"
	"time"

	"github.com/baolong/liudong/rules"
)

// benchFile reads and cleans a 100,000-row file with File: what a night
// spends per file before loading.
func benchFile(b *testing.B, path string) {
	cleaner, err := rules.NewCleaner(rules.DefaultConfig(), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	rows := 0
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		res, err := File(path, "surveys/bench", KindSurvey, cfg, cleaner)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Records) != benchRows {
			b.Fatalf("%d records, want %d", len(res.Records), benchRows)
		}
		rows += len(res.Records)
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkFileXLSX reads and cleans the 100,000-row workbook.
func BenchmarkFileXLSX(b *testing.B) { benchFile(b, benchXLSX(b)) }

// BenchmarkFileCSV reads and cleans the 100,000-row GBK CSV.
func BenchmarkFileCSV(b *testing.B) { benchFile(b, benchCSV(b)) }
