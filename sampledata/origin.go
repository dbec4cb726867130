package sampledata

import (
	"math"
	"math/rand/v2"
	"strings"
)

// county is a home county of the members: its region code starts their ID numbers and its village and community
// Party branches are their 流出地党组织.
type county struct {
	code, province, city, name string
	towns                      []string
	weight                     float64
	// ethnic lists non-Han ethnicities found there with their share; the rest are 汉族.
	ethnic map[string]float64
	// xinjiang counties only send the Uyghur members (names with a middle dot).
	xinjiang bool
}

// Real region codes of the provinces Baolong's workers come from. The codes predate some renamings (监利县 is
// 监利市 now) because ID numbers keep the code of the year they were issued.
var counties = []*county{
	{code: "430524", province: "湖南省", city: "邵阳市", name: "隆回县", towns: []string{"六都寨镇", "桃洪镇", "司门前镇", "荷香桥镇", "金石桥镇"}, weight: 8, ethnic: map[string]float64{"瑶族": 0.05, "苗族": 0.03}},
	{code: "430525", province: "湖南省", city: "邵阳市", name: "洞口县", towns: []string{"高沙镇", "竹市镇", "石江镇", "黄桥镇"}, weight: 6, ethnic: map[string]float64{"瑶族": 0.04}},
	{code: "430426", province: "湖南省", city: "衡阳市", name: "祁东县", towns: []string{"白地市镇", "归阳镇", "过水坪镇", "黄土铺镇"}, weight: 6},
	{code: "431021", province: "湖南省", city: "郴州市", name: "桂阳县", towns: []string{"仁义镇", "太和镇", "洋市镇"}, weight: 5},
	{code: "450126", province: "广西壮族自治区", city: "南宁市", name: "宾阳县", towns: []string{"宾州镇", "黎塘镇", "新桥镇", "大桥镇"}, weight: 5, ethnic: map[string]float64{"壮族": 0.45}},
	{code: "450127", province: "广西壮族自治区", city: "南宁市", name: "横县", towns: []string{"横州镇", "百合镇", "那阳镇", "校椅镇"}, weight: 4, ethnic: map[string]float64{"壮族": 0.4}},
	{code: "450123", province: "广西壮族自治区", city: "南宁市", name: "隆安县", towns: []string{"城厢镇", "那桐镇", "乔建镇"}, weight: 3, ethnic: map[string]float64{"壮族": 0.7}},
	{code: "360731", province: "江西省", city: "赣州市", name: "于都县", towns: []string{"贡江镇", "罗坳镇", "银坑镇", "岭背镇"}, weight: 5},
	{code: "360732", province: "江西省", city: "赣州市", name: "兴国县", towns: []string{"潋江镇", "江背镇", "高兴镇", "长冈乡"}, weight: 4},
	{code: "360730", province: "江西省", city: "赣州市", name: "宁都县", towns: []string{"梅江镇", "青塘镇", "长胜镇", "黄陂镇"}, weight: 3},
	{code: "360722", province: "江西省", city: "赣州市", name: "信丰县", towns: []string{"嘉定镇", "大塘埠镇", "古陂镇"}, weight: 3},
	{code: "511321", province: "四川省", city: "南充市", name: "南部县", towns: []string{"南隆镇", "河东镇", "老鸦镇", "升钟镇"}, weight: 4},
	{code: "511324", province: "四川省", city: "南充市", name: "仪陇县", towns: []string{"新政镇", "金城镇", "马鞍镇"}, weight: 3},
	{code: "511322", province: "四川省", city: "南充市", name: "营山县", towns: []string{"朗池镇", "骆市镇", "回龙镇"}, weight: 2},
	{code: "411525", province: "河南省", city: "信阳市", name: "固始县", towns: []string{"陈淋子镇", "黎集镇", "往流镇", "郭陆滩镇"}, weight: 5},
	{code: "411522", province: "河南省", city: "信阳市", name: "光山县", towns: []string{"十里镇", "泼陂河镇", "白雀园镇"}, weight: 3},
	{code: "411526", province: "河南省", city: "信阳市", name: "潢川县", towns: []string{"双柳树镇", "伞陂镇", "卜塔集镇"}, weight: 3},
	{code: "421023", province: "湖北省", city: "荆州市", name: "监利县", towns: []string{"容城镇", "朱河镇", "新沟镇", "龚场镇"}, weight: 4, ethnic: map[string]float64{"土家族": 0.02}},
	{code: "421083", province: "湖北省", city: "荆州市", name: "洪湖市", towns: []string{"峰口镇", "曹市镇", "府场镇"}, weight: 3},
	{code: "421022", province: "湖北省", city: "荆州市", name: "公安县", towns: []string{"斗湖堤镇", "夹竹园镇", "埠河镇"}, weight: 3},
	{code: "441424", province: "广东省", city: "梅州市", name: "五华县", towns: []string{"水寨镇", "华城镇", "岐岭镇", "安流镇"}, weight: 6, ethnic: map[string]float64{"畲族": 0.01}},
	{code: "441481", province: "广东省", city: "梅州市", name: "兴宁市", towns: []string{"叶塘镇", "罗浮镇", "新陂镇"}, weight: 4},
	{code: "441422", province: "广东省", city: "梅州市", name: "大埔县", towns: []string{"湖寮镇", "高陂镇", "百侯镇"}, weight: 3},
	{code: "441581", province: "广东省", city: "汕尾市", name: "陆丰市", towns: []string{"碣石镇", "甲子镇", "博美镇"}, weight: 4},
	{code: "652901", province: "新疆维吾尔自治区", city: "阿克苏地区", name: "阿克苏市", towns: []string{"依干其乡", "拜什吐格曼乡"}, xinjiang: true},
	{code: "653101", province: "新疆维吾尔自治区", city: "喀什地区", name: "喀什市", towns: []string{"浩罕乡", "多来特巴格乡"}, xinjiang: true},
}

// villageNames are shared by many counties on purpose: "石门村党支部" exists in several places, so a branch can only
// be told apart with its county.
var villageNames = []string{"石门", "龙塘", "新田", "大坪", "枫树", "长冲", "杨柳", "白竹", "双江", "桃花", "金山", "红星",
	"和平", "向阳", "东风", "莲花", "青山", "水口", "高桥", "塘湾", "新屋", "竹园", "黄泥", "沙坪", "太平", "清水",
	"杉木", "马鞍", "鹤塘", "花园", "上坪", "下坪", "大塘", "岭头", "坳背", "横江", "古城", "松林", "茶园", "东岭",
	"西湖", "南山", "北坪", "龙泉", "柏树", "石桥", "丰收", "团结", "建新", "联合", "梅林", "官庄", "李家", "周家"}

var xinjiangVillages = []string{"阿克吐尔", "英巴格", "库木巴格", "阔什艾日克", "托万克吾斯塘", "喀拉墩"}

// branch is a 流出地党组织: the village (or town community) Party branch that holds members' relationships.
type branch struct {
	county    *county
	town      string
	place     string // 石门村 / 城东社区
	zongzhi   bool   // a 党总支 (large village) rather than a 支部
	canonical string
}

func newBranch(c *county, town, place string, zongzhi bool) *branch {
	b := &branch{county: c, town: town, place: place, zongzhi: zongzhi}
	kind := "支部委员会"
	if zongzhi {
		kind = "总支部委员会"
	}
	b.canonical = "中共" + c.name + town + place + kind
	return b
}

// branchStyle is one way offices write a branch name; the canonical form is "中共隆回县六都寨镇石门村支部委员会".
type branchStyle int

const (
	branchCanonical     branchStyle = iota // 中共隆回县六都寨镇石门村支部委员会
	branchCountyParty                      // 隆回县六都寨镇石门村党支部
	branchTownShort                        // 六都寨镇石门村支部
	branchVillageParty                     // 石门村党支部
	branchProvince                         // 湖南省隆回县六都寨镇石门村党支部
	branchZhonggongTown                    // 中共六都寨镇石门村支部委员会
	branchProvinceCity                     // 湖南省邵阳市隆回县六都寨镇石门村
)

// spell writes the branch name in the given style.
func (b *branch) spell(s branchStyle) string {
	party, short := "党支部", "支部"
	if b.zongzhi {
		party, short = "党总支", "总支"
	}
	switch s {
	case branchCountyParty:
		return b.county.name + b.town + b.place + party
	case branchTownShort:
		return b.town + b.place + short
	case branchVillageParty:
		return b.place + party
	case branchProvince:
		return b.county.province + b.county.name + b.town + b.place + party
	case branchZhonggongTown:
		return strings.Replace(b.canonical, b.county.name, "", 1)
	case branchProvinceCity:
		return b.county.province + b.county.city + b.county.name + b.town + b.place
	default:
		return b.canonical
	}
}

// makeBranches creates about 2.5·√n branches (so a 300-person inbox has ~45 origin branches and a million-person
// one a few thousand, not a million files) plus a few Xinjiang ones for the Uyghur members.
func makeBranches(rng *rand.Rand, n int) (han, xj []*branch) {
	count := max(12, int(math.Round(2.5*math.Sqrt(float64(n)))))
	var hanCounties []*county
	var weights []float64
	for _, c := range counties {
		if !c.xinjiang {
			hanCounties = append(hanCounties, c)
			weights = append(weights, c.weight)
		}
	}
	pick := newWeighted(hanCounties, weights)
	used := map[string]bool{}
	for len(han) < count {
		c := pick.pick(rng)
		town := oneOf(rng, c.towns)
		place := oneOf(rng, villageNames) + "村"
		if chance(rng, 0.1) {
			place = oneOf(rng, []string{"城东", "城西", "城南", "城北", "新街", "老街"}) + "社区"
		}
		if used[c.code+town+place] {
			if len(used) > len(villageNames)*60 {
				break // pool exhausted; fewer branches is fine
			}
			continue
		}
		used[c.code+town+place] = true
		han = append(han, newBranch(c, town, place, chance(rng, 0.15)))
	}
	for _, c := range counties {
		if c.xinjiang {
			for i, t := range c.towns {
				xj = append(xj, newBranch(c, t, xinjiangVillages[(i+len(xj))%len(xinjiangVillages)]+"村", false))
			}
		}
	}
	return han, xj
}

// ethnicityFor draws an ethnicity consistent with the county.
func ethnicityFor(rng *rand.Rand, c *county) string {
	if c.xinjiang {
		return "维吾尔族"
	}
	x := rng.Float64()
	for _, e := range []string{"壮族", "瑶族", "苗族", "土家族", "畲族"} {
		share := c.ethnic[e]
		if x < share {
			return e
		}
		x -= share
	}
	return "汉族"
}
