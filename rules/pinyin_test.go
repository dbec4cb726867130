package rules

import "testing"

func TestNamePinyin(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "张伟", "zhang wei"},
		{"homophone 玮", "张玮", "zhang wei"},
		{"homophone 炜", "张炜", "zhang wei"},
		{"three characters", "欧阳晓燕", "ou yang xiao yan"},
		{"ü as v", "吕芳", "lv fang"},
		{"middle dot separates; 卜 takes its first reading, bo", "阿卜杜·热合曼", "a bo du re he man"},
		{"bullet variant", "阿卜杜•热合曼", "a bo du re he man"},
		{"latin kept", "Mary·王", "mary wang"},
		{"spaces", " 李  娜 ", "li na"},
		{"empty", "", ""},
		{"punctuation only", "·（）", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NamePinyin(tt.in); got != tt.want {
				t.Errorf("NamePinyin(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestPinyinReader: one reader over many names, its readings remembered
// from earlier names, gives what NamePinyin gives each name afresh.
func TestPinyinReader(t *testing.T) {
	names := []string{"张伟", "张玮", "欧阳晓燕", "吕芳", "阿卜杜·热合曼", "Mary·王", " 李  娜 ", "", "·（）", "张伟", "王晓燕", "𠮷祥"}
	var p PinyinReader
	for round := range 2 {
		for _, n := range names {
			if got, want := p.Name(n), NamePinyin(n); got != want {
				t.Errorf("round %d: reader.Name(%q) = %q, NamePinyin = %q", round, n, got, want)
			}
		}
	}
	if len(p.readings) == 0 {
		t.Error("the reader remembered no reading")
	}
}

func BenchmarkPinyinReader(b *testing.B) {
	var p PinyinReader
	for b.Loop() {
		p.Name("欧阳晓燕")
	}
}

func BenchmarkNamePinyin(b *testing.B) {
	for b.Loop() {
		NamePinyin("欧阳晓燕")
	}
}
