package sampledata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// surveyLayout is how one community sends its 摸排表: which template, whether it resends the previous month
// (as a file of its own or as a sheet of the same workbook), xlsx or CSV.
type surveyLayout struct {
	tmpl        *template
	hasPrevious bool
	monthSheets bool // previous and latest month as sheets of one workbook, plus a 汇总 sheet
	csv         bool
	enc         csvEncoding
	// name is the file name for the month (for monthSheets: for the year).
	name func(community string, month time.Time) string
}

func ym(m time.Time) (string, string, string) {
	return strconv.Itoa(m.Year()), strconv.Itoa(int(m.Month())), pad2(int(m.Month()))
}

var (
	nameMonthly = func(c string, m time.Time) string {
		y, mo, _ := ym(m)
		return c + "_" + y + "年" + mo + "月摸排表.xlsx"
	}
	nameLedger = func(c string, m time.Time) string {
		y, _, _ := ym(m)
		return c + "流动党员摸排台账（" + y + "年）.xlsx"
	}
	nameGBK = func(c string, m time.Time) string {
		y, _, mm := ym(m)
		return c + "_流动党员摸排_" + y + mm + ".csv"
	}
	nameBOM = func(c string, m time.Time) string {
		y, mo, _ := ym(m)
		return c + "流动党员信息表_" + y + "年" + mo + "月.csv"
	}
	nameS5 = func(c string, m time.Time) string {
		y, mo, _ := ym(m)
		return c + "流动党员摸排登记表（" + y + "年" + mo + "月）.xlsx"
	}
	nameS6 = func(c string, m time.Time) string {
		y, _, mm := ym(m)
		return c + "-流动党员名单-" + y + "." + mm + ".xlsx"
	}
)

// surveyLayoutFor hands the layouts out in defaultCommunities order: 同心 resends monthly files, 宝龙 keeps one
// sheet per month plus 汇总, 龙东 exports GBK CSV, 南约 UTF-8 CSV with BOM, 同乐 and 龙新 single workbooks.
func surveyLayoutFor(i int) surveyLayout {
	switch i {
	case 0:
		return surveyLayout{tmpl: surveyS1, hasPrevious: true, name: nameMonthly}
	case 1:
		return surveyLayout{tmpl: surveyS2, hasPrevious: true, monthSheets: true, name: nameLedger}
	case 2:
		return surveyLayout{tmpl: surveyS3, csv: true, enc: csvGBK, name: nameGBK}
	case 3:
		return surveyLayout{tmpl: surveyS4, csv: true, enc: csvUTF8BOM, name: nameBOM}
	case 4:
		return surveyLayout{tmpl: surveyS5, name: nameS5}
	case 5:
		return surveyLayout{tmpl: surveyS6, name: nameS6}
	}
	switch (i - 6) % 3 {
	case 0:
		return surveyLayout{tmpl: surveyS5, name: nameS5}
	case 1:
		return surveyLayout{tmpl: surveyS6, name: nameS6}
	default:
		return surveyLayout{tmpl: surveyS1, name: nameMonthly}
	}
}

// surveyRates are the per-row chances of each defect in surveys.
var surveyRates = rates{
	idExcelDamaged: 0.015, id15: 0.006, idLowerX: 0.3, idSpaces: 0.005, idBadCheck: 0.006, idMissing: 0.005,
	fullwidthDigits: 0.01,
	nameSpaces:      0.025, traditionalChars: 0.012, middleDotVariant: 0.5,
	phonePlus86: 0.015, phoneFormatted: 0.02, phoneNumberCell: 0.03, landlineOnly: 0.01, phoneMissing: 0.015,
	dateTextFormat: 0.03, dateSerial: 0.02, birthMismatch: 0.008,
}

// mustCover are the cell defects every inbox has at least once in its surveys, whatever its size.
var mustCover = []defect{idExcelDamaged, id15, idLowerX, idSpaces, idBadCheck, idMissing, fullwidthDigits,
	nameSpaces, traditionalChars, middleDotVariant, dateTextFormat, dateSerial, birthMismatch,
	phonePlus86, phoneFormatted, phoneNumberCell, landlineOnly, phoneMissing}

type surveyRow struct {
	p      *person
	set    defectSet
	status string // 在深 / 已返乡 / 已迁出
	remark string
}

type surveySheet struct {
	name    string // "" for CSV
	month   time.Time
	rows    []surveyRow
	summary []*surveySheet // for the 汇总 sheet: the month sheets it counts
}

type surveyFile struct {
	rel    string
	c      *community
	layout surveyLayout
	sheets []*surveySheet
	filled time.Time // 填表日期
}

// planSurveys decides every survey row and its defects, and adds one job per survey file.
func (g *generator) planSurveys() {
	rng := g.rng
	latest := g.latestMonth
	prev := latest.AddDate(0, -1, 0)
	var files []*surveyFile
	var latestSheets []*surveySheet
	for _, c := range g.communities {
		var members []*person
		for _, p := range g.persons {
			if p.community == c.index {
				members = append(members, p)
			}
		}
		order := shuffled(rng, len(members))
		var base, added []surveyRow
		for _, i := range order {
			p := members[i]
			r := surveyRow{p: p, status: "在深"}
			if p.Left {
				r.status = p.leftStatus
				r.remark = oneOf(rng, []string{"", strconv.Itoa(int(p.leftDate.Month())) + "月" + strings.TrimPrefix(p.leftStatus, "已"), "本人电话告知"})
			}
			switch {
			case p.prevCommunity >= 0:
				r.remark = "由" + g.communities[p.prevCommunity].name + "迁入"
				added = append(added, r)
			case p.newInLatest:
				r.remark = oneOf(rng, []string{"新增", "本月新增", ""})
				added = append(added, r)
			default:
				if p.oldPhone != "" && c.layout.hasPrevious {
					r.remark = oneOf(rng, []string{"电话变更", "", "更换手机号"})
				}
				base = append(base, r)
			}
		}
		latestRows := append(append([]surveyRow(nil), base...), added...)
		latestSheet := &surveySheet{month: latest, rows: latestRows}
		latestSheets = append(latestSheets, latestSheet)
		var prevSheet *surveySheet
		if c.layout.hasPrevious {
			prevSheet = &surveySheet{month: prev}
			for _, r := range base {
				r.status, r.remark = "在深", ""
				if r.p.oldPhone != "" {
					r.set.add(phoneStale)
				}
				prevSheet.rows = append(prevSheet.rows, r)
			}
			var ins []insertion[surveyRow]
			for _, p := range g.persons {
				if p.prevCommunity == c.index {
					r := surveyRow{p: p, status: "在深"}
					r.set.add(movedAway)
					if p.oldPhone != "" {
						r.set.add(phoneStale)
					}
					ins = append(ins, insertion[surveyRow]{at: rng.IntN(len(prevSheet.rows) + 1), row: r})
				}
			}
			prevSheet.rows = insertRows(prevSheet.rows, ins)
		}
		lay := c.layout
		switch {
		case lay.monthSheets:
			f := &surveyFile{rel: "surveys/" + lay.name(c.name, latest), c: c, layout: lay, filled: g.fillDate(rng, latest)}
			prevSheet.name = monthSheetName(prev)
			latestSheet.name = monthSheetName(latest)
			f.sheets = []*surveySheet{prevSheet, latestSheet, {name: "汇总", summary: []*surveySheet{prevSheet, latestSheet}}}
			files = append(files, f)
		case lay.hasPrevious:
			prevSheet.name, latestSheet.name = "Sheet1", "Sheet1"
			files = append(files,
				&surveyFile{rel: "surveys/" + lay.name(c.name, prev), c: c, layout: lay, sheets: []*surveySheet{prevSheet}, filled: g.fillDate(rng, prev)},
				&surveyFile{rel: "surveys/" + lay.name(c.name, latest), c: c, layout: lay, sheets: []*surveySheet{latestSheet}, filled: g.fillDate(rng, latest)})
		default:
			if !lay.csv {
				latestSheet.name = oneOf(rng, []string{"Sheet1", "摸排表", monthSheetName(latest)})
			}
			files = append(files, &surveyFile{rel: "surveys/" + lay.name(c.name, latest), c: c, layout: lay, sheets: []*surveySheet{latestSheet}, filled: g.fillDate(rng, latest)})
		}
	}
	g.addDuplicatesAndNoNames(rng, latestSheets)

	// Defects, then the guarantee that every kind appears.
	var all []*surveyRow
	var fileOf []*surveyFile
	for _, f := range files {
		for _, s := range f.sheets {
			for i := range s.rows {
				r := &s.rows[i]
				lay := f.layout
				all = append(all, r)
				fileOf = append(fileOf, f)
				if r.set.has(noName) {
					continue // a row without a name keeps its ID intact, so it still points at someone
				}
				keep := r.set
				r.set = surveyRates.draw(rng, func(d defect) bool { return lay.tmpl.allows(d, r.p, lay.csv) })
				r.set |= keep
				if r.p.homophoneIn == "survey" {
					r.set = withoutGroup(r.set, nameGroup)
					r.set.add(homophone)
				}
				if r.set.has(phoneStale) {
					r.set = withoutGroup(r.set, phoneGroup)
				}
			}
		}
	}
	for _, d := range mustCover {
		ensureDefect(rng, d, len(all), func(i int) *defectSet {
			r := all[i]
			if r.set.has(noName) || !fileOf[i].layout.tmpl.allows(d, r.p, fileOf[i].layout.csv) {
				return nil
			}
			return &r.set
		})
	}

	for _, f := range files {
		f := f
		size := 0
		for _, s := range f.sheets {
			size += len(s.rows)
		}
		g.addJob(File{Path: f.rel, Kind: "survey", Sheets: len(f.sheets)}, f.filled, size, func(j *jobCtx) error {
			return g.writeSurvey(j, f)
		})
	}
}

func monthSheetName(m time.Time) string { y, mo, _ := ym(m); return y + "年" + mo + "月" }

// fillDate is the 填表日期 of a month's survey: late in the month, never after Today.
func (g *generator) fillDate(rng *rand.Rand, month time.Time) time.Time {
	d := month.AddDate(0, 0, between(rng, 17, 26))
	if !d.Before(g.today) {
		d = g.today.AddDate(0, 0, -1)
	}
	return d
}

// addDuplicatesAndNoNames lists about 1.5% of members twice in the same latest sheet, and adds rows that lost
// the name (about one per 200 members) as copies of a member listed properly elsewhere in the sheet.
func (g *generator) addDuplicatesAndNoNames(rng *rand.Rand, sheets []*surveySheet) {
	var nonEmpty []*surveySheet
	for _, s := range sheets {
		if len(s.rows) > 0 {
			nonEmpty = append(nonEmpty, s)
		}
	}
	if len(nonEmpty) == 0 {
		return
	}
	ins := make(map[*surveySheet][]insertion[surveyRow])
	dup := func(s *surveySheet, i int) {
		r := surveyRow{p: s.rows[i].p, status: s.rows[i].status, remark: oneOf(rng, []string{"", "", "重复"})}
		r.set.add(duplicateRow)
		ins[s] = append(ins[s], insertion[surveyRow]{at: between(rng, i+1, len(s.rows)), row: r})
	}
	for _, s := range nonEmpty {
		for i := range s.rows {
			if chance(rng, 0.015) {
				dup(s, i)
			}
		}
	}
	if len(ins) == 0 {
		s := nonEmpty[0]
		dup(s, rng.IntN(len(s.rows)))
	}
	for range max(1, int(math.Round(float64(len(g.persons))/200))) {
		s := oneOf(rng, nonEmpty)
		src := oneOf(rng, s.rows)
		r := surveyRow{p: src.p, status: src.status, remark: oneOf(rng, []string{"", "姓名待补充", "待核实"})}
		r.set.add(noName)
		ins[s] = append(ins[s], insertion[surveyRow]{at: rng.IntN(len(s.rows) + 1), row: r})
	}
	for _, s := range nonEmpty {
		s.rows = insertRows(s.rows, ins[s])
	}
}

// insertion puts row before the original row at (len(rows) appends).
type insertion[T any] struct {
	at  int
	row T
}

// insertRows applies all insertions in one pass, so that inserting thousands of rows stays linear.
func insertRows[T any](rows []T, ins []insertion[T]) []T {
	if len(ins) == 0 {
		return rows
	}
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].at < ins[j].at })
	out := make([]T, 0, len(rows)+len(ins))
	k := 0
	for i := 0; i <= len(rows); i++ {
		for k < len(ins) && ins[k].at == i {
			out = append(out, ins[k].row)
			k++
		}
		if i < len(rows) {
			out = append(out, rows[i])
		}
	}
	return out
}

func withoutGroup(s defectSet, group []defect) defectSet {
	for _, d := range group {
		s &^= 1 << d
	}
	return s
}

// ensureDefect makes sure at least one of n rows has d: if none has it, the first row (from a random start)
// that allows it and has no other defect of d's group gets it. at returns nil for a row that cannot take d.
func ensureDefect(rng *rand.Rand, d defect, n int, at func(int) *defectSet) {
	if n == 0 {
		return
	}
	for i := range n {
		if s := at(i); s != nil && s.has(d) {
			return
		}
	}
	start := rng.IntN(n)
	for k := range n {
		if s := at((start + k) % n); s != nil && s.free(d) {
			s.add(d)
			return
		}
	}
}

// writeSurvey writes one survey file and returns a record per data row.
func (g *generator) writeSurvey(j *jobCtx, f *surveyFile) error {
	if f.layout.csv {
		tb, err := newCSVTable(j.abs, f.layout.enc)
		if err != nil {
			return err
		}
		err = g.writeSurveySheet(j, tb, f, f.sheets[0])
		if cerr := tb.close(); err == nil {
			err = cerr
		}
		return err
	}
	wb, err := newWorkbook(j.when, g.officeAuthor(j.rng))
	if err != nil {
		return err
	}
	for _, s := range f.sheets {
		tb, err := wb.sheet(s.name)
		if err != nil {
			return err
		}
		if s.summary != nil {
			err = writeSurveySummary(tb, s.summary, f.c.name)
		} else {
			err = g.writeSurveySheet(j, tb, f, s)
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", s.name, err)
		}
		if err := wb.closeSheet(); err != nil {
			return err
		}
	}
	return wb.save(j.abs)
}

func (g *generator) writeSurveySheet(j *jobCtx, tb table, f *surveyFile, s *surveySheet) error {
	t := f.layout.tmpl
	rng := j.rng
	c := f.c
	title := g.opts.Street + c.name + "流动党员摸排登记表"
	if f.layout.monthSheets {
		title += "（" + monthSheetName(s.month) + "）"
	}
	end := s.month.AddDate(0, 1, -1)
	subtitle := "填报单位：" + c.name + "党委（盖章）                统计截止：" + chineseDate(end)
	if _, err := writeHead(tb, t, title, subtitle); err != nil {
		return err
	}
	vals := make([]any, len(t.cols))
	seq := 0
	for i := range s.rows {
		r := &s.rows[i]
		if t.blanks && i > 0 && rng.IntN(40) == 0 {
			if err := tb.skip(1); err != nil {
				return err
			}
		}
		seq++
		cl := newCells(rng, tb, t, r.p, r.set)
		for k, col := range t.cols {
			if v, ok := cl.common(col); ok {
				vals[k] = v
				continue
			}
			switch col.field {
			case fSeq:
				vals[k] = seq
			case fAddress:
				a := r.p.Address
				if r.set.has(movedAway) {
					a = r.p.oldAddress
				}
				vals[k] = addressVariant(rng, a)
			case fEmployer:
				vals[k] = r.p.Employer
			case fCommunity:
				vals[k] = c.name
			case fStatus:
				vals[k] = r.status
			case fRemark:
				vals[k] = r.remark
			case fVolunteerYN:
				vals[k] = oneOf(rng, []string{"是", "否", "否"})
			default:
				vals[k] = nil
			}
		}
		row, err := tb.row(styleData, vals...)
		if err != nil {
			return err
		}
		j.record(s.name, row, cl)
	}
	if t.footer {
		filled := f.filled
		if f.layout.monthSheets && s.month.Before(g.latestMonth) {
			filled = g.fillDate(rng, s.month) // the older month's sheet was filled in that month
		}
		if err := writeFooter(tb, t, hanName(rng, chance(rng, 0.4)), hanName(rng, chance(rng, 0.6)), chineseDate(filled)); err != nil {
			return err
		}
	}
	return nil
}

// addressVariant drops or adds the city prefix the way different clerks do; it is not a defect.
func addressVariant(rng *rand.Rand, a string) string {
	switch x := rng.IntN(10); {
	case x < 2:
		return strings.TrimPrefix(a, "龙岗区")
	case x < 4:
		return "深圳市" + a
	}
	return a
}

// writeSurveySummary writes the 汇总 sheet: counts per month sheet.
func writeSurveySummary(tb table, months []*surveySheet, community string) error {
	if err := tb.widths([]float64{14, 10, 10, 10, 10}); err != nil {
		return err
	}
	r, err := tb.row(styleTitle, community+"流动党员摸排情况汇总")
	if err != nil {
		return err
	}
	if err := tb.merge(1, r, 5, r); err != nil {
		return err
	}
	if _, err := tb.row(styleHeader, "月份", "在深", "已返乡", "已迁出", "合计"); err != nil {
		return err
	}
	for _, m := range months {
		count := map[string]int{}
		seen := map[string]bool{}
		for _, r := range m.rows {
			if r.set.has(noName) || seen[r.p.PersonID] {
				continue
			}
			seen[r.p.PersonID] = true
			count[r.status]++
		}
		total := count["在深"] + count["已返乡"] + count["已迁出"]
		if _, err := tb.row(styleData, monthSheetName(m.month), count["在深"], count["已返乡"], count["已迁出"], total); err != nil {
			return err
		}
	}
	return nil
}
