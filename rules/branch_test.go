package rules

import "testing"

func TestBranchKey(t *testing.T) {
	const shimen = "隆回县六都寨镇石门村支部"
	tests := []struct {
		name, in, want string
	}{
		{"full official name", "中共湖南省邵阳市隆回县六都寨镇石门村支部委员会", shimen},
		{"province prefecture 党支部", "湖南省邵阳市隆回县六都寨镇石门村党支部", shimen},
		{"county and below", "隆回县六都寨镇石门村支部", shimen},
		{"中国共产党", "中国共产党隆回县六都寨镇石门村支部委员会", shimen},
		{"党支部委员会", "隆回县六都寨镇石门村党支部委员会", shimen},
		{"short province name", "湖南邵阳市隆回县六都寨镇石门村党支部", shimen},
		{"spaces and punctuation", "湖南省 邵阳市·隆回县（六都寨镇）石门村 党支部", shimen},
		{"full-width spaces", "湖南省\u3000邵阳市\u3000隆回县六都寨镇石门村党支部", shimen},
		{"prefecture only", "邵阳市隆回县六都寨镇石门村支部", shimen},
		{"county-level city kept", "湖南省武冈市邓元泰镇某村党支部", "武冈市邓元泰镇某村支部"},
		{"district kept", "广东省深圳市龙岗区宝龙街道同心社区党委", "龙岗区宝龙街道同心社区党委"},
		{"委员会 → 党委", "中共龙岗区宝龙街道同心社区委员会", "龙岗区宝龙街道同心社区党委"},
		{"总支部委员会", "中共隆回县六都寨镇石门村总支部委员会", "隆回县六都寨镇石门村总支"},
		{"党总支", "隆回县六都寨镇石门村党总支", "隆回县六都寨镇石门村总支"},
		{"总支", "隆回县六都寨镇石门村总支", "隆回县六都寨镇石门村总支"},
		{"党总支部", "隆回县六都寨镇石门村党总支部", "隆回县六都寨镇石门村总支"},
		{"autonomous region", "广西壮族自治区桂林市临桂区某村党支部", "临桂区某村支部"},
		{"autonomous prefecture", "贵州省黔东南苗族侗族自治州凯里市某村党支部", "凯里市某村支部"},
		{"municipality", "重庆市万州区某村党支部", "万州区某村支部"},
		{"县委", "中共隆回县委", "隆回县党委"},
		{"village named after a province", "河南村党支部", "河南村支部"},
		{"villagers' committee untouched", "石门村村民委员会", "石门村村民委员会"},
		{"temporary branch", "宝龙街道同心社区流动党员临时党支部", "宝龙街道同心社区流动党员临时支部"},
		{"ascii lower-cased", "ABC公司党支部", "abc公司支部"},
		{"prefix alone kept", "中共", "中共"},
		{"province alone kept", "湖南省", "湖南省"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BranchKey(tt.in)
			if got != tt.want {
				t.Errorf("BranchKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := BranchKey(got); again != got {
				t.Errorf("not idempotent: BranchKey(%q) = %q", got, again)
			}
		})
	}
}

// TestBranchInitials keeps the quick first-character filters in step with
// the lists they guard.
func TestBranchInitials(t *testing.T) {
	for _, list := range [][]string{provinces, provinceShort} {
		for _, p := range list {
			if r := []rune(p)[0]; !provinceInitial(r) {
				t.Errorf("provinceInitial(%c) = false for %s", r, p)
			}
		}
	}
	for _, list := range [][]string{prefectureEnds, countyEnds, belowCounty} {
		for _, w := range list {
			if r := []rune(w)[0]; !unitInitial(r) {
				t.Errorf("unitInitial(%c) = false for %s", r, w)
			}
		}
	}
}
