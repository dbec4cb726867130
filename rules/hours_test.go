package rules

import (
	"math"
	"strconv"
	"sync"
	"testing"
)

// fuzzCleaner is one Cleaner shared by the fuzz iterations: building one
// loads the traditional→simplified tables.
var fuzzCleaner = sync.OnceValues(func() (*Cleaner, error) { return NewCleaner(DefaultConfig(), testToday) })

func TestParseHours(t *testing.T) {
	tests := []struct {
		raw    string
		want   float64
		approx hoursApprox
		ok     bool
	}{
		// Read exactly.
		{"2", 2, hoursExact, true},
		{"2.5", 2.5, hoursExact, true},
		{"2小时", 2, hoursExact, true},
		{"1.5h", 1.5, hoursExact, true},
		{"1.5 H", 1.5, hoursExact, true},
		{"1.5hours", 1.5, hoursExact, true},
		{"两小时", 2, hoursExact, true},
		{"两个小时", 2, hoursExact, true},
		{"十二小时", 12, hoursExact, true},
		{"二十", 20, hoursExact, true},
		{"120分钟", 2, hoursExact, true},
		{"一百二十分钟", 2, hoursExact, true},
		{"90min", 1.5, hoursExact, true},
		{"1小时30分", 1.5, hoursExact, true},
		{"1小时30分钟", 1.5, hoursExact, true},
		{"1时30分", 1.5, hoursExact, true},
		{"1h30min", 1.5, hoursExact, true},
		{"2小时30", 2.5, hoursExact, true},
		{"1小时半", 1.5, hoursExact, true},
		{"半小时", 0.5, hoursExact, true},
		{"两个半小时", 2.5, hoursExact, true},
		{"一个半小时", 1.5, hoursExact, true},
		{"2学时", 2, hoursExact, true},
		{"３．５", 3.5, hoursExact, true},
		{"-2", -2, hoursExact, true},
		// Interpreted.
		{"半天", 4, hoursHalfDay, true},
		{"半日", 4, hoursHalfDay, true},
		{"1天", 8, hoursDays, true},
		{"全天", 8, hoursDays, true},
		{"一天", 8, hoursDays, true},
		{"1.5天", 12, hoursDays, true},
		{"1个工作日", 8, hoursDays, true},
		{"2-3小时", 2, hoursRange, true},
		{"2－3小时", 2, hoursRange, true},
		{"2~3h", 2, hoursRange, true},
		{"2～3小时", 2, hoursRange, true},
		{"2至3小时", 2, hoursRange, true},
		{"两到三小时", 2, hoursRange, true},
		{"1.5-2", 1.5, hoursRange, true},
		{"30-60分钟", 0.5, hoursRange, true},
		{"1小时-1个半小时", 1, hoursRange, true},
		{"约2小时", 2, hoursAbout, true},
		{"大约两小时", 2, hoursAbout, true},
		{"2小时左右", 2, hoursAbout, true},
		{"两个多小时", 2, hoursAbout, true},
		{"3小时多", 3, hoursAbout, true},
		// Not durations.
		{"", 0, hoursExact, false},
		{"若干", 0, hoursExact, false},
		{"3-2小时", 0, hoursExact, false},
		{"2026-03-05", 0, hoursExact, false},
		{"1小时75分", 0, hoursExact, false},
		{"二三小时", 0, hoursExact, false},
		{"十十", 0, hoursExact, false},
		{"1e3", 0, hoursExact, false},
		{"inf", 0, hoursExact, false},
		{"2次", 0, hoursExact, false},
		{"天", 0, hoursExact, false},
		{"多", 0, hoursExact, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, approx, ok := parseHours(NormalizeText(tt.raw))
			if ok != tt.ok || ok && (got != tt.want || approx != tt.approx) {
				t.Errorf("parseHours(%q) = %v, %v, %v; want %v, %v, %v", tt.raw, got, approx, ok, tt.want, tt.approx, tt.ok)
			}
		})
	}
}

// TestCleanHoursFindings: an interpreted duration keeps its text in Raw and
// says how it was read; an exact one has no finding.
func TestCleanHoursFindings(t *testing.T) {
	c := newTestCleaner(t)
	tests := []struct {
		raw, clean string
		codes      []string
		msg        string // the first finding's message
	}{
		{"2小时", "2", nil, ""},
		{"120分钟", "2", nil, ""},
		{"1小时30分", "1.5", nil, ""},
		{"半天", "4", []string{CodeHoursApproximate}, "时长「半天」按半天 4 小时计，请核对"},
		{"2-3小时", "2", []string{CodeHoursApproximate}, "时长「2-3小时」是一个范围，按下限 2 小时计，请核对"},
		{"约1.5小时", "1.5", []string{CodeHoursApproximate}, "时长「约1.5小时」是约数，按 1.5 小时计，请核对"},
		{"2天", "16", []string{CodeHoursApproximate}, "时长「2天」按每天 8 小时计为 16 小时，请核对"},
		{"4天", "32", []string{CodeHoursApproximate, CodeHoursImplausible}, ""},
		{"两三个小时", "", []string{CodeNumberFormat}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			v := c.Clean(FieldHours, tt.raw, false)
			if v.Raw != tt.raw || v.Clean != tt.clean {
				t.Errorf("Clean(hours, %q) = raw %q clean %q, want clean %q", tt.raw, v.Raw, v.Clean, tt.clean)
			}
			checkCodes(t, v.Findings, tt.codes...)
			if tt.msg != "" && (len(v.Findings) == 0 || v.Findings[0].Message != tt.msg) {
				t.Errorf("message = %+v, want %q", v.Findings, tt.msg)
			}
			for _, f := range v.Findings {
				if f.Field != FieldHours {
					t.Errorf("finding %s has field %q", f.Code, f.Field)
				}
			}
		})
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{
		"2", "2.5", "2小时", "1.5h", "半天", "两小时", "2-3小时", "120分钟", "1小时30分", "约2小时左右", "两个多小时",
		"一百零五分钟", "30-60分钟", "-2", "--2", "2--3", "1天", "半", "个", "小时", "十百", "1h30", "多多", "~", "2~", "~3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s := NormalizeText(raw)
		n, approx, ok := parseHours(s)
		if !ok {
			if n != 0 || approx != hoursExact {
				t.Fatalf("%q: not ok but %v, %v", raw, n, approx)
			}
			return
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			t.Fatalf("%q: %v", raw, n)
		}
		if approx == hoursRange && n < 0 {
			t.Fatalf("%q: range read as negative %v", raw, n)
		}
		if plainDecimal(lookupKey(s)) {
			want, _ := strconv.ParseFloat(lookupKey(s), 64)
			if n != want || approx != hoursExact {
				t.Fatalf("%q: plain number read as %v (%v), want %v", raw, n, approx, want)
			}
		}
		// Cleaning the text gives the same number, and its Clean reads back as itself.
		c, err := fuzzCleaner()
		if err != nil {
			t.Fatal(err)
		}
		v := c.Clean(FieldHours, raw, false)
		if v.Number != n {
			t.Fatalf("%q: Clean gave %v, parseHours %v", raw, v.Number, n)
		}
		if back, _, ok := parseHours(v.Clean); !ok || back != n {
			t.Fatalf("%q: Clean %q reads back as %v, %v", raw, v.Clean, back, ok)
		}
	})
}
