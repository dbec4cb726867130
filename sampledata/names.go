package sampledata

import (
	"math/rand/v2"
	"strings"
)

// Surnames weighted roughly by their share of the population, so that 王 李 张 刘 陈 dominate as they do on
// real rosters and common-name collisions are frequent.
var surnames = newWeighted(
	[]string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
		"高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董",
		"袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜",
		"崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "邹", "熊", "白", "孟",
		"秦", "邱", "侯", "江", "尹", "薛", "段", "雷", "黎", "史", "龙", "陶", "贺", "顾", "毛", "郝", "龚", "邵",
		"万", "覃", "温", "蒙", "欧"},
	[]float64{7.25, 7.19, 6.83, 5.38, 4.53, 3.08, 2.23, 2.29, 2.05, 1.93, 1.67, 1.54, 1.29, 1.28, 1.15, 1.13, 1.06,
		1.0, 0.97, 0.86, 0.86, 0.77, 0.67, 0.62, 0.61, 0.59, 0.56, 0.55, 0.55, 0.5, 0.5, 0.48, 0.47, 0.46, 0.45,
		0.42, 0.41, 0.4, 0.39, 0.38, 0.38, 0.37, 0.36, 0.35, 0.34, 0.34, 0.33, 0.32, 0.31, 0.3, 0.3, 0.29, 0.28,
		0.27, 0.26, 0.25, 0.24, 0.24, 0.23, 0.23, 0.22, 0.21, 0.21, 0.2, 0.2, 0.2, 0.2, 0.19, 0.19, 0.18, 0.18,
		0.17, 0.17, 0.16, 0.16, 0.15, 0.15, 0.15, 0.14, 0.14, 0.13, 0.13, 0.13, 0.12, 0.12, 0.12, 0.12, 0.11, 0.11,
		0.1, 0.1, 0.1, 0.08, 0.05},
)

// compoundSurnames are rare but must be handled: the surname is two characters.
var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "司徒", "东方"}

var (
	maleGiven = []string{"伟", "强", "军", "磊", "勇", "杰", "涛", "明", "斌", "超", "刚", "辉", "鹏", "华", "平",
		"建", "国", "志", "文", "海", "波", "峰", "林", "龙", "飞", "东", "亮", "成", "俊", "浩", "宇", "鑫", "晨",
		"阳", "凯", "旭", "振", "家", "兴", "荣", "庆", "德", "学", "春", "新", "金", "武", "福", "贵", "祥", "宏",
		"江", "锋", "民", "安", "坤", "毅", "健", "云", "发", "长", "义", "进", "达", "胜", "宝"}
	femaleGiven = []string{"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "红", "梅", "琳", "婷", "慧",
		"雪", "洁", "倩", "颖", "丹", "萍", "琴", "英", "秀", "兰", "凤", "桂", "菊", "晶", "月", "莉", "欣", "怡",
		"佳", "悦", "思", "雨", "梦", "妍", "云", "华", "平"}
)

// collisionNames are the names that several different people share on any large roster. They are handed out
// on purpose so that a pipeline cannot link by name alone.
var (
	maleCollisions   = []string{"张伟", "王伟", "李伟", "刘伟", "李强", "王磊", "张勇", "王勇", "李军", "张杰", "刘杰", "刘洋", "杨洋", "王强", "陈杰"}
	femaleCollisions = []string{"王芳", "李娜", "张敏", "李静", "王静", "张丽", "张静", "陈静", "王艳", "王秀英", "李秀英", "刘芳"}
)

// Uyghur names are written given·father with a middle dot; the dot is the character offices type in several forms.
var (
	uyghurMale   = []string{"阿卜杜", "买买提", "艾力", "吐尔逊", "阿不都", "亚森", "伊力哈木", "艾尔肯", "努尔买买提", "吾斯曼"}
	uyghurFemale = []string{"古丽娜尔", "阿依古丽", "迪丽娜尔", "帕提古丽", "热依拉", "努尔古丽", "米日古丽", "再努尔"}
	uyghurFather = []string{"热合曼", "艾买提", "吐尔逊", "买买提", "阿不都拉", "艾尔肯", "伊明", "卡德尔", "司马义", "玉素甫"}
)

// middleDot is the canonical separator (U+00B7, as on ID cards); dotVariants are what people type instead.
// dotVariantsGBK holds the ones GBK can encode: • and ・ are not in GBK.
const middleDot = "·"

var (
	dotVariants    = []string{"•", "・", "．"}
	dotVariantsGBK = []string{"．", "."}
)

// hanName draws a Han name for the gender.
func hanName(rng *rand.Rand, male bool) string {
	pool := femaleGiven
	if male {
		pool = maleGiven
	}
	given := oneOf(rng, pool)
	if chance(rng, 0.72) {
		for {
			second := oneOf(rng, pool)
			if second != given || chance(rng, 0.05) {
				given += second
				break
			}
		}
	}
	return surnames.pick(rng) + given
}

func compoundName(rng *rand.Rand, male bool) string {
	pool := maleGiven
	if !male {
		pool = femaleGiven
	}
	given := oneOf(rng, pool)
	if chance(rng, 0.5) {
		given += oneOf(rng, pool)
	}
	return oneOf(rng, compoundSurnames) + given
}

func collisionName(rng *rand.Rand, male bool) string {
	if male {
		return oneOf(rng, maleCollisions)
	}
	return oneOf(rng, femaleCollisions)
}

func uyghurName(rng *rand.Rand, male bool) string {
	first := oneOf(rng, uyghurFemale)
	if male {
		first = oneOf(rng, uyghurMale)
	}
	return first + middleDot + oneOf(rng, uyghurFather)
}

// traditional maps simplified characters common in names to the traditional form offices in Hong Kong-trained
// or older typing habits produce (張偉, 陳).
var traditional = map[rune]rune{
	'张': '張', '陈': '陳', '刘': '劉', '杨': '楊', '黄': '黃', '赵': '趙', '吴': '吳', '郑': '鄭', '孙': '孫',
	'马': '馬', '罗': '羅', '冯': '馮', '邓': '鄧', '许': '許', '韩': '韓', '叶': '葉', '苏': '蘇', '吕': '呂',
	'卢': '盧', '钟': '鍾', '谭': '譚', '陆': '陸', '贾': '賈', '邹': '鄒', '龙': '龍', '顾': '顧',
	'龚': '龔', '万': '萬', '汤': '湯', '伟': '偉', '军': '軍', '华': '華', '丽': '麗', '红': '紅', '国': '國',
	'东': '東', '兰': '蘭', '凤': '鳳', '飞': '飛', '刚': '剛', '云': '雲', '杰': '傑', '庆': '慶', '辉': '輝',
	'涛': '濤', '鹏': '鵬', '宝': '寶', '进': '進', '达': '達', '贵': '貴', '荣': '榮', '胜': '勝', '兴': '興',
	'艳': '艷', '凯': '凱', '学': '學', '强': '強', '发': '發', '长': '長', '义': '義', '静': '靜',
	'欧': '歐', '阳': '陽', '洁': '潔', '颖': '穎', '梦': '夢', '晓': '曉',
	'买': '買', '尔': '爾', '热': '熱', '亚': '亞', '乐': '樂',
}

// homophones are same-sound characters that a clerk typing from dictation confuses (伟 / 玮 / 炜).
var homophones = map[rune][]rune{
	'伟': {'玮', '炜', '纬'}, '芳': {'方'}, '静': {'婧', '靖'}, '丽': {'莉', '俪'}, '明': {'铭', '鸣'},
	'军': {'君', '均'}, '华': {'桦', '骅'}, '杰': {'洁', '捷'}, '涛': {'滔'}, '勇': {'永', '涌'}, '斌': {'彬'},
	'燕': {'艳'}, '霞': {'侠'}, '平': {'萍', '苹'}, '刚': {'钢'}, '辉': {'晖'}, '玲': {'铃', '龄'},
	'红': {'虹', '鸿'}, '峰': {'锋', '峯'}, '娟': {'鹃'}, '英': {'瑛'}, '云': {'芸', '耘'}, '鹏': {'朋'},
	'婷': {'亭'}, '慧': {'惠'}, '琴': {'芹'}, '兰': {'岚'}, '敏': {'珉'}, '林': {'琳', '霖'}, '宇': {'雨', '羽'},
	'凯': {'恺', '锴'}, '浩': {'皓', '灏'}, '鑫': {'新', '欣'}, '晨': {'辰', '宸'}, '俊': {'骏', '峻'},
	'文': {'雯'}, '波': {'博'}, '飞': {'菲'}, '洁': {'婕', '杰'},
}

// hasTraditional reports whether toTraditional changes the name.
func hasTraditional(name string) bool {
	for _, r := range name {
		if _, ok := traditional[r]; ok {
			return true
		}
	}
	return false
}

func toTraditional(name string) string {
	var b strings.Builder
	for _, r := range name {
		if t, ok := traditional[r]; ok {
			r = t
		}
		b.WriteRune(r)
	}
	return b.String()
}

// homophoneIndex returns the position (in runes) of the first given-name character that has a different-looking
// homophone, or -1. The surname is never changed: that typo would be implausible.
func homophoneIndex(name string, surnameLen int) int {
	for i, r := range []rune(name) {
		if i < surnameLen {
			continue
		}
		for _, alt := range homophones[r] {
			if alt != r {
				return i
			}
		}
	}
	return -1
}

// withHomophone replaces one given-name character by a homophone; which one is fixed per person (pick) so that
// the same person is misspelt the same way in every row of one source.
func withHomophone(name string, surnameLen int, pick int) string {
	rs := []rune(name)
	i := homophoneIndex(name, surnameLen)
	if i < 0 {
		return name
	}
	var alts []rune
	for _, alt := range homophones[rs[i]] {
		if alt != rs[i] {
			alts = append(alts, alt)
		}
	}
	rs[i] = alts[pick%len(alts)]
	return string(rs)
}

// withSpaces pads the name the way people align two-character names with three-character ones.
func withSpaces(rng *rand.Rand, name string, surnameLen int) string {
	rs := []rune(name)
	switch {
	case len(rs) == 2:
		return string(rs[:1]) + oneOf(rng, []string{" ", "  ", "\u3000"}) + string(rs[1:])
	case chance(rng, 0.5):
		return string(rs[:surnameLen]) + " " + string(rs[surnameLen:])
	default:
		return name + " "
	}
}

// withDotVariant replaces the canonical middle dot.
func withDotVariant(rng *rand.Rand, name string, gbk bool) string {
	v := dotVariants
	if gbk {
		v = dotVariantsGBK
	}
	return strings.ReplaceAll(name, middleDot, oneOf(rng, v))
}
