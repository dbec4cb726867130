package pdf

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// testWidth: Chinese characters and full-width punctuation 1, the rest ½.
func testWidth(r rune) float64 {
	if isWide(r) && r != '·' {
		return 1
	}
	return 0.5
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name        string
		s           string
		first, rest float64
		want        []string
	}{
		{"fits", "资源共享", 4, 4, []string{"资源共享"}},
		{"by character", "资源共享组织共建", 3, 3, []string{"资源共", "享组织", "共建"}},
		{"indented first line", "资源共享组织共建", 2, 4, []string{"资源", "共享组织", "共建"}},
		{"comma moves down with the character before it", "资源共享，组织", 4, 4, []string{"资源共", "享，组织"}},
		{"full stop too", "资源共享。组织", 4, 4, []string{"资源共", "享。组织"}},
		{"two closing marks", "共建”。好", 3, 3, []string{"共", "建”。", "好"}},
		{"closing bracket", "（共建）共抓", 3, 3, []string{"（共", "建）共", "抓"}},
		{"opening bracket does not end a line", "资源共《通知》", 4, 4, []string{"资源共", "《通知》"}},
		{"closing mark that fits stays", "资源，组织", 3, 3, []string{"资源，", "组织"}},
		{"enumeration comma", "资源共享、组织共建、活动共抓、作用共促", 5, 5,
			[]string{"资源共享、", "组织共建、", "活动共抓、", "作用共促"}},
		{"Latin words break at spaces", "hello world again", 4, 4, []string{"hello ", "world ", "again"}},
		{"trailing space does not count", "ab cd", 1, 1, []string{"ab ", "cd"}},
		{"mixed: number stays whole", "编号2026第0123号", 3, 3, []string{"编号", "2026第", "0123号"}},
		{"masked ID number stays whole", "身份证号430524********1234", 10, 10, []string{"身份证号", "430524********1234"}},
		{"long word split by character", "abcdefghij", 2, 2, []string{"abcd", "efgh", "ij"}},
		{"long word after Chinese", "中abcdefgh", 2, 2, []string{"中", "abcd", "efgh"}},
		{"Latin then Chinese", "PDF文件", 2, 2, []string{"PDF", "文件"}},
		{"dash kept whole", "共建——共抓", 3, 3, []string{"共建", "——共", "抓"}},
		{"ellipsis kept whole", "等等……", 3, 3, []string{"等", "等……"}},
		{"closing mark after a space may start a line", "ab ，c", 1.5, 1.5, []string{"ab ", "，c"}},
		{"closing mark hangs when it cannot move", "资源，", 1, 1, []string{"资", "源，"}},
		{"long number hangs its comma", "电话138****5678；请", 6, 6, []string{"电话", "138****5678；", "请"}},
		{"name with middle dot", "买买提·艾力", 3.5, 3.5, []string{"买买", "提·艾力"}},
		{"narrower than a character", "资源", 0.5, 0.5, []string{"资", "源"}},
		{"zero width", "资源", 0, 0, []string{"资", "源"}},
		{"empty", "", 3, 3, nil},
		{"only spaces", "   ", 1, 1, []string{"   "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.s, tt.first, tt.rest, testWidth)
			if !slices.Equal(got, tt.want) {
				t.Errorf("wrap(%q, %v, %v) = %q, want %q", tt.s, tt.first, tt.rest, got, tt.want)
			}
		})
	}
}

// TestWrapNoLineStartsWithClosingPunctuation wraps a real paragraph at every
// width from 2 to 40 characters.
func TestWrapNoLineStartsWithClosingPunctuation(t *testing.T) {
	const s = "为深入推进流动党员“双向共管”，经流出地党组织与流入地党组织协商，" +
		"双方按照“资源共享、组织共建、活动共抓、作用共促”的原则结成对子（详见附件）。" +
		"联系人：王某，电话138****5678；请于2026年3月31日前回函。谢谢！"
	for w := 2.0; w <= 40; w++ {
		lines := wrap(s, w-2, w, testWidth)
		if got := strings.Join(lines, ""); got != s {
			t.Fatalf("width %v: lines join to %q", w, got)
		}
		for i, line := range lines {
			if i > 0 && strings.ContainsRune(noStart, firstRune(line)) {
				t.Errorf("width %v: line %d starts with %q: %q", w, i+1, firstRune(line), lines)
			}
			if _, last, _ := lastRunes(line); i < len(lines)-1 && strings.ContainsRune(noEnd, last) {
				t.Errorf("width %v: line %d ends with %q: %q", w, i+1, last, lines)
			}
			max := w
			if i == 0 {
				max = w - 2
			}
			// Closing punctuation may hang; a line of one unit may not fit.
			if lineWidth(strings.TrimRightFunc(line, isNoStart)) > max && len(clusters(line)) > 1 {
				t.Errorf("width %v: line %d %q is %v wide", w, i+1, line, lineWidth(line))
			}
		}
	}
}

func isNoStart(r rune) bool { return strings.ContainsRune(noStart, r) }

func lineWidth(s string) float64 {
	w, _ := measure(s, testWidth)
	return w
}

func FuzzWrap(f *testing.F) {
	f.Add("资源共享、组织共建、活动共抓、作用共促。", 3.0, 5.0)
	f.Add("hello world 430524********1234 第0123号", 2.0, 2.0)
	f.Add("（（（（））））。。。——……", 1.0, 1.5)
	f.Add("  a  ", 0.0, -1.0)
	f.Add("\xff\xfe中", 1.0, 1.0)
	f.Fuzz(func(t *testing.T, s string, first, rest float64) {
		if strings.ContainsRune(s, '\n') || first != first || rest != rest { // NaN
			t.Skip()
		}
		lines := wrap(s, first, rest, testWidth)
		if got := strings.Join(lines, ""); got != s {
			t.Fatalf("wrap(%q) = %q: joined %q", s, lines, got)
		}
		if len(lines) > utf8.RuneCountInString(s) {
			t.Fatalf("wrap(%q) = %d lines for %d characters", s, len(lines), utf8.RuneCountInString(s))
		}
		for i, line := range lines {
			if line == "" {
				t.Fatalf("wrap(%q): line %d is empty: %q", s, i+1, lines)
			}
		}
	})
}
