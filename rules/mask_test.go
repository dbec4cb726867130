package rules

import "testing"

func TestMaskID(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"18", "430524198503121234", "430524********1234"},
		{"18 with X", "43052419850312123X", "430524********123X"},
		{"15", "430524850312123", "430524*****2123"},
		{"short fully masked", "4305241985", "**********"},
		{"14 fully masked", "43052419850312", "**************"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskID(tt.in); got != tt.want {
				t.Errorf("MaskID(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"mobile", "13812345678", "138****5678"},
		{"landline", "0755-12345678", "0755-****5678"},
		{"landline 3-digit area", "010-62345678", "010-****5678"},
		{"landline 7 digits", "0739-5123456", "0739-***3456"},
		{"landline extension", "0755-12345678-123", "0755-****5678-***"},
		{"no area code", "28123456", "****3456"},
		{"short fully masked", "123456", "******"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
