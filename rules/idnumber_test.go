package rules

import (
	"testing"
	"time"
)

func TestParseIDNumber(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		status IDStatus
		value  string
		prefix string
		birth  time.Time
		gender string
		codes  []string
	}{
		{name: "valid", raw: "440307199001010029", status: IDValid, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女"},
		{name: "valid X", raw: "43052419850312123X", status: IDValid, value: "43052419850312123X",
			prefix: "43052419850312123", birth: day(1985, 3, 12), gender: "男"},
		{name: "lower-case x", raw: "43052419850312123x", status: IDValid, value: "43052419850312123X",
			prefix: "43052419850312123", birth: day(1985, 3, 12), gender: "男"},
		{name: "full-width digits", raw: "４４０３０７１９９００１０１００２９", status: IDValid, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女"},
		{name: "full-width X", raw: "43052419850312123Ｘ", status: IDValid, value: "43052419850312123X",
			prefix: "43052419850312123", birth: day(1985, 3, 12), gender: "男"},
		{name: "excel text apostrophe", raw: "'440307199001010029", status: IDValid, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女"},
		{name: "spaces and dashes", raw: " 440307 1990-0101 0029 ", status: IDValid, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女"},
		{name: "curly quotes", raw: "“440307199001010029”", status: IDValid, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女"},
		{name: "valid ending 000 typed as text", raw: "440307199001013000", status: IDValid, value: "440307199001013000",
			prefix: "44030719900101300", birth: day(1990, 1, 1), gender: "女", codes: []string{CodeIDMaybeDamaged}},
		{name: "born 1900-01-01", raw: "110101190001010014", status: IDValid, value: "110101190001010014",
			prefix: "11010119000101001", birth: day(1900, 1, 1), gender: "男"},
		{name: "leap day", raw: "430524200002290019", status: IDValid, value: "430524200002290019",
			prefix: "43052420000229001", birth: day(2000, 2, 29), gender: "男"},
		{name: "wrong check digit", raw: "430524198503121234", status: IDBadCheckDigit, value: "430524198503121234",
			prefix: "43052419850312123", birth: day(1985, 3, 12), gender: "男", codes: []string{CodeIDCheckDigit}},
		{name: "check digit X expected 8", raw: "43052419850312124X", status: IDBadCheckDigit, value: "43052419850312124X",
			prefix: "43052419850312124", birth: day(1985, 3, 12), gender: "女", codes: []string{CodeIDCheckDigit}},
		{name: "15 digits converted", raw: "430524850312123", status: IDConverted15, value: "43052419850312123X",
			prefix: "43052419850312123", birth: day(1985, 3, 12), gender: "男", codes: []string{CodeIDConverted15}},
		{name: "15 digits female", raw: "440307900101002", status: IDConverted15, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女", codes: []string{CodeIDConverted15}},
		{name: "15 digits as number cell", raw: "440307900101002.0", status: IDConverted15, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女", codes: []string{CodeIDConverted15}},
		{name: "15 digits bad date", raw: "440307901301002", status: IDBadDate, value: "440307199013010026",
			prefix: "44030719901301002", codes: []string{CodeIDBirthDate}},
		{name: "excel E+17 short", raw: "4.30524E+17", status: IDExcelDamaged, prefix: "430524",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel E+17 15 digits", raw: "4.30524198503121E+17", status: IDExcelDamaged, prefix: "430524198503121",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel lower-case e", raw: "4.30524198503121e+17", status: IDExcelDamaged, prefix: "430524198503121",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel full-width", raw: "４.３０５２４Ｅ＋１７", status: IDExcelDamaged, prefix: "430524",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel no plus", raw: "4.30524E17", status: IDExcelDamaged, prefix: "430524",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel trailing 000", raw: "430524198503121000", status: IDExcelDamaged, prefix: "430524198503121",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel decimal .0", raw: "430524198503121000.0", status: IDExcelDamaged, prefix: "430524198503121",
			codes: []string{CodeIDExcelDamaged}},
		{name: "excel decimal even if check fits", raw: "440307199001013000.0", status: IDExcelDamaged, prefix: "440307199001013",
			codes: []string{CodeIDExcelDamaged}},
		{name: "scientific notation keeping 15 digits", raw: "4.30524850312123E+14", status: IDConverted15, value: "43052419850312123X",
			prefix: "43052419850312123", birth: day(1985, 3, 12), gender: "男", codes: []string{CodeIDConverted15}},
		{name: "scientific notation keeping 18 digits", raw: "4.40307199001010029E+17", status: IDValid, value: "440307199001010029",
			prefix: "44030719900101002", birth: day(1990, 1, 1), gender: "女"},
		{name: "too short", raw: "4305241985031", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "too long", raw: "4305241985031212345", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "17 digits", raw: "43052419850312123", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "letters inside", raw: "43052419850312A23X", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "X not last", raw: "4305241985031212X3", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "words", raw: "无", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "small number in scientific notation", raw: "1.2E+3", status: IDBadFormat, codes: []string{CodeIDFormat}},
		{name: "bad birth date", raw: "430524198502301234", status: IDBadDate, value: "430524198502301234",
			prefix: "43052419850230123", codes: []string{CodeIDBirthDate, CodeIDCheckDigit}},
		{name: "birth before 1900", raw: "430524189912311234", status: IDBadDate, value: "430524189912311234",
			prefix: "43052418991231123", codes: []string{CodeIDBirthDate, CodeIDCheckDigit}},
		{name: "birth in the future", raw: "430524209912311234", status: IDBadDate, value: "430524209912311234",
			prefix: "43052420991231123", codes: []string{CodeIDBirthDate, CodeIDCheckDigit}},
		{name: "bad region", raw: "930524198503121234", status: IDBadRegion, value: "930524198503121234",
			prefix: "93052419850312123", birth: day(1985, 3, 12), gender: "男", codes: []string{CodeIDRegion, CodeIDCheckDigit}},
		{name: "region zero", raw: "030524198503121234", status: IDBadRegion, value: "030524198503121234",
			prefix: "03052419850312123", birth: day(1985, 3, 12), gender: "男", codes: []string{CodeIDRegion, CodeIDCheckDigit}},
		{name: "all zeros placeholder", raw: "000000000000000000", status: IDBadRegion, value: "000000000000000000",
			prefix: "00000000000000000", codes: []string{CodeIDRegion, CodeIDBirthDate, CodeIDCheckDigit}},
		{name: "empty", raw: "", status: IDMissing},
		{name: "blank", raw: " \u3000 ", status: IDMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, findings := parseIDNumber(tt.raw, testToday)
			if id.Status != tt.status || id.Value != tt.value || id.Prefix != tt.prefix {
				t.Errorf("parse(%q) = {status %s, value %q, prefix %q}, want {%s, %q, %q}",
					tt.raw, id.Status, id.Value, id.Prefix, tt.status, tt.value, tt.prefix)
			}
			if !tt.birth.IsZero() && (!id.Birth.Equal(tt.birth) || id.Gender != tt.gender) {
				t.Errorf("birth, gender = %v, %q; want %v, %q", id.Birth, id.Gender, tt.birth, tt.gender)
			}
			if tt.birth.IsZero() && tt.status != IDConverted15 && (!id.Birth.IsZero() || id.Gender != "") {
				t.Errorf("birth, gender = %v, %q; want none", id.Birth, id.Gender)
			}
			checkCodes(t, findings, tt.codes...)
			if id.Valid() && (len(id.Value) != 18 || IDCheckChar(id.Value) != id.Value[17]) {
				t.Errorf("Valid() but value %q fails the check", id.Value)
			}
			for _, f := range findings {
				if id.Value != "" && containsFold(f.Message, id.Value) || len(tt.raw) >= 15 && containsFold(f.Message, tt.raw) {
					t.Errorf("message %q shows the full number", f.Message)
				}
			}
		})
	}
}

func TestParseIDNumberUsesNow(t *testing.T) {
	// The exported parser takes the current date as the latest birth date.
	id, _ := ParseIDNumber("440307199001010029")
	if id.Status != IDValid {
		t.Fatalf("status %s", id.Status)
	}
}

func TestIDCheckChar(t *testing.T) {
	tests := []struct{ body, want string }{
		{"11010519491231002", "X"}, // the example of GB 11643-1999
		{"44030719900101002", "9"},
		{"43052419850312123", "X"},
	}
	for _, tt := range tests {
		if got := string(IDCheckChar(tt.body)); got != tt.want {
			t.Errorf("IDCheckChar(%s) = %s, want %s", tt.body, got, tt.want)
		}
	}
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if equalFoldASCII(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
