package ingest

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestDetectEncoding(t *testing.T) {
	gbk := encode(t, simplifiedchinese.GBK, "姓名,身份证号\n张三,1\n")
	tests := []struct {
		name     string
		data     []byte
		whole    bool
		want     string
		wantBOM  int
		wantCode string // quarantine code, when one is expected
	}{
		{"ascii", []byte("name,id\n"), true, "utf-8", 0, ""},
		{"utf-8", []byte("姓名,身份证号\n"), true, "utf-8", 0, ""},
		{"utf-8 BOM", []byte("\xef\xbb\xbf姓名\n"), true, "utf-8-bom", 3, ""},
		{"utf-16le BOM", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "姓名"), true, "utf-16le", 2, ""},
		{"utf-16be BOM", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "姓名"), true, "utf-16be", 2, ""},
		{"gbk", gbk, true, "gbk", 0, ""},
		{"gbk euro sign byte", append([]byte{0x80}, gbk...), true, "gbk", 0, ""},
		{"gb18030 four-byte character", encode(t, simplifiedchinese.GB18030, "𠮷野\n"), true, "gb18030", 0, ""},
		{"utf-8 sample cut mid-character", []byte("姓名,身份证号\n张")[:len("姓名,身份证号\n张")-1], false, "utf-8", 0, ""},
		{"gbk sample cut mid-character", gbk[:len(gbk)-4], false, "gbk", 0, ""},
		{"invalid in every encoding", []byte("name\n\xff\xfe\xff"), true, "", 0, CodeUnknownEncoding},
		{"gbk cut mid-character at the end of the file", gbk[:len(gbk)-4], true, "", 0, CodeUnknownEncoding},
		{"utf-8 with a stray byte", []byte(strings.Repeat("宝龙街道同心社区流动党员", 3) + "\n\x80\n"), true, "", 0, CodeUnknownEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bom, _, q := detectEncoding(tt.data, tt.whole)
			if tt.wantCode != "" {
				if q == nil || q.Code != tt.wantCode || q.Reason == "" || q.Hint == "" {
					t.Fatalf("detectEncoding = %q, %v; want quarantine %s", got, q, tt.wantCode)
				}
				return
			}
			if q != nil {
				t.Fatalf("unexpected quarantine: %v", q)
			}
			if got != tt.want || bom != tt.wantBOM {
				t.Errorf("detectEncoding = %q, %d; want %q, %d", got, bom, tt.want, tt.wantBOM)
			}
		})
	}
}

func TestUnknownEncodingSaysWhere(t *testing.T) {
	data := []byte("姓名,身份证号\n张三,1\n李四,\xff\n")
	_, _, _, q := detectEncoding(encodeOrDie(t, data), true)
	if q == nil || !strings.Contains(q.Reason, "第3行") {
		t.Errorf("quarantine %v, want one naming line 3", q)
	}
}

// encodeOrDie turns the UTF-8 parts of data into GBK, keeping invalid bytes.
func encodeOrDie(t *testing.T, data []byte) []byte {
	var out []byte
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(line)); err == nil {
			out = append(out, b...)
		} else {
			out = append(out, line...)
		}
	}
	return out
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name, text string
		want       rune
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"tab with commas in addresses", "姓名\t地址\t电话\n张三\t同心路1号, 2栋\t138\n李四\t宝龙, 3栋, 4单元\t139\n", '\t'},
		{"semicolon", "a;b;c\n1;2;3\n", ';'},
		{"comma inside quotes", "\"a;b;c\";x\n\"1;2;3\";y\n", ';'},
		{"excel title line padded", "标题,,,\n序号,姓名,身份证号,电话\n1,张三,1,2\n", ','},
		{"single column", "姓名\n张三\n", ','},
		{"empty", "", ','},
		{"quoted newline", "a,\"b\nc\",d\n1,2,3\n", ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectDelimiter([]byte(tt.text)); got != tt.want {
				t.Errorf("detectDelimiter = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCutPartialRune(t *testing.T) {
	s := []byte("ab张")
	for i := len(s); i >= 2; i-- {
		got := string(cutPartialRune(s[:i]))
		want := "ab"
		if i == len(s) {
			want = "ab张"
		}
		if got != want {
			t.Errorf("cutPartialRune(%q) = %q, want %q", s[:i], got, want)
		}
	}
}
