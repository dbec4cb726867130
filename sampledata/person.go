package sampledata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// person is a generated member with what the generator needs beyond the public Person: the raw dates, the
// branch, and which sources list them how.
type person struct {
	Person
	idx        int
	male       bool
	surnameLen int  // runes of the surname; 0 for Uyghur names, which get neither homophones nor inner spaces
	minority   bool // name with a middle dot
	branch     *branch
	birth      time.Time
	join       time.Time
	outflow    time.Time

	community     int // index into the communities, -1 when no community found them
	prevCommunity int // community whose older survey still lists them (moved), -1 if none
	newInLatest   bool
	oldAddress    string // address in the older survey of a mover
	oldPhone      string // a former mobile still on the roster and the older survey, "" if unchanged
	landline      string // a second, fixed line some surveys have a column for
	leftStatus    string // 已返乡 / 已迁出 when Left
	leftDate      time.Time
	homophoneIn   string // "survey" or "roster": the one source that misspells the name with a homophone
	homophonePick int
	hasCard       bool      // holds a 流动党员活动证
	activeUntil   time.Time // no activity or visit after this day: the day they left, or six months ago for the 失联
	lastContact   time.Time // their newest accepted activity or visit row, noted as the truth is assembled
	wechat        string
}

// personPlan sizes the name quotas so that the rare cases exist even in a small inbox.
type personPlan struct {
	minority, compound, collision int
}

func planNames(n int) personPlan {
	p := personPlan{
		minority:  max(3, int(math.Round(float64(n)*0.012))),
		compound:  max(2, int(math.Round(float64(n)*0.006))),
		collision: int(math.Round(float64(n) * 0.10)),
	}
	if p.minority+p.compound+p.collision > n {
		p = personPlan{minority: min(n, 1), compound: min(max(n-1, 0), 1)}
	}
	return p
}

// birthDecades weights the members' ages: mostly born in the 1970s-1990s, as in 宝龙's own survey.
var birthDecades = newWeighted([]int{1950, 1960, 1970, 1980, 1990, 2000}, []float64{4, 10, 22, 32, 27, 5})

// makePersons creates n members with consistent names, ID numbers, dates and home branches.
func (g *generator) makePersons() {
	rng := g.rng
	n := g.opts.Persons
	han, xj := makeBranches(rng, n)
	g.branches = append(han, xj...)
	// Zipf-like weights so that some villages send many members and most send a few.
	hw := make([]float64, len(han))
	for i, j := range shuffled(rng, len(han)) {
		hw[j] = 1 / math.Pow(float64(i+1), 0.8)
	}
	hanPick := newWeighted(han, hw)

	quota := planNames(n)
	order := shuffled(rng, n)
	kind := make([]byte, n) // 'm' minority, 'c' compound, 'k' collision, 0 ordinary
	for i, j := range order {
		switch {
		case i < quota.minority:
			kind[j] = 'm'
		case i < quota.minority+quota.compound:
			kind[j] = 'c'
		case i < quota.minority+quota.compound+quota.collision:
			kind[j] = 'k'
		}
	}

	// The last three in the shuffled order get an ID ending in X, so even a tiny inbox can have the lower-case x.
	endsInX := make([]bool, n)
	for _, j := range order[max(0, n-3):] {
		endsInX[j] = true
	}

	ids := make(map[string]struct{}, n)
	g.phones = newPhoneBook(n * 2)
	latestBirth := g.today.AddDate(-20, 0, 0)
	g.persons = make([]*person, n)
	for i := range n {
		p := &person{idx: i, community: -1, prevCommunity: -1}
		p.PersonID = fmt.Sprintf("P%06d", i+1)
		p.male = chance(rng, 0.63)
		p.Gender = "女"
		if p.male {
			p.Gender = "男"
		}
		if kind[i] == 'm' {
			p.branch = oneOf(rng, xj)
		} else {
			p.branch = hanPick.pick(rng)
		}
		p.birth = g.birthDate(rng, latestBirth)
		wantX := endsInX[i]
		for {
			seq := rng.IntN(500) * 2
			if p.male {
				seq++
			}
			id := makeID(p.branch.county.code, p.birth, seq)
			if wantX && id[17] != 'X' {
				continue
			}
			if _, dup := ids[id]; !dup {
				ids[id] = struct{}{}
				p.IDNumber = id
				break
			}
		}
		p.BirthDate = p.birth.Format("2006-01-02")
		switch kind[i] {
		case 'm':
			p.Name, p.minority = uyghurName(rng, p.male), true
		case 'c':
			p.Name, p.surnameLen = compoundName(rng, p.male), 2
		case 'k':
			p.Name, p.surnameLen = collisionName(rng, p.male), 1
		default:
			p.Name, p.surnameLen = hanName(rng, p.male), 1
		}
		p.Ethnicity = ethnicityFor(rng, p.branch.county)
		p.Phone = g.phones.mobile(rng)
		p.Education = educations.pick(rng)
		if p.birth.Year() < 1965 && (p.Education == "硕士研究生" || p.Education == "大学本科") && chance(rng, 0.6) {
			p.Education = "高中"
		}
		p.MemberType = "正式党员"
		if chance(rng, 0.08) {
			p.MemberType = "预备党员"
		}
		g.memberDates(rng, p)
		p.OriginBranch = p.branch.canonical
		p.OutflowReason = outflowReasons.pick(rng)
		for p.OutflowReason == "求学" && p.outflow.Year()-p.birth.Year() > 26 {
			p.OutflowReason = outflowReasons.pick(rng)
		}
		p.hasCard = chance(rng, 0.7)
		if chance(rng, 0.2) {
			p.landline = landline(rng)
		}
		p.homophonePick = rng.IntN(3)
		g.persons[i] = p
	}
}

func (g *generator) birthDate(rng *rand.Rand, latest time.Time) time.Time {
	decade := birthDecades.pick(rng)
	from := day(decade, 1, 1)
	to := day(decade+9, 12, 31)
	if decade == 2000 {
		to = day(2004, 12, 31)
	}
	if to.After(latest) {
		to = latest
	}
	if from.After(to) {
		from = to.AddDate(-10, 0, 0)
	}
	return randomDay(rng, from, to)
}

// memberDates sets 入党 and 外出 dates: joined at 18 or later, 预备党员 within the last year, and away for at least
// six months (the definition of 流动党员).
func (g *generator) memberDates(rng *rand.Rand, p *person) {
	adult := p.birth.AddDate(18, 0, 0)
	if p.MemberType == "预备党员" {
		p.join = randomDay(rng, g.today.AddDate(0, -12, 0), g.today.AddDate(0, -7, 0))
	} else {
		age := 18 + math.Abs(rng.NormFloat64())*9
		p.join = adult.AddDate(int(age)-18, rng.IntN(12), rng.IntN(28))
		if latest := g.today.AddDate(0, -13, 0); p.join.After(latest) {
			p.join = randomDay(rng, adult, latest)
		}
	}
	if p.join.Before(adult) {
		p.join = adult
	}
	from := p.join
	if early := g.today.AddDate(-16, 0, 0); from.Before(early) {
		from = early
	}
	p.outflow = randomDay(rng, from, g.today.AddDate(0, -7, 0))
	p.JoinDate = p.join.Format("2006-01-02")
	p.OutflowDate = p.outflow.Format("2006-01-02")
}

// public returns the truth about the person.
func (p *person) public() Person {
	pub := p.Person
	if !p.lastContact.IsZero() {
		pub.LastContact = p.lastContact.Format("2006-01-02")
	}
	return pub
}

// contacted notes that the row e dated d was contact with the person, if the pipeline can take the row.
func (p *person) contacted(e *Entry, d time.Time) {
	if e.Expect != "rejected" && d.After(p.lastContact) {
		p.lastContact = d
	}
}
