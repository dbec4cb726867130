package rules

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// NamePinyin returns the toneless pinyin (拼音) of a name, one syllable per
// Han character, space-separated and lower-case: 张伟, 张玮 and 张炜 all give
// "zhang wei", which is how a homophone typo (同音字) is recognised. A
// character with several readings takes its first (most common) one, the
// same on both records, so the key stays consistent. Latin letters and
// digits are kept, lower-cased, as words; the middle dot of minority names
// (阿卜杜·热合曼), spaces and other punctuation only separate words. It
// returns "" when nothing is left.
//
// The dictionary is compiled into go-pinyin: nothing is read at run time.
func NamePinyin(name string) string {
	var p PinyinReader
	return p.Name(name)
}

// PinyinReader gives the pinyin of many names (NamePinyin), looking each
// character's reading up once: go-pinyin strips the tones with regular
// expressions on every lookup, most of the time of a name (1M persons' names
// took about 17 s). Not safe for concurrent use.
type PinyinReader struct {
	readings map[rune]string
}

// Name is NamePinyin(name).
func (p *PinyinReader) Name(name string) string {
	var words []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			words = append(words, word.String())
			word.Reset()
		}
	}
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			words = append(words, p.reading(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return strings.Join(words, " ")
}

// reading is a Han character's first toneless reading, or the character
// itself when it has none (a rare character stays itself).
func (p *PinyinReader) reading(r rune) string {
	if s, ok := p.readings[r]; ok {
		return s
	}
	s := string(r)
	if py := pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal}); len(py) > 0 && py[0] != "" {
		s = py[0]
	}
	if p.readings == nil {
		p.readings = map[rune]string{}
	}
	p.readings[r] = s
	return s
}
