package rules

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// idWeights and idCheckChars are ISO 7064 MOD 11-2 as GB 11643-1999 uses it.
var (
	idWeights    = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheckChars = [11]byte{'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'}
)

// IDCheckChar returns the check character for the first 17 digits of body.
// body must hold at least 17 ASCII digits.
func IDCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// ParseIDNumber parses a 公民身份证号 (GB 11643-1999) as typed into a
// spreadsheet, with the current date as the latest possible birth date; see
// parseIDNumber for the rules. The Cleaner uses its own reference date.
func ParseIDNumber(raw string) (IDNumber, []Finding) {
	return parseIDNumber(raw, time.Now())
}

// parseIDNumber is ParseIDNumber with an explicit reference date.
//
// Cleaning first: NFKC (full-width digits), spaces, dashes and quotes
// removed (a leading ' is Excel's "this is text" marker), x upper-cased.
// Then, in this order:
//
//   - empty: IDMissing, no finding;
//   - a number rendered by Excel in scientific notation (4.30524E+17) or an
//     18-digit number with a ".0" decimal part whose last three digits are
//     000: IDExcelDamaged, Value "", Prefix the significant digits that
//     survived, error id_excel_damaged. Scientific notation that still holds
//     every digit (4.30524198503121234E+17) is read as that number;
//   - 18 characters (17 digits and a digit or X): region (first digit 1-8),
//     birth date (YYYYMMDD, 1900-01-01..today) and check character are
//     checked; the first failure sets Status (IDBadRegion, IDBadDate,
//     IDBadCheckDigit) and each failure adds a finding (id_region,
//     id_birth_date, id_check_digit). A wrong check character on a number
//     ending in 000 whose region and date are fine is Excel damage instead
//     (IDExcelDamaged, Prefix the first 15 digits). Value keeps the 18
//     characters unless damaged, so near-misses can still be matched;
//   - 15 digits: the legacy form, 19 inserted before the 2-digit year and a
//     check character appended; IDConverted15 and info id_converted_15 when
//     region and date are valid, else IDBadRegion / IDBadDate;
//   - anything else: IDBadFormat, Value "", error id_format.
//
// Prefix holds the leading digits worth comparing: the 17 digits before the
// check character for every 18-character outcome, the surviving digits when
// damaged, "" otherwise. Birth and Gender (17th digit odd = 男) are set
// whenever the date part is valid. Messages show the number only masked.
func parseIDNumber(raw string, today time.Time) (IDNumber, []Finding) {
	s := cleanIDText(raw)
	if s == "" {
		return IDNumber{Status: IDMissing}, nil
	}
	fromNumber := false
	if digits, exp, ok := sciNotation(s); ok {
		switch {
		case len(digits) == exp+1:
			s = digits // every digit survived: it is the number itself
			fromNumber = true
		case exp+1 >= 15 && exp+1 <= 18:
			return damagedID(digits)
		}
	} else if intPart, ok := zeroDecimal(s); ok {
		s = intPart
		fromNumber = true
	}
	switch {
	case len(s) == 18 && allDigits(s[:17]) && (isDigit(s[17]) || s[17] == 'X'):
		if fromNumber && strings.HasSuffix(s, "000") {
			return damagedID(s[:15])
		}
		return checkID18(s, today, false)
	case len(s) == 15 && allDigits(s):
		return checkID18(s[:6]+"19"+s[6:15]+"0", today, true)
	}
	return IDNumber{Status: IDBadFormat}, []Finding{newFinding(CodeIDFormat, describeBadID(s))}
}

// checkID18 validates an 18-character number. converted says it came from
// 15 digits, so its check character (a placeholder) is computed, not checked.
func checkID18(s string, today time.Time, converted bool) (IDNumber, []Finding) {
	if converted {
		s = s[:17] + string(IDCheckChar(s))
	}
	id := IDNumber{Value: s, Prefix: s[:17]}
	var findings []Finding
	regionOK := s[0] >= '1' && s[0] <= '8'
	if !regionOK {
		id.Status = IDBadRegion
		findings = append(findings, newFinding(CodeIDRegion,
			fmt.Sprintf("身份证号 %s 的地区码 %s 不存在（第一位应为 1–8）", MaskID(s), s[:2])))
	}
	birth, dateOK := idBirth(s[6:14], today)
	if dateOK {
		id.Birth = birth
		if (s[16]-'0')%2 == 1 {
			id.Gender = "男"
		} else {
			id.Gender = "女"
		}
	} else {
		if id.Status == "" {
			id.Status = IDBadDate
		}
		findings = append(findings, newFinding(CodeIDBirthDate,
			fmt.Sprintf("身份证号 %s 中的出生日期不成立", MaskID(s))))
	}
	if converted {
		if id.Status == "" {
			id.Status = IDConverted15
			findings = append(findings, newFinding(CodeIDConverted15,
				fmt.Sprintf("15 位旧身份证号已转换为 18 位：%s", MaskID(s))))
		}
		return id, findings
	}
	want := IDCheckChar(s)
	if want != s[17] {
		if regionOK && dateOK && strings.HasSuffix(s, "000") {
			return damagedID(s[:15])
		}
		if id.Status == "" {
			id.Status = IDBadCheckDigit
		}
		findings = append(findings, newFinding(CodeIDCheckDigit,
			fmt.Sprintf("身份证号 %s 校验位应为 %c，实际为 %c，可能有数字录错", MaskID(s), want, s[17])))
	}
	if id.Status == "" {
		id.Status = IDValid
		if strings.HasSuffix(s, "000") {
			// Valid, but one in eleven numbers Excel cut to 15 digits also
			// ends in 000 with a fitting check digit: say so, keep it.
			findings = append(findings, newFinding(CodeIDMaybeDamaged,
				fmt.Sprintf("身份证号 %s 以 000 结尾：如果原单元格是数字格式，后几位可能已被 Excel 改成 0，请与原件核对", MaskID(s))))
		}
	}
	return id, findings
}

// damagedID is the outcome for a number Excel stored as a number.
func damagedID(prefix string) (IDNumber, []Finding) {
	if len(prefix) > 17 {
		prefix = prefix[:17]
	}
	masked := MaskID(prefix)
	return IDNumber{Status: IDExcelDamaged, Prefix: prefix}, []Finding{newFinding(CodeIDExcelDamaged,
		fmt.Sprintf("身份证号（%s…）所在单元格是数字格式，Excel 只保留了 15 位有效数字，后几位已丢失；请把单元格设为文本后重新录入完整号码", masked))}
}

// idBirth parses YYYYMMDD and checks 1900-01-01 ≤ date ≤ today.
func idBirth(ymd string, today time.Time) (time.Time, bool) {
	y := atoiDigits(ymd[0:4])
	m := atoiDigits(ymd[4:6])
	d := atoiDigits(ymd[6:8])
	t, ok := makeDate(y, m, d)
	if !ok || y < 1900 || t.After(dateOnly(today)) {
		return time.Time{}, false
	}
	return t, true
}

// cleanIDText applies NFKC and removes what people and Excel put around an
// ID number: spaces, dashes, quotes, invisible characters. x becomes X.
func cleanIDText(raw string) string {
	s := raw
	if !isASCII(s) {
		s = norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), isInvisible(r), r == '-', r == '\'', r == '"', r == '`',
			r == '‘', r == '’', r == '“', r == '”', r == '\u2010', r == '\u2013', r == '\u2014':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// describeBadID says what is wrong with a number that is not 15 or 18
// characters of the right kind, without repeating it in full.
func describeBadID(s string) string {
	n := 0
	for range s {
		n++
	}
	for i, r := range s {
		if !(r >= '0' && r <= '9') && !(r == 'X' && i == len(s)-1) {
			return fmt.Sprintf("身份证号含有不应出现的字符（共 %d 位）：应为 18 位数字（末位可为 X）或 15 位数字", n)
		}
	}
	return fmt.Sprintf("身份证号位数不对：%d 位，应为 18 位（或旧的 15 位）", n)
}

// sciNotation recognises a number in scientific notation as Excel shows a
// long number in a number cell: d.dddE+nn, one non-zero digit before the dot
// (upper-case E; callers upper-case). It returns the mantissa digits without
// the dot and the exponent; the number has exp+1 digits, of which only
// len(digits) survived.
func sciNotation(s string) (digits string, exp int, ok bool) {
	e := strings.IndexByte(s, 'E')
	if e < 1 || e == len(s)-1 {
		return "", 0, false
	}
	mant, ex := s[:e], s[e+1:]
	if ex[0] == '+' {
		ex = ex[1:]
	}
	if ex == "" || len(ex) > 3 || !allDigits(ex) {
		return "", 0, false
	}
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if len(intPart) != 1 || intPart[0] < '1' || intPart[0] > '9' || hasDot && (frac == "" || !allDigits(frac)) {
		return "", 0, false
	}
	digits, exp = intPart+frac, atoiDigits(ex)
	if len(digits) > exp+1 {
		return "", 0, false // a fraction, not an integer: no ID number
	}
	return digits, exp, true
}

// zeroDecimal recognises an integer printed as a decimal, "123.0", "123.00",
// and returns the integer part.
func zeroDecimal(s string) (string, bool) {
	intPart, frac, ok := strings.Cut(s, ".")
	if !ok || intPart == "" || frac == "" || !allDigits(intPart) || strings.Trim(frac, "0") != "" {
		return "", false
	}
	return intPart, true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoiDigits converts an ASCII digit string of at most 9 digits.
func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
