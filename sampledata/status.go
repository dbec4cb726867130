package sampledata

import (
	"math"
)

// The status mix the pipeline must recover.
const (
	shareBoth       = 0.65 // found by a community and on an origin roster
	shareFoundOnly  = 0.20 // found by a community, on no roster
	shareRosterOnly = 0.10 // on a roster, found by no community: 去向不明
	shareLeft       = 0.05 // the newest survey says 已返乡 / 已迁出
)

// communityWeight makes the first communities larger, as 同心社区 (the pilot) is.
func communityWeight(i int) float64 {
	w := []float64{1.4, 1.2, 1.0, 0.9, 0.8, 0.7}
	if i < len(w) {
		return w[i]
	}
	return 0.8
}

// assignStatus decides who was found where, who is on a roster, who left, who moved, and whose phone changed.
// Counts are exact (rounded) rather than drawn, so that small inboxes still have every case.
func (g *generator) assignStatus() {
	rng := g.rng
	n := len(g.persons)
	nLeft := int(math.Round(float64(n) * shareLeft))
	nUnknown := int(math.Round(float64(n) * shareRosterOnly))
	nFoundOnly := int(math.Round(float64(n) * shareFoundOnly))
	if n >= 4 {
		nLeft, nUnknown, nFoundOnly = max(nLeft, 1), max(nUnknown, 1), max(nFoundOnly, 1)
	}
	idx := make([]int, len(g.communities))
	weights := make([]float64, len(g.communities))
	for i := range idx {
		idx[i], weights[i] = i, communityWeight(i)
	}
	pickCommunity := newWeighted(idx, weights)

	for i, j := range shuffled(rng, n) {
		p := g.persons[j]
		switch {
		case i < nLeft:
			p.Left, p.OnRoster = true, chance(rng, 0.6)
			p.leftStatus = "已返乡"
			if chance(rng, 0.4) {
				p.leftStatus = "已迁出"
			}
			p.leftDate = randomDay(rng, g.today.AddDate(0, -4, 0), g.today.AddDate(0, -2, 0))
		case i < nLeft+nUnknown:
			p.OnRoster = true
		case i < nLeft+nUnknown+nFoundOnly:
		default:
			p.OnRoster = true
		}
		if i < nLeft || i >= nLeft+nUnknown {
			p.community = pickCommunity.pick(rng)
		}
	}

	// Community-level facts, in person order so the draws do not depend on the shuffle above.
	for _, p := range g.persons {
		if p.community < 0 {
			continue
		}
		c := g.communities[p.community]
		p.Community = c.name
		p.Address = address(rng, g.opts.Street, c.name)
		p.Employer = employerFor(rng, p.OutflowReason, g.opts.Street)
		if chance(rng, 0.4) {
			p.wechat = "wxid_" + p.Phone[3:] + string(rune('a'+rng.IntN(26)))
		}
		if chance(rng, 0.08) {
			p.oldPhone = g.phones.mobile(rng)
		}
		if c.layout.hasPrevious && !p.Left && chance(rng, 0.08) {
			p.newInLatest = true
		}
	}

	// At least two changed phones among members both sides list, so the stale-phone case always exists.
	changed := 0
	for _, p := range g.persons {
		if p.community >= 0 && p.OnRoster && p.oldPhone != "" {
			changed++
		}
	}
	for _, j := range shuffled(rng, n) {
		if changed >= 2 {
			break
		}
		p := g.persons[j]
		if p.community >= 0 && p.OnRoster && p.oldPhone == "" {
			p.oldPhone = g.phones.mobile(rng)
			changed++
		}
	}

	// Movers: listed in the older survey of another community that has one.
	var withPrev []int
	for i, c := range g.communities {
		if c.layout.hasPrevious {
			withPrev = append(withPrev, i)
		}
	}
	if len(withPrev) > 0 && len(g.communities) > 1 {
		found := 0
		for _, p := range g.persons {
			if p.community >= 0 && !p.Left {
				found++
			}
		}
		movers := max(2, int(math.Round(float64(found)*0.03)))
		for _, j := range shuffled(rng, n) {
			if movers == 0 {
				break
			}
			p := g.persons[j]
			if p.community < 0 || p.Left {
				continue
			}
			from := oneOf(rng, withPrev)
			if from == p.community {
				continue
			}
			p.prevCommunity = from
			p.oldAddress = address(rng, g.opts.Street, g.communities[from].name)
			p.newInLatest = true
			movers--
		}
	}

	// Homophones: a quarter of the members listed by both sides whose names allow one, misspelt in one source.
	// The first two eligible members get one each way so that a small inbox has both.
	forced := 0
	for _, j := range shuffled(rng, n) {
		p := g.persons[j]
		if p.community < 0 || !p.OnRoster || p.minority || homophoneIndex(p.Name, p.surnameLen) < 0 {
			continue
		}
		switch {
		case forced < 2:
			p.homophoneIn = []string{"survey", "roster"}[forced]
			forced++
		case chance(rng, 0.25):
			p.homophoneIn = oneOf(rng, []string{"survey", "roster"})
		}
	}
}
