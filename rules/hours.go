package rules

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxHours is the most hours one activity record can plausibly hold.
const maxHours = 24

// Hours a day stands for when a record gives days: 半天 is a morning or an
// afternoon of work, a day eight hours.
const (
	hoursPerHalfDay = 4
	hoursPerDay     = 8
)

// hourUnits are the endings that mean hours, longest first; minuteUnits
// mean minutes; dayUnits days.
var (
	hourUnits   = []string{"个小时", "小时", "hours", "hour", "hrs", "hr", "学时", "课时", "h", "时"}
	minuteUnits = []string{"分钟", "mins", "min", "分"}
	dayUnits    = []string{"个工作日", "工作日", "天", "日"}
)

// rangeSeparators join the two ends of a range of hours (2-3小时, 两到三小时).
// NFKC has already made － and ～ ASCII.
var rangeSeparators = []string{"-", "~", "至", "到", "—", "–"}

// hoursApprox says how a duration was interpreted rather than read.
type hoursApprox int

const (
	hoursExact   hoursApprox = iota
	hoursAbout               // 约2小时, 2小时左右, 两个多小时: the number given
	hoursRange               // 2-3小时: the lower end, the hours the record vouches for
	hoursHalfDay             // 半天: hoursPerHalfDay
	hoursDays                // 1天, 全天: hoursPerDay a day
)

// parseHours reads a duration in hours from normalised text. Read exactly:
// "2", "2.5", "2小时", "1.5h", "1.5 小时", "两小时", "十二小时", "90分钟" and
// "一百二十分钟" (minutes), "1小时30分", "1h30min", "半小时", "两个半小时".
// Interpreted, with approx saying how: "约2小时", "2小时左右", "两个多小时"
// (about: the number written); "2-3小时", "2~3h", "两到三小时", "30-60分钟"
// (range: its lower end, since a certificate states hours the record vouches
// for); "半天" (4); "1天", "全天" (8 a day). ok is false when s is not a
// duration.
func parseHours(s string) (n float64, approx hoursApprox, ok bool) {
	k := lookupKey(s)
	if rest, about := cutAbout(k); about {
		k, approx = rest, hoursAbout
	}
	switch k {
	case "":
		return 0, hoursExact, false
	case "半天", "半日", "半个工作日":
		return hoursPerHalfDay, hoursHalfDay, true
	case "全天", "整天", "一整天":
		return hoursPerDay, hoursDays, true
	}
	for _, u := range dayUnits {
		if rest, cut := strings.CutSuffix(k, u); cut && rest != "" {
			if d, ok := parseAmount(rest, 1); ok {
				return d * hoursPerDay, hoursDays, true
			}
			return 0, hoursExact, false
		}
	}
	if lo, ok := parseRange(k); ok {
		return lo, hoursRange, true
	}
	if n, ok = parseDuration(k); !ok {
		return 0, hoursExact, false
	}
	return n, approx, true
}

// cutAbout removes the words that make a duration approximate: 约, 大约,
// 大概, 近 before it; 左右, 许 after it; 多 or 余 inside (两个多小时). about is
// false when there were none.
func cutAbout(k string) (string, bool) {
	about := false
	for _, p := range []string{"大约", "大概", "约", "将近", "近"} {
		if rest, ok := strings.CutPrefix(k, p); ok {
			k, about = rest, true
			break
		}
	}
	for _, p := range []string{"左右", "许"} {
		if rest, ok := strings.CutSuffix(k, p); ok {
			k, about = rest, true
			break
		}
	}
	for _, p := range []string{"多", "余"} {
		if strings.Count(k, p) == 1 {
			k, about = strings.Replace(k, p, "", 1), true
			break
		}
	}
	return k, about
}

// parseRange reads "a-b unit" and returns the lower end. The left end may
// carry its own unit (1小时-1个半小时) or take the right's (30-60分钟). A
// leading "-" is a sign, not a range; a range whose left end is above its
// right is not read.
func parseRange(k string) (float64, bool) {
	for _, sep := range rangeSeparators {
		i := strings.Index(k, sep)
		if i <= 0 {
			continue
		}
		left, right := k[:i], k[i+len(sep):]
		hi, ok := parseDuration(right)
		if !ok {
			return 0, false
		}
		lo, ok := parseNumeral(strings.TrimSuffix(left, "个"))
		if ok {
			lo *= unitScale(right)
		} else if lo, ok = parseDuration(left); !ok {
			return 0, false
		}
		if lo < 0 || lo > hi {
			return 0, false
		}
		return lo, true
	}
	return 0, false
}

// unitScale is what a bare number beside k is in hours: 1/60 when k is in
// minutes, else 1.
func unitScale(k string) float64 {
	for _, u := range hourUnits {
		if strings.HasSuffix(k, u) {
			return 1
		}
	}
	for _, u := range minuteUnits {
		if strings.HasSuffix(k, u) {
			return 1.0 / 60
		}
	}
	return 1
}

// parseDuration reads hours, minutes, or hours then minutes (1小时30分,
// 1h30min, 2小时30, 1小时半).
func parseDuration(k string) (float64, bool) {
	for _, u := range hourUnits {
		i := strings.Index(k, u)
		if i <= 0 || i+len(u) >= len(k) {
			continue
		}
		h, ok := parseAmount(k[:i+len(u)], 1)
		if !ok {
			continue
		}
		if m, ok := parseMinutes(k[i+len(u):]); ok {
			return h + m, true
		}
	}
	return parseAmount(k, 1)
}

// parseMinutes reads the minutes after an hour count, with or without a
// unit, in hours: "30分钟", "30分", "30min", "30" (0.5), "半" (0.5).
func parseMinutes(k string) (float64, bool) {
	if k == "半" {
		return 0.5, true
	}
	for _, u := range minuteUnits {
		if rest, ok := strings.CutSuffix(k, u); ok {
			k = rest
			break
		}
	}
	m, ok := parseNumeral(k)
	if !ok || m < 0 || m >= 60 {
		return 0, false
	}
	return m / 60, true
}

// parseAmount reads one number with an optional unit of hours or minutes
// and an optional 半 (两个半小时): "2", "2小时", "2h", "90分钟", "半小时".
// scale is the unit a bare number is in.
func parseAmount(k string, scale float64) (float64, bool) {
	unit := false
	for _, u := range hourUnits {
		if rest, ok := strings.CutSuffix(k, u); ok {
			k, unit, scale = rest, true, 1
			break
		}
	}
	if !unit {
		for _, u := range minuteUnits {
			if rest, ok := strings.CutSuffix(k, u); ok {
				k, scale = rest, 1.0/60
				break
			}
		}
	}
	half := 0.0
	if rest, ok := strings.CutSuffix(k, "半"); ok && scale == 1 {
		k, half = rest, 0.5
	}
	k = strings.TrimSuffix(k, "个")
	if k == "" {
		if half > 0 {
			return half, true
		}
		return 0, false
	}
	n, ok := parseNumeral(k)
	if !ok {
		return 0, false
	}
	return n*scale + half, true
}

// parseNumeral reads a decimal number (2, 2.5, -1) or a number written in
// Chinese numerals up to 999 (两, 十二, 一百二十).
func parseNumeral(k string) (float64, bool) {
	if plainDecimal(k) {
		n, err := strconv.ParseFloat(k, 64)
		return n, err == nil
	}
	return chineseNumeral(k)
}

// chineseDigits are the numerals written in place of digits for hours.
var chineseDigits = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// chineseNumeral reads 一 … 九百九十九 as written (十, 十二, 二十, 一百零五).
// Each of 百 and 十 may appear once and in that order.
func chineseNumeral(k string) (float64, bool) {
	if k == "" || utf8.RuneCountInString(k) > 8 {
		return 0, false
	}
	total, digit, last := 0, -1, 1000 // last: the smallest place seen, so places only descend
	for _, r := range k {
		if d, ok := chineseDigits[r]; ok {
			if digit > 0 {
				return 0, false // two digits in a row (二三)
			}
			digit = d
			continue
		}
		place := 0
		switch r {
		case '百':
			place = 100
		case '十':
			place = 10
		default:
			return 0, false
		}
		if place >= last {
			return 0, false
		}
		if digit < 0 {
			digit = 1 // 十二: the one of 一十 is not written
		}
		total += digit * place
		digit, last = -1, place
	}
	if digit > 0 {
		total += digit
	}
	return float64(total), true
}

// plainDecimal reports whether s is an optionally signed decimal number
// with digits on at least one side of an optional dot; it rules out what
// strconv.ParseFloat would also accept (1e3, inf, 0x1p-2, 1_000).
func plainDecimal(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case isDigit(s[i]):
			digits++
		case s[i] == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1 && len(s) <= 20
}
