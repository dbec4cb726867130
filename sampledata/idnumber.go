package sampledata

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The resident ID number (GB 11643-1999): region(6) birth(8) sequence(3, odd = male) check(1, ISO 7064 MOD 11-2).

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// idCheck returns the check character for the first 17 digits of an ID number.
func idCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// makeID builds a valid 18-digit ID number; seq is 0..999 and must already have the gender's parity.
func makeID(region string, birth time.Time, seq int) string {
	s := region + birth.Format("20060102") + pad3(seq)
	return s + string(idCheck(s))
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 3-len(s)) + s
}

// toID15 converts an 18-digit number of someone born in the 1900s to the legacy 15-digit form (2-digit year, no
// check character), which older origin-branch records still carry.
func toID15(id string) string { return id[:6] + id[8:17] }

// idDamaged is what Excel stores when an 18-digit number is typed into a General cell: the value rounded to 15
// significant digits, so the last three digits become 000.
func idDamaged(id string) float64 {
	v, _ := strconv.ParseFloat(id[:15]+"000", 64)
	return v
}

// excelGeneral renders a number the way Excel's General format shows it in a normal-width column, which is
// what ends up in a CSV exported from that sheet (4.30524E+17).
func excelGeneral(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e11 {
		return strconv.FormatInt(int64(v), 10)
	}
	if math.Abs(v) < 1e11 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	exp := int(math.Floor(math.Log10(math.Abs(v))))
	mant := v / math.Pow(10, float64(exp))
	m := strconv.FormatFloat(mant, 'f', 5, 64)
	m = strings.TrimRight(strings.TrimRight(m, "0"), ".")
	return m + "E+" + pad2(exp)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// wrongCheck returns the ID with a check character that is not the right one, as after a typo.
func wrongCheck(id string) string {
	c := id[17]
	i := strings.IndexByte(idCheckChars, c)
	return id[:17] + string(idCheckChars[(i+3)%11])
}

// fullwidth turns ASCII digits (and X) into their full-width forms, as typed with a Chinese IME in full-width mode.
func fullwidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			r = r - '0' + '０'
		case r == 'X':
			r = 'Ｘ'
		}
		b.WriteRune(r)
	}
	return b.String()
}
