package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"
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

// parseVagueDate reads a contact date ParseDate could not: a day with a
// time of day (2026年3月5日下午, 2026-03-05 14:30-16:30) as the day; a span of
// days (2026年3月5日至6日, 2026.3.5-3.6) as its first day, with date_vague
// (warning); part of a month
// or year (2026年3月上旬, 2026.3月底, 2026年底) as the month or year, with
// date_vague (warning); a month and day with no year (3月5日, 3月5号) gives
// date_no_year (error), since the year is not in the cell; its message
// shows the date written with thisYear. ok is false when s is neither; the
// caller keeps ParseDate's finding.
func parseVagueDate(raw string, date1904 bool, thisYear int) (v Value, ok bool) {
	text := NormalizeText(raw)
	if day, ok := cutDayTime(text); ok {
		if t, p, findings := ParseDate(day, date1904); p == PrecisionDay && len(findings) == 0 {
			// The time of day is not kept, as ParseDate drops 14:30:00.
			return Value{Raw: raw, Date: t, Precision: p, Clean: formatDate(t, p)}, true
		}
	}
	s := strings.ReplaceAll(text, " ", "")
	if first, ok := cutDateRange(s); ok {
		if t, p, findings := ParseDate(first, date1904); p == PrecisionDay && len(findings) == 0 {
			v = Value{Raw: raw, Date: t, Precision: p, Clean: formatDate(t, p)}
			v.Findings = []Finding{newFinding(CodeDateVague,
				fmt.Sprintf("日期「%s」是一段时间，记为开始的一天 %s", raw, v.Clean))}
			return v, true
		}
	}
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

// dayTimeWords start the time of day written after a date.
var dayTimeWords = []string{"上午", "下午", "中午", "晚上", "早上", "凌晨", "傍晚", "全天"}

// cutDayTime returns the date part of a date followed by a time of day:
// after 日 or 号 (2026年3月5日14:30), before 上午 / 下午 … (2026.3.5下午), or
// before a space followed by a time (2026-03-05 14:30-16:30, 2026/3/5 9点).
// ok is false when there is no time of day to cut.
func cutDayTime(s string) (string, bool) {
	for _, w := range dayTimeWords {
		if i := strings.Index(s, w); i > 0 {
			return strings.TrimSpace(s[:i]), true
		}
	}
	if i := strings.IndexAny(s, "日号"); i > 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		if rest := strings.TrimSpace(s[i+size:]); rest != "" && isTimeOfDay(rest) {
			return s[:i+size], true
		}
	}
	if date, rest, ok := strings.Cut(s, " "); ok && isTimeOfDay(rest) {
		return date, true
	}
	return "", false
}

// isTimeOfDay reports whether s is a time or a span of times: 14:30,
// 9:00-11:00, 9点, 14时30分, 9点至11点.
func isTimeOfDay(s string) bool {
	hasClock := strings.ContainsAny(s, ":点时")
	for _, r := range s {
		if !isDigitRune(r) && !strings.ContainsRune(":.-~ 点时分半至到", r) {
			return false
		}
	}
	return hasClock
}

// cutDateRange returns the first date of a span of days: 2026年3月5日至6日,
// 2026.3.5-3.6, 2026.3.5~2026.3.6. The right end must look like a date or
// a day; an ISO date's dashes are not a span (its left part is no day).
func cutDateRange(s string) (string, bool) {
	for _, sep := range []string{"至", "到", "~", "—", "–", "-"} {
		i := strings.Index(s, sep)
		if i <= 0 {
			continue
		}
		right := s[i+len(sep):]
		if right == "" {
			return "", false
		}
		for _, r := range right {
			if !isDigitRune(r) && !strings.ContainsRune("./-年月日号", r) {
				return "", false
			}
		}
		return s[:i], true
	}
	return "", false
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }
