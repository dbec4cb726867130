package rules

import (
	"fmt"
	"strings"
)

// vocabulary is one closed list of canonical values (communities, education
// levels …) keyed for lookup. It is built once and only read afterwards.
type vocabulary struct {
	byKey map[string]string // lookup key of a name or alias → canonical name
	names []string          // canonical names, in config order
	plain []string          // plain lookup keys of the names (nothing stripped), for containment
	// contains enables the last resort of match: a text that contains
	// exactly one canonical name means that one (正式党员（已转正）, 系预备党员).
	contains bool
	// key turns normalised text into a lookup key.
	key func(string) string
}

// newVocabulary keys list with key. field names the config list in errors
// ("rules.education"); an empty name or alias, or a key shared by two
// canonical values, is an error naming both places.
func newVocabulary(field string, list []Canonical, key func(string) string, contains bool) (*vocabulary, error) {
	v := &vocabulary{byKey: map[string]string{}, contains: contains, key: key}
	type origin struct {
		index int    // which canonical value
		where string // config path of the spelling
	}
	seen := map[string]origin{}
	add := func(k string, i int, where string) error {
		if prev, ok := seen[k]; ok && prev.index != i {
			return fmt.Errorf("%s: %q already means %q (%s), cannot also mean %q",
				where, k, list[prev.index].Name, prev.where, list[i].Name)
		}
		if _, ok := seen[k]; !ok {
			seen[k] = origin{i, where}
		}
		v.byKey[k] = list[i].Name
		return nil
	}
	for i, c := range list {
		where := fmt.Sprintf("%s[%d].name", field, i)
		k := key(NormalizeText(c.Name))
		if k == "" {
			return nil, fmt.Errorf("%s: empty canonical name", where)
		}
		if err := add(k, i, where); err != nil {
			return nil, err
		}
		v.names = append(v.names, c.Name)
		v.plain = append(v.plain, lookupKey(NormalizeText(c.Name)))
		for j, a := range c.Aliases {
			aw := fmt.Sprintf("%s[%d].aliases[%d]", field, i, j)
			ak := key(NormalizeText(a))
			if ak == "" {
				return nil, fmt.Errorf("%s: empty alias of %q", aw, c.Name)
			}
			if err := add(ak, i, aw); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// match returns the canonical value text (already normalised and
// simplified) means: by key; then with bracketed remarks removed
// (本科（函授）); then, when enabled, the one canonical name the text
// contains.
func (v *vocabulary) match(text string) (string, bool) {
	k := v.key(text)
	if name, ok := v.byKey[k]; ok {
		return name, true
	}
	if stripped := stripBrackets(text); stripped != text && stripped != "" {
		if name, ok := v.byKey[v.key(stripped)]; ok {
			return name, true
		}
	}
	if v.contains {
		pk := lookupKey(text)
		found := ""
		for i, nk := range v.plain {
			if nk != "" && strings.Contains(pk, nk) {
				if found != "" && found != v.names[i] {
					return "", false // two candidates: do not guess
				}
				found = v.names[i]
			}
		}
		if found != "" {
			return found, true
		}
	}
	return "", false
}

// stripBrackets removes bracketed remarks: (…) [ …] 【…】 〔…〕 and what an
// unclosed bracket opens. Full-width （） are already ( ) after NFKC.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔', '《':
			depth++
			continue
		case ')', ']', '】', '〕', '》':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// communitySuffixes are the endings removed from a community name before
// comparing, longest first.
var communitySuffixes = []string{
	"社区党群服务中心", "社区居民委员会", "社区居委会", "社区工作站", "社区党委", "居委会", "社区",
}

// communityKeyFunc returns the key function for community names: the plain
// lookup key (convert adds traditional→simplified), then a leading 中共 /
// 中国共产党 and the street prefixes (in any order, repeatedly) removed,
// then one community ending. 深圳市龙岗区宝龙街道同心社区 and 同心社区党委
// both become 同心.
func communityKeyFunc(prefixes []string, convert func(string) string) func(string) string {
	keys := []string{"中国共产党", "中共"}
	for _, p := range prefixes {
		if k := lookupKey(convert(NormalizeText(p))); k != "" {
			keys = append(keys, k)
		}
	}
	return func(s string) string {
		k := lookupKey(convert(s))
		for changed := true; changed; {
			changed = false
			for _, p := range keys {
				if len(k) > len(p) && strings.HasPrefix(k, p) {
					k, changed = k[len(p):], true
				}
			}
		}
		for _, sf := range communitySuffixes {
			if len(k) > len(sf) && strings.HasSuffix(k, sf) {
				return k[:len(k)-len(sf)]
			}
		}
		return k
	}
}

// educationKeyFunc returns the key function for education levels: the
// plain lookup key without a trailing 学历 / 毕业 / 文化 / 文化程度, so that
// 大专学历 and 高中毕业 match.
func educationKeyFunc(convert func(string) string) func(string) string {
	return func(s string) string {
		k := lookupKey(convert(s))
		for _, sf := range []string{"文化程度", "学历", "毕业", "文化", "及以上"} {
			if len(k) > len(sf) && strings.HasSuffix(k, sf) {
				k = k[:len(k)-len(sf)]
			}
		}
		return k
	}
}

// plainKeyFunc returns the key function for the other vocabularies.
func plainKeyFunc(convert func(string) string) func(string) string {
	return func(s string) string { return lookupKey(convert(s)) }
}

// identity is the converter used where no t2s converter is at hand
// (Config.Validate): configuration is written in simplified characters.
func identity(s string) string { return s }
