package rules

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		date1904 bool
		want     time.Time
		prec     Precision
		codes    []string
	}{
		{name: "serial", raw: "31118", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "serial with time fraction", raw: "31118.75", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "serial number cell .0", raw: "31118.0", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "serial 1", raw: "1", want: day(1900, 1, 1), prec: PrecisionDay},
		{name: "serial 59", raw: "59", want: day(1900, 2, 28), prec: PrecisionDay},
		{name: "serial 60 fake leap day", raw: "60", codes: []string{CodeDateInvalid}},
		{name: "serial 61", raw: "61", want: day(1900, 3, 1), prec: PrecisionDay},
		{name: "serial last day", raw: "73415", want: day(2100, 12, 31), prec: PrecisionDay},
		{name: "serial beyond 2100", raw: "73416", codes: []string{CodeDateFormat}},
		{name: "serial 0", raw: "0", codes: []string{CodeDateFormat}},
		{name: "serial 1904 system", raw: "29656", date1904: true, want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "serial 0 in 1904 system", raw: "0", date1904: true, want: day(1904, 1, 1), prec: PrecisionDay},
		{name: "year", raw: "1985", want: day(1985, 1, 1), prec: PrecisionYear},
		{name: "year with 年", raw: "1985年", want: day(1985, 1, 1), prec: PrecisionYear},
		{name: "bare 4-digit 1900 is a year", raw: "1900", want: day(1900, 1, 1), prec: PrecisionYear},
		{name: "bare 4-digit 2100 is a year", raw: "2100", want: day(2100, 1, 1), prec: PrecisionYear},
		{name: "year.month", raw: "1985.03", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "year.month one digit", raw: "1985.3", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "year.month october", raw: "1985.10", want: day(1985, 10, 1), prec: PrecisionMonth},
		{name: "year-month", raw: "1985-03", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "year/month", raw: "1985/03", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "年月", raw: "1985年3月", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "年月 with spaces", raw: "1985 年 3 月", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "yyyymm", raw: "198503", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "month/year", raw: "03/1985", want: day(1985, 3, 1), prec: PrecisionMonth},
		{name: "y/m/d", raw: "1985/3/12", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "y-m-d", raw: "1985-3-12", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "y.m.d", raw: "1985.3.12", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "y.m.d trailing dot", raw: "1985.3.12.", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "年月日", raw: "1985年3月12日", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "年月号", raw: "1985年03月12号", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "yyyymmdd", raw: "19850312", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "with midnight time", raw: "1985-03-12 00:00:00", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "ISO with T", raw: "1985-03-12T00:00:00", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "with short time", raw: "1985/3/12 0:00", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "full-width digits", raw: "１９８５年３月１２日", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "full-width separators", raw: "１９８５．０３．１２", want: day(1985, 3, 12), prec: PrecisionDay},
		{name: "day first unambiguous", raw: "25/03/1985", want: day(1985, 3, 25), prec: PrecisionDay},
		{name: "month first unambiguous", raw: "03/25/1985", want: day(1985, 3, 25), prec: PrecisionDay},
		{name: "same day and month", raw: "03/03/1985", want: day(1985, 3, 3), prec: PrecisionDay},
		{name: "ambiguous d/m/y", raw: "12/03/1985", codes: []string{CodeDateAmbiguous}},
		{name: "ambiguous with dots", raw: "12.03.1985", codes: []string{CodeDateAmbiguous}},
		{name: "february 30", raw: "1985-02-30", codes: []string{CodeDateInvalid}},
		{name: "month 13", raw: "1985-13", codes: []string{CodeDateInvalid}},
		{name: "month 13 yyyymm", raw: "198513", codes: []string{CodeDateInvalid}},
		{name: "month 0", raw: "1985.0.12", codes: []string{CodeDateInvalid}},
		{name: "february 29 non-leap", raw: "19850229", codes: []string{CodeDateInvalid}},
		{name: "year before 1900", raw: "1850-03-12", codes: []string{CodeDateInvalid}},
		{name: "both over 12", raw: "25/13/1985", codes: []string{CodeDateInvalid}},
		{name: "not a date", raw: "不详", codes: []string{CodeDateFormat}},
		{name: "two-digit year", raw: "85.3.12", codes: []string{CodeDateFormat}},
		{name: "units out of order", raw: "3月1985年", codes: []string{CodeDateFormat}},
		{name: "missing year", raw: "3月12日", codes: []string{CodeDateFormat}},
		{name: "too many parts", raw: "1985.3.12.5", codes: []string{CodeDateFormat}},
		{name: "leading separator", raw: "-1985", codes: []string{CodeDateFormat}},
		{name: "bad time", raw: "1985-03-12 ab:cd", codes: []string{CodeDateFormat}},
		{name: "seven digits", raw: "1985031", codes: []string{CodeDateFormat}},
		{name: "empty", raw: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, p, findings := ParseDate(tt.raw, tt.date1904)
			if !got.Equal(tt.want) || p != tt.prec {
				t.Errorf("ParseDate(%q) = %v %q, want %v %q", tt.raw, got, p, tt.want, tt.prec)
			}
			checkCodes(t, findings, tt.codes...)
		})
	}
}
