package sampledata

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// entriesByKind returns the Entries of the truth's activities, pairings and visits under their Record kind.
func entriesByKind(truth *Truth) map[string][]Entry {
	out := map[string][]Entry{}
	for _, a := range truth.Activities {
		out["activity"] = append(out["activity"], a.Entry)
	}
	for _, p := range truth.Pairings {
		out["counsellor"] = append(out["counsellor"], p.Entry)
	}
	for _, v := range truth.Visits {
		out["visit"] = append(out["visit"], v.Entry)
	}
	return out
}

func TestEntriesMatchRecords(t *testing.T) {
	_, truth := generate(t, Options{Persons: 600, BadFiles: true})
	type key struct {
		file, sheet string
		row         int
	}
	entries := entriesByKind(truth)
	for _, kind := range []string{"activity", "counsellor", "visit"} {
		t.Run(kind, func(t *testing.T) {
			records := map[key]Record{}
			for _, r := range truth.Records {
				if r.Kind == kind {
					records[key{r.File, r.Sheet, r.Row}] = r
				}
			}
			if len(entries[kind]) != len(records) {
				t.Errorf("%d entries, %d records of kind %s", len(entries[kind]), len(records), kind)
			}
			seen := map[key]bool{}
			for _, e := range entries[kind] {
				k := key{e.File, e.Sheet, e.Row}
				where := e.File + "!" + e.Sheet + ":" + strconv.Itoa(e.Row)
				if seen[k] {
					t.Errorf("%s: two entries", where)
				}
				seen[k] = true
				r, ok := records[k]
				if !ok {
					t.Errorf("%s: entry without a %s record", where, kind)
					continue
				}
				if e.PersonID != r.PersonID || e.Expect != r.Expect || e.Duplicate != hasDefect(r, "duplicate") ||
					e.Unknown != hasDefect(r, "unknown_person") || e.Unknown != (e.PersonID == "") {
					t.Errorf("%s: entry %+v, record %+v", where, e, r)
				}
			}
		})
	}
}

// dateSpellings maps every spelling of d a cell can hold (raw xlsx value or CSV text) to whether it is month-only.
func dateSpellings(d time.Time, csv bool) map[string]bool {
	out := map[string]bool{}
	for f := formISO; f <= formChineseDay; f++ {
		s := ""
		switch v := renderDate(d, f).(type) {
		case string:
			s = v
		case int64:
			s = strconv.FormatInt(v, 10)
		case dateCell:
			s = strconv.FormatInt(excelSerial(v.t), 10)
			if csv {
				s = v.display()
			}
		}
		out[s] = f.monthOnly()
	}
	return out
}

// findDate reports whether a cell of row spells the date, and whether that spelling is month-only.
func findDate(row []string, d time.Time, csv bool) (found, monthOnly bool) {
	spellings := dateSpellings(d, csv)
	for _, c := range row {
		if m, ok := spellings[c]; ok {
			return true, m
		}
	}
	return false, false
}

// TestEntriesDescribeTheirRows reads back every activity, pairing and visit row and finds the truth's date
// (spelt as MonthOnly says) and what the row says about the event.
func TestEntriesDescribeTheirRows(t *testing.T) {
	dir, truth := generate(t, Options{Persons: 400, Seed: 5})
	r := newInboxReader(t, filepath.Join(dir, "inbox"))
	check := func(e Entry, date string, want ...string) {
		t.Helper()
		row := r.row(e.File, e.Sheet, e.Row)
		where := e.File + "!" + e.Sheet + ":" + strconv.Itoa(e.Row)
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			t.Fatalf("%s: date %q: %v", where, date, err)
		}
		found, monthOnly := findDate(row, d, e.Sheet == "")
		if !found || monthOnly != e.MonthOnly {
			t.Errorf("%s: date %s (month only %v) not in %q", where, date, e.MonthOnly, row)
		}
		line := strings.Join(row, "|")
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: %q not in %q", where, w, row)
			}
		}
	}
	var monthOnly int
	for _, a := range truth.Activities {
		if a.Volunteer {
			check(a.Entry, a.Date, a.Content)
			if a.Type != "志愿服务" || a.SignedBy != "" || !strings.Contains(a.File, "爱心存折") {
				t.Errorf("%s:%d: volunteer row %+v", a.File, a.Row, a)
			}
		} else {
			check(a.Entry, a.Date, a.Type, a.Content, a.SignedBy)
		}
		if a.MonthOnly {
			monthOnly++
		}
	}
	for _, p := range truth.Pairings {
		check(p.Entry, p.From)
	}
	for _, v := range truth.Visits {
		check(v.Entry, v.Date, string([]rune(v.Counsellor)[:1]))
	}
	if monthOnly == 0 {
		t.Error("no activity row has a month-only date")
	}
}

func TestDuplicateActivities(t *testing.T) {
	_, truth := generate(t, Options{Persons: 2000})
	type key struct{ file, person, date, typ, content string }
	first := map[key]bool{}
	dups := 0
	for _, a := range truth.Activities {
		k := key{a.File, a.PersonID, a.Date, a.Type, a.Content}
		if a.Duplicate {
			dups++
			if !first[k] {
				t.Errorf("%s:%d: duplicate of no earlier row", a.File, a.Row)
			}
		}
		first[k] = true
	}
	if dups == 0 {
		t.Error("no duplicate activity")
	}
}

func TestPersonContacts(t *testing.T) {
	opts := Options{Persons: 2000}
	_, truth := generate(t, opts)
	year := defaultToday.Year()
	lost := defaultToday.AddDate(0, -6, 0).Format("2006-01-02")
	pairedWith := map[string]string{}
	for _, p := range truth.Pairings {
		pairedWith[p.PersonID] = p.Counsellor
	}
	var lostN, activities, visits int
	for _, p := range truth.Persons {
		if p.Counsellor != pairedWith[p.PersonID] {
			t.Errorf("%s: counsellor %q, paired with %q", p.PersonID, p.Counsellor, pairedWith[p.PersonID])
		}
		last := ""
		hours := 0.0
		for _, y := range []int{year - 1, year} {
			for _, a := range truth.ActivitiesOf(p.PersonID, y) {
				if a.Duplicate || a.PersonID != p.PersonID || !strings.HasPrefix(a.Date, strconv.Itoa(y)) || a.Hours <= 0 {
					t.Errorf("%s: ActivitiesOf(%d) gave %+v", p.PersonID, y, a)
				}
				last = max(last, a.Date)
				hours += a.Hours
				activities++
			}
		}
		if hours > 8*4+5*4 { // at most eight contact-card activities and five 爱心存折 entries, four hours each
			t.Errorf("%s: %v hours in a year", p.PersonID, hours)
		}
		n := truth.VisitsOf(p.PersonID, year)
		if n > 4 || n > 0 && p.Counsellor == "" {
			t.Errorf("%s: %d visits, counsellor %q", p.PersonID, n, p.Counsellor)
		}
		visits += n
		for _, v := range truth.Visits {
			if v.PersonID == p.PersonID && v.counts() {
				last = max(last, v.Date)
			}
		}
		if last != p.LastContact {
			t.Errorf("%s: last contact %q, activities and visits say %q", p.PersonID, p.LastContact, last)
		}
		if p.LostContact {
			lostN++
			if p.LastContact > lost || p.Left || p.Community == "" {
				t.Errorf("%s: lost contact, but last contact %s, left %v, community %q", p.PersonID, p.LastContact, p.Left, p.Community)
			}
		}
	}
	counted := 0
	for _, a := range truth.Activities {
		if a.PersonID != "" && !a.Duplicate && a.Expect != "rejected" {
			counted++
		}
	}
	if activities != counted {
		t.Errorf("ActivitiesOf gave %d activities over both years, %d are to be counted", activities, counted)
	}
	if share := float64(lostN) / float64(len(truth.Persons)); share < 0.04 || share > 0.1 {
		t.Errorf("%d lost contact of %d", lostN, len(truth.Persons))
	}
	if visits == 0 || visits > len(truth.Visits) {
		t.Errorf("VisitsOf gave %d visits, %d rows", visits, len(truth.Visits))
	}
}
