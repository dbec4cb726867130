package rules

import "strings"

// MaskID hides the middle of an ID number for output that leaves the street:
// the first 6 and last 4 characters stay, every other character becomes
// '*' (430524********1234). Input shorter than 15 characters is masked
// completely, since showing 10 of fewer characters would reveal most of it.
func MaskID(id string) string {
	rs := []rune(id)
	if len(rs) < 15 {
		return strings.Repeat("*", len(rs))
	}
	for i := 6; i < len(rs)-4; i++ {
		rs[i] = '*'
	}
	return string(rs)
}

// MaskPhone hides the middle of a phone number. A mobile number keeps its
// first 3 and last 4 digits (138****5678). A landline written with dashes
// keeps the area code and the last 4 digits of the subscriber number; an
// extension is hidden (0755-****5678-***). Anything else keeps only its last
// 4 characters, and input of 6 characters or fewer is masked completely.
func MaskPhone(p string) string {
	rs := []rune(p)
	if len(rs) <= 6 {
		return strings.Repeat("*", len(rs))
	}
	if len(rs) == 11 && rs[0] == '1' && allDigits(p) {
		return p[:3] + "****" + p[7:]
	}
	if parts := strings.Split(p, "-"); len(parts) >= 2 && len(parts) <= 3 && p[0] == '0' &&
		len(parts[0]) >= 3 && len(parts[0]) <= 4 && allDigits(strings.Join(parts, "")) && len(parts[1]) > 4 {
		out := parts[0] + "-" + strings.Repeat("*", len(parts[1])-4) + parts[1][len(parts[1])-4:]
		if len(parts) == 3 {
			out += "-" + strings.Repeat("*", len(parts[2]))
		}
		return out
	}
	for i := 0; i < len(rs)-4; i++ {
		if rs[i] != '-' {
			rs[i] = '*'
		}
	}
	return string(rs)
}
