package rules

import "testing"

// TestCleanNameTitlesAndLists: contact cards and visit records write names
// with titles (张伟同志, 王建国书记) and attendance lists in one cell.
func TestCleanNameTitlesAndLists(t *testing.T) {
	c := newTestCleaner(t)
	tests := []struct {
		name  string
		field Field
		raw   string
		clean string
		codes []string
	}{
		{"同志", FieldName, "张伟同志", "张伟", []string{CodeNameTitle}},
		{"同志 spaced", FieldName, "张伟 同志", "张伟", []string{CodeNameSpacesRemoved, CodeNameTitle}},
		{"书记 after a counsellor", FieldCounsellor, "王建国书记", "王建国", []string{CodeNameTitle}},
		{"traditional 書記", FieldCounsellor, "王建國書記", "王建国", []string{CodeTraditionalConverted, CodeNameTitle}},
		{"副书记", FieldCounsellor, "陈红副书记", "陈红", []string{CodeNameTitle}},
		{"surname and title as signer", FieldSignedBy, "王书记", "王书记", nil},
		{"full name and title as signer", FieldSignedBy, "王建国书记", "王建国", []string{CodeNameTitle}},
		{"surname and title as counsellor", FieldCounsellor, "王书记", "王书记", []string{CodeNameTitle}},
		{"surname and title as member", FieldName, "李老师", "李老师", []string{CodeNameTitle}},
		{"title alone", FieldName, "书记", "书记", nil},
		{"no title", FieldName, "张伟", "张伟", nil},
		{"minority name with title", FieldName, "阿依古丽·买买提同志", "阿依古丽·买买提", []string{CodeNameTitle}},
		{"list with 、", FieldName, "李娜、刘洋", "李娜、刘洋", []string{CodeNameMultiple}},
		{"list with commas", FieldName, "李娜，刘洋，王芳", "李娜,刘洋,王芳", []string{CodeNameMultiple}},
		{"name and gender is no list", FieldName, "李娜、女", "李娜、女", []string{CodeNameSuspicious}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Clean(tt.field, tt.raw, false)
			if v.Clean != tt.clean || v.Raw != tt.raw {
				t.Errorf("Clean(%s, %q) = %q (raw %q), want %q", tt.field, tt.raw, v.Clean, v.Raw, tt.clean)
			}
			checkCodes(t, v.Findings, tt.codes...)
		})
	}
}
