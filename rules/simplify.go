package rules

import (
	"fmt"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// simplifier converts traditional characters to simplified ones with
// OpenCC's t2s tables. OpenCC's Convert allocates per character, and almost
// every cell in the survey sheets is already simplified, so the simplifier
// first checks, with a bitmap built from the dictionaries, whether any
// character of the text starts an entry that would change it; only then is
// OpenCC called. It is read-only after construction and safe for concurrent
// use (OpenCC's lookups only read its tries).
type simplifier struct {
	cc     *opencc.OpenCC
	bmp    [0x10000 / 64]uint64 // BMP runes some dictionary entry changes
	astral map[rune]bool        // the same, outside the BMP
}

// nameKeep are characters that t2s maps (alone or inside a phrase) although
// they are standard simplified characters in their own right (通用规范汉字表)
// used in names: the surnames 於 (not 于), 甯 (not 宁), 麴 (not 曲), 沈 (not
// 沉, in 沈積 and the like), and 乾 in given names. In names they are kept as
// written.
var nameKeep = map[rune]bool{'於': true, '甯': true, '麴': true, '沈': true, '乾': true}

func newSimplifier() (*simplifier, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("load opencc t2s: %w", err)
	}
	s := &simplifier{cc: cc, astral: map[rune]bool{}}
	n := 0
	for _, g := range cc.DictChains {
		for _, d := range g.Dicts {
			for _, id := range d.Trie.PrefixPredict(nil, 0) {
				key, err := d.Trie.Key(id)
				if err != nil {
					continue
				}
				vi, err := d.Trie.Value(id)
				if err != nil || vi < 0 || vi >= len(d.Values) {
					continue
				}
				vals := d.Values[vi]
				// OpenCC emits the first candidate; an entry whose first
				// candidate is the key itself changes nothing.
				if len(vals) == 0 || vals[0] == string(key) {
					continue
				}
				// Mark the characters the entry changes. A text without
				// any marked character cannot change: every entry that
				// matches in it maps each character to itself.
				kr, vr := []rune(string(key)), []rune(vals[0])
				for i, r := range kr {
					if len(kr) != len(vr) || vr[i] != r {
						s.mark(r)
					}
				}
				n++
			}
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("load opencc t2s: no conversion entries found")
	}
	return s, nil
}

func (s *simplifier) mark(r rune) {
	if r < 0x10000 {
		s.bmp[r>>6] |= 1 << (uint(r) & 63)
		return
	}
	s.astral[r] = true
}

// mayChange reports whether t2s could change str. Pure ASCII never changes.
func (s *simplifier) mayChange(str string) bool {
	for i := 0; i < len(str); {
		c := str[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		var r rune
		n := 3
		if isHanAt(str, i) { // the common case, decoded inline
			r = rune(c&0x0f)<<12 | rune(str[i+1]&0x3f)<<6 | rune(str[i+2]&0x3f)
		} else {
			r, n = utf8.DecodeRuneInString(str[i:])
		}
		i += n
		if r < 0x10000 {
			if s.bmp[r>>6]&(1<<(uint(r)&63)) != 0 {
				return true
			}
		} else if s.astral[r] {
			return true
		}
	}
	return false
}

// convert returns str in simplified characters; str itself when nothing
// changes.
func (s *simplifier) convert(str string) string {
	if !s.mayChange(str) {
		return str
	}
	out, err := s.cc.Convert(str)
	if err != nil {
		return str // only happens with a nil trie, which newSimplifier rules out
	}
	return out
}

// convertName is convert for a person's name: characters in nameKeep stay
// as written.
func (s *simplifier) convertName(str string) string {
	out := s.convert(str)
	if out == str {
		return str
	}
	in, conv := []rune(str), []rune(out)
	if len(in) != len(conv) {
		return out // a phrase changed length; nothing to align against
	}
	changed := false
	for i, r := range in {
		if nameKeep[r] && conv[i] != r {
			conv[i] = r
			changed = true
		}
	}
	if !changed {
		return out
	}
	return string(conv)
}
