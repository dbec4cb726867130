package rules

import (
	"fmt"
	"strings"
	"time"
)

// Dates outside minYear..maxYear are not dates this registry can hold.
const (
	minYear = 1900
	maxYear = 2100
)

// Serial-number epochs. In the 1900 date system serial 1 is 1900-01-01 and
// Excel counts a 1900-02-29 that never was (serial 60), so from serial 61 on
// the day zero is 1899-12-30; in the 1904 system serial 0 is 1904-01-01.
var (
	epoch1900     = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	epoch1900Leap = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904     = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDate      = time.Date(maxYear, 12, 31, 0, 0, 0, 0, time.UTC)
)

// ParseDate reads a date cell as text. date1904 is the workbook's date
// system, used for serial numbers. Accepted, after NFKC (full-width digits)
// and with an optional time of day after a space or T ("1985-03-12
// 00:00:00", "1985-03-12T00:00:00"):
//
//   - 1985 / 1985年: year precision. A bare 4-digit number 1900..2100 is a
//     year, never a serial number;
//   - 1985.03 / 1985.3 / 1985-03 / 1985/03 / 1985年3月 / 198503 / 03/1985:
//     month precision;
//   - 1985/3/12, 1985-3-12, 1985.3.12, 1985年3月12日, 19850312, and day
//     first or month first with the year last when only one reading is
//     possible (25/03/1985): day precision;
//   - any other whole or fractional number: an Excel serial number (the
//     fraction is the time of day and dropped), day precision.
//
// The result is UTC midnight of the first day of the period, between
// 1900-01-01 and 2100-12-31. Errors: date_invalid for a date that cannot
// exist (1985-02-30, month 13, Excel's 1900-02-29, a year outside
// 1900..2100), date_ambiguous when both day-month orders are possible
// (12/03/1985), date_format for anything else. An empty cell gives the zero
// time, no precision and no finding. ParseDate does not know today: the
// Cleaner adds date_future.
func ParseDate(raw string, date1904 bool) (time.Time, Precision, []Finding) {
	s := NormalizeText(raw)
	if s == "" {
		return time.Time{}, "", nil
	}
	s, ok := cutTimeOfDay(s)
	if !ok {
		return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
	}
	if t, p, f, done := parseNumericDate(s, date1904); done {
		return t, p, f
	}
	return parseTextDate(s, raw)
}

func dateFail(code, format string, args ...any) (time.Time, Precision, []Finding) {
	return time.Time{}, "", []Finding{newFinding(code, fmt.Sprintf(format, args...))}
}

// cutTimeOfDay removes a trailing time of day ("00:00:00", "0:00",
// "12:30:00.000") separated by a space or T. ok is false when a colon is
// there but what surrounds it is not a time.
func cutTimeOfDay(s string) (string, bool) {
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return s, true
	}
	start := strings.LastIndexAny(s[:colon], " T")
	if start <= 0 {
		return s, false
	}
	for i := start + 1; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && c != ':' && c != '.' {
			return s, false
		}
	}
	return strings.TrimRight(s[:start], " "), true
}

// parseNumericDate handles s made only of digits with at most one dot:
// years, YYYYMM, YYYYMMDD, YYYY.M and serial numbers. done is false when s
// is not of that shape.
func parseNumericDate(s string, date1904 bool) (time.Time, Precision, []Finding, bool) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || hasDot && (frac == "" || !allDigits(frac)) {
		return time.Time{}, "", nil, false
	}
	if hasDot && strings.Trim(frac, "0") == "" {
		hasDot = false // a whole number printed as 19850312.0
	}
	if hasDot {
		// 1985.3 and 1985.03 are year.month; 1985.10 is October.
		if len(intPart) == 4 && len(frac) <= 2 {
			if y := atoiDigits(intPart); y >= minYear && y <= maxYear {
				t, p, f := ymd(atoiDigits(intPart), atoiDigits(frac), 1, PrecisionMonth, s)
				return t, p, f, true
			}
		}
	} else {
		switch len(intPart) {
		case 4:
			if y := atoiDigits(intPart); y >= minYear && y <= maxYear {
				t, p, f := ymd(y, 1, 1, PrecisionYear, s)
				return t, p, f, true
			}
		case 6:
			t, p, f := ymd(atoiDigits(intPart[:4]), atoiDigits(intPart[4:]), 1, PrecisionMonth, s)
			return t, p, f, true
		case 8:
			t, p, f := ymd(atoiDigits(intPart[:4]), atoiDigits(intPart[4:6]), atoiDigits(intPart[6:]), PrecisionDay, s)
			return t, p, f, true
		}
	}
	t, p, f := serialDate(intPart, date1904, s)
	return t, p, f, true
}

// serialDate converts the whole part of an Excel serial number.
func serialDate(intPart string, date1904 bool, shown string) (time.Time, Precision, []Finding) {
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 6 {
		return dateFail(CodeDateFormat, "数值 %s 不是日期（超出 Excel 日期序号范围）", shown)
	}
	n := atoiDigits(intPart)
	var t time.Time
	switch {
	case date1904:
		t = epoch1904.AddDate(0, 0, n)
	case n == 0:
		return dateFail(CodeDateFormat, "数值 %s 不是日期（Excel 日期序号从 1 开始）", shown)
	case n == 60:
		return dateFail(CodeDateInvalid, "Excel 日期序号 60 是不存在的 1900-02-29")
	case n < 60:
		t = epoch1900.AddDate(0, 0, n)
	default:
		t = epoch1900Leap.AddDate(0, 0, n)
	}
	if t.After(lastDate) {
		return dateFail(CodeDateFormat, "数值 %s 不是日期（超出 Excel 日期序号范围）", shown)
	}
	return t, PrecisionDay, nil
}

// dateGroup is one run of digits in a text date and the unit character
// (年 月 日) written after it, if any.
type dateGroup struct {
	digits string
	unit   rune
}

// parseTextDate handles dates written with separators or 年月日.
func parseTextDate(s, raw string) (time.Time, Precision, []Finding) {
	var groups []dateGroup
	start := -1
	sepAfter := true // no separator may start the text
	for i, r := range s {
		if r >= '0' && r <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			groups = append(groups, dateGroup{digits: s[start:i]})
			start = -1
			sepAfter = false
		}
		switch r {
		case '年', '月', '日', '号':
			if len(groups) == 0 || groups[len(groups)-1].unit != 0 || sepAfter {
				return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
			}
			groups[len(groups)-1].unit = r
		case ' ':
			// Spaces only split digit runs: "1985 年 3 月" is fine.
		case '.', '-', '/':
			if len(groups) == 0 || sepAfter {
				return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
			}
			sepAfter = true
		default:
			return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
		}
	}
	if start >= 0 {
		groups = append(groups, dateGroup{digits: s[start:]})
	}
	if len(groups) == 0 || len(groups) > 3 {
		return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
	}
	for i, g := range groups {
		want := [3]rune{'年', '月', '日'}[i]
		if g.unit != 0 && g.unit != want && !(want == '日' && g.unit == '号') {
			// 年月日 out of order; the year-last forms never use units.
			return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
		}
		if len(g.digits) > 4 {
			return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
		}
	}
	g := groups
	short := func(i int) bool { return len(g[i].digits) <= 2 }
	year := func(i int) bool { return len(g[i].digits) == 4 }
	switch {
	case len(g) == 1 && year(0) && g[0].unit == '年':
		return ymd(atoiDigits(g[0].digits), 1, 1, PrecisionYear, raw)
	case len(g) == 2 && year(0) && short(1):
		return ymd(atoiDigits(g[0].digits), atoiDigits(g[1].digits), 1, PrecisionMonth, raw)
	case len(g) == 2 && short(0) && year(1) && g[0].unit == 0:
		return ymd(atoiDigits(g[1].digits), atoiDigits(g[0].digits), 1, PrecisionMonth, raw)
	case len(g) == 3 && year(0) && short(1) && short(2):
		return ymd(atoiDigits(g[0].digits), atoiDigits(g[1].digits), atoiDigits(g[2].digits), PrecisionDay, raw)
	case len(g) == 3 && short(0) && short(1) && year(2) && g[0].unit == 0 && g[1].unit == 0:
		a, b, y := atoiDigits(g[0].digits), atoiDigits(g[1].digits), atoiDigits(g[2].digits)
		switch {
		case a == b:
			return ymd(y, a, a, PrecisionDay, raw)
		case a <= 12 && b <= 12:
			return dateFail(CodeDateAmbiguous, "日期 %s 既可读作 %d 月 %d 日，也可读作 %d 月 %d 日，请改写为 年-月-日", raw, a, b, b, a)
		case a > 12:
			return ymd(y, b, a, PrecisionDay, raw) // day first, 25/03/1985
		default:
			return ymd(y, a, b, PrecisionDay, raw) // month first, 03/25/1985
		}
	}
	return dateFail(CodeDateFormat, "不是可识别的日期：%s", raw)
}

// ymd builds a date of the given precision, or a date_invalid finding.
func ymd(y, m, d int, p Precision, shown string) (time.Time, Precision, []Finding) {
	if y < minYear || y > maxYear {
		return dateFail(CodeDateInvalid, "日期 %s 的年份 %d 不在 %d–%d 之间", shown, y, minYear, maxYear)
	}
	t, ok := makeDate(y, m, d)
	if !ok {
		return dateFail(CodeDateInvalid, "日期 %s 不存在（月份或日期超出范围）", shown)
	}
	return t, p, nil
}

// makeDate returns UTC midnight of y-m-d and whether that day exists.
func makeDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d
}

// dateOnly returns UTC midnight of t's calendar day in t's location.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// formatDate renders t at precision p: 1985-03-12, 1985-03 or 1985. It
// builds the bytes itself: time.Format is a measurable share of cleaning.
func formatDate(t time.Time, p Precision) string {
	y, m, d := t.Date()
	b := make([]byte, 0, 10)
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	if p == PrecisionYear {
		return string(b)
	}
	b = append(b, '-', byte('0'+int(m)/10), byte('0'+int(m)%10))
	if p == PrecisionMonth {
		return string(b)
	}
	b = append(b, '-', byte('0'+d/10), byte('0'+d%10))
	return string(b)
}

// periodEnd is the last day a date of precision p may stand for.
func periodEnd(t time.Time, p Precision) time.Time {
	switch p {
	case PrecisionYear:
		return t.AddDate(1, 0, -1)
	case PrecisionMonth:
		return t.AddDate(0, 1, -1)
	}
	return t
}
