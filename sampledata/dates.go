package sampledata

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// dateForm is how a date is put into a cell.
type dateForm uint8

const (
	formISO          dateForm = iota // text 2006-01-02: the one text form that is not a defect
	formCell                         // a real date cell (yyyy-mm-dd display)
	formCellSlash                    // a real date cell shown as 2006/1/2
	formCellChinese                  // a real date cell shown as 2006年1月2日
	formSerial                       // an Excel serial number in a General cell
	formDotMonth                     // 1985.03
	formChineseMonth                 // 1985年3月
	formSlash                        // 1985/3/12
	formCompact                      // 19850312
	formDashMonth                    // 1985-03
	formDotDay                       // 1985.3.12
	formChineseDay                   // 1985年3月12日
)

// textForms are the text spellings a date gets when a row has the date_text_format defect.
var textForms = []dateForm{formDotMonth, formChineseMonth, formSlash, formCompact, formDashMonth, formDotDay, formChineseDay}

// cellForms are real date cells.
func (f dateForm) isCell() bool { return f == formCell || f == formCellSlash || f == formCellChinese }

// isText reports whether the form writes a text other than ISO, i.e. a date_text_format defect.
func (f dateForm) isText() bool { return f >= formDotMonth }

// monthOnly reports whether the form leaves the day out (1985.03, 1985年3月, 1985-03).
func (f dateForm) monthOnly() bool {
	return f == formDotMonth || f == formChineseMonth || f == formDashMonth
}

// dateCell is a date to be written as a real date cell; CSV writes it as Excel would display it.
type dateCell struct {
	t    time.Time
	form dateForm
}

// display is what Excel shows for a date cell, and what a CSV export of it contains.
func (d dateCell) display() string {
	switch d.form {
	case formCellSlash:
		return d.t.Format("2006/1/2")
	case formCellChinese:
		return d.t.Format("2006年1月2日")
	default:
		return d.t.Format("2006-01-02")
	}
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is the day number Excel stores for a date (1900 date system).
func excelSerial(t time.Time) int64 {
	return int64(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Sub(excelEpoch).Hours() / 24)
}

// renderDate returns the cell value for t in form f: a string, a dateCell, or an int64 serial.
func renderDate(t time.Time, f dateForm) any {
	y, m, d := t.Year(), int(t.Month()), t.Day()
	ys, ms, ds := strconv.Itoa(y), strconv.Itoa(m), strconv.Itoa(d)
	switch f {
	case formCell, formCellSlash, formCellChinese:
		return dateCell{t: t, form: f}
	case formSerial:
		return excelSerial(t)
	case formDotMonth:
		return ys + "." + pad2(m)
	case formChineseMonth:
		return ys + "年" + ms + "月"
	case formSlash:
		return ys + "/" + ms + "/" + ds
	case formCompact:
		return t.Format("20060102")
	case formDashMonth:
		return t.Format("2006-01")
	case formDotDay:
		return ys + "." + ms + "." + ds
	case formChineseDay:
		return ys + "年" + ms + "月" + ds + "日"
	default:
		return t.Format("2006-01-02")
	}
}

// day returns a date at midnight UTC.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// randomDay returns a day in [from, to].
func randomDay(rng *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return from
	}
	return from.AddDate(0, 0, rng.IntN(days+1))
}

// chineseDate is 2026年10月20日, as written in 填表日期.
func chineseDate(t time.Time) string { return t.Format("2006年1月2日") }
