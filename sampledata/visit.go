package sampledata

import (
	"sort"
	"strconv"
	"time"
)

// visit is one row of a 走访记录.
type visit struct {
	p    *person
	k    *counsellor
	date time.Time
	way  string
	note string
	set  defectSet
}

var visitRates = rates{
	nameSpaces: 0.02, traditionalChars: 0.005, middleDotVariant: 0.3,
	phoneFormatted: 0.02, phoneMissing: 0.05, phonePlus86: 0.005,
	dateTextFormat: 0.02, dateSerial: 0.01,
}

var (
	visitWays  = []string{"入户走访", "电话联系", "微信视频", "到企业走访", "约谈"}
	visitNotes = []string{
		"了解近期工作生活情况，宣传党的政策",
		"提醒按时交纳党费，通报支部近期活动安排",
		"了解家庭困难，协调解决子女入学问题",
		"本人在外地出差，电话沟通，情况正常",
		"送学上门，学习党的二十届四中全会精神",
		"了解思想动态，鼓励参加志愿服务",
		"节日慰问，了解身体状况",
		"核实居住地址及联系方式",
		"动员参加主题党日活动",
		"宣传流动党员“双向共管”工作，发放党员联系卡",
	}
)

// visitFile is one community's visit records for the year.
type visitFile struct {
	rel      string
	c        *community
	tmpl     *template
	quarters bool // one sheet per quarter (W2)
	rows     []visit
	date     time.Time
}

// planVisits gives most paired members two to four visits this year, some one, some none (the ones the
// pipeline must flag), all before Today; members who left are visited only before they left.
func (g *generator) planVisits() {
	rng := g.rng
	yearStart := day(g.today.Year(), 1, 1)
	last := g.today.AddDate(0, 0, -1)
	for _, c := range g.communities {
		pf := c.pairings
		f := &visitFile{rel: "visits/" + c.name + "_" + strconv.Itoa(g.today.Year()) + "年辅导员走访记录.xlsx", c: c, tmpl: visitW1}
		if c.index%2 == 1 {
			f.tmpl, f.quarters = visitW2, true
		}
		for i := range pf.rows {
			pr := &pf.rows[i]
			n := between(rng, 2, 4)
			switch x := rng.Float64(); {
			case x < 0.08:
				n = 0
			case x < 0.2:
				n = 1
			}
			to := last
			if u := pr.p.activeUntil; !u.IsZero() && u.Before(to) {
				to = u // no contact since they left or were lost
			}
			from := yearStart
			if pr.date.Before(to) && pr.date.After(from) && chance(rng, 0.5) {
				from = pr.date
			}
			if to.Before(from) {
				continue
			}
			for range n {
				v := visit{p: pr.p, k: pr.k, date: randomDay(rng, from, to), way: oneOf(rng, visitWays), note: oneOf(rng, visitNotes)}
				v.set = visitRates.draw(rng, func(d defect) bool { return f.tmpl.allows(d, v.p, false) })
				f.rows = append(f.rows, v)
			}
		}
		sort.SliceStable(f.rows, func(a, b int) bool { return f.rows[a].date.Before(f.rows[b].date) })
		f.date = last
		sheets := 1
		if f.quarters {
			sheets = quarterOf(last)
		}
		jb := g.addJob(File{Path: f.rel, Kind: "visit", Sheets: sheets}, f.date, len(f.rows), func(j *jobCtx) error {
			return g.writeVisits(j, f)
		})
		jb.facts = func(t *Truth, rows []Entry) {
			for i := range rows {
				v := &f.rows[i]
				v.p.contacted(&rows[i], v.date)
				t.Visits = append(t.Visits, Visit{Entry: rows[i], Counsellor: v.k.name, Date: g.isoDate(v.date)})
			}
		}
	}
}

func quarterOf(t time.Time) int { return (int(t.Month())-1)/3 + 1 }

var quarterNames = []string{"第一季度", "第二季度", "第三季度", "第四季度"}

func (g *generator) writeVisits(j *jobCtx, f *visitFile) error {
	rng := j.rng
	wb, err := newWorkbook(j.when, g.officeAuthor(rng))
	if err != nil {
		return err
	}
	t := f.tmpl
	sheets := 1
	if f.quarters {
		sheets = quarterOf(g.today.AddDate(0, 0, -1))
	}
	k := 0
	for q := 1; q <= sheets; q++ {
		name := "走访记录"
		if f.quarters {
			name = quarterNames[q-1]
		}
		tb, err := wb.sheet(name)
		if err != nil {
			return err
		}
		if _, err := writeHead(tb, t, g.opts.Street+f.c.name+"流动党员辅导员走访记录表", ""); err != nil {
			return err
		}
		vals := make([]any, len(t.cols))
		seq := 0
		for ; k < len(f.rows) && (!f.quarters || quarterOf(f.rows[k].date) == q); k++ {
			v := &f.rows[k]
			seq++
			cl := newCells(rng, tb, t, v.p, v.set)
			for c, col := range t.cols {
				if x, ok := cl.common(col); ok {
					vals[c] = x
					continue
				}
				switch col.field {
				case fSeq:
					vals[c] = seq
				case fCounsellor:
					vals[c] = counsellorName(rng, v.k)
				case fVisitDate:
					vals[c] = cl.date(v.date, col.date)
				case fVisitWay:
					vals[c] = v.way
				case fVisitNote:
					vals[c] = v.note
				default:
					vals[c] = nil
				}
			}
			row, err := tb.row(styleData, vals...)
			if err != nil {
				return err
			}
			j.record(name, row, cl)
		}
		if err := wb.closeSheet(); err != nil {
			return err
		}
	}
	return wb.save(j.abs)
}
