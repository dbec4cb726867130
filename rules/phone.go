package rules

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Phone kinds returned by ParsePhone.
const (
	PhoneMobile   = "mobile"
	PhoneLandline = "landline"
)

// maxPhoneGroup bounds how many digit runs one phone number may be written
// in (+86 138 1234 5678 is four; 0755-1234-5678-123 is four).
const maxPhoneGroup = 5

// phoneToken is one run of digits in a phone cell.
type phoneToken struct {
	digits string
	ext    bool // written after 转 / ext / 分机: an extension
	hard   bool // a list separator (、 , ; …) comes before it
}

// ParsePhone finds the phone numbers in a cell. After NFKC (full-width
// digits and punctuation), the cell is split into runs of digits; anything
// else (spaces - . ( ) / and words such as 手机 or 本人) only separates them,
// and 、 , ， ; ； | and new lines always end a number. Consecutive runs are
// joined, longest first, into numbers:
//
//   - mobile: 11 digits 1[3-9]…, after dropping a +86 / 0086 / 86 prefix;
//     value "13812345678";
//   - landline: area code (010 and 02x have 3 digits, other 0xxx have 4) and
//     a 7-8 digit subscriber number, with or without a
//     separator; value "0755-12345678", an extension (转 123, ext 123, or a
//     trailing -123) appended as "0755-12345678-123";
//   - a 7-8 digit subscriber number alone: landline as given (digits only),
//     warning phone_no_area_code.
//
// The first number found is value (kind "mobile" or "landline"); further
// numbers go to others with info phone_multiple. Digits that form no number
// while some number was found give warning phone_extra_text; no number at
// all gives error phone_format and value "". Scientific notation
// (1.38123E+10: a number cell Excel shortened) gives error
// phone_excel_damaged. Returned numbers contain only digits and dashes.
// Messages show numbers masked.
func ParsePhone(raw string) (value, kind string, others []string, findings []Finding) {
	s := raw
	if !isASCII(s) {
		s = norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", nil, nil
	}
	compact := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if digits, exp, ok := sciNotation(compact); ok && len(digits) == exp+1 {
		s = digits // every digit is still there
	} else if ok {
		return "", "", nil, []Finding{newFinding(CodePhoneExcelDamaged,
			fmt.Sprintf("电话号码（%s…）所在单元格是数字格式，Excel 以科学计数法显示，后几位已丢失；请把单元格设为文本后重新录入", MaskPhone(digits)))}
	} else if intPart, ok := zeroDecimal(compact); ok {
		s = intPart // 13812345678.0: a number cell
	}
	tokens := tokenizePhone(s)
	var numbers []string
	var noArea, leftover []string
	for i := 0; i < len(tokens); {
		found := false
		for j := min(len(tokens), i+maxPhoneGroup); j > i; j-- {
			if v, k, ok := parsePhoneGroup(tokens[i:j]); ok {
				numbers = append(numbers, v)
				if k == PhoneLandline && v[0] != '0' {
					noArea = append(noArea, v)
				}
				if len(numbers) == 1 {
					kind = k
				}
				i, found = j, true
				break
			}
		}
		if !found {
			leftover = append(leftover, tokens[i].digits)
			i++
		}
	}
	if len(numbers) == 0 {
		return "", "", nil, []Finding{newFinding(CodePhoneFormat, describeBadPhone(s))}
	}
	value, others = numbers[0], numbers[1:]
	if len(others) > 0 {
		masked := make([]string, len(others))
		for i, o := range others {
			masked[i] = MaskPhone(o)
		}
		findings = append(findings, newFinding(CodePhoneMultiple,
			fmt.Sprintf("一个单元格中有 %d 个号码，取第一个 %s，其余：%s", len(numbers), MaskPhone(value), strings.Join(masked, "、"))))
	}
	for _, n := range noArea {
		findings = append(findings, newFinding(CodePhoneNoAreaCode,
			fmt.Sprintf("固定电话 %s 没有区号，请补上区号（深圳为 0755）", MaskPhone(n))))
	}
	if len(leftover) > 0 {
		masked := make([]string, len(leftover))
		for i, o := range leftover {
			masked[i] = MaskPhone(o)
		}
		findings = append(findings, newFinding(CodePhoneExtraText,
			fmt.Sprintf("电话栏中有无法识别为号码的数字：%s", strings.Join(masked, "、"))))
	}
	return value, kind, others, findings
}

// tokenizePhone splits s into digit runs, marking extensions and list
// separators.
func tokenizePhone(s string) []phoneToken {
	var tokens []phoneToken
	start := -1
	ext, hard := false, false
	flush := func(end int) {
		if start >= 0 {
			tokens = append(tokens, phoneToken{digits: s[start:end], ext: ext, hard: hard})
			start, ext, hard = -1, false, false
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			if start < 0 {
				start = i
			}
		case r == '、' || r == ',' || r == ';' || r == '|' || r == '\n' || r == '\r' || r == '或':
			flush(i)
			hard = len(tokens) > 0
			ext = false
		case r == '转' || strings.HasPrefix(s[i:], "分机"):
			flush(i)
			ext = len(tokens) > 0
		case (r == 'e' || r == 'E') && len(s)-i >= 3 && strings.EqualFold(s[i:i+3], "ext"):
			flush(i)
			ext = len(tokens) > 0
			n = 3
		default:
			flush(i) // any other character just ends a run of digits
		}
		i += n
	}
	flush(len(s))
	return tokens
}

// parsePhoneGroup reads consecutive digit runs as one number.
func parsePhoneGroup(ts []phoneToken) (value, kind string, ok bool) {
	for i, t := range ts {
		if i > 0 && t.hard || t.ext && i != len(ts)-1 || i == 0 && t.ext {
			return "", "", false
		}
	}
	ext := ""
	if last := ts[len(ts)-1]; last.ext {
		ext = last.digits
		ts = ts[:len(ts)-1]
		if len(ext) > 6 {
			return "", "", false
		}
	}
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.digits)
	}
	d := b.String()
	if ext == "" {
		if m, ok := mobile(d); ok {
			return m, PhoneMobile, true
		}
	}
	if v, ok := landline(d, ext); ok {
		return v, PhoneLandline, true
	}
	// A trailing short run after a complete landline is an extension:
	// 0755-12345678-123.
	if last := ts[len(ts)-1].digits; ext == "" && len(ts) >= 2 && len(last) <= 5 {
		if v, ok := landline(d[:len(d)-len(last)], last); ok {
			return v, PhoneLandline, true
		}
	}
	return "", "", false
}

// mobile recognises an 11-digit mobile number, with or without the 86
// country code.
func mobile(d string) (string, bool) {
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	}
	if len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' {
		return d, true
	}
	return "", false
}

// landline recognises area code + subscriber number, or a subscriber number
// alone, and formats it with dashes.
func landline(d, ext string) (string, bool) {
	sub, area := d, ""
	if len(d) > 0 && d[0] == '0' {
		n := areaCodeLen(d)
		if n == 0 {
			return "", false
		}
		area, sub = d[:n], d[n:]
	}
	if len(sub) < 7 || len(sub) > 8 || sub[0] == '0' {
		return "", false
	}
	v := sub
	if area != "" {
		v = area + "-" + sub
	}
	if ext != "" {
		v += "-" + ext
	}
	return v, true
}

// areaCodeLen returns the length of the area code d starts with: 3 for 010
// and 02x, 4 for other 0[3-9]xx, 0 when d starts with no area code.
func areaCodeLen(d string) int {
	switch {
	case len(d) < 3:
		return 0
	case d[1] == '1' && d[2] == '0', d[1] == '2':
		return 3
	case d[1] >= '3' && len(d) >= 4:
		return 4
	}
	return 0
}

// describeBadPhone says why no number was found without repeating the
// digits in full.
func describeBadPhone(s string) string {
	n := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			n++
		}
	}
	if n == 0 {
		return "电话栏中没有号码"
	}
	return fmt.Sprintf("无法识别的电话号码（共 %d 位数字）：手机号应为 11 位，固定电话应为 区号-7或8位号码", n)
}
