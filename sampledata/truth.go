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
	Persons    []Person
	Records    []Record   // one per data row written, in any file
	Files      []File     // every file written, with what should happen to it
	Activities []Activity // one per activity row: 联系卡活动记录 and 爱心存折 alike, in Records order
	Pairings   []Pairing  // one per row of a 辅导员结对表, in Records order
	Visits     []Visit    // one per row of a 走访记录, in Records order
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
	Counsellor                                    string // the 辅导员 paired with them, "" if none
	LastContact                                   string // date of their last accepted activity or visit row, "" if none
	// LostContact says the generator gave them no activity or visit after the day six months before Today
	// (失联), on purpose. Members with no contact by chance (few activities, no visit) or who left are not.
	LostContact bool
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

// Entry is where an activity, pairing or visit row is, and what the pipeline should make of it.
type Entry struct {
	File, Sheet string // as in Records
	Row         int    // as in Records
	PersonID    string // "" for an unknown person
	Expect      string // the Record's: "accepted" or "rejected"
	Duplicate   bool   // repeats an earlier row of the same person and event (duplicate); the first is not one
	Unknown     bool   // describes nobody in the registry (unknown_person)
	MonthOnly   bool   // the date cell shows the year and month only (2026.03, 2026年3月): the day is lost
}

// Activity is a member at an activity: a row of a 党员联系卡活动记录, or of the street's 爱心存折 volunteer
// workbook (Volunteer).
type Activity struct {
	Entry
	Date      string  // the true date, 2006-01-02, whatever the cell shows
	Type      string  // canonical 活动类型 (支部党员大会, 支委会, 党小组会, 党课, 主题党日, 理论学习, 志愿服务, …); 志愿服务 for the 爱心存折
	Hours     float64 // 时长
	Content   string  // 活动内容, or the 爱心存折's 服务项目
	SignedBy  string  // 签字书记; "" in the 爱心存折, which has no such column
	Volunteer bool    // from the 爱心存折 workbook
}

// Pairing is a row of a 辅导员结对表: a member and the counsellor paired with them. Counsellor, Post and
// CounsellorPhone are the truth for every row, also where a merged cell shows them on the group's first row only.
type Pairing struct {
	Entry
	Counsellor, Post, CounsellorPhone string
	From                              string // 结对时间, 2006-01-02
}

// Visit is a row of a 走访记录: a counsellor's visit to a member.
type Visit struct {
	Entry
	Counsellor string // the counsellor's full name; the cell may say 王书记
	Date       string // 2006-01-02
}

// counts reports whether the row is one the pipeline should count: not a repeat and not rejected.
func (e *Entry) counts() bool { return !e.Duplicate && e.Expect != "rejected" }

// ActivitiesOf returns the activities of the person in the calendar year that the pipeline should count:
// neither duplicates nor rejected rows.
func (t *Truth) ActivitiesOf(personID string, year int) []Activity {
	var out []Activity
	for i := range t.Activities {
		a := &t.Activities[i]
		if a.PersonID == personID && a.counts() && inYear(a.Date, year) {
			out = append(out, *a)
		}
	}
	return out
}

// VisitsOf returns how many visits the person had in the calendar year, duplicates and rejected rows left out.
func (t *Truth) VisitsOf(personID string, year int) int {
	n := 0
	for i := range t.Visits {
		v := &t.Visits[i]
		if v.PersonID == personID && v.counts() && inYear(v.Date, year) {
			n++
		}
	}
	return n
}

// inYear reports whether a 2006-01-02 date is in the year.
func inYear(date string, year int) bool {
	y, err := strconv.Atoi(date[:4])
	return err == nil && y == year
}

// File is one file written to the inbox.
type File struct {
	Path       string // relative to the inbox
	Kind       string
	Quarantine string // "" or the expected quarantine code: empty, legacy_xls, encrypted, damaged, not_spreadsheet
	Sheets     int    // sheets in a workbook, 1 for CSV, 0 for a file that cannot be opened
}

// writeTruth writes persons.csv, records.csv, files.csv, activities.csv, pairings.csv and visits.csv (UTF-8,
// header first) into dir.
func writeTruth(dir string, t *Truth) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err := writeCSV(filepath.Join(dir, "persons.csv"),
		[]string{"person_id", "name", "gender", "ethnicity", "id_number", "birth_date", "phone", "education",
			"member_type", "origin_branch", "join_date", "community", "on_roster", "left", "address", "employer",
			"outflow_date", "outflow_reason", "counsellor", "last_contact", "lost_contact"},
		len(t.Persons), func(i int, rec []string) []string {
			p := &t.Persons[i]
			return append(rec, p.PersonID, p.Name, p.Gender, p.Ethnicity, p.IDNumber, p.BirthDate, p.Phone,
				p.Education, p.MemberType, p.OriginBranch, p.JoinDate, p.Community, strconv.FormatBool(p.OnRoster),
				strconv.FormatBool(p.Left), p.Address, p.Employer, p.OutflowDate, p.OutflowReason, p.Counsellor,
				p.LastContact, strconv.FormatBool(p.LostContact))
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
	err = writeCSV(filepath.Join(dir, "files.csv"),
		[]string{"path", "kind", "quarantine", "sheets"},
		len(t.Files), func(i int, rec []string) []string {
			f := &t.Files[i]
			return append(rec, f.Path, f.Kind, f.Quarantine, strconv.Itoa(f.Sheets))
		})
	if err != nil {
		return err
	}
	err = writeCSV(filepath.Join(dir, "activities.csv"),
		entryHeader("date", "type", "hours", "content", "signed_by", "volunteer"),
		len(t.Activities), func(i int, rec []string) []string {
			a := &t.Activities[i]
			return append(a.appendColumns(rec), a.Date, a.Type, strconv.FormatFloat(a.Hours, 'f', -1, 64), a.Content,
				a.SignedBy, strconv.FormatBool(a.Volunteer))
		})
	if err != nil {
		return err
	}
	err = writeCSV(filepath.Join(dir, "pairings.csv"),
		entryHeader("counsellor", "post", "counsellor_phone", "from"),
		len(t.Pairings), func(i int, rec []string) []string {
			p := &t.Pairings[i]
			return append(p.appendColumns(rec), p.Counsellor, p.Post, p.CounsellorPhone, p.From)
		})
	if err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, "visits.csv"),
		entryHeader("counsellor", "date"),
		len(t.Visits), func(i int, rec []string) []string {
			v := &t.Visits[i]
			return append(v.appendColumns(rec), v.Counsellor, v.Date)
		})
}

// entryHeader is the header of a CSV of entries: the Entry's columns, then the given ones.
func entryHeader(more ...string) []string {
	return append([]string{"file", "sheet", "row", "person_id", "expect", "duplicate", "unknown", "month_only"},
		more...)
}

// appendColumns appends the Entry's columns to rec.
func (e *Entry) appendColumns(rec []string) []string {
	return append(rec, e.File, e.Sheet, strconv.Itoa(e.Row), e.PersonID, e.Expect, strconv.FormatBool(e.Duplicate),
		strconv.FormatBool(e.Unknown), strconv.FormatBool(e.MonthOnly))
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
