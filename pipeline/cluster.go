package pipeline

import (
	"cmp"
	"fmt"
	"slices"
)

// pairKey is an unordered pair of record IDs, smaller first.
type pairKey struct{ a, b int64 }

func newPairKey(x, y int64) pairKey {
	if x > y {
		x, y = y, x
	}
	return pairKey{x, y}
}

// scoredLink is a link the matcher decided, with its weight.
type scoredLink struct {
	l, r   int64
	weight float64
}

// clusterInput is what clustering needs: the records, the matcher's links,
// and the analysts' decisions.
type clusterInput struct {
	records []int64      // every current person record
	links   []scoredLink // decision = link
	same    []pairKey    // analysts: 同一人, forces a link
	differ  []pairKey    // analysts: 非同一人, forbids one
}

// clusters groups records into persons: connected components over the
// links, with the analysts' decisions applied first. A "same person"
// decision joins two records whatever the matcher said; a "different
// people" decision forbids any chain of links that would put the two
// records together: links are added strongest first, and one that would
// join two groups holding a forbidden pair is dropped (so the weaker side
// of the chain is what splits). It returns each record's cluster, keyed by
// the smallest record ID in it, and the links it dropped.
func clusters(in clusterInput) (map[int64]int64, []scoredLink) {
	// Records are numbered by their place in the sorted IDs: the forest is
	// a few flat slices, not maps (2 million records at 1M persons).
	recs := slices.Clone(in.records)
	slices.Sort(recs)
	recs = slices.Compact(recs)
	index := func(id int64) (int32, bool) {
		i, ok := slices.BinarySearch(recs, id)
		return int32(i), ok
	}
	uf := newUnionFind(len(recs))
	forbid := map[int32][]int32{} // record → records it must not join
	for _, d := range in.differ {
		a, okA := index(d.a)
		b, okB := index(d.b)
		if okA && okB {
			forbid[a] = append(forbid[a], b)
			forbid[b] = append(forbid[b], a)
		}
	}
	conflict := func(x, y int32) bool {
		if len(forbid) == 0 {
			return false
		}
		rx, ry := uf.find(x), uf.find(y)
		if rx == ry {
			return false
		}
		for m := rx; ; {
			for _, f := range forbid[m] {
				if uf.find(f) == ry {
					return true
				}
			}
			if m = uf.next[m]; m == rx {
				return false
			}
		}
	}
	for _, s := range in.same {
		a, okA := index(s.a)
		b, okB := index(s.b)
		if okA && okB {
			uf.union(a, b)
		}
	}
	links := slices.Clone(in.links)
	slices.SortStableFunc(links, func(a, b scoredLink) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return cmp.Compare(newPairKey(a.l, a.r).a, newPairKey(b.l, b.r).a)
	})
	var dropped []scoredLink
	for _, l := range links {
		x, okX := index(l.l)
		y, okY := index(l.r)
		if !okX || !okY {
			continue
		}
		if conflict(x, y) {
			dropped = append(dropped, l)
			continue
		}
		uf.union(x, y)
	}
	out := make(map[int64]int64, len(recs))
	for i, r := range recs {
		out[r] = recs[uf.least[uf.find(int32(i))]]
	}
	return out, dropped
}

// unionFind is a disjoint-set forest over records numbered 0..n-1 that
// also keeps each set's least record and its members as a circular list
// (next), which forbidden-pair checks walk.
type unionFind struct {
	parent, size, least, next []int32
}

func newUnionFind(n int) *unionFind {
	uf := &unionFind{parent: make([]int32, n), size: make([]int32, n), least: make([]int32, n), next: make([]int32, n)}
	for i := range n {
		uf.parent[i], uf.size[i], uf.least[i], uf.next[i] = int32(i), 1, int32(i), int32(i)
	}
	return uf
}

func (uf *unionFind) find(x int32) int32 {
	for uf.parent[x] != x {
		uf.parent[x] = uf.parent[uf.parent[x]]
		x = uf.parent[x]
	}
	return x
}

func (uf *unionFind) union(x, y int32) {
	rx, ry := uf.find(x), uf.find(y)
	if rx == ry {
		return
	}
	if uf.size[rx] < uf.size[ry] {
		rx, ry = ry, rx
	}
	uf.parent[ry] = rx
	uf.size[rx] += uf.size[ry]
	uf.least[rx] = min(uf.least[rx], uf.least[ry])
	uf.next[rx], uf.next[ry] = uf.next[ry], uf.next[rx] // splice the two circles
}

// memberEvent is a change of identity recorded in member_history.
type memberEvent struct {
	Kind     string // created | merged | split
	MemberID string
	Other    string // merged: the member it was merged into; split: the member it split from
	Records  int
}

// previousMember is a member as the last run left it.
type previousMember struct {
	ID      string
	Created int // run that created it; older IDs win merges
}

// assignIDs gives each cluster a member ID that survives new nights:
// a cluster holding records of exactly one earlier member keeps its ID;
// when clusters merge, the oldest ID among them survives and the others
// are recorded as merged into it; when a member's records split over
// several clusters, the part holding most of them keeps the ID and the
// others get new IDs, recorded as split from it. newID mints an ID.
func assignIDs(cluster map[int64]int64, prev map[int64]previousMember, newID func() string) (map[int64]string, []memberEvent) {
	// Sorted slices, not maps of maps: at 1M persons there are a million
	// clusters and as many earlier members. keys are the clusters, sizes
	// their records.
	keys := make([]int64, 0, len(cluster))
	type held struct {
		member previousMember
		c      int64 // a cluster holding a record of member
	}
	shares := make([]held, 0, len(prev))
	for rec, c := range cluster {
		keys = append(keys, c)
		if p, ok := prev[rec]; ok && p.ID != "" {
			shares = append(shares, held{p, c})
		}
	}
	slices.Sort(keys)
	sizes := make([]int, 0, len(keys)/2+1)
	n := 0
	for i, c := range keys {
		if i > 0 && c == keys[n-1] {
			sizes[n-1]++
			continue
		}
		keys[n] = c
		sizes = append(sizes, 1)
		n++
	}
	keys = keys[:n]
	at := func(c int64) int { i, _ := slices.BinarySearch(keys, c); return i }
	// How each earlier member's records fall: runs of (member, cluster).
	slices.SortFunc(shares, func(a, b held) int {
		if x := cmp.Compare(a.member.ID, b.member.ID); x != 0 {
			return x
		}
		return cmp.Compare(a.c, b.c)
	})
	// home: the cluster holding most of an earlier member's records (ties:
	// the cluster with the smallest key), the only one that may keep its
	// ID; homes lists each with its member and records there. holder: the
	// smallest earlier member holding a record of each cluster.
	type home struct {
		member  previousMember
		at      int // index of the cluster in keys
		records int
	}
	var homes []home
	holder := make([]string, len(keys))
	for i := 0; i < len(shares); {
		id := shares[i].member.ID
		best := home{member: shares[i].member, records: -1}
		for i < len(shares) && shares[i].member.ID == id {
			c, k := shares[i].c, 0
			for ; i < len(shares) && shares[i].member.ID == id && shares[i].c == c; i++ {
				k++
			}
			ci := at(c)
			if k > best.records {
				best.at, best.records = ci, k
			}
			if holder[ci] == "" || id < holder[ci] {
				holder[ci] = id
			}
		}
		homes = append(homes, best)
	}
	// Each cluster's candidates (the earlier members whose home it is),
	// oldest first.
	slices.SortFunc(homes, func(a, b home) int {
		if x := cmp.Compare(a.at, b.at); x != 0 {
			return x
		}
		if x := cmp.Compare(a.member.Created, b.member.Created); x != 0 {
			return x
		}
		return cmp.Compare(a.member.ID, b.member.ID)
	})
	ids := make(map[int64]string, len(keys))
	var events []memberEvent
	h := 0
	for ci, c := range keys {
		first := h
		for h < len(homes) && homes[h].at == ci {
			h++
		}
		cands := homes[first:h]
		if len(cands) == 0 {
			id := newID()
			ids[c] = id
			if from := holder[ci]; from != "" {
				events = append(events, memberEvent{Kind: "split", MemberID: id, Other: from, Records: sizes[ci]})
			} else {
				events = append(events, memberEvent{Kind: "created", MemberID: id, Records: sizes[ci]})
			}
			continue
		}
		ids[c] = cands[0].member.ID
		for _, other := range cands[1:] {
			events = append(events, memberEvent{Kind: "merged", MemberID: other.member.ID, Other: cands[0].member.ID,
				Records: other.records})
		}
	}
	return ids, events
}

// memberIDFormat renders the n-th member ID.
func memberIDFormat(n int) string { return fmt.Sprintf("M%07d", n) }
