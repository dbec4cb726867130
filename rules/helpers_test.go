package rules

import (
	"slices"
	"testing"
	"time"
)

// testToday is the reference date of every test Cleaner.
var testToday = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func newTestCleaner(t testing.TB) *Cleaner {
	t.Helper()
	c, err := NewCleaner(DefaultConfig(), testToday)
	if err != nil {
		t.Fatalf("NewCleaner: %v", err)
	}
	return c
}

// codes returns the finding codes in order.
func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// checkCodes fails unless findings carry exactly want (in order).
func checkCodes(t *testing.T, findings []Finding, want ...string) {
	t.Helper()
	if got := codes(findings); !slices.Equal(got, want) {
		t.Errorf("codes = %q, want %q", got, want)
		for _, f := range findings {
			t.Logf("  %s %s: %s", f.Severity, f.Code, f.Message)
		}
	}
	for _, f := range findings {
		if sev, ok := SeverityOf(f.Code); !ok || sev != f.Severity {
			t.Errorf("finding %s has severity %q, want %q (known %v)", f.Code, f.Severity, sev, ok)
		}
		if f.Message == "" {
			t.Errorf("finding %s has no message", f.Code)
		}
	}
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
