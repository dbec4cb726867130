package ingest

import (
	"path"
	"regexp"
	"strings"

	"github.com/baolong/liudong/rules"
)

// branchName finds a Party branch's name in a roster's title or file name:
// 「中共隆回县六都寨镇石门村支部委员会流出党员名册」 names its branch and has no
// branch column, because every row is that branch's.
var branchName = regexp.MustCompile(`(?:中国共产党|中共)?\p{Han}{2,40}?(?:党总支部委员会|总支部委员会|党支部委员会|支部委员会|党总支|党支部|总支|支部|党委)`)

// branchFromTitle returns the branch named by a sheet's title or, failing
// that, by the file name, or "".
func branchFromTitle(title, file string) string {
	for _, s := range []string{title, strings.TrimSuffix(path.Base(file), path.Ext(file))} {
		// Titles are spaced out for layout (中 共 …): spaces mean nothing here.
		s = strings.Join(strings.Fields(rules.NormalizeText(s)), "")
		m := branchName.FindString(s)
		if m == "" {
			continue
		}
		// A title may lead with a year or the street: start at 中共 when
		// it is there.
		if i := strings.Index(m, "中共"); i > 0 {
			m = m[i:]
		} else if i := strings.Index(m, "中国共产党"); i > 0 {
			m = m[i:]
		}
		m = strings.TrimLeft(m, "年度")
		if m != "" {
			return m
		}
	}
	return ""
}
