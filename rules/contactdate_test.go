package rules

import (
	"slices"
	"strings"
	"testing"
)

// TestCleanContactDate: the dates of activity, pairing and visit records
// also take part of a month (kept as the month, date_vague) and say when
// the year is missing (date_no_year); a member's dates do not.
func TestCleanContactDate(t *testing.T) {
	c := newTestCleaner(t) // today 2025-06-01
	tests := []struct {
		name  string
		field Field
		raw   string
		clean string
		codes []string
	}{
		{"dotted day", FieldVisitDate, "2025.3.5", "2025-03-05", nil},
		{"上旬", FieldActivityDate, "2025年3月上旬", "2025-03", []string{CodeDateVague}},
		{"中旬 dotted", FieldVisitDate, "2025.3中旬", "2025-03", []string{CodeDateVague}},
		{"下旬", FieldVisitDate, "2025年12月下旬", "2025-12", []string{CodeDateVague, CodeDateFuture}},
		{"月初", FieldPairedFrom, "2025年3月初", "2025-03", []string{CodeDateVague}},
		{"月底 short", FieldActivityDate, "2025年3月底", "2025-03", []string{CodeDateVague}},
		{"年底", FieldPairedFrom, "2024年底", "2024", []string{CodeDateVague}},
		{"spaced", FieldActivityDate, "2025 年 3 月 上旬", "2025-03", []string{CodeDateVague}},
		{"no year", FieldVisitDate, "3月5日", "", []string{CodeDateNoYear}},
		{"no year 号", FieldActivityDate, "03月05号", "", []string{CodeDateNoYear}},
		{"no year leap day", FieldActivityDate, "2月29日", "", []string{CodeDateNoYear}},
		{"no year impossible", FieldActivityDate, "2月30日", "", []string{CodeDateFormat}},
		{"month without year", FieldActivityDate, "3月上旬", "", []string{CodeDateFormat}},
		{"day with 上旬", FieldActivityDate, "2025年3月5日上旬", "", []string{CodeDateFormat}},
		{"bad month", FieldActivityDate, "2025年13月上旬", "", []string{CodeDateFormat}},
		{"not a date", FieldActivityDate, "上旬", "", []string{CodeDateFormat}},
		{"afternoon", FieldActivityDate, "2025年3月5日下午", "2025-03-05", nil},
		{"dotted with 上午", FieldActivityDate, "2025.3.5上午", "2025-03-05", nil},
		{"time without space", FieldActivityDate, "2025年3月5日14:30", "2025-03-05", nil},
		{"time span", FieldActivityDate, "2025-03-05 14:30-16:30", "2025-03-05", nil},
		{"点", FieldVisitDate, "2025/3/5 9点", "2025-03-05", nil},
		{"days 至", FieldActivityDate, "2025年3月5日至6日", "2025-03-05", []string{CodeDateVague}},
		{"days dotted", FieldActivityDate, "2025.3.5-3.6", "2025-03-05", []string{CodeDateVague}},
		{"days ~", FieldActivityDate, "2025.3.5~2025.3.6", "2025-03-05", []string{CodeDateVague}},
		{"month span is not a day", FieldActivityDate, "2025年3月至4月", "", []string{CodeDateFormat}},
		{"words after a date", FieldActivityDate, "2025年3月5日补记", "", []string{CodeDateFormat}},
		{"birth date stays strict", FieldBirthDate, "1985年3月上旬", "", []string{CodeDateFormat}},
		{"join date stays strict", FieldJoinDate, "3月5日", "", []string{CodeDateFormat}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Clean(tt.field, tt.raw, false)
			if v.Clean != tt.clean || v.Raw != tt.raw {
				t.Errorf("Clean(%s, %q) = %q (raw %q), want %q", tt.field, tt.raw, v.Clean, v.Raw, tt.clean)
			}
			checkCodes(t, v.Findings, tt.codes...)
			for _, f := range v.Findings {
				if f.Field != tt.field {
					t.Errorf("finding %s has field %q", f.Code, f.Field)
				}
			}
			if slices.Contains(tt.codes, CodeDateNoYear) && !strings.Contains(v.Findings[0].Message, "如 2025年") {
				t.Errorf("message %q does not show the date in this year", v.Findings[0].Message)
			}
			if tt.clean != "" && v.Precision == "" {
				t.Errorf("no precision for %q", v.Clean)
			}
		})
	}
}

func FuzzParseVagueDate(f *testing.F) {
	for _, s := range []string{
		"2026年3月上旬", "2026.3中旬", "2026年底", "3月5日", "03月05号", "2月30日", "2026年3月5日下午", "2026.3.5上午",
		"2026-03-05 14:30-16:30", "2026/3/5 9点", "2026年3月5日至6日", "2026.3.5-3.6", "日", "下午", "至", "-", "月初",
		"2026年3月5日14:30", "2026 年 3 月 上旬", "年初",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, ok := parseVagueDate(raw, false, 2026)
		if !ok {
			return
		}
		if v.Raw != raw {
			t.Fatalf("%q: raw %q", raw, v.Raw)
		}
		if v.Clean == "" {
			if len(v.Findings) != 1 || v.Findings[0].Code != CodeDateNoYear {
				t.Fatalf("%q: no date and findings %+v", raw, v.Findings)
			}
			return
		}
		if v.Precision == "" || formatDate(v.Date, v.Precision) != v.Clean {
			t.Fatalf("%q: clean %q with date %v precision %q", raw, v.Clean, v.Date, v.Precision)
		}
		if v.Date.Year() < minYear || v.Date.Year() > maxYear {
			t.Fatalf("%q: year %d", raw, v.Date.Year())
		}
		for _, fd := range v.Findings {
			if fd.Code != CodeDateVague {
				t.Fatalf("%q: finding %s", raw, fd.Code)
			}
		}
	})
}
