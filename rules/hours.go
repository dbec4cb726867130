package rules

import (
	"strconv"
	"strings"
)

// maxHours is the most hours one activity record can plausibly hold.
const maxHours = 24

// hourUnits are the endings that mean hours, longest first; minuteUnits
// mean minutes.
var (
	hourUnits   = []string{"个小时", "小时", "hours", "hour", "hrs", "hr", "学时", "课时", "h", "时"}
	minuteUnits = []string{"分钟", "mins", "min", "分"}
)

// chineseDigits are the numerals written in place of digits for hours.
var chineseDigits = map[string]float64{
	"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}

// parseHours reads a duration in hours from normalised text: "2", "2.5",
// "2小时", "2h", "1.5 小时", "30分钟" (0.5), "半天" (4), "半小时" (0.5),
// "两个半小时" (2.5). ok is false when it is not a duration.
func parseHours(s string) (float64, bool) {
	k := lookupKey(s)
	switch k {
	case "半天", "半日":
		return 4, true
	case "":
		return 0, false
	}
	scale := 1.0
	unit := false
	for _, u := range hourUnits {
		if rest, ok := strings.CutSuffix(k, u); ok {
			k, unit = rest, true
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
	if n, ok := chineseDigits[k]; ok {
		return n + half, true
	}
	if !plainDecimal(k) {
		return 0, false
	}
	n, err := strconv.ParseFloat(k, 64)
	if err != nil {
		return 0, false
	}
	return n*scale + half, true
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
