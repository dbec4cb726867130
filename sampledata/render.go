package sampledata

import (
	"math/rand/v2"
	"strings"
	"time"
)

// cells renders the person-describing cells of one row with its defects. It is created per row; out collects
// the defects actually present, which is planned plus what the template does to every row (text dates).
type cells struct {
	rng       *rand.Rand
	tb        table
	t         *template
	p         *person
	set       defectSet
	out       defectSet
	dateDone  bool
	monthOnly bool // a date went out without its day
}

func newCells(rng *rand.Rand, tb table, t *template, p *person, set defectSet) *cells {
	return &cells{rng: rng, tb: tb, t: t, p: p, set: set, out: set}
}

// name is the person's name as this row spells it.
func (c *cells) name() string {
	p, s := c.p, c.set
	switch {
	case s.has(noName):
		return ""
	case s.has(middleDotVariant):
		return withDotVariant(c.rng, p.Name, c.tb.isGBK())
	case s.has(nameSpaces):
		return withSpaces(c.rng, p.Name, p.surnameLen)
	case s.has(traditionalChars):
		return toTraditional(p.Name)
	case s.has(homophone):
		return withHomophone(p.Name, p.surnameLen, p.homophonePick)
	}
	return p.Name
}

// id is the ID number as this row has it: a string, or a float64 for a number cell.
func (c *cells) id() any {
	id, s := c.p.IDNumber, c.set
	switch {
	case s.has(idMissing):
		return ""
	case s.has(idExcelDamaged):
		if c.tb.isCSV() {
			return excelGeneral(idDamaged(id))
		}
		return idDamaged(id)
	case s.has(id15):
		return toID15(id)
	case s.has(idLowerX):
		return strings.ToLower(id)
	case s.has(idSpaces):
		return id[:6] + " " + id[6:14] + " " + id[14:]
	case s.has(idBadCheck):
		return wrongCheck(id)
	case s.has(fullwidthDigits):
		return fullwidth(id)
	}
	return id
}

// phone is the mobile as this row has it.
func (c *cells) phone() any {
	p, s := c.p, c.set
	m := p.Phone
	if s.has(phoneStale) && p.oldPhone != "" {
		m = p.oldPhone
	}
	switch {
	case s.has(phoneMissing):
		return ""
	case s.has(landlineOnly):
		if p.landline != "" {
			return p.landline
		}
		return landline(c.rng)
	case s.has(phonePlus86):
		return oneOf(c.rng, []string{"+86 ", "+86", "+86-", "(+86)"}) + m
	case s.has(phoneFormatted):
		switch c.rng.IntN(3) {
		case 0:
			return m[:3] + " " + m[3:7] + " " + m[7:]
		case 1:
			return m[:3] + "-" + m[3:7] + "-" + m[7:]
		default:
			return m[:7] + " " + m[7:]
		}
	case s.has(phoneNumberCell):
		var v int64
		for _, d := range m {
			v = v*10 + int64(d-'0')
		}
		return v
	case s.has(fullwidthDigits) && !c.t.has(fID):
		return fullwidth(m)
	}
	return m
}

// birth is the stated birth date; with birthMismatch it is off by a month or a year from the ID.
func (c *cells) birth(form dateForm) any {
	t := c.p.birth
	if c.set.has(birthMismatch) {
		switch c.rng.IntN(3) {
		case 0:
			t = t.AddDate(1, 0, 0)
		case 1:
			t = t.AddDate(0, -1, 0)
		default:
			t = t.AddDate(-1, 2, 3)
		}
	}
	return c.date(t, form)
}

// date renders a date in the column's form, or, once per row, in the form the row's date defect asks for.
func (c *cells) date(t time.Time, form dateForm) any {
	if !c.dateDone && (c.set.has(dateSerial) || c.set.has(dateTextFormat)) {
		c.dateDone = true
		if c.set.has(dateSerial) {
			form = formSerial
		} else {
			form = oneOf(c.rng, textForms)
		}
	}
	c.monthOnly = c.monthOnly || form.monthOnly()
	v := renderDate(t, form)
	switch x := v.(type) {
	case int64:
		c.out.add(dateSerial)
	case string:
		if !isISODate(x) {
			c.out.add(dateTextFormat)
		}
	case dateCell:
		if c.tb.isCSV() && !isISODate(x.display()) {
			c.out.add(dateTextFormat)
		}
	}
	return v
}

func isISODate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-'
}

// common returns the value of a person field shared by all kinds of file, and false for other fields.
func (c *cells) common(col column) (any, bool) {
	p := c.p
	switch col.field {
	case fName:
		return c.name(), true
	case fGender:
		return p.Gender, true
	case fEthnicity:
		return p.Ethnicity, true
	case fID:
		return c.id(), true
	case fBirth:
		return c.birth(col.date), true
	case fPhone:
		return c.phone(), true
	case fLandline:
		return p.landline, true
	case fEducation:
		return p.Education, true
	case fMemberType:
		return p.MemberType, true
	case fBranch:
		return p.branch.spell(col.branch), true
	case fJoin:
		return c.date(p.join, col.date), true
	case fOutflow:
		return c.date(p.outflow, col.date), true
	case fReason:
		return p.OutflowReason, true
	case fHasCard:
		if p.hasCard {
			return "是", true
		}
		return "否", true
	case fWechat:
		return p.wechat, true
	}
	return nil, false
}
