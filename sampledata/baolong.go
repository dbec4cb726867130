package sampledata

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// defaultCommunities are 宝龙街道's communities in the order the templates are handed out (see surveyLayoutFor).
var defaultCommunities = []string{"同心社区", "宝龙社区", "龙东社区", "南约社区", "同乐社区", "龙新社区"}

// communityRoads are street names used in addresses; a community not listed gets roads named after itself.
var communityRoads = map[string][]string{
	"同心社区": {"同心路", "同心南路", "宝龙四路", "同德路"},
	"宝龙社区": {"宝龙大道", "宝荷路", "宝龙一路", "宝龙二路"},
	"龙东社区": {"龙东大道", "鹏达路", "沙背坜路", "龙东一路"},
	"南约社区": {"南约路", "碧新路", "炳坑路", "南约二路"},
	"同乐社区": {"同乐路", "锦龙大道", "新布路", "同乐大道"},
	"龙新社区": {"龙新路", "龙腾路", "回龙路", "龙新大道"},
}

func roadsOf(community string) []string {
	if r, ok := communityRoads[community]; ok {
		return r
	}
	base := strings.TrimSuffix(community, "社区")
	return []string{base + "路", base + "一路", base + "大道"}
}

var estates = []string{"花园", "新村", "公寓", "雅苑", "家园", "村", "员工宿舍"}

// address writes where a member lives in the canonical form 龙岗区宝龙街道同心社区同心路12号3栋502.
func address(rng *rand.Rand, street, community string) string {
	road := oneOf(rng, roadsOf(community))
	var b strings.Builder
	b.WriteString("龙岗区")
	b.WriteString(street)
	b.WriteString(community)
	b.WriteString(road)
	b.WriteString(strconv.Itoa(between(rng, 1, 188)))
	b.WriteString("号")
	if chance(rng, 0.6) {
		b.WriteString(strings.TrimSuffix(community, "社区"))
		b.WriteString(oneOf(rng, estates))
	}
	b.WriteString(strconv.Itoa(between(rng, 1, 32)))
	b.WriteString("栋")
	b.WriteString(strconv.Itoa(between(rng, 1, 28)*100 + between(rng, 1, 12)))
	return b.String()
}

// Employers around 宝龙: the BYD plant, the 宝龙工业城 factories, logistics; schools for 求学, shops for 经商.
var (
	bigEmployers = []string{"比亚迪股份有限公司宝龙工业园", "比亚迪汽车工业有限公司", "深圳市宝龙工业城管理有限公司"}
	factoryHead  = []string{"鑫达", "华宇", "恒通", "创源", "宏利", "精诚", "兴业", "永盛", "嘉信", "联创", "瑞丰", "金鹏", "天成", "宝鑫", "龙华"}
	factoryTail  = []string{"电子有限公司", "精密科技有限公司", "塑胶制品有限公司", "五金制品有限公司", "物流有限公司", "新材料股份有限公司", "智能装备有限公司", "光电科技有限公司"}
	schools      = []string{"深圳技术大学", "香港中文大学（深圳）", "深圳信息职业技术学院", "深圳职业技术大学"}
	shops        = []string{"便利店", "五金店", "餐饮店", "水果店", "建材店", "快递驿站", "手机维修店", "理发店"}
	followers    = []string{"无（随子女居住）", "无", "家务", "退休"}
)

// outflowReasons with their shares; 求学 is only drawn for the young.
var outflowReasons = newWeighted([]string{"务工", "经商", "求学", "随迁"}, []float64{70, 15, 5, 10})

func employerFor(rng *rand.Rand, reason, street string) string {
	switch reason {
	case "经商":
		return "个体经营（" + strings.TrimSuffix(street, "街道") + oneOf(rng, factoryHead) + oneOf(rng, shops) + "）"
	case "求学":
		return oneOf(rng, schools)
	case "随迁":
		return oneOf(rng, followers)
	}
	if chance(rng, 0.3) {
		return oneOf(rng, bigEmployers)
	}
	return "深圳市" + oneOf(rng, factoryHead) + oneOf(rng, factoryTail)
}

// educations weighted; older members more often left school early.
var educations = newWeighted(
	[]string{"小学", "初中", "高中", "中专", "大专", "大学本科", "硕士研究生"},
	[]float64{1, 15, 20, 12, 25, 24, 3},
)
