package rules

import "testing"

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain ascii untouched", "abc 123", "abc 123"},
		{"trim", "  同心社区 ", "同心社区"},
		{"full-width digits", "１２３４５", "12345"},
		{"full-width letters", "ＡＢＣｘ", "ABCx"},
		{"ideographic space collapsed", "广东省\u3000\u3000深圳市", "广东省 深圳市"},
		{"nbsp collapsed", "宝龙\u00a0街道", "宝龙 街道"},
		{"tabs and newlines", "同心\t社区\r\n 一巷", "同心 社区 一巷"},
		{"only whitespace", " \u3000\t\n", ""},
		{"zero-width space dropped", "张\u200b伟", "张伟"},
		{"bom dropped", "\ufeff同心", "同心"},
		{"control char dropped", "a\x01b", "ab"},
		{"invalid utf-8 replaced", "a\xffb", "a\ufffdb"},
		{"full-width parens", "正式党员（已转正）", "正式党员(已转正)"},
		{"traditional kept (no t2s here)", "張偉", "張偉"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeText(tt.in); got != tt.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"inner space", "张 伟", "张伟"},
		{"several spaces", " 欧阳  小 明 ", "欧阳小明"},
		{"ideographic space", "李\u3000娜", "李娜"},
		{"bullet dot", "阿卜杜•热合曼", "阿卜杜·热合曼"},
		{"katakana dot", "阿卜杜・热合曼", "阿卜杜·热合曼"},
		{"half-width katakana dot", "阿卜杜･热合曼", "阿卜杜·热合曼"},
		{"hyphenation point", "阿卜杜‧热合曼", "阿卜杜·热合曼"},
		{"bullet operator", "阿卜杜∙热合曼", "阿卜杜·热合曼"},
		{"dot operator", "阿卜杜⋅热合曼", "阿卜杜·热合曼"},
		{"full-width full stop", "阿卜杜．热合曼", "阿卜杜·热合曼"},
		{"ascii dot between han", "阿卜杜.热合曼", "阿卜杜·热合曼"},
		{"spaces around dot", "阿卜杜 · 热合曼", "阿卜杜·热合曼"},
		{"double dot collapsed", "阿卜杜··热合曼", "阿卜杜·热合曼"},
		{"ascii dot in latin kept", "J.K", "J.K"},
		{"middle dot kept", "阿卜杜·热合曼", "阿卜杜·热合曼"},
		{"homophone untouched", "张玮", "张玮"},
		{"full-width digits", "张三１", "张三1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeName(tt.in); got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
