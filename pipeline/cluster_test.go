package pipeline

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestClusters(t *testing.T) {
	recs := []int64{1, 2, 3, 4, 5, 6}
	tests := []struct {
		name    string
		in      clusterInput
		want    map[int64]int64
		dropped int
	}{
		{
			name: "no links: every record alone",
			in:   clusterInput{records: recs},
			want: map[int64]int64{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6},
		},
		{
			name: "chains join",
			in:   clusterInput{records: recs, links: []scoredLink{{1, 2, 10}, {2, 3, 9}, {5, 6, 8}}},
			want: map[int64]int64{1: 1, 2: 1, 3: 1, 4: 4, 5: 5, 6: 5},
		},
		{
			name: "same person forces a link",
			in:   clusterInput{records: recs, same: []pairKey{{4, 6}}},
			want: map[int64]int64{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 4},
		},
		{
			name: "different people split the chain at its weakest link",
			in: clusterInput{records: recs, links: []scoredLink{{1, 2, 10}, {2, 3, 4}, {3, 4, 9}},
				differ: []pairKey{{1, 4}}},
			want:    map[int64]int64{1: 1, 2: 1, 3: 3, 4: 3, 5: 5, 6: 6},
			dropped: 1,
		},
		{
			// The forbidden record 3 is not its group's root (1), inside groups joined from pairs:
			// the check must walk every member of the merged groups.
			name: "different people deep inside joined groups",
			in: clusterInput{records: recs,
				links:  []scoredLink{{1, 2, 10}, {3, 4, 9}, {2, 3, 8}, {5, 6, 7}, {4, 5, 1}},
				differ: []pairKey{{3, 6}}},
			want:    map[int64]int64{1: 1, 2: 1, 3: 1, 4: 1, 5: 5, 6: 5},
			dropped: 1,
		},
		{
			name: "different people in other groups do not stop a link",
			in: clusterInput{records: recs,
				links:  []scoredLink{{1, 2, 10}, {3, 4, 9}, {2, 3, 8}, {4, 5, 7}},
				differ: []pairKey{{1, 6}}},
			want: map[int64]int64{1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 6},
		},
		{
			name:    "different people beat a direct link",
			in:      clusterInput{records: recs, links: []scoredLink{{1, 2, 20}}, differ: []pairKey{{1, 2}}},
			want:    map[int64]int64{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6},
			dropped: 1,
		},
		{
			name: "links to unknown records are ignored",
			in:   clusterInput{records: recs, links: []scoredLink{{1, 99, 20}}},
			want: map[int64]int64{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dropped := clusters(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("clusters = %v, want %v", got, tt.want)
			}
			if len(dropped) != tt.dropped {
				t.Errorf("dropped %v, want %d links", dropped, tt.dropped)
			}
		})
	}
}

func TestAssignIDs(t *testing.T) {
	p := func(id string, created int) previousMember { return previousMember{ID: id, Created: created} }
	tests := []struct {
		name    string
		cluster map[int64]int64
		prev    map[int64]previousMember
		want    map[int64]string
		events  []string
	}{
		{
			name:    "first night: new IDs in cluster order",
			cluster: map[int64]int64{1: 1, 2: 1, 3: 3},
			want:    map[int64]string{1: "N1", 3: "N2"},
			events:  []string{"created N1", "created N2"},
		},
		{
			name:    "a new record joins an existing member: the ID stays",
			cluster: map[int64]int64{1: 1, 2: 1, 3: 1},
			prev:    map[int64]previousMember{1: p("M1", 1), 2: p("M1", 1)},
			want:    map[int64]string{1: "M1"},
		},
		{
			name:    "a merge keeps the older ID",
			cluster: map[int64]int64{1: 1, 2: 1, 3: 1},
			prev:    map[int64]previousMember{1: p("M7", 3), 2: p("M2", 1), 3: p("M7", 3)},
			want:    map[int64]string{1: "M2"},
			events:  []string{"merged M7 → M2"},
		},
		{
			name:    "a split keeps the ID on the larger part",
			cluster: map[int64]int64{1: 1, 2: 2, 3: 2},
			prev:    map[int64]previousMember{1: p("M1", 1), 2: p("M1", 1), 3: p("M1", 1)},
			want:    map[int64]string{1: "N1", 2: "M1"},
			events:  []string{"split N1 from M1"},
		},
		{
			name:    "a cluster without earlier records next to an old one",
			cluster: map[int64]int64{1: 1, 5: 5},
			prev:    map[int64]previousMember{1: p("M1", 1)},
			want:    map[int64]string{1: "M1", 5: "N1"},
			events:  []string{"created N1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			got, events := assignIDs(tt.cluster, tt.prev, func() string { n++; return fmt.Sprintf("N%d", n) })
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
			var ev []string
			for _, e := range events {
				switch e.Kind {
				case "merged":
					ev = append(ev, fmt.Sprintf("merged %s → %s", e.MemberID, e.Other))
				case "split":
					ev = append(ev, fmt.Sprintf("split %s from %s", e.MemberID, e.Other))
				default:
					ev = append(ev, e.Kind+" "+e.MemberID)
				}
			}
			slices.Sort(ev)
			want := slices.Clone(tt.events)
			slices.Sort(want)
			if !reflect.DeepEqual(ev, want) {
				t.Errorf("events = %v, want %v", ev, want)
			}
		})
	}
}

// BenchmarkAssignIDs: 200,000 two-record clusters that all had members
// before, the nightly case; it must stay near-linear.
func BenchmarkAssignIDs(b *testing.B) {
	const n = 200_000
	cluster := make(map[int64]int64, 2*n)
	prev := make(map[int64]previousMember, 2*n)
	for i := int64(0); i < n; i++ {
		cluster[2*i], cluster[2*i+1] = 2*i, 2*i
		m := previousMember{ID: memberIDFormat(int(i) + 1), Created: 1}
		prev[2*i], prev[2*i+1] = m, m
	}
	for b.Loop() {
		k := 0
		ids, _ := assignIDs(cluster, prev, func() string { k++; return fmt.Sprintf("N%d", k) })
		if len(ids) != n || k != 0 {
			b.Fatalf("%d ids, %d new", len(ids), k)
		}
	}
}

// BenchmarkClusters: the nightly clustering of 400,000 person records, two
// to a person, each pair joined by a link, every record already a member's
// (a fifth of the 1M registry's records).
func BenchmarkClusters(b *testing.B) {
	const persons = 200_000
	in := clusterInput{records: make([]int64, 0, 2*persons)}
	prev := make(map[int64]previousMember, 2*persons)
	for i := int64(0); i < persons; i++ {
		// records of one person are not adjacent, as after many nights
		x, y := 1+i, 1+persons+i
		in.records = append(in.records, x, y)
		in.links = append(in.links, scoredLink{l: x, r: y, weight: float64(i%37) + 10})
		m := previousMember{ID: memberIDFormat(int(i) + 1), Created: 1}
		prev[x], prev[y] = m, m
	}
	slices.Sort(in.records)
	for b.Loop() {
		cl, _ := clusters(in)
		k := 0
		ids, _ := assignIDs(cl, prev, func() string { k++; return fmt.Sprintf("N%d", k) })
		if len(ids) != persons || k != 0 {
			b.Fatalf("%d ids, %d new", len(ids), k)
		}
	}
}
