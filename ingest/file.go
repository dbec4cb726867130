package ingest

import (
	"fmt"

	"github.com/baolong/liudong/rules"
)

// Result is what reading and cleaning one file produced.
type Result struct {
	Info               *FileInfo
	Records            []Record // File's; FileTo hands each to its sink instead
	Accepted, Rejected int      // records of each status
	Unmapped           []string // titles of columns that map to no field, in sheet order, once per file
	Skipped            int      // blank, footer and repeated-header rows
}

// Counts returns the accepted and rejected records.
func (r *Result) Counts() (accepted, rejected int) { return r.Accepted, r.Rejected }

// File reads and cleans one source file of the given kind. rel is its path
// relative to the inbox, used in every message. A file that cannot be read at
// all returns a *QuarantineError.
func File(path, rel string, kind Kind, cfg Config, cleaner *rules.Cleaner) (*Result, error) {
	var records []Record
	res, err := FileTo(path, rel, kind, cfg, cleaner, func(r *Record) error {
		records = append(records, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Records = records
	return res, nil
}

// FileTo reads and cleans one file as File does, handing each record to
// sink as soon as it is cleaned, so a file of a million rows is never held
// as records. The record is sink's to keep. An error from sink ends the
// read and is returned as it is; a file that cannot be read returns a
// *QuarantineError, possibly after some records went to sink.
func FileTo(path, rel string, kind Kind, cfg Config, cleaner *rules.Cleaner, sink func(*Record) error) (*Result, error) {
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
		r := rc.clean(res.Accepted+res.Rejected+1, row)
		if r.Status == StatusAccepted {
			res.Accepted++
		} else {
			res.Rejected++
		}
		return sink(&r)
	})
	if err != nil {
		return nil, err
	}
	res.Info = info
	return res, nil
}
