package sampledata

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Truth is what the generator knows and the pipeline must find.
type Truth struct {
	Persons []Person
	Records []Record // one per data row written, in any file
	Files   []File   // every file written, with what should happen to it
}

// Person is one real member. Dates are 2006-01-02; Phone is the newest mobile (the roster's when no community
// found the person).
type Person struct {
	PersonID                                                                   string // "P000123"
	Name, Gender, Ethnicity, IDNumber, BirthDate, Phone, Education, MemberType string
	OriginBranch                                                               string // full canonical name of the 流出地党组织
	JoinDate                                                                   string
	Community                                                                  string // canonical community where they live, "" if no community found them (whereabouts unknown)
	OnRoster                                                                   bool   // listed by their origin branch's roster
	Left                                                                       bool   // the newest survey marks them as left (已返乡 / 已迁出)
	// Address and Employer are what the surveys say; both are "" when no community found the person.
	Address, Employer, OutflowDate, OutflowReason string
}

// Record is one data row written to a file.
type Record struct {
	File     string   // path relative to the inbox, forward slashes
	Sheet    string   // "" for CSV
	Row      int      // 1-based row as Excel shows it (CSV: line number)
	Kind     string   // survey | roster | activity | counsellor | visit | decision
	PersonID string   // "" for a row that belongs to no generated person
	Expect   string   // "accepted" or "rejected" (a row that cannot describe a person)
	Defects  []string // what was done to this row (see defectNames)
}

// File is one file written to the inbox.
type File struct {
	Path       string // relative to the inbox
	Kind       string
	Quarantine string // "" or the expected quarantine code: empty, legacy_xls, encrypted, damaged, not_spreadsheet
	Sheets     int    // sheets in a workbook, 1 for CSV, 0 for a file that cannot be opened
}

// writeTruth writes persons.csv, records.csv and files.csv (UTF-8, header first) into dir.
func writeTruth(dir string, t *Truth) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err := writeCSV(filepath.Join(dir, "persons.csv"),
		[]string{"person_id", "name", "gender", "ethnicity", "id_number", "birth_date", "phone", "education",
			"member_type", "origin_branch", "join_date", "community", "on_roster", "left", "address", "employer",
			"outflow_date", "outflow_reason"},
		len(t.Persons), func(i int, rec []string) []string {
			p := &t.Persons[i]
			return append(rec, p.PersonID, p.Name, p.Gender, p.Ethnicity, p.IDNumber, p.BirthDate, p.Phone,
				p.Education, p.MemberType, p.OriginBranch, p.JoinDate, p.Community, strconv.FormatBool(p.OnRoster),
				strconv.FormatBool(p.Left), p.Address, p.Employer, p.OutflowDate, p.OutflowReason)
		})
	if err != nil {
		return err
	}
	err = writeCSV(filepath.Join(dir, "records.csv"),
		[]string{"file", "sheet", "row", "kind", "person_id", "expect", "defects"},
		len(t.Records), func(i int, rec []string) []string {
			r := &t.Records[i]
			return append(rec, r.File, r.Sheet, strconv.Itoa(r.Row), r.Kind, r.PersonID, r.Expect,
				strings.Join(r.Defects, ";"))
		})
	if err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, "files.csv"),
		[]string{"path", "kind", "quarantine", "sheets"},
		len(t.Files), func(i int, rec []string) []string {
			f := &t.Files[i]
			return append(rec, f.Path, f.Kind, f.Quarantine, strconv.Itoa(f.Sheets))
		})
}

func writeCSV(path string, header []string, n int, row func(int, []string) []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	if err := w.Write(header); err != nil {
		f.Close()
		return err
	}
	rec := make([]string, 0, len(header))
	for i := range n {
		if err := w.Write(row(i, rec[:0])); err != nil {
			f.Close()
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
