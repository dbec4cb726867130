package sampledata

import (
	"math/rand/v2"
	"time"
)

// counsellor is a 辅导员: a member of the community Party committee paired with mobile members.
type counsellor struct {
	name, title, phone string
}

func (k *counsellor) cell(f field) string {
	switch f {
	case fCounsellorTitle:
		return k.title
	case fCounsellorPhone:
		return k.phone
	}
	return k.name
}

// pairing is one row of a 辅导员结对表.
type pairing struct {
	p    *person
	k    *counsellor
	date time.Time
	set  defectSet
}

var counsellorRates = rates{
	idExcelDamaged: 0.02, idLowerX: 0.3, fullwidthDigits: 0.005,
	nameSpaces: 0.02, traditionalChars: 0.005, middleDotVariant: 0.3,
	dateTextFormat: 0.02, dateSerial: 0.01,
}

// counsellorFile is one community's pairing table.
type counsellorFile struct {
	rel  string
	c    *community
	tmpl *template
	rows []pairing
	date time.Time
}

// planCounsellors gives each community a committee (书记, 副书记, 委员; about one counsellor per 12 members)
// and pairs about 92% of its members, the ones who left included (they were paired before leaving).
func (g *generator) planCounsellors() {
	rng := g.rng
	yearStart := day(g.today.Year(), 1, 1)
	for _, c := range g.communities {
		var members []*person
		for _, p := range g.persons {
			if p.community == c.index {
				members = append(members, p)
			}
		}
		n := max(4, len(members)/12)
		for i := range n {
			title := "委员"
			switch {
			case i == 0:
				title = "社区党委书记"
			case i <= 1+n/8:
				title = "社区党委副书记"
			}
			c.counsellors = append(c.counsellors, &counsellor{name: hanName(rng, chance(rng, 0.55)), title: title, phone: g.phones.mobile(rng)})
		}
		f := &counsellorFile{rel: "counsellors/" + c.name + "_流动党员辅导员结对表.xlsx", c: c, tmpl: counsellorK1}
		if c.index%2 == 1 {
			f.tmpl = counsellorK2
		}
		byK := make([][]pairing, n)
		for _, p := range members {
			if !chance(rng, 0.92) {
				continue
			}
			k := rng.IntN(n)
			from := yearStart
			if o := p.outflow.AddDate(0, 1, 0); o.After(from) {
				from = o
			}
			pr := pairing{p: p, k: c.counsellors[k], date: randomDay(rng, from, g.today.AddDate(0, 0, -14))}
			p.Counsellor = pr.k.name
			pr.set = counsellorRates.draw(rng, func(d defect) bool { return f.tmpl.allows(d, p, false) })
			byK[k] = append(byK[k], pr)
		}
		for _, rows := range byK {
			f.rows = append(f.rows, rows...)
		}
		f.date = g.today.AddDate(0, 0, -between(rng, 5, 12))
		c.pairings = f
		jb := g.addJob(File{Path: f.rel, Kind: "counsellor", Sheets: 1}, f.date, len(f.rows), func(j *jobCtx) error {
			return g.writeCounsellors(j, f)
		})
		jb.facts = func(t *Truth, rows []Entry) {
			for i := range rows {
				r := &f.rows[i]
				t.Pairings = append(t.Pairings, Pairing{Entry: rows[i], Counsellor: r.k.name, Post: r.k.title,
					CounsellorPhone: r.k.phone, From: g.isoDate(r.date)})
			}
		}
	}
}

func (g *generator) writeCounsellors(j *jobCtx, f *counsellorFile) error {
	rng := j.rng
	wb, err := newWorkbook(j.when, g.officeAuthor(rng))
	if err != nil {
		return err
	}
	sheet := "结对表"
	tb, err := wb.sheet(sheet)
	if err != nil {
		return err
	}
	t := f.tmpl
	if _, err := writeHead(tb, t, g.opts.Street+f.c.name+"流动党员辅导员结对表", ""); err != nil {
		return err
	}
	vals := make([]any, len(t.cols))
	merged := t == counsellorK2
	start := 0
	var last *counsellor
	var lastRow int
	flush := func(end int) error {
		// Merge the counsellor's three cells down over their members, as offices do in K2.
		if merged && last != nil && end > start {
			for col := 1; col <= 3; col++ {
				if err := tb.merge(col, start, col, end); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i := range f.rows {
		r := &f.rows[i]
		cl := newCells(rng, tb, t, r.p, r.set)
		first := r.k != last
		for k, col := range t.cols {
			if v, ok := cl.common(col); ok {
				vals[k] = v
				continue
			}
			vals[k] = nil
			switch col.field {
			case fSeq:
				vals[k] = i + 1
			case fCounsellor, fCounsellorTitle, fCounsellorPhone:
				if merged && !first {
					continue
				}
				vals[k] = r.k.cell(col.field)
			case fPairDate:
				vals[k] = cl.date(r.date, col.date)
			case fRemark:
				if r.p.Left {
					vals[k] = oneOf(rng, []string{"已返乡", "", "已离开本社区"})
				}
			}
		}
		row, err := tb.row(styleData, vals...)
		if err != nil {
			return err
		}
		if first {
			if err := flush(lastRow); err != nil {
				return err
			}
			start, last = row, r.k
		}
		lastRow = row
		j.record(sheet, row, cl)
	}
	if err := flush(lastRow); err != nil {
		return err
	}
	return wb.save(j.abs)
}

// counsellorName is how a visit record names the counsellor: the name, or 王书记 for the secretaries.
func counsellorName(rng *rand.Rand, k *counsellor) string {
	if k.title != "委员" && chance(rng, 0.2) {
		return string([]rune(k.name)[:1]) + "书记"
	}
	return k.name
}
