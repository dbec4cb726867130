package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line breaking for Chinese text with simple 禁则 (kinsoku) rules: Chinese
// breaks between any two characters, Latin words and numbers (an ID number,
// a phone) only at spaces; a line does not start with closing punctuation
// and does not end with opening punctuation: the character before (or
// after) moves with it to the next line. Runs of —— and …… stay whole.

// noStart are the characters a line must not start with (行首禁则).
const noStart = "，。、；：？！）」』》〉】〕〗｝］’”％‰℃·・～…" + ",.;:?!)]}%"

// noEnd are the characters a line must not end with (行尾禁则).
const noEnd = "（「『《〈【〔〖｛［‘“·・" + "([{"

// inseparable are the characters whose runs are not split (破折号、省略号).
const inseparable = "—…"

// wrap splits s into lines: the first at most first wide, the others at most
// rest wide, by the widths of runes w. Joined, the lines are s again. A unit
// wider than a line (a very long word) is split by character, each line
// taking at least one character; there closing punctuation may hang past
// the end of a line. Width is measured without trailing spaces.
func wrap(s string, first, rest float64, w func(rune) float64) []string {
	var lines []string
	var line strings.Builder
	lineW := 0.0 // width of line without its trailing spaces
	spaceW := 0.0
	avail := first
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lineW, spaceW, avail = 0, 0, rest
	}
	for _, c := range clusters(s) {
		cw, trail := measure(c, w)
		if line.Len() > 0 && lineW+spaceW+cw > avail {
			flush()
		}
		if line.Len() == 0 && cw > avail {
			// Too wide for any line: by character, closing punctuation
			// hanging past the end rather than starting a line.
			for i := 0; i < len(c); {
				r, n := utf8.DecodeRuneInString(c[i:])
				rw := w(r)
				if line.Len() > 0 && !unicode.IsSpace(r) && !strings.ContainsRune(noStart, r) && lineW+spaceW+rw > avail {
					flush()
				}
				line.WriteString(c[i : i+n]) // the bytes, even when not UTF-8
				i += n
				if unicode.IsSpace(r) {
					spaceW += rw
				} else {
					lineW += spaceW + rw
					spaceW = 0
				}
			}
			continue
		}
		line.WriteString(c)
		lineW += spaceW + cw
		spaceW = trail
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// measure returns the width of cluster c without its trailing spaces, and
// the width of those.
func measure(c string, w func(rune) float64) (width, trail float64) {
	for _, r := range c {
		if unicode.IsSpace(r) {
			trail += w(r)
			continue
		}
		width += trail + w(r)
		trail = 0
	}
	return width, trail
}

// clusters splits s into the units a line may break between, each with its
// trailing spaces: a Chinese character, a run of Latin letters and digits,
// glued to the punctuation that must not be separated from it.
func clusters(s string) []string {
	// Units first: a wide character alone, or a run of narrow non-space
	// characters; spaces stay with the unit before them.
	var units []string
	start := 0
	prevNarrow, prevSpace := false, false
	for i, r := range s {
		space := unicode.IsSpace(r)
		narrow := !space && !isWide(r)
		if i > start {
			switch {
			case space:
				// a space never begins a unit
			case prevSpace, !narrow, !prevNarrow:
				units = append(units, s[start:i])
				start = i
			}
		}
		prevNarrow, prevSpace = narrow, space
	}
	if start < len(s) {
		units = append(units, s[start:])
	}

	// Then glue by the rules.
	var out []string
	for _, u := range units {
		if n := len(out); n > 0 && glued(out[n-1], u) {
			out[n-1] += u
			continue
		}
		out = append(out, u)
	}
	return out
}

// glued reports whether a line must not break between units a and b.
func glued(a, b string) bool {
	first := firstRune(b)
	last, lastNonSpace, trailing := lastRunes(a)
	if strings.ContainsRune(noStart, first) && !trailing {
		return true
	}
	if strings.ContainsRune(noEnd, lastNonSpace) && !trailing {
		return true
	}
	return last == first && strings.ContainsRune(inseparable, first)
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// lastRunes returns the last rune of s, its last non-space rune, and whether
// s ends with a space.
func lastRunes(s string) (last, lastNonSpace rune, trailing bool) {
	t := strings.TrimRightFunc(s, unicode.IsSpace)
	trailing = len(t) < len(s)
	for _, r := range t {
		lastNonSpace = r
	}
	last = lastNonSpace
	if trailing {
		last = ' '
	}
	return last, lastNonSpace, trailing
}

// isWide reports whether r is a character a line may break before and after
// (CJK ideographs, kana, hangul, CJK and full-width punctuation).
func isWide(r rune) bool {
	return r >= 0x2E80 || r == '—' || r == '…' || r == '·'
}
