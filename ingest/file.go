package ingest

import (
	"fmt"

	"github.com/baolong/liudong/rules"
)

// Result is what reading and cleaning one file produced.
type Result struct {
	Info     *FileInfo
	Records  []Record
	Unmapped []string // titles of columns that map to no field, in sheet order, once per file
	Skipped  int      // blank, footer and repeated-header rows
}

// Counts returns the accepted and rejected records.
func (r *Result) Counts() (accepted, rejected int) {
	for i := range r.Records {
		if r.Records[i].Status == StatusAccepted {
			accepted++
		} else {
			rejected++
		}
	}
	return accepted, rejected
}

// File reads and cleans one source file of the given kind. rel is its path
// relative to the inbox, used in every message. A file that cannot be read at
// all returns a *QuarantineError.
func File(path, rel string, kind Kind, cfg Config, cleaner *rules.Cleaner) (*Result, error) {
	kc, ok := cfg.Kinds[kind]
	if !ok {
		return nil, fmt.Errorf("no configuration for kind %q", kind)
	}
	opts := ReadOptions{
		Aliases:         cfg.AliasesFor(kind),
		HeaderScanRows:  cfg.HeaderScanRows,
		MinHeaderFields: cfg.MinHeaderFields,
		FooterMarkers:   cfg.FooterMarkers,
	}
	rc := &recordCleaner{path: rel, kind: kc, aliases: cfg.Aliases, cleaner: cleaner}
	res := &Result{}
	unmapped := map[string]bool{}
	info, err := ReadFile(path, opts, func(s *SheetInfo, row Row) error {
		if row.Kind != RowData {
			res.Skipped++
			return nil
		}
		if rc.sheet != s {
			rc.useSheet(s)
			for _, c := range s.Columns {
				if c.Field == "" && c.Title != "" && !unmapped[c.Title] {
					unmapped[c.Title] = true
					res.Unmapped = append(res.Unmapped, c.Title)
				}
			}
		}
		res.Records = append(res.Records, rc.clean(len(res.Records)+1, row))
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Info = info
	return res, nil
}
