package rules

// ethnicities are the 56 民族 of GB 3304, with 族.
var ethnicities = map[string]bool{
	"汉族": true, "蒙古族": true, "回族": true, "藏族": true, "维吾尔族": true, "苗族": true, "彝族": true,
	"壮族": true, "布依族": true, "朝鲜族": true, "满族": true, "侗族": true, "瑶族": true, "白族": true,
	"土家族": true, "哈尼族": true, "哈萨克族": true, "傣族": true, "黎族": true, "傈僳族": true, "佤族": true,
	"畲族": true, "高山族": true, "拉祜族": true, "水族": true, "东乡族": true, "纳西族": true, "景颇族": true,
	"柯尔克孜族": true, "土族": true, "达斡尔族": true, "仫佬族": true, "羌族": true, "布朗族": true,
	"撒拉族": true, "毛南族": true, "仡佬族": true, "锡伯族": true, "阿昌族": true, "普米族": true,
	"塔吉克族": true, "怒族": true, "乌孜别克族": true, "俄罗斯族": true, "鄂温克族": true, "德昂族": true,
	"保安族": true, "裕固族": true, "京族": true, "塔塔尔族": true, "独龙族": true, "鄂伦春族": true,
	"赫哲族": true, "门巴族": true, "珞巴族": true, "基诺族": true,
}

// ethnicityAbbrev are short forms in everyday use that are not simply the
// name without 族.
var ethnicityAbbrev = map[string]string{"维族": "维吾尔族", "蒙族": "蒙古族"}

// matchEthnicity returns the canonical 民族 for simplified, normalised text:
// the name itself, the name without 族 (汉 → 汉族), or a common short form.
func matchEthnicity(s string) (string, bool) {
	k := lookupKey(s)
	if ethnicities[k] {
		return k, true
	}
	if ethnicities[k+"族"] {
		return k + "族", true
	}
	if e, ok := ethnicityAbbrev[k]; ok {
		return e, true
	}
	return "", false
}
