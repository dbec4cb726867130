package rules

import (
	"slices"
	"testing"
)

type crossCheckTest struct {
	name  string
	cells map[Field]string
	given map[Field]Value // values not made by Clean
	want  []string
}

// vals cleans the test's cells and adds the given values.
func (tt crossCheckTest) vals(c *Cleaner) map[Field]Value {
	out := map[Field]Value{}
	for f, raw := range tt.cells {
		out[f] = c.Clean(f, raw, false)
	}
	for f, v := range tt.given {
		out[f] = v
	}
	return out
}

func crossCheckTests() []crossCheckTest {
	const id = "440307199001010029" // born 1990-01-01, 女
	return []crossCheckTest{
		{name: "consistent", cells: map[Field]string{FieldIDNumber: id, FieldBirthDate: "1990-01-01", FieldGender: "女",
			FieldJoinDate: "2012-07-01", FieldRegularDate: "2013-07-01"}},
		{name: "nothing given", cells: map[Field]string{}},
		{name: "birth month matches", cells: map[Field]string{FieldIDNumber: id, FieldBirthDate: "1990.01"}},
		{name: "birth year matches", cells: map[Field]string{FieldIDNumber: id, FieldBirthDate: "1990"}},
		{name: "birth mismatch", cells: map[Field]string{FieldIDNumber: id, FieldBirthDate: "1990-02-01"},
			want: []string{CodeIDBirthMismatch}},
		{name: "birth month mismatch", cells: map[Field]string{FieldIDNumber: id, FieldBirthDate: "1990.02"},
			want: []string{CodeIDBirthMismatch}},
		{name: "birth checked even with bad check digit", cells: map[Field]string{FieldIDNumber: "440307199001010028", FieldBirthDate: "1991-01-01"},
			want: []string{CodeIDBirthMismatch}},
		{name: "damaged id not compared", cells: map[Field]string{FieldIDNumber: "4.40307E+17", FieldBirthDate: "1991-01-01"}},
		{name: "gender mismatch", cells: map[Field]string{FieldIDNumber: id, FieldGender: "男"},
			want: []string{CodeIDGenderMismatch}},
		{name: "15-digit id gender", cells: map[Field]string{FieldIDNumber: "430524850312123", FieldGender: "女"},
			want: []string{CodeIDGenderMismatch}},
		{name: "unknown gender not compared", cells: map[Field]string{FieldIDNumber: id, FieldGender: "?"}},
		{name: "joined at 17", cells: map[Field]string{FieldBirthDate: "1990-01-01", FieldJoinDate: "2007-06-01"},
			want: []string{CodeJoinUnderage}},
		{name: "joined on 18th birthday", cells: map[Field]string{FieldBirthDate: "1990-01-01", FieldJoinDate: "2008-01-01"}},
		{name: "join year could be after 18", cells: map[Field]string{FieldBirthDate: "1990-06-01", FieldJoinDate: "2008"}},
		{name: "underage from id birth", cells: map[Field]string{FieldIDNumber: id, FieldJoinDate: "2005"},
			want: []string{CodeJoinUnderage}},
		{name: "join in the future, already reported by Clean", cells: map[Field]string{FieldJoinDate: "2026-01-01"}},
		{name: "join in the future, value from elsewhere", given: map[Field]Value{FieldJoinDate: {
			Clean: "2026-01-01", Date: day(2026, 1, 1), Precision: PrecisionDay}}, want: []string{CodeJoinDateFuture}},
		{name: "regular before join", cells: map[Field]string{FieldJoinDate: "2012-07-01", FieldRegularDate: "2011-07-01"},
			want: []string{CodeRegularBeforeJoin}},
		{name: "regular same month as join", cells: map[Field]string{FieldJoinDate: "2012-07-15", FieldRegularDate: "2012.07"}},
		{name: "too young", cells: map[Field]string{FieldBirthDate: "2015-01-01"}, want: []string{CodeAgeImplausible}},
		{name: "too old", cells: map[Field]string{FieldBirthDate: "1900-01-01"}, want: []string{CodeAgeImplausible}},
		{name: "too young from id", cells: map[Field]string{FieldIDNumber: "440307201501010026"}, want: []string{CodeAgeImplausible}},
		{name: "age 16 fine", cells: map[Field]string{FieldBirthDate: "2009-01-01"}},
	}
}

func TestCrossCheck(t *testing.T) {
	c := newTestCleaner(t)
	for _, tt := range crossCheckTests() {
		t.Run(tt.name, func(t *testing.T) {
			vals := tt.vals(c)
			got := c.CrossCheck(vals)
			if !slices.Equal(codes(got), tt.want) {
				t.Errorf("CrossCheck = %q, want %q", codes(got), tt.want)
				for _, f := range got {
					t.Logf("  %s: %s", f.Code, f.Message)
				}
			}
			for _, f := range got {
				if f.Field == "" || f.Severity != SeverityWarning {
					t.Errorf("finding %+v: want a field and warning severity", f)
				}
				if id := vals[FieldIDNumber].Clean; id != "" && containsFold(f.Message, id) {
					t.Errorf("message %q shows the ID number", f.Message)
				}
			}
		})
	}
}

func TestCrossCheckNilMap(t *testing.T) {
	if got := newTestCleaner(t).CrossCheck(nil); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
}
