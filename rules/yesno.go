package rules

// yesNo maps the lookup key of a yes/no answer to 是 / 否.
var yesNo = map[string]string{
	"是": "是", "有": "是", "y": "是", "yes": "是", "√": "是", "✓": "是", "✔": "是", "1": "是", "true": "是",
	"持有": "是", "已持有": "是", "已办理": "是", "已办": "是",
	"否": "否", "无": "否", "n": "否", "no": "否", "×": "否", "✗": "否", "✘": "否", "0": "否", "false": "否",
	"没有": "否", "未持有": "否", "未办理": "否", "未办": "否", "不是": "否",
}

// matchYesNo returns 是 or 否 for normalised text, or false.
func matchYesNo(s string) (string, bool) {
	v, ok := yesNo[lookupKey(s)]
	return v, ok
}
