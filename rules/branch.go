package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// provinces are the provincial-level names stripped from the front of a
// branch name, full names first so that 内蒙古自治区 is not cut as 内蒙古.
var provinces = []string{
	"北京市", "天津市", "上海市", "重庆市",
	"河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
	"山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
	"甘肃省", "青海省", "台湾省",
	"内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
	"广西自治区", "宁夏自治区", "新疆自治区",
	"香港特别行政区", "澳门特别行政区",
}

// provinceShort are the same without 省 / 自治区 / 市; they are stripped only
// when a prefecture or county name follows (湖南邵阳市…), since a village
// may well be called 河南村.
var provinceShort = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
	"江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
	"内蒙古", "广西", "西藏", "宁夏", "新疆",
}

// branchSuffixes maps the endings of Party organisation names to their
// canonical form, longest first.
var branchSuffixes = []struct{ from, to string }{
	{"总支部委员会", "总支"},
	{"支部委员会", "支部"},
	{"总支部", "总支"},
	{"委员会", "党委"},
	{"总支", "总支"},
	{"支部", "支部"},
	{"党委", "党委"},
}

// BranchKey returns the comparison key of a Party organisation name
// (流出地党组织), so that the ways one branch gets written compare equal:
//
//  1. NFKC, then everything but ASCII letters, digits and Han characters is
//     removed (spaces, punctuation, brackets); ASCII is lower-cased;
//  2. a leading 中国共产党 or 中共 is removed;
//  3. leading provincial names are removed (湖南省, 广西壮族自治区, 北京市;
//     the short form 湖南 only when a 市/州/县/区 name follows), then a
//     leading prefecture-level name (…市, …自治州, …地区, …盟) when a
//     county-level name (…县, …区, …市, …旗) follows it directly; county
//     level and below are kept, so 隆回县 and 武冈市 stay;
//  4. the ending is normalised: 支部委员会 / 党支部委员会 / 党支部 / 支部 →
//     支部; 总支部委员会 / 党总支 / 党总支部 / 总支 → 总支; 委员会 / 党委 →
//     党委 (not 村民委员会 / 居民委员会, which are not Party bodies); the
//     short 县委 / 市委 / 区委 / 镇委 / 乡委 → 县党委 … .
//
// Steps 2 and 3 repeat while they strip something, and never strip the
// whole name. So 中共湖南省邵阳市隆回县六都寨镇石门村支部委员会,
// 湖南省邵阳市隆回县六都寨镇石门村党支部 and 隆回县六都寨镇石门村支部 all
// have the key 隆回县六都寨镇石门村支部. BranchKey does not convert
// traditional characters (the Cleaner does that before); it is pure and
// idempotent.
func BranchKey(name string) string {
	s := branchChars(name)
	for {
		before := len(s) // only prefixes are cut: a change shortens s
		s = stripLeading(s, "中国共产党")
		s = stripLeading(s, "中共")
		if r, _ := utf8.DecodeRuneInString(s); provinceInitial(r) {
			for _, p := range provinces {
				s = stripLeading(s, p)
			}
			for _, p := range provinceShort {
				if strings.HasPrefix(s, p) && unitFollows(s[len(p):], true) {
					s = s[len(p):]
				}
			}
		}
		s = stripPrefecture(s)
		if len(s) == before {
			break
		}
	}
	return normaliseBranchSuffix(s)
}

// branchChars is step 1 of BranchKey.
func branchChars(name string) string {
	if !isASCII(name) {
		if folded, ok := foldCJK(name); ok {
			name = folded
		} else {
			name = norm.NFKC.String(name)
		}
	}
	keep := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x4e00 && r <= 0x9fff || unicode.Is(unicode.Han, r)
	}
	clean := true
	for _, r := range name {
		if !keep(r) {
			clean = false
			break
		}
	}
	if clean {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		switch {
		case keep(r):
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		}
	}
	return b.String()
}

// provinceInitial reports whether r is the first character of a name in
// provinces or provinceShort, so most names skip those lists.
func provinceInitial(r rune) bool {
	switch r {
	case '北', '天', '上', '重', '河', '山', '辽', '吉', '黑', '江', '浙', '安', '福', '湖', '广', '海',
		'四', '贵', '云', '陕', '甘', '青', '台', '内', '西', '宁', '新', '香', '澳':
		return true
	}
	return false
}

// stripLeading removes prefix p from s when more text follows.
func stripLeading(s, p string) string {
	if len(s) > len(p) && strings.HasPrefix(s, p) {
		return s[len(p):]
	}
	return s
}

// Administrative-unit endings, as whole runes.
var (
	prefectureEnds = []string{"自治州", "地区", "市", "盟"}
	countyEnds     = []string{"县", "区", "市", "旗"}
	// belowCounty are endings that show a name is a township or village, so
	// a 市 seen later belongs to something else.
	belowCounty = []string{"镇", "乡", "村", "街道", "社区", "支部", "党委", "总支"}
)

// maxUnitName bounds, in runes, how long an administrative name (without its
// ending) is looked for: 黔东南苗族侗族 is 7.
const maxUnitName = 8

// unitEnd returns the byte length of the administrative name s starts with,
// ending in one of ends, or 0. The name must be 1..maxUnitName runes and
// contain no belowCounty ending.
func unitEnd(s string, ends []string) int {
	runes := 0
	for i, r := range s {
		if runes > maxUnitName {
			return 0
		}
		if runes >= 1 && unitInitial(r) {
			for _, e := range ends {
				if strings.HasPrefix(s[i:], e) {
					return i + len(e)
				}
			}
			for _, e := range belowCounty {
				if strings.HasPrefix(s[i:], e) {
					return 0
				}
			}
		}
		runes++
	}
	return 0
}

// unitInitial reports whether r is the first character of a word in
// prefectureEnds, countyEnds or belowCounty.
func unitInitial(r rune) bool {
	switch r {
	case '自', '地', '市', '盟', '县', '区', '旗', '镇', '乡', '村', '街', '社', '支', '党', '总':
		return true
	}
	return false
}

// unitFollows reports whether s starts with a county-level name, or with a
// prefecture-level name when prefecture is true.
func unitFollows(s string, prefecture bool) bool {
	if n := unitEnd(s, countyEnds); n > 0 && n < len(s) {
		return true
	}
	if prefecture {
		if n := unitEnd(s, prefectureEnds); n > 0 && n < len(s) {
			return true
		}
	}
	return false
}

// stripPrefecture removes a leading prefecture-level name when a
// county-level name follows it.
func stripPrefecture(s string) string {
	n := unitEnd(s, prefectureEnds)
	if n == 0 || n == len(s) || !unitFollows(s[n:], false) {
		return s
	}
	return s[n:]
}

// normaliseBranchSuffix is step 4 of BranchKey. It repeats until nothing
// changes, so that 总党支部 (→ 总支部 → 总支) ends where a second call
// would.
func normaliseBranchSuffix(s string) string {
	for range 8 {
		next := branchSuffixOnce(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

func branchSuffixOnce(s string) string {
	for _, sf := range branchSuffixes {
		if !strings.HasSuffix(s, sf.from) {
			continue
		}
		base := s[:len(s)-len(sf.from)]
		if sf.from == "委员会" && (strings.HasSuffix(base, "村民") || strings.HasSuffix(base, "居民")) {
			return s
		}
		for strings.HasSuffix(base, "党") {
			base = base[:len(base)-len("党")]
		}
		return base + sf.to
	}
	// 县委 / 市委 / 区委 / 镇委 / 乡委 are short for …党委.
	if base, ok := strings.CutSuffix(s, "委"); ok {
		for _, u := range []string{"县", "市", "区", "镇", "乡"} {
			if strings.HasSuffix(base, u) {
				return base + "党委"
			}
		}
	}
	return s
}
