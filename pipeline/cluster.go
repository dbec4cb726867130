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
	uf := newUnionFind(in.records)
	forbid := map[int64][]int64{} // record → records it must not join
	for _, d := range in.differ {
		forbid[d.a] = append(forbid[d.a], d.b)
		forbid[d.b] = append(forbid[d.b], d.a)
	}
	conflict := func(x, y int64) bool {
		rx, ry := uf.find(x), uf.find(y)
		if rx == ry {
			return false
		}
		for _, m := range uf.members[rx] {
			for _, f := range forbid[m] {
				if uf.find(f) == ry {
					return true
				}
			}
		}
		return false
	}
	for _, s := range in.same {
		if uf.has(s.a) && uf.has(s.b) {
			uf.union(s.a, s.b)
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
		if !uf.has(l.l) || !uf.has(l.r) {
			continue
		}
		if conflict(l.l, l.r) {
			dropped = append(dropped, l)
			continue
		}
		uf.union(l.l, l.r)
	}
	out := make(map[int64]int64, len(in.records))
	for _, r := range in.records {
		root := uf.find(r)
		out[r] = slices.Min(uf.members[root])
	}
	return out, dropped
}

// unionFind is a disjoint-set forest over record IDs that also keeps each
// root's members (clusters are small; forbidden-pair checks walk them).
type unionFind struct {
	parent  map[int64]int64
	members map[int64][]int64
}

func newUnionFind(ids []int64) *unionFind {
	uf := &unionFind{parent: make(map[int64]int64, len(ids)), members: make(map[int64][]int64, len(ids))}
	for _, id := range ids {
		uf.parent[id] = id
		uf.members[id] = []int64{id}
	}
	return uf
}

func (uf *unionFind) has(x int64) bool { _, ok := uf.parent[x]; return ok }

func (uf *unionFind) find(x int64) int64 {
	for uf.parent[x] != x {
		uf.parent[x] = uf.parent[uf.parent[x]]
		x = uf.parent[x]
	}
	return x
}

func (uf *unionFind) union(x, y int64) {
	rx, ry := uf.find(x), uf.find(y)
	if rx == ry {
		return
	}
	if len(uf.members[rx]) < len(uf.members[ry]) {
		rx, ry = ry, rx
	}
	uf.parent[ry] = rx
	uf.members[rx] = append(uf.members[rx], uf.members[ry]...)
	delete(uf.members, ry)
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
	// Records of each cluster, and how each earlier member's records fall.
	byCluster := map[int64][]int64{}
	for rec, c := range cluster {
		byCluster[c] = append(byCluster[c], rec)
	}
	share := map[string]map[int64]int{} // earlier member → cluster → records
	info := map[string]previousMember{}
	for rec, c := range cluster {
		p, ok := prev[rec]
		if !ok || p.ID == "" {
			continue
		}
		info[p.ID] = p
		if share[p.ID] == nil {
			share[p.ID] = map[int64]int{}
		}
		share[p.ID][c]++
	}
	// home: the cluster holding most of an earlier member's records (ties:
	// the cluster with the smallest key), the only one that may keep its ID.
	home := map[string]int64{}
	for id, m := range share {
		best, n := int64(0), -1
		for c, k := range m {
			if k > n || (k == n && c < best) {
				best, n = c, k
			}
		}
		home[id] = best
	}
	// Each cluster's candidates (the earlier members whose home it is) and
	// the earlier members it holds any record of.
	homeOf := map[int64][]previousMember{}
	for id, c := range home {
		homeOf[c] = append(homeOf[c], info[id])
	}
	holds := map[int64][]string{}
	for id, m := range share {
		for c := range m {
			holds[c] = append(holds[c], id)
		}
	}
	keys := make([]int64, 0, len(byCluster))
	for c := range byCluster {
		keys = append(keys, c)
	}
	slices.Sort(keys)
	ids := map[int64]string{}
	var events []memberEvent
	for _, c := range keys {
		cands := homeOf[c]
		slices.SortFunc(cands, func(a, b previousMember) int {
			if x := cmp.Compare(a.Created, b.Created); x != 0 {
				return x
			}
			return cmp.Compare(a.ID, b.ID)
		})
		if len(cands) == 0 {
			id := newID()
			ids[c] = id
			from := ""
			for _, pid := range holds[c] {
				if from == "" || pid < from {
					from = pid
				}
			}
			if from != "" {
				events = append(events, memberEvent{Kind: "split", MemberID: id, Other: from, Records: len(byCluster[c])})
			} else {
				events = append(events, memberEvent{Kind: "created", MemberID: id, Records: len(byCluster[c])})
			}
			continue
		}
		ids[c] = cands[0].ID
		for _, other := range cands[1:] {
			events = append(events, memberEvent{Kind: "merged", MemberID: other.ID, Other: cands[0].ID, Records: share[other.ID][c]})
		}
	}
	return ids, events
}

// memberIDFormat renders the n-th member ID.
func memberIDFormat(n int) string { return fmt.Sprintf("M%07d", n) }
