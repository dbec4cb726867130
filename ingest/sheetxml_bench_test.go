package ingest

import (
	"archive/zip"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// BenchmarkReadXLSX reads the 100,000-row survey workbook (bench_test.go)
// three ways: fast is our sheet-XML reader (every sheet's rows and raw
// cells, no header detection); excelize_rows is excelize's default Rows +
// Columns over every sheet, what a naive Go reader does; excelize_raw the same
// with raw values, what the fallback does. The decompression floor is
// `unzip -p survey-100k.xlsx 'xl/worksheets/*.xml' >/dev/null`.
func BenchmarkReadXLSX(b *testing.B) {
	path := benchXLSX(b)
	b.Run("fast", func(b *testing.B) {
		rows := 0
		start := time.Now()
		for b.Loop() {
			zr, err := zip.OpenReader(path)
			if err != nil {
				b.Fatal(err)
			}
			book, err := readSheetXMLBook(&zr.Reader)
			zr.Close()
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, s := range book.sheets {
				if len(s.rows) > 0 {
					n += s.rows[len(s.rows)-1].n
				}
			}
			rows += n
		}
		b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
	})
	every := func(opts excelize.Options) func(b *testing.B) {
		return func(b *testing.B) {
			rows := 0
			start := time.Now()
			for b.Loop() {
				f, err := excelize.OpenFile(path)
				if err != nil {
					b.Fatal(err)
				}
				for _, name := range f.GetSheetList() {
					it, err := f.Rows(name)
					if err != nil {
						b.Fatal(err)
					}
					for it.Next() {
						if _, err := it.Columns(opts); err != nil {
							b.Fatal(err)
						}
						rows++
					}
					if err := it.Close(); err != nil {
						b.Fatal(err)
					}
				}
				f.Close()
			}
			b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		}
	}
	b.Run("excelize_rows", every(excelize.Options{}))
	b.Run("excelize_raw", every(excelize.Options{RawCellValue: true}))
}
