package rules

import (
	"slices"
	"testing"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		value  string
		kind   string
		others []string
		codes  []string
	}{
		{name: "mobile", raw: "13812345678", value: "13812345678", kind: "mobile"},
		{name: "mobile with spaces", raw: "138 1234 5678", value: "13812345678", kind: "mobile"},
		{name: "mobile with dashes", raw: "138-1234-5678", value: "13812345678", kind: "mobile"},
		{name: "mobile full-width", raw: "１３８１２３４５６７８", value: "13812345678", kind: "mobile"},
		{name: "mobile +86", raw: "+86 138-1234-5678", value: "13812345678", kind: "mobile"},
		{name: "mobile +86 no space", raw: "+8613812345678", value: "13812345678", kind: "mobile"},
		{name: "mobile 0086", raw: "0086 13812345678", value: "13812345678", kind: "mobile"},
		{name: "mobile 86-", raw: "86-13812345678", value: "13812345678", kind: "mobile"},
		{name: "mobile with label", raw: "手机：13812345678（本人）", value: "13812345678", kind: "mobile"},
		{name: "mobile number cell", raw: "13812345678.0", value: "13812345678", kind: "mobile"},
		{name: "mobile 19x", raw: "19912345678", value: "19912345678", kind: "mobile"},
		{name: "landline with dash", raw: "0755-12345678", value: "0755-12345678", kind: "landline"},
		{name: "landline no separator", raw: "075512345678", value: "0755-12345678", kind: "landline"},
		{name: "landline space", raw: "0755 2812 3456", value: "0755-28123456", kind: "landline"},
		{name: "landline parens", raw: "(0755)28123456", value: "0755-28123456", kind: "landline"},
		{name: "landline full-width parens", raw: "（０７５５）２８１２３４５６", value: "0755-28123456", kind: "landline"},
		{name: "landline beijing 010", raw: "010-62345678", value: "010-62345678", kind: "landline"},
		{name: "landline guangzhou 020", raw: "02087654321", value: "020-87654321", kind: "landline"},
		{name: "landline 7 digits", raw: "0739-5123456", value: "0739-5123456", kind: "landline"},
		{name: "landline extension 转", raw: "0755-12345678转123", value: "0755-12345678-123", kind: "landline"},
		{name: "landline extension ext", raw: "0755-12345678 ext. 123", value: "0755-12345678-123", kind: "landline"},
		{name: "landline extension dash", raw: "0755-12345678-123", value: "0755-12345678-123", kind: "landline"},
		{name: "landline extension 分机", raw: "0755-12345678分机8", value: "0755-12345678-8", kind: "landline"},
		{name: "no area code 8 digits", raw: "28123456", value: "28123456", kind: "landline",
			codes: []string{CodePhoneNoAreaCode}},
		{name: "no area code with dash", raw: "2812-3456", value: "28123456", kind: "landline",
			codes: []string{CodePhoneNoAreaCode}},
		{name: "no area code 7 digits", raw: "5123456", value: "5123456", kind: "landline",
			codes: []string{CodePhoneNoAreaCode}},
		{name: "two mobiles slash", raw: "13812345678/13987654321", value: "13812345678", kind: "mobile",
			others: []string{"13987654321"}, codes: []string{CodePhoneMultiple}},
		{name: "two mobiles 、", raw: "13812345678、13987654321", value: "13812345678", kind: "mobile",
			others: []string{"13987654321"}, codes: []string{CodePhoneMultiple}},
		{name: "two mobiles full-width comma", raw: "13812345678，13987654321", value: "13812345678", kind: "mobile",
			others: []string{"13987654321"}, codes: []string{CodePhoneMultiple}},
		{name: "two mobiles semicolon", raw: "13812345678；13987654321", value: "13812345678", kind: "mobile",
			others: []string{"13987654321"}, codes: []string{CodePhoneMultiple}},
		{name: "two mobiles space", raw: "13812345678 13987654321", value: "13812345678", kind: "mobile",
			others: []string{"13987654321"}, codes: []string{CodePhoneMultiple}},
		{name: "two mobiles spaced inside", raw: "138 1234 5678 139 8765 4321", value: "13812345678", kind: "mobile",
			others: []string{"13987654321"}, codes: []string{CodePhoneMultiple}},
		{name: "mobile and landline", raw: "13812345678 0755-28123456", value: "13812345678", kind: "mobile",
			others: []string{"0755-28123456"}, codes: []string{CodePhoneMultiple}},
		{name: "landline then mobile", raw: "0755-28123456/13812345678", value: "0755-28123456", kind: "landline",
			others: []string{"13812345678"}, codes: []string{CodePhoneMultiple}},
		{name: "three numbers", raw: "13812345678,13987654321;15012345678", value: "13812345678", kind: "mobile",
			others: []string{"13987654321", "15012345678"}, codes: []string{CodePhoneMultiple}},
		{name: "leftover digits", raw: "13812345678 123", value: "13812345678", kind: "mobile",
			codes: []string{CodePhoneExtraText}},
		{name: "excel scientific", raw: "1.38123E+10", codes: []string{CodePhoneExcelDamaged}},
		{name: "excel scientific lower e", raw: "1.38123e+10", codes: []string{CodePhoneExcelDamaged}},
		{name: "scientific keeping every digit", raw: "1.3812345678E+10", value: "13812345678", kind: "mobile"},
		{name: "too short", raw: "12345", codes: []string{CodePhoneFormat}},
		{name: "twelve digits mobile", raw: "138123456789", codes: []string{CodePhoneFormat}},
		{name: "mobile 12x", raw: "12812345678", codes: []string{CodePhoneFormat}},
		{name: "words only", raw: "无", codes: []string{CodePhoneFormat}},
		{name: "bad area code", raw: "01512345678", codes: []string{CodePhoneFormat}},
		{name: "empty", raw: ""},
		{name: "blank", raw: "  "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value, kind, others, findings := ParsePhone(tt.raw)
			if value != tt.value || kind != tt.kind || !slices.Equal(others, tt.others) {
				t.Errorf("ParsePhone(%q) = %q, %q, %q; want %q, %q, %q", tt.raw, value, kind, others, tt.value, tt.kind, tt.others)
			}
			checkCodes(t, findings, tt.codes...)
			for _, f := range findings {
				for _, n := range append([]string{value}, others...) {
					if len(n) >= 7 && containsFold(f.Message, n) {
						t.Errorf("message %q shows the full number %s", f.Message, n)
					}
				}
			}
		})
	}
}
