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
	args := pinyin.Args{Style: pinyin.Normal}
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
			if py := pinyin.SinglePinyin(r, args); len(py) > 0 && py[0] != "" {
				words = append(words, py[0])
			} else {
				words = append(words, string(r)) // a rare character without a reading stays itself
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return strings.Join(words, " ")
}
