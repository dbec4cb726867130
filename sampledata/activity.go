package sampledata

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"
)

// event is one activity a community (or 同心社区's 流动党员临时党支部) held; the 党员联系卡 records who attended.
type event struct {
	date    time.Time
	typ     string
	content string
	hours   float64
	place   string
	signer  string
}

// eventKinds are the activity types with how many a year and how long: 三会一课, 主题党日 (monthly), 理论学习,
// 志愿服务, 技能培训, and the patrols and epidemic duty communities also count.
var eventKinds = []struct {
	typ      string
	perYear  int
	hours    []float64
	contents []string
}{
	{"支部党员大会", 4, []float64{2}, []string{"季度党员大会：通报支部工作，讨论发展党员", "季度党员大会：民主评议党员"}},
	{"支委会", 4, []float64{1.5}, []string{"研究流动党员管理服务工作", "研究季度活动计划"}},
	{"党小组会", 12, []float64{1, 1.5}, []string{"党小组学习讨论", "交流工作生活情况，开展批评与自我批评"}},
	{"党课", 4, []float64{2}, []string{"书记讲党课：流动不流失，离乡不离党", "专题党课：学习新修订的《中国共产党纪律处分条例》", "党课：传承红色基因"}},
	{"主题党日", 12, []float64{2, 2.5, 3}, []string{"主题党日：重温入党誓词", "主题党日：参观东江纵队纪念馆", "主题党日：观看《榜样》专题节目", "主题党日：社区环境整治"}},
	{"理论学习", 12, []float64{1.5, 2}, []string{"学习习近平新时代中国特色社会主义思想", "学习党的二十届四中全会精神", "学习《中国共产党章程》"}},
	{"志愿服务", 36, []float64{2, 3, 4}, []string{"社区环境清洁志愿服务", "交通劝导志愿服务", "关爱独居老人探访", "垃圾分类督导", "文明城市创建宣传"}},
	{"技能培训", 4, []float64{3, 4}, []string{"电工技能培训", "消防安全知识培训", "电商直播技能培训"}},
	{"疫情防控", 1, []float64{4}, []string{"协助社区开展传染病防控宣传"}},
	{"治安巡防", 24, []float64{3}, []string{"夜间治安巡防", "出租屋安全隐患排查"}},
}

var volunteerItems = []string{"社区环境清洁", "交通劝导", "关爱老人探访", "文明创建宣传", "垃圾分类督导", "图书馆整理", "义诊协助", "防溺水宣传"}

var activityRates = rates{
	idExcelDamaged: 0.01, idLowerX: 0.3, fullwidthDigits: 0.005,
	nameSpaces: 0.01, traditionalChars: 0.005, middleDotVariant: 0.3,
	phonePlus86: 0.01, phoneFormatted: 0.02, phoneNumberCell: 0.03,
	dateTextFormat: 0.01, dateSerial: 0.01,
}

// attendance is a contact-card row: a person at an event.
type attendance struct {
	p   *person
	e   *event
	set defectSet
}

type activityFile struct {
	rel  string
	c    *community
	tmpl *template
	csv  bool
	rows []attendance
	date time.Time
}

// volunteerEntry is a row of the 爱心存折 (volunteer hours booklet).
type volunteerEntry struct {
	p     *person
	no    string // 义工号
	date  time.Time
	item  string
	hours float64
	place string
	set   defectSet
}

// planActivities creates each community's events over the last twelve months and who attended them. About 8%
// of the members found have nothing in the last six months (the 失联 case); members who left stop attending.
func (g *generator) planActivities() {
	rng := g.rng
	from := g.today.AddDate(-1, 0, 0)
	last := g.today.AddDate(0, 0, -1)
	lost := g.today.AddDate(0, -6, 0)
	unknownLeft := max(2, int(math.Round(float64(len(g.persons))/300)))
	unknownEach := max(1, (unknownLeft+len(g.communities)-1)/len(g.communities))
	var files []*activityFile
	for _, c := range g.communities {
		c.events = g.makeEvents(rng, c, from, last)
		f := &activityFile{c: c, date: last} // kept up to date: the last entry is yesterday's
		y := strconv.Itoa(g.today.Year())
		switch {
		case c.index == 2:
			f.tmpl, f.csv = activityA3, true
			f.rel = "activities/" + c.name + "_党员活动登记_" + y + ".csv"
		case c.index == 0:
			f.tmpl = activityA1
			f.rel = "activities/" + c.name + "流动党员临时党支部_党员联系卡活动记录.xlsx"
		case c.index%2 == 0:
			f.tmpl = activityA1
			f.rel = "activities/" + c.name + "_党员联系卡活动记录（" + y + "年）.xlsx"
		default:
			f.tmpl = activityA2
			f.rel = "activities/" + c.name + "党员活动签到汇总.xlsx"
		}
		for _, p := range g.persons {
			if p.community != c.index {
				continue
			}
			k := 0
			switch x := rng.Float64(); {
			case x < 0.1:
			case x < 0.35:
				k = between(rng, 1, 2)
			case x < 0.75:
				k = between(rng, 3, 5)
			default:
				k = between(rng, 6, 8)
			}
			until := last
			if p.Left {
				until = p.leftDate
			} else if chance(rng, 0.08) {
				until = lost // 失联: nothing in the last six months
				p.LostContact = true
			}
			p.activeUntil = until
			chosen := make([]int, 0, 8)
			for range k * 3 {
				if len(chosen) == k || len(c.events) == 0 {
					break
				}
				i := rng.IntN(len(c.events))
				if c.events[i].date.After(until) || slices.Contains(chosen, i) {
					continue
				}
				chosen = append(chosen, i)
				f.rows = append(f.rows, attendance{p: p, e: c.events[i]})
			}
		}
		if len(c.events) > 0 && unknownLeft > 0 {
			for range min(unknownLeft, unknownEach) {
				a := attendance{p: g.unknownPerson(rng), e: oneOf(rng, c.events)}
				a.set.add(unknownPerson)
				f.rows = append(f.rows, a)
				unknownLeft--
			}
		}
		sort.SliceStable(f.rows, func(a, b int) bool { return f.rows[a].e.date.Before(f.rows[b].e.date) })
		files = append(files, f)
	}

	// Defects, then duplicates: the same attendance entered twice.
	dups := 0
	for _, f := range files {
		var dupIns []insertion[attendance]
		for i := range f.rows {
			a := &f.rows[i]
			if !a.set.has(unknownPerson) {
				a.set = activityRates.draw(rng, func(d defect) bool { return f.tmpl.allows(d, a.p, f.csv) })
			}
			if a.p.PersonID != "" && (chance(rng, 0.005) || dups == 0 && f.c.index == 0 && i == len(f.rows)/2) {
				d := attendance{p: a.p, e: a.e, set: a.set}
				d.set.add(duplicateRow)
				dupIns = append(dupIns, insertion[attendance]{at: min(len(f.rows), i+1+rng.IntN(3)), row: d})
				dups++
			}
		}
		f.rows = insertRows(f.rows, dupIns)
		f := f
		jb := g.addJob(File{Path: f.rel, Kind: "activity", Sheets: 1}, f.date, len(f.rows), func(j *jobCtx) error {
			return g.writeActivities(j, f)
		})
		jb.facts = func(t *Truth, rows []Entry) {
			for i := range rows {
				a := &f.rows[i]
				a.p.contacted(&rows[i], a.e.date)
				t.Activities = append(t.Activities, Activity{Entry: rows[i], Date: g.isoDate(a.e.date), Type: a.e.typ,
					Hours: a.e.hours, Content: a.e.content, SignedBy: a.e.signer})
			}
		}
	}
	g.planVolunteers(from, last)
}

// makeEvents spreads each kind's events over the year: 主题党日 on a fixed day each month, the others at random.
func (g *generator) makeEvents(rng *rand.Rand, c *community, from, to time.Time) []*event {
	signer := "（未签）"
	if len(c.counsellors) > 0 {
		signer = c.counsellors[0].name
	}
	places := []string{c.name + "党群服务中心", g.opts.Street + "党群服务中心", c.name + "党委会议室"}
	if c.index == 0 {
		places = []string{c.name + "流动党员临时党支部活动室", c.name + "党群服务中心"}
	}
	fixedDay := between(rng, 5, 20)
	var out []*event
	for _, k := range eventKinds {
		for i := range k.perYear {
			var d time.Time
			if k.typ == "主题党日" {
				m := from.AddDate(0, i+1, 0)
				d = day(m.Year(), m.Month(), fixedDay)
				if d.After(to) {
					continue
				}
			} else {
				d = randomDay(rng, from, to)
			}
			e := &event{date: d, typ: k.typ, content: oneOf(rng, k.contents), hours: oneOf(rng, k.hours),
				place: oneOf(rng, places), signer: signer}
			if k.typ == "志愿服务" || k.typ == "治安巡防" {
				e.place = c.name + oneOf(rng, []string{"辖区", "党群服务中心", "主干道", "公园"})
			}
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].date.Before(out[b].date) })
	return out
}

// unknownPerson is someone who attended but is no mobile member: a local member (region 440307, 龙岗区) whose
// ID no generated person can have.
func (g *generator) unknownPerson(rng *rand.Rand) *person {
	male := chance(rng, 0.6)
	p := &person{male: male, surnameLen: 1, community: -1, prevCommunity: -1}
	p.Name = hanName(rng, male)
	p.birth = randomDay(rng, day(1965, 1, 1), day(1995, 12, 31))
	seq := rng.IntN(500) * 2
	if male {
		seq++
	}
	p.IDNumber = makeID("440307", p.birth, seq)
	p.Phone = g.phones.mobile(rng)
	return p
}

func (g *generator) writeActivities(j *jobCtx, f *activityFile) error {
	rng := j.rng
	var tb table
	var wb *workbook
	var ct *csvTable
	sheet := ""
	var err error
	if f.csv {
		if ct, err = newCSVTable(j.abs, csvGBK); err != nil {
			return err
		}
		tb = ct
	} else {
		if wb, err = newWorkbook(j.when, g.officeAuthor(rng)); err != nil {
			return err
		}
		sheet = "活动记录"
		if tb, err = wb.sheet(sheet); err != nil {
			return err
		}
	}
	t := f.tmpl
	title := f.c.name + "党员联系卡活动登记表"
	if f.c.index == 0 {
		title = f.c.name + "流动党员临时党支部党员联系卡活动登记表"
	}
	if _, err := writeHead(tb, t, title, ""); err != nil {
		return err
	}
	vals := make([]any, len(t.cols))
	for i := range f.rows {
		a := &f.rows[i]
		cl := newCells(rng, tb, t, a.p, a.set)
		for k, col := range t.cols {
			if v, ok := cl.common(col); ok {
				vals[k] = v
				continue
			}
			switch col.field {
			case fSeq:
				vals[k] = i + 1
			case fActDate:
				vals[k] = cl.date(a.e.date, col.date)
			case fActType:
				vals[k] = a.e.typ
			case fActContent:
				vals[k] = a.e.content
			case fHours:
				vals[k] = a.e.hours
			case fPlace:
				vals[k] = a.e.place
			case fSigner:
				vals[k] = a.e.signer
			case fRemark:
				vals[k] = ""
				if a.e.typ == "志愿服务" && chance(rng, 0.2) {
					vals[k] = "计入爱心存折"
				}
			default:
				vals[k] = nil
			}
		}
		row, err := tb.row(styleData, vals...)
		if err != nil {
			return err
		}
		j.record(sheet, row, cl)
	}
	if f.csv {
		return ct.close()
	}
	return wb.save(j.abs)
}

// planVolunteers registers about a third of the members still here as volunteers (义工号) and writes the
// street's 爱心存折 workbook: one sheet per community.
func (g *generator) planVolunteers(from, to time.Time) {
	rng := g.rng
	type sheet struct {
		name string
		rows []volunteerEntry
	}
	var sheets []*sheet
	for _, c := range g.communities {
		s := &sheet{name: c.name}
		for _, p := range g.persons {
			if p.community != c.index || p.Left || !chance(rng, 0.35) {
				continue
			}
			end := to
			if p.activeUntil.Before(end) {
				end = p.activeUntil
			}
			no := "44030" + pad6(rng.IntN(1000000))
			for range between(rng, 1, 5) {
				e := volunteerEntry{p: p, no: no, date: randomDay(rng, from, end), item: oneOf(rng, volunteerItems),
					hours: float64(between(rng, 2, 8)) / 2, place: c.name + oneOf(rng, []string{"党群服务中心", "辖区", "公园", "学校门口"})}
				e.set = activityRates.draw(rng, func(d defect) bool { return volunteerV1.allows(d, p, false) })
				s.rows = append(s.rows, e)
			}
		}
		sort.SliceStable(s.rows, func(a, b int) bool { return s.rows[a].date.Before(s.rows[b].date) })
		if len(s.rows) > 0 {
			sheets = append(sheets, s)
		}
	}
	if len(sheets) == 0 {
		return
	}
	rel := "activities/" + g.opts.Street + "义工服务时长统计（爱心存折）.xlsx"
	size := 0
	for _, s := range sheets {
		size += len(s.rows)
	}
	jb := g.addJob(File{Path: rel, Kind: "activity", Sheets: len(sheets)}, to, size, func(j *jobCtx) error {
		wb, err := newWorkbook(j.when, g.officeAuthor(j.rng))
		if err != nil {
			return err
		}
		t := volunteerV1
		for _, s := range sheets {
			tb, err := wb.sheet(s.name)
			if err != nil {
				return err
			}
			if _, err := writeHead(tb, t, "", ""); err != nil {
				return err
			}
			vals := make([]any, len(t.cols))
			for i := range s.rows {
				e := &s.rows[i]
				cl := newCells(j.rng, tb, t, e.p, e.set)
				for k, col := range t.cols {
					if v, ok := cl.common(col); ok {
						vals[k] = v
						continue
					}
					switch col.field {
					case fSeq:
						vals[k] = i + 1
					case fVolunteerNo:
						vals[k] = e.no
					case fActDate:
						vals[k] = cl.date(e.date, col.date)
					case fActContent:
						vals[k] = e.item
					case fHours:
						vals[k] = e.hours
					case fPlace:
						vals[k] = e.place
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
			if err := wb.closeSheet(); err != nil {
				return err
			}
		}
		return wb.save(j.abs)
	})
	jb.facts = func(t *Truth, rows []Entry) {
		i := 0
		for _, s := range sheets {
			for k := range s.rows {
				e := &s.rows[k]
				e.p.contacted(&rows[i], e.date)
				t.Activities = append(t.Activities, Activity{Entry: rows[i], Date: g.isoDate(e.date), Type: "志愿服务",
					Hours: e.hours, Content: e.item, Volunteer: true})
				i++
			}
		}
	}
}
