package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeText is the first step for every cell: invalid UTF-8 becomes
// U+FFFD, invisible characters (zero-width spaces, BOM, soft hyphen, control
// characters) are dropped, the text is NFKC-normalised (full-width letters
// and digits become ASCII, ideographic space becomes a space), trimmed, and
// every run of whitespace (spaces, U+3000, NBSP, tabs, newlines) becomes one
// space. It is idempotent. Traditional characters are not converted here:
// that needs the Cleaner's converter.
func NormalizeText(s string) string {
	if isTidyASCII(s) {
		return s // the common case on millions of cells: nothing to do, no allocation
	}
	if folded, ok := foldCJK(s); ok {
		return collapseSpace(folded) // what NFKC would give, without its tables
	}
	return normalizeTextSlow(s)
}

// normalizeTextSlow is NormalizeText without the fast paths; the fuzz test
// holds the two equal.
func normalizeTextSlow(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// Invisible characters go before NFKC so that what they separated can
	// compose, which keeps the function idempotent.
	s = dropInvisible(s)
	s = norm.NFKC.String(s)
	return collapseSpace(s)
}

// isTidyASCII reports whether s is printable ASCII, not starting or ending
// with a space and without two spaces in a row: NormalizeText's fixed points
// that are cheap to recognise.
func isTidyASCII(s string) bool {
	prevSpace := true // a leading space is not tidy
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x20 || b > 0x7e {
			return false
		}
		if b == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return len(s) == 0 || !prevSpace
}

// foldCJK returns NFKC(s) for the text survey sheets are mostly made of:
// printable ASCII and whitespace, CJK Unified Ideographs (U+4E00..U+9FFF),
// a few NFKC-stable punctuation marks (、。《》「」『』【】“”‘’·—), the
// ideographic space and the full-width forms U+FF01..U+FF5E (１２３，：（）),
// whose NFKC is the matching ASCII character. None of these composes with a
// neighbour, so mapping them one by one is exact. ok is false as soon as s
// holds anything else; the caller then runs the real NFKC.
func foldCJK(s string) (string, bool) {
	fold := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && !isASCIISpace(c) || c == 0x7f {
				return "", false
			}
			i++
			continue
		}
		if isHanAt(s, i) {
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case stableCJKPunct(r):
		case r == '\u3000', r >= 0xff01 && r <= 0xff5e:
			fold = true
		default:
			return "", false // also catches invalid UTF-8 (RuneError)
		}
		i += n
	}
	if !fold {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u3000':
			r = ' '
		case r >= 0xff01 && r <= 0xff5e:
			r -= 0xfee0
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// isHanAt reports whether s holds a CJK Unified Ideograph (U+4E00..U+9FFF,
// UTF-8 E4 B8 80 .. E9 BF BF) at byte i, without decoding.
func isHanAt(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	c0, c1, c2 := s[i], s[i+1], s[i+2]
	if c0 < 0xe4 || c0 > 0xe9 || c1 < 0x80 || c1 > 0xbf || c2 < 0x80 || c2 > 0xbf {
		return false
	}
	return c0 > 0xe4 || c1 >= 0xb8
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// stableCJKPunct reports whether r is one of the punctuation marks foldCJK
// lets through unchanged.
func stableCJKPunct(r rune) bool {
	switch r {
	case '、', '。', '《', '》', '「', '」', '『', '』', '【', '】', '“', '”', '‘', '’', '·', '—':
		return true
	}
	return false
}

// isInvisible reports whether r is a character NormalizeText drops: control
// characters that are not whitespace, and format characters people paste in
// by accident.
func isInvisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsControl(r) && !unicode.IsSpace(r)
}

func dropInvisible(s string) string {
	idx := strings.IndexFunc(s, isInvisible)
	if idx < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:idx])
	for _, r := range s[idx:] {
		if !isInvisible(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// collapseSpace trims s and turns each run of Unicode whitespace into one
// ASCII space; it returns s itself when nothing changes.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether collapseSpace would return s unchanged: no
// leading or trailing space, no whitespace but single ASCII spaces. It looks
// at bytes, decoding only after the lead bytes of non-ASCII whitespace
// (U+0085, U+00A0, U+1680, U+2000.., U+3000), never after those of Han.
func isCollapsed(s string) bool {
	prevSpace := true // a leading space needs work
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case c < utf8.RuneSelf:
			if isASCIISpace(c) {
				return false
			}
		case c == 0xc2 || c == 0xe1 || c == 0xe2 || c == 0xe3:
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// NormalizeName normalises a person's name (姓名): NormalizeText, then every
// inner space is removed (张 伟 → 张伟) and the middle-dot variants used in
// minority and foreign names (• ・ ･ ‧ ∙ ⋅ ⸱ ꞏ, ．and a lone '.' between two
// Han characters) become U+00B7 '·', runs of dots collapsing to one
// (阿卜杜•热合曼 → 阿卜杜·热合曼). Homophones are never touched: 张玮 stays
// 张玮. Traditional→simplified is not done here (the Cleaner does it). It is
// idempotent.
func NormalizeName(s string) string {
	return nameFromText(NormalizeText(s))
}

// nameFromText applies the name-only steps to text that already went
// through NormalizeText.
func nameFromText(s string) string {
	if !needsNameWork(s) {
		return s
	}
	if strings.IndexByte(s, ' ') >= 0 {
		s = strings.ReplaceAll(s, " ", "")
		// Removing a space can bring a combining mark next to its base; compose
		// again so that a second pass changes nothing.
		if _, plain := foldCJK(s); !plain && !norm.NFKC.IsNormalString(s) {
			s = norm.NFKC.String(s)
		}
	}
	if !needsDotWork(s) {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		if isDotVariant(r) || r == '.' && i > 0 && i+1 < len(rs) && unicode.Is(unicode.Han, rs[i-1]) && unicode.Is(unicode.Han, rs[i+1]) {
			r = '·'
		}
		if r == '·' && len(out) > 0 && out[len(out)-1] == '·' {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// needsNameWork reports whether s has a space, a dot variant or an ASCII
// full stop, the only things nameFromText changes.
func needsNameWork(s string) bool {
	for _, r := range s {
		if r == ' ' || r == '.' || r == '·' || isDotVariant(r) {
			return true
		}
	}
	return false
}

// needsDotWork reports whether s has a character the dot step may change.
func needsDotWork(s string) bool {
	for _, r := range s {
		if r == '.' || r == '·' || isDotVariant(r) {
			return true
		}
	}
	return false
}

// isDotVariant reports whether r is one of the characters typed in place of
// the middle dot U+00B7 in names. U+FF0E and U+2024 are not listed: NFKC has
// already made them '.'; U+FF65 has become U+30FB.
func isDotVariant(r rune) bool {
	switch r {
	case '\u2022', // • bullet
		'\u2027', // ‧ hyphenation point
		'\u2219', // ∙ bullet operator
		'\u22c5', // ⋅ dot operator
		'\u30fb', // ・ katakana middle dot
		'\uff65', // ･ half-width katakana middle dot
		'\u2e31', // ⸱ word separator middle dot
		'\ua78f', // ꞏ Latin letter sinological dot
		'\u0387', // · Greek ano teleia
		'\u16eb': // ᛫ runic single punctuation
		return true
	}
	return false
}

// hasHan reports whether s contains a Han character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// isASCII reports whether s is pure ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lookupKey is how free text is compared with a closed vocabulary: spaces
// removed and ASCII lower-cased. s must already be normalised.
func lookupKey(s string) string {
	if strings.IndexByte(s, ' ') >= 0 {
		s = strings.ReplaceAll(s, " ", "")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
