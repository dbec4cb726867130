package sampledata

import (
	"math/rand/v2"
	"time"
)

// rosterRates are the per-row chances of each defect in origin rosters: older records, so more 15-digit IDs
// and traditional characters, and phones that are often outdated or missing.
var rosterRates = rates{
	idExcelDamaged: 0.02, id15: 0.05, idLowerX: 0.4, idSpaces: 0.005, fullwidthDigits: 0.005,
	nameSpaces: 0.02, traditionalChars: 0.03, middleDotVariant: 0.6,
	phonePlus86: 0.005, phoneFormatted: 0.02, phoneNumberCell: 0.05, landlineOnly: 0.01, phoneMissing: 0.06,
	dateTextFormat: 0.02, dateSerial: 0.01, birthMismatch: 0.005,
}

// rosterFile is one origin roster: a branch's (R1, R4) or a township's covering several branches (R2, R3).
type rosterFile struct {
	rel    string
	tmpl   *template
	csv    bool
	branch *branch // the branch of a per-branch roster
	town   string
	county *county
	rows   []rosterRow
	date   time.Time
}

type rosterRow struct {
	p   *person
	set defectSet
}

// planRosters groups the members on a roster by home township and gives each township one of four habits.
func (g *generator) planRosters() {
	rng := g.rng
	type townKey struct{ code, town string }
	var towns []townKey
	byTown := map[townKey][]*branch{}
	members := map[*branch][]*person{}
	for _, p := range g.persons {
		if !p.OnRoster {
			continue
		}
		k := townKey{p.branch.county.code, p.branch.town}
		if _, ok := byTown[k]; !ok {
			towns = append(towns, k)
		}
		if members[p.branch] == nil {
			byTown[k] = append(byTown[k], p.branch)
		}
		members[p.branch] = append(members[p.branch], p)
	}
	var files []*rosterFile
	modes := newWeighted([]*template{rosterR1, rosterR4, rosterR2, rosterR3}, []float64{25, 20, 35, 20})
	for i, k := range towns {
		t := modes.pick(rng)
		if i < 4 {
			t = []*template{rosterR1, rosterR2, rosterR3, rosterR4}[i] // every habit exists in a small inbox
		}
		branches := byTown[k]
		c := branches[0].county
		// Sent some time this year, but never before the newest outflow it lists.
		date := randomDay(rng, g.today.AddDate(0, -9, 0), g.today.AddDate(0, -1, 0))
		for _, b := range byTown[k] {
			for _, p := range members[b] {
				if d := p.outflow.AddDate(0, 0, 20); d.After(date) {
					date = d
				}
			}
		}
		if latest := g.today.AddDate(0, 0, -7); date.After(latest) {
			date = latest
		}
		switch t {
		case rosterR1, rosterR4:
			for _, b := range branches {
				f := &rosterFile{tmpl: t, branch: b, town: b.town, county: c, date: date}
				if t == rosterR1 {
					f.rel = "rosters/" + b.spell(branchCountyParty) + "流出党员名册.xlsx"
				} else {
					f.rel = "rosters/" + c.name + b.town + b.place + "_流出党员登记表.xlsx"
				}
				f.rows = rosterRows(rng, members[b])
				files = append(files, f)
			}
		default:
			f := &rosterFile{tmpl: t, town: k.town, county: c, date: date, csv: t == rosterR3}
			if f.csv {
				f.rel = "rosters/" + c.name + k.town + "_流出党员信息.csv"
			} else {
				f.rel = "rosters/" + c.name + k.town + "流出党员花名册（" + date.Format("2006") + "年）.xlsx"
			}
			for _, b := range branches {
				f.rows = append(f.rows, rosterRows(rng, members[b])...)
			}
			files = append(files, f)
		}
	}

	var all []*rosterRow
	var fileOf []*rosterFile
	for _, f := range files {
		for i := range f.rows {
			r := &f.rows[i]
			r.set = rosterRates.draw(rng, func(d defect) bool { return f.tmpl.allows(d, r.p, f.csv) })
			if r.p.homophoneIn == "roster" {
				r.set = withoutGroup(r.set, nameGroup)
				r.set.add(homophone)
			}
			if r.p.oldPhone != "" { // rosters are older than the surveys: the phone is the former one
				r.set = withoutGroup(r.set, phoneGroup)
				r.set.add(phoneStale)
			}
			all = append(all, r)
			fileOf = append(fileOf, f)
		}
	}
	ensureDefect(rng, id15, len(all), func(i int) *defectSet {
		if !fileOf[i].tmpl.allows(id15, all[i].p, fileOf[i].csv) {
			return nil
		}
		return &all[i].set
	})

	for _, f := range files {
		f := f
		g.addJob(File{Path: f.rel, Kind: "roster", Sheets: 1}, f.date, len(f.rows), func(j *jobCtx) error {
			return g.writeRoster(j, f)
		})
	}
}

func rosterRows(rng *rand.Rand, ps []*person) []rosterRow {
	rows := make([]rosterRow, len(ps))
	for i, k := range shuffled(rng, len(ps)) {
		rows[i] = rosterRow{p: ps[k]}
	}
	return rows
}

func (g *generator) writeRoster(j *jobCtx, f *rosterFile) error {
	rng := j.rng
	var tb table
	var wb *workbook
	var ct *csvTable
	sheet := ""
	if f.csv {
		var err error
		if ct, err = newCSVTable(j.abs, csvGBK); err != nil {
			return err
		}
		tb = ct
	} else {
		var err error
		if wb, err = newWorkbook(j.when, g.officeAuthor(rng)); err != nil {
			return err
		}
		sheet = oneOf(rng, []string{"Sheet1", "流出党员", "名册"})
		if tb, err = wb.sheet(sheet); err != nil {
			return err
		}
	}
	if err := g.writeRosterRows(j, tb, f, sheet); err != nil {
		return err
	}
	if f.csv {
		return ct.close()
	}
	return wb.save(j.abs)
}

func (g *generator) writeRosterRows(j *jobCtx, tb table, f *rosterFile, sheet string) error {
	rng := j.rng
	t := f.tmpl
	var title, subtitle string
	if f.branch != nil {
		title = f.branch.spell(branchTownShort) + "流出党员名册"
	} else {
		title = f.county.name + f.town + "流出党员花名册（流入地：广东省深圳市）"
	}
	subtitle = "填报单位：中共" + f.town + "委员会组织办        填报时间：" + chineseDate(f.date)
	if _, err := writeHead(tb, t, title, subtitle); err != nil {
		return err
	}
	vals := make([]any, len(t.cols))
	for i := range f.rows {
		r := &f.rows[i]
		cl := newCells(rng, tb, t, r.p, r.set)
		for k, col := range t.cols {
			if v, ok := cl.common(col); ok {
				vals[k] = v
				continue
			}
			switch col.field {
			case fSeq:
				vals[k] = i + 1
			case fInflowPlace:
				vals[k] = g.inflowPlace(rng)
			case fInflowBranch:
				vals[k] = g.inflowBranch(rng, r.p)
			case fRemark:
				vals[k] = ""
				if r.p.community < 0 && chance(rng, 0.3) {
					vals[k] = oneOf(rng, []string{"长期在外，联系不上", "电话停机", "去向待核实"})
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
	if t.footer {
		if err := writeFooter(tb, t, hanName(rng, true), hanName(rng, true), chineseDate(f.date)); err != nil {
			return err
		}
	}
	return nil
}

// inflowPlace is 流入地 as origin offices write it.
func (g *generator) inflowPlace(rng *rand.Rand) string {
	return oneOf(rng, []string{"广东省深圳市龙岗区" + g.opts.Street, "深圳市龙岗区" + g.opts.Street, "广东深圳",
		"深圳龙岗", "广东省深圳市龙岗区", "深圳市龙岗区" + g.opts.Street + "（务工）"})
}

// inflowBranch is 流入地党组织: known for about half the members a community has found, blank otherwise.
func (g *generator) inflowBranch(rng *rand.Rand, p *person) string {
	c := p.community
	if p.prevCommunity >= 0 {
		c = p.prevCommunity // the roster is older than the move
	}
	if c < 0 || !chance(rng, 0.5) {
		return ""
	}
	if c == 0 && chance(rng, 0.5) {
		return g.opts.Street + "流动党员临时党支部"
	}
	return g.opts.Street + g.communities[c].name + "党委"
}
