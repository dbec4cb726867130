package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{
		"440307199001010029", "43052419850312123x", "４４０３０７１９９００１０１００２９", "'440307199001010029",
		"430524850312123", "4.30524E+17", "4.30524198503121E+17", "430524198503121000", "430524198503121000.0",
		"430524198502301234", "930524198503121234", "", "无", "1.2E+3", "4.40307199001010029E+17", "0E0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, findings := parseIDNumber(raw, testToday)
		if id.Valid() {
			if len(id.Value) != 18 || !allDigits(id.Value[:17]) || IDCheckChar(id.Value) != id.Value[17] {
				t.Fatalf("%q: Valid() with value %q", raw, id.Value)
			}
			if id.Birth.IsZero() || id.Gender == "" {
				t.Fatalf("%q: Valid() without birth or gender: %+v", raw, id)
			}
		}
		if id.Value != "" && len(id.Value) != 18 {
			t.Fatalf("%q: value %q is not 18 characters", raw, id.Value)
		}
		if id.Status == IDMissing && (id.Value != "" || len(findings) > 0) {
			t.Fatalf("%q: missing with value or findings", raw)
		}
		for _, fd := range findings {
			if id.Value != "" && strings.Contains(fd.Message, id.Value) {
				t.Fatalf("%q: message shows the full number: %s", raw, fd.Message)
			}
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{
		"13812345678", "138 1234 5678", "+86 138-1234-5678", "0755-12345678转123", "(0755)28123456",
		"13812345678/13987654321", "1.38123E+10", "28123456", "０７５５－２８１２３４５６", "ext", "转转", "", "无",
		"13812345678.0", "0086 0755 1234", "1、2、3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		value, kind, others, findings := ParsePhone(raw)
		for _, n := range append([]string{value}, others...) {
			for i := 0; i < len(n); i++ {
				if c := n[i]; !isDigit(c) && c != '-' {
					t.Fatalf("%q: number %q has %q", raw, n, c)
				}
			}
		}
		if (value == "") != (kind == "") {
			t.Fatalf("%q: value %q with kind %q", raw, value, kind)
		}
		if value == "" && len(others) > 0 {
			t.Fatalf("%q: others without a value", raw)
		}
		for _, fd := range findings {
			for _, n := range append([]string{value}, others...) {
				if len(n) >= 7 && strings.Contains(fd.Message, n) {
					t.Fatalf("%q: message shows %s: %s", raw, n, fd.Message)
				}
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"31118", "31118.5", "60", "73416", "1985", "1985.03", "1985年3月12日", "19850312", "12/03/1985",
		"1985-02-30", "1985-03-12T00:00:00", "１９８５．０３", "", "年", "0", "99999999999999999999", "1985 年",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, date1904 bool) {
		d, p, findings := ParseDate(raw, date1904)
		if p == "" {
			if !d.IsZero() {
				t.Fatalf("%q: date %v without precision", raw, d)
			}
			if NormalizeText(raw) != "" && len(findings) == 0 {
				t.Fatalf("%q: no date and no finding", raw)
			}
			return
		}
		if d.Year() < minYear || d.Year() > maxYear {
			t.Fatalf("%q: date %v outside %d..%d", raw, d, minYear, maxYear)
		}
		if len(findings) > 0 {
			t.Fatalf("%q: date with findings %v", raw, findings)
		}
		// The canonical form reads back as the same date.
		back, bp, _ := ParseDate(formatDate(d, p), false)
		if !back.Equal(d) || bp != p {
			t.Fatalf("%q: %s reads back as %v %s", raw, formatDate(d, p), back, bp)
		}
	})
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{
		"张 伟", "阿卜杜•热合曼", "阿卜杜．热合曼", "阿.热.曼", "阿..热", "e \u0301", "\u00a8", "ᄀ ᅡ", " \u3000 ",
		"J.K", "阿•.热", "張偉", "\xff\xfe", "·", "a\u200b\u0301", "同心南路１２号　３栋，５０１", "丁\u3000 \t乙",
		"、。《》「」『』【】“”‘’·—", "\u00a0x\u2003y\u3000", "\u4dff\u4e00\u9fff\ua000", "ｶ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := NormalizeText(s)
		if slow := normalizeTextSlow(s); slow != text {
			t.Fatalf("NormalizeText(%q) = %q, but the slow path gives %q", s, text, slow)
		}
		if again := NormalizeText(text); again != text {
			t.Fatalf("NormalizeText not idempotent: %q → %q → %q", s, text, again)
		}
		if !utf8.ValidString(text) {
			t.Fatalf("NormalizeText(%q) = %q is not valid UTF-8", s, text)
		}
		if text != strings.TrimSpace(text) || strings.Contains(text, "  ") {
			t.Fatalf("NormalizeText(%q) = %q is not trimmed and collapsed", s, text)
		}
		name := NormalizeName(s)
		if again := NormalizeName(name); again != name {
			t.Fatalf("NormalizeName not idempotent: %q → %q → %q", s, name, again)
		}
		if strings.Contains(name, " ") {
			t.Fatalf("NormalizeName(%q) = %q has a space", s, name)
		}
	})
}

func FuzzBranchKey(f *testing.F) {
	for _, s := range []string{
		"中共湖南省邵阳市隆回县六都寨镇石门村支部委员会", "湖南省邵阳市隆回县六都寨镇石门村党支部", "隆回县六都寨镇石门村支部",
		"中共中共", "湖南省", "党党党委员会", "X总党支部", "邵阳市武冈市某县", "湖南邵阳市委员会", "广西壮族自治区", "",
		"ᄀ-ᅡ", "中共隆回县委", "石门村村民委员会",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := BranchKey(s)
		if again := BranchKey(k); again != k {
			t.Fatalf("BranchKey not idempotent: %q → %q → %q", s, k, again)
		}
		if !utf8.ValidString(k) {
			t.Fatalf("BranchKey(%q) = %q is not valid UTF-8", s, k)
		}
	})
}
