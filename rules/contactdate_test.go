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
