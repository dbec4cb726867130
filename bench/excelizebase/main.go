// Command excelizebase is the naive baseline of the benchmark (bench/run.sh):
// it reads every sheet of every .xlsx under a folder with excelize's default
// Rows and Columns (formatted values, one file after another on one core),
// as a plain Go reader would, and prints what it read and how long it took
// as one JSON line.
package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

type result struct {
	Files   int     `json:"files"`
	Failed  int     `json:"failed"` // files excelize cannot open or read (the inbox's bad files)
	Sheets  int     `json:"sheets"`
	Rows    int64   `json:"rows"`
	Cells   int64   `json:"cells"`
	Seconds float64 `json:"seconds"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: excelizebase DIR")
		os.Exit(2)
	}
	var paths []string
	err := filepath.WalkDir(os.Args[1], func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(p), ".xlsx") && !strings.HasPrefix(d.Name(), "~$") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var r result
	t0 := time.Now()
	for _, p := range paths {
		r.Files++
		if err := readAll(p, &r); err != nil {
			r.Failed++
		}
	}
	r.Seconds = time.Since(t0).Seconds()
	json.NewEncoder(os.Stdout).Encode(r)
}

// readAll reads every row of every sheet of one workbook.
func readAll(path string, r *result) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return err
		}
		r.Sheets++
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return err
			}
			r.Rows++
			r.Cells += int64(len(cols))
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}
