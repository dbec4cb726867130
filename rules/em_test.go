package rules

import (
	"math"
	"strings"
	"testing"
)

// synthetic builds comparisons with the given m and u per level (level 0 is
// a null level when nullShare > 0) and draws n pairs from the model.
type synthetic struct {
	lambda float64
	m, u   [][]float64 // per comparison, per non-null level
}

func (s synthetic) comparisons() []Comparison {
	var out []Comparison
	for c := range s.m {
		levels := []Level{{Name: "null", Null: true, SQL: "x"}}
		for k := range s.m[c] {
			l := Level{Name: string(rune('a' + k)), SQL: "x"}
			if k == len(s.m[c])-1 {
				l.SQL = ""
			}
			levels = append(levels, l)
		}
		out = append(out, Comparison{Name: string(rune('A' + c)), Levels: levels})
	}
	return out
}

// counts returns expected pattern counts for n pairs (exact expectations, so
// the test is deterministic), with a 5% null share on every comparison.
func (s synthetic) counts(n float64) map[Pattern]int64 {
	out := map[Pattern]int64{}
	levels := make([]int, len(s.m))
	var rec func(c int, pm, pu float64)
	rec = func(c int, pm, pu float64) {
		if c == len(s.m) {
			if x := int64(math.Round(n * (s.lambda*pm + (1-s.lambda)*pu))); x > 0 {
				out[NewPattern(levels...)] += x
			}
			return
		}
		levels[c] = 0 // null
		rec(c+1, pm*0.05, pu*0.05)
		for k := range s.m[c] {
			levels[c] = k + 1
			rec(c+1, pm*0.95*s.m[c][k], pu*0.95*s.u[c][k])
		}
	}
	rec(0, 1, 1)
	return out
}

// withNull puts a 0 for the null level in front of each comparison's levels.
func withNull(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i, row := range x {
		out[i] = append([]float64{0}, row...)
	}
	return out
}

func TestEstimateRecoversModel(t *testing.T) {
	tests := []struct {
		name   string
		model  synthetic
		fixedU bool
	}{
		{"three fields, many matches", synthetic{
			lambda: 0.3,
			m:      [][]float64{{0.9, 0.07, 0.03}, {0.85, 0.15}, {0.8, 0.1, 0.1}},
			u:      [][]float64{{0.01, 0.04, 0.95}, {0.1, 0.9}, {0.05, 0.15, 0.8}},
		}, false},
		{"five fields, few matches", synthetic{
			lambda: 0.02,
			m:      [][]float64{{0.95, 0.05}, {0.9, 0.05, 0.05}, {0.7, 0.3}, {0.92, 0.08}, {0.6, 0.3, 0.1}},
			u:      [][]float64{{0.001, 0.999}, {0.01, 0.09, 0.9}, {0.2, 0.8}, {0.05, 0.95}, {0.02, 0.18, 0.8}},
		}, false},
		{"fixed u", synthetic{
			lambda: 0.1,
			m:      [][]float64{{0.9, 0.1}, {0.8, 0.15, 0.05}, {0.95, 0.05}},
			u:      [][]float64{{0.02, 0.98}, {0.01, 0.1, 0.89}, {0.1, 0.9}},
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps := tt.model.comparisons()
			u := withNull(tt.model.u)
			if !tt.fixedU {
				// Start u away from the truth, as random pairs would be.
				for c := range u {
					for k := 1; k < len(u[c]); k++ {
						u[c][k] = 1 / float64(len(u[c])-1)
					}
				}
			}
			res, err := Estimate(EM{Comparisons: comps, Counts: tt.model.counts(1e7), U: u, FixedU: tt.fixedU,
				MaxIterations: 2000, Tolerance: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged {
				t.Errorf("not converged after %d iterations", res.Iterations)
			}
			if math.Abs(res.Lambda-tt.model.lambda) > 0.005 {
				t.Errorf("λ = %.4f, want %.4f", res.Lambda, tt.model.lambda)
			}
			for c := range tt.model.m {
				for k, want := range tt.model.m[c] {
					if got := res.M[c][k+1]; math.Abs(got-want) > 0.01 {
						t.Errorf("m[%d][%d] = %.4f, want %.4f", c, k, got, want)
					}
					if got := res.UBlocked[c][k+1]; math.Abs(got-tt.model.u[c][k]) > 0.01 {
						t.Errorf("u[%d][%d] = %.4f, want %.4f", c, k, got, tt.model.u[c][k])
					}
				}
				if res.M[c][0] != 0 {
					t.Errorf("null level of %d has m %v, want 0", c, res.M[c][0])
				}
			}
		})
	}
}

func TestEstimateKeepsConfiguredM(t *testing.T) {
	model := synthetic{lambda: 0.2, m: [][]float64{{0.9, 0.1}, {0.8, 0.2}}, u: [][]float64{{0.05, 0.95}, {0.1, 0.9}}}
	comps := model.comparisons()
	comps[0].Levels[1].M = 0.5
	res, err := Estimate(EM{Comparisons: comps, Counts: model.counts(1e6), U: withNull(model.u), MaxIterations: 500, Tolerance: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	if res.M[0][1] != 0.5 || math.Abs(res.M[0][2]-0.5) > 1e-12 {
		t.Errorf("m of comparison 0 = %v, want the configured 0.5 and the rest 0.5", res.M[0])
	}
}

func TestEstimateErrors(t *testing.T) {
	comps := synthetic{m: [][]float64{{0.9, 0.1}}, u: [][]float64{{0.1, 0.9}}}.comparisons()
	tests := []struct {
		name string
		in   EM
		want string
	}{
		{"no pairs", EM{Comparisons: comps, U: [][]float64{{0, 0.1, 0.9}}}, "no pairs"},
		{"u shape", EM{Comparisons: comps, Counts: map[Pattern]int64{NewPattern(1): 3}, U: [][]float64{{0.1}}}, "levels"},
		{"pattern range", EM{Comparisons: comps, Counts: map[Pattern]int64{NewPattern(7): 3}, U: [][]float64{{0, 0.1, 0.9}}}, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Estimate(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEstimateU(t *testing.T) {
	comps := []Comparison{{Name: "x", Levels: []Level{{Name: "null", Null: true, SQL: "a"}, {Name: "exact", SQL: "b"}, {Name: "else"}}},
		{Name: "y", Levels: []Level{{Name: "exact", SQL: "b", U: 0.01}, {Name: "else"}}}}
	u := EstimateU(comps, [][]int64{{500, 0, 1000}, {3, 997}}, 0)
	if u[0][0] != 0 || u[0][1] <= 0 || math.Abs(u[0][1]+u[0][2]-1) > 1e-12 {
		t.Errorf("u of x = %v: want null 0, exact > 0 though never seen, summing to 1", u[0])
	}
	if u[1][0] != 0.01 || math.Abs(u[1][1]-0.99) > 1e-12 {
		t.Errorf("u of y = %v, want the configured 0.01 and 0.99", u[1])
	}
}

// TestEstimateUPrior: the prior decides u of a tiny sample, where a couple
// of true matches among the random pairs would make an exact ID number look
// common, and fades in a large one.
func TestEstimateUPrior(t *testing.T) {
	comps := []Comparison{{Name: "id", Levels: []Level{{Name: "exact", SQL: "b", UPrior: 1e-6}, {Name: "else", UPrior: 1}}}}
	tests := []struct {
		name         string
		exact, other int64
		priorPairs   float64
		lo, hi       float64 // bounds of u(exact)
	}{
		{"tiny sample without prior", 2, 64, 0, 0.03, 0.05},
		{"tiny sample with prior", 2, 64, 1000, 0.001, 0.003},
		{"large sample with prior", 3, 999_997, 1000, 3e-6, 4e-6},
		{"large sample, data wins", 20_000, 980_000, 1000, 0.0199, 0.0201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := EstimateU(comps, [][]int64{{tt.exact, tt.other}}, tt.priorPairs)
			if u[0][0] < tt.lo || u[0][0] > tt.hi || math.Abs(u[0][0]+u[0][1]-1) > 1e-12 {
				t.Errorf("u = %v, want exact in [%g, %g] and a sum of 1", u[0], tt.lo, tt.hi)
			}
		})
	}
}

func TestWeights(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"bayes factor", BayesFactor(0.9, 0.0009), math.Log2(1000)},
		{"null level", BayesFactor(0, 0), 0},
		{"tf common value lowers", TFAdjustment(0.001, 0.004, 1e-5), -2},
		{"tf rare value raises", TFAdjustment(0.001, 0.00025, 1e-5), 2},
		{"tf floored", TFAdjustment(0.001, 1e-9, 1e-4), math.Log2(10)},
		{"prior", PriorWeight(0.2), -2},
		{"probability of 0", Probability(0), 0.5},
		{"probability of 10", Probability(10), 1024.0 / 1025},
		{"prior from blocked", PriorFromBlocked(0.5, 1000, 1e6), 5e-4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.Abs(tt.got-tt.want) > 1e-12 {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
