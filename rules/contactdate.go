package rules

import (
	"fmt"
	"strings"
)

// isContactDate reports whether f is a date of a contact record (活动日期,
// 结对时间, 走访日期): offices write these less formally than a member's
// dates, as 2026年3月上旬 or 3月5日.
func isContactDate(f Field) bool {
	return f == FieldActivityDate || f == FieldVisitDate || f == FieldPairedFrom
}

// monthParts are the words that name part of a month or year (上旬, 月底,
// 年初), longest first.
var monthParts = []string{"上旬", "中旬", "下旬", "月初", "月中", "月底", "月末", "年初", "年中", "年底", "年末", "初", "中", "底", "末"}

// parseVagueDate reads a contact date ParseDate could not: part of a month
// or year (2026年3月上旬, 2026.3月底, 2026年底) as the month or year, with
// date_vague (warning); a month and day with no year (3月5日, 3月5号) gives
// date_no_year (error), since the year is not in the cell; its message
// shows the date written with thisYear. ok is false when s is neither; the
// caller keeps ParseDate's finding.
func parseVagueDate(raw string, date1904 bool, thisYear int) (v Value, ok bool) {
	s := strings.ReplaceAll(NormalizeText(raw), " ", "")
	for _, part := range monthParts {
		rest, cut := strings.CutSuffix(s, part)
		if !cut || rest == "" {
			continue
		}
		// 月初 leaves 2026年3, which is 2026年3月 written short.
		if strings.HasPrefix(part, "月") {
			rest += "月"
		} else if strings.HasPrefix(part, "年") {
			rest += "年"
		}
		t, p, findings := ParseDate(rest, date1904)
		if p != PrecisionMonth && p != PrecisionYear || len(findings) > 0 {
			return Value{}, false
		}
		v = Value{Raw: raw, Date: t, Precision: p, Clean: formatDate(t, p)}
		what := "月份"
		if p == PrecisionYear {
			what = "年份"
		}
		v.Findings = []Finding{newFinding(CodeDateVague,
			fmt.Sprintf("日期「%s」只能确定到%s，记为 %s", raw, what, v.Clean))}
		return v, true
	}
	if isMonthDay(s) {
		return Value{Raw: raw, Findings: []Finding{newFinding(CodeDateNoYear,
			fmt.Sprintf("日期「%s」没有年份，请写明年份（如 %d年%s）", raw, thisYear, s))}}, true
	}
	return Value{}, false
}

// isMonthDay reports whether s is a month and day in 月日 form (3月5日,
// 03月05号) of a possible date.
func isMonthDay(s string) bool {
	m, rest, ok := strings.Cut(s, "月")
	if !ok || m == "" || len(m) > 2 || !allDigits(m) {
		return false
	}
	d, ok := strings.CutSuffix(rest, "日")
	if !ok {
		d, ok = strings.CutSuffix(rest, "号")
	}
	if !ok || d == "" || len(d) > 2 || !allDigits(d) {
		return false
	}
	// 2000 is a leap year: 2月29日 is a date some year.
	_, valid := makeDate(2000, atoiDigits(m), atoiDigits(d))
	return valid
}
