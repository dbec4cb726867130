package rules

import (
	"fmt"
	"time"
)

// CrossCheck compares the cleaned values of one record (vals keyed by
// field; missing keys and empty values are skipped) and returns warnings:
//
//   - id_birth_mismatch: the birth date in a usable ID number (valid,
//     converted, or with only a wrong check digit) differs from the stated
//     birth_date, compared at the stated precision;
//   - id_gender_mismatch: the ID number's sequence digit says another gender
//     than the stated gender;
//   - age_implausible: age at the reference date outside MinAge..MaxAge,
//     from birth_date or else from the ID number;
//   - join_underage: join_date certainly before the 18th birthday;
//   - join_date_future: join_date after the reference date (skipped when
//     Clean already reported date_future on it);
//   - regular_before_join: regular_date certainly before join_date.
//
// "Certainly" means for every day a month- or year-precision date may
// stand for.
func (c *Cleaner) CrossCheck(vals map[Field]Value) []Finding {
	var out []Finding
	add := func(code string, f Field, format string, args ...any) {
		fd := newFinding(code, fmt.Sprintf(format, args...))
		fd.Field = f
		out = append(out, fd)
	}

	birth, hasBirth := datedValue(vals, FieldBirthDate)
	var idBirth time.Time
	if idv, ok := vals[FieldIDNumber]; ok && idv.ID != nil && !idv.ID.Birth.IsZero() &&
		(idv.ID.Valid() || idv.ID.Status == IDBadCheckDigit) {
		id := idv.ID
		idBirth = id.Birth
		if hasBirth && !samePeriod(birth.Date, birth.Precision, id.Birth) {
			add(CodeIDBirthMismatch, FieldBirthDate, "出生日期 %s 与身份证号（%s）中的出生日期 %s 不一致",
				birth.Clean, MaskID(id.Value), id.Birth.Format("2006-01-02"))
		}
		if g, ok := vals[FieldGender]; ok && g.Clean != "" && id.Gender != "" && g.Clean != id.Gender {
			add(CodeIDGenderMismatch, FieldGender, "性别填为%s，但身份证号（%s）显示为%s",
				g.Clean, MaskID(id.Value), id.Gender)
		}
	}

	// The birth date for age checks: stated, else from the ID number.
	bornFrom, bornTo, bornField := time.Time{}, time.Time{}, FieldBirthDate
	switch {
	case hasBirth:
		bornFrom, bornTo = birth.Date, periodEnd(birth.Date, birth.Precision)
	case !idBirth.IsZero():
		bornFrom, bornTo, bornField = idBirth, idBirth, FieldIDNumber
	}
	if !bornFrom.IsZero() {
		// Age bounds are checked on the whole period, so a year-precision
		// birth date is only flagged when every day of the year is out.
		if maxAge := age(bornFrom, c.today); maxAge < c.cfg.MinAge {
			add(CodeAgeImplausible, bornField, "按出生日期计算年龄为 %d 岁，小于 %d 岁", maxAge, c.cfg.MinAge)
		} else if minAge := age(bornTo, c.today); minAge > c.cfg.MaxAge {
			add(CodeAgeImplausible, bornField, "按出生日期计算年龄为 %d 岁，大于 %d 岁", minAge, c.cfg.MaxAge)
		}
	}

	join, hasJoin := datedValue(vals, FieldJoinDate)
	if hasJoin {
		if !bornFrom.IsZero() {
			eighteen := bornFrom.AddDate(18, 0, 0)
			if periodEnd(join.Date, join.Precision).Before(eighteen) {
				add(CodeJoinUnderage, FieldJoinDate, "入党日期 %s 早于 18 周岁生日（%s）",
					join.Clean, eighteen.Format("2006-01-02"))
			}
		}
		if join.Date.After(c.today) && !hasCode(join.Findings, CodeDateFuture) {
			add(CodeJoinDateFuture, FieldJoinDate, "入党日期 %s 晚于今天（%s）", join.Clean, c.today.Format("2006-01-02"))
		}
		if reg, ok := datedValue(vals, FieldRegularDate); ok && periodEnd(reg.Date, reg.Precision).Before(join.Date) {
			add(CodeRegularBeforeJoin, FieldRegularDate, "转正日期 %s 早于入党日期 %s", reg.Clean, join.Clean)
		}
	}
	return out
}

// datedValue returns vals[f] when it holds a parsed date.
func datedValue(vals map[Field]Value, f Field) (Value, bool) {
	v, ok := vals[f]
	if !ok || v.Precision == "" || v.Date.IsZero() {
		return Value{}, false
	}
	return v, true
}

// samePeriod reports whether day falls in the period of precision p that
// starts at t.
func samePeriod(t time.Time, p Precision, day time.Time) bool {
	return !day.Before(t) && !day.After(periodEnd(t, p))
}

// age returns the age in whole years on day of someone born on birth.
func age(birth, day time.Time) int {
	years := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		years--
	}
	return years
}

// hasCode reports whether findings contain code.
func hasCode(findings []Finding, code string) bool {
	for _, f := range findings {
		if f.Code == code {
			return true
		}
	}
	return false
}
