package pipeline

import (
	"encoding/json"
	"testing"
)

func TestRawJSONIsEncodingJSON(t *testing.T) {
	for _, m := range []map[string]string{
		nil,
		{},
		{"姓名": "张伟"},
		{"B": "2", "A": "1", "身份证号": "430524198503121236", "备注": "a\"b\\c\nd\re\tf\bg\fh"},
		{"<x>": "a&b", "ctl": "\x00\x01\x1f\x7f", "ls": "a\u2028b\u2029c", "bad": "\xff\xfe半\xe4\xb8"},
		{"": ""},
	} {
		checkRawJSON(t, m)
	}
}

// checkRawJSON fails t unless rawJSON encodes m as encoding/json does.
func checkRawJSON(t *testing.T, m map[string]string) {
	t.Helper()
	want, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var e rawJSON
	if got := e.encode(m); got != string(want) {
		t.Errorf("encode(%q) = %s, want %s", m, got, want)
	}
}

// FuzzRawJSON: any cells encode as encoding/json encodes them.
func FuzzRawJSON(f *testing.F) {
	f.Add("姓名", "张伟", "备注", "a\"<b>&\n\u2028")
	f.Add("\xff", "\x00", "k", "\xe4\xb8")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		checkRawJSON(t, map[string]string{k1: v1, k2: v2})
	})
}

func BenchmarkRawJSON(b *testing.B) {
	m := map[string]string{"序号": "12", "姓名": "张伟", "公民身份证号": "430524198503121236", "联系电话": "13812345678",
		"所在社区": "同心社区", "流出地党组织": "中共湖南省邵阳市隆回县某某村党支部", "备注": "已返乡<2026>"}
	b.Run("rawJSON", func(b *testing.B) {
		var e rawJSON
		for b.Loop() {
			_ = e.encode(m)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			bs, _ := json.Marshal(m)
			_ = string(bs)
		}
	})
}
