package rules

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Pattern is a comparison vector (比较向量): the level index a pair falls in,
// one byte per comparison, in MatchConfig.Comparisons order. It is a string
// so it can key a map of pattern counts.
type Pattern string

// NewPattern encodes level indexes (each 0..255) as a Pattern.
func NewPattern(levels ...int) Pattern {
	b := make([]byte, len(levels))
	for i, l := range levels {
		b[i] = byte(l)
	}
	return Pattern(b)
}

// Level returns the level index of comparison i.
func (p Pattern) Level(i int) int { return int(p[i]) }

// Smoothing is the pseudo-count added to every level when m or u is
// estimated from counts, so that no level has probability 0 (a weight of
// ±infinity) just because a sample did not happen to contain it.
const Smoothing = 0.5

// EstimateU turns counts of levels among random pairs (counts[c][k]: pairs
// in level k of comparison c) into u probabilities, per comparison over its
// non-null levels, smoothed. Null levels get u = 0 (unused); levels with a
// configured U keep it, the others share what is left. priorPairs is how
// many random pairs the levels' UPrior counts as (see normalizeLevels).
func EstimateU(comps []Comparison, counts [][]int64, priorPairs float64) [][]float64 {
	u := make([][]float64, len(comps))
	for c, comp := range comps {
		acc := make([]float64, len(comp.Levels))
		for k := range comp.Levels {
			if k < len(counts[c]) {
				acc[k] = float64(counts[c][k])
			}
		}
		u[c] = normalizeLevels(comp.Levels, acc, func(l Level) float64 { return l.U }, func(l Level) float64 { return l.UPrior }, priorPairs)
	}
	return u
}

// normalizeLevels makes probabilities of accumulated counts over the
// non-null levels: fixed levels (fixed(l) > 0) keep their value, the rest
// share 1 - Σ fixed in proportion to acc + Smoothing + priorPairs·prior(l).
// The prior is a Bayesian pseudo-count: priorPairs pairs distributed as the
// configured prior probabilities. It decides the estimate when a registry
// has few records (a dozen records give 66 random pairs, two of them the
// same person: u of an exact ID would be 3%) and fades as pairs grow.
func normalizeLevels(levels []Level, acc []float64, fixed, prior func(Level) float64, priorPairs float64) []float64 {
	out := make([]float64, len(levels))
	var fixedSum, freeSum float64
	for k, l := range levels {
		switch {
		case l.Null:
		case fixed(l) > 0:
			fixedSum += fixed(l)
		default:
			freeSum += acc[k] + Smoothing + priorPairs*prior(l)
		}
	}
	rest := math.Max(1-fixedSum, 0)
	for k, l := range levels {
		switch {
		case l.Null:
		case fixed(l) > 0:
			out[k] = fixed(l)
		default:
			out[k] = rest * (acc[k] + Smoothing + priorPairs*prior(l)) / freeSum
		}
	}
	return out
}

// EM is the input of Estimate: the comparison vectors of the blocked pairs
// and the u probabilities from random pairs.
type EM struct {
	Comparisons []Comparison
	// Counts holds how many blocked pairs have each pattern.
	Counts map[Pattern]int64
	// U[c][k] is u of level k of comparison c, from random pairs
	// (EstimateU). It starts the non-match distribution of the blocked
	// pairs; with FixedU it is that distribution.
	U [][]float64
	// FixedU keeps U fixed during EM (the textbook variant). Otherwise the
	// non-match distribution among the blocked pairs is estimated too: two
	// different people who share a blocking key (same phone, same name and
	// birth year) agree on more fields than two random people, and fixing u
	// at random-pair values would push such pairs into the match class.
	FixedU        bool
	MaxIterations int
	Tolerance     float64
	// MPriorPairs is how many matching pairs the levels' MPrior counts as.
	MPriorPairs float64
}

// EMResult is what Estimate found.
type EMResult struct {
	// Lambda is the share of matches among the blocked pairs (λ).
	Lambda float64
	// M[c][k] is m of level k of comparison c: the chance that the same
	// person falls in it. Null levels are 0.
	M [][]float64
	// UBlocked is the non-match distribution among the blocked pairs (equal
	// to the input U when FixedU). Scoring uses the random-pair U instead.
	UBlocked   [][]float64
	Iterations int
	Converged  bool
}

// Estimate runs expectation-maximisation for the Fellegi-Sunter model with
// conditional independence: each blocked pair is a match with probability
// λ, and a pair's levels are independent given match status. Null levels
// are left out of the likelihood. Levels with a configured M keep it. It
// returns an error when there are no pairs or U does not fit the
// comparisons.
func Estimate(in EM) (EMResult, error) {
	if len(in.Counts) == 0 {
		return EMResult{}, errors.New("no pairs to estimate on")
	}
	if len(in.U) != len(in.Comparisons) {
		return EMResult{}, fmt.Errorf("u has %d comparisons, want %d", len(in.U), len(in.Comparisons))
	}
	for c, comp := range in.Comparisons {
		if len(in.U[c]) != len(comp.Levels) {
			return EMResult{}, fmt.Errorf("u of %s has %d levels, want %d", comp.Name, len(in.U[c]), len(comp.Levels))
		}
	}
	type patternCount struct {
		p Pattern
		n float64
	}
	var pats []patternCount
	var total float64
	for p, n := range in.Counts {
		if len(p) != len(in.Comparisons) {
			return EMResult{}, fmt.Errorf("pattern of %d levels, want %d", len(p), len(in.Comparisons))
		}
		for c := range in.Comparisons {
			if p.Level(c) >= len(in.Comparisons[c].Levels) {
				return EMResult{}, fmt.Errorf("pattern level %d of %s out of range", p.Level(c), in.Comparisons[c].Name)
			}
		}
		pats = append(pats, patternCount{p, float64(n)})
		total += float64(n)
	}

	// Summing in a fixed order makes a rerun on the same pairs give the
	// same parameters to the last bit.
	slices.SortFunc(pats, func(a, b patternCount) int { return strings.Compare(string(a.p), string(b.p)) })
	res := EMResult{Lambda: 0.1, M: initialM(in.Comparisons), UBlocked: copyLevels(in.U)}
	maxIter := in.MaxIterations
	if maxIter <= 0 {
		maxIter = 100
	}
	mAcc := zeroLevels(in.Comparisons)
	uAcc := zeroLevels(in.Comparisons)
	for res.Iterations < maxIter {
		res.Iterations++
		clearLevels(mAcc)
		clearLevels(uAcc)
		var matches float64
		for _, pc := range pats {
			lm, lu := res.Lambda, 1-res.Lambda
			for c, comp := range in.Comparisons {
				k := pc.p.Level(c)
				if comp.Levels[k].Null {
					continue
				}
				lm *= res.M[c][k]
				lu *= res.UBlocked[c][k]
			}
			g := lm / (lm + lu)
			if math.IsNaN(g) {
				g = 0
			}
			matches += pc.n * g
			for c, comp := range in.Comparisons {
				k := pc.p.Level(c)
				if comp.Levels[k].Null {
					continue
				}
				mAcc[c][k] += pc.n * g
				uAcc[c][k] += pc.n * (1 - g)
			}
		}
		lambda := matches / total
		delta := math.Abs(lambda - res.Lambda)
		res.Lambda = lambda
		for c, comp := range in.Comparisons {
			m := normalizeLevels(comp.Levels, mAcc[c], func(l Level) float64 { return l.M }, func(l Level) float64 { return l.MPrior }, in.MPriorPairs)
			delta = math.Max(delta, maxDiff(m, res.M[c]))
			res.M[c] = m
			if !in.FixedU {
				u := normalizeLevels(comp.Levels, uAcc[c], func(l Level) float64 { return l.U }, noPrior, 0)
				delta = math.Max(delta, maxDiff(u, res.UBlocked[c]))
				res.UBlocked[c] = u
			}
		}
		if delta < in.Tolerance {
			res.Converged = true
			break
		}
	}
	return res, nil
}

// initialM starts m high on the first non-null level and halving level by
// level, so the match class starts as "agrees", never as "disagrees".
func initialM(comps []Comparison) [][]float64 {
	out := make([][]float64, len(comps))
	for c, comp := range comps {
		acc := make([]float64, len(comp.Levels))
		w := 64.0
		for k, l := range comp.Levels {
			if l.Null {
				continue
			}
			acc[k] = w
			w /= 4
		}
		out[c] = normalizeLevels(comp.Levels, acc, func(l Level) float64 { return l.M }, noPrior, 0)
	}
	return out
}

// PriorM is m before any pair is seen: the levels' MPrior (configured M
// where set), smoothed. The matcher uses it when no pair was blocked, so a
// registry of one person still scores records against it.
func PriorM(comps []Comparison, priorPairs float64) [][]float64 {
	out := make([][]float64, len(comps))
	for c, comp := range comps {
		out[c] = normalizeLevels(comp.Levels, make([]float64, len(comp.Levels)), func(l Level) float64 { return l.M },
			func(l Level) float64 { return l.MPrior }, priorPairs)
	}
	return out
}

// noPrior is the prior of an estimate that has none.
func noPrior(Level) float64 { return 0 }

func zeroLevels(comps []Comparison) [][]float64 {
	out := make([][]float64, len(comps))
	for c, comp := range comps {
		out[c] = make([]float64, len(comp.Levels))
	}
	return out
}

func clearLevels(x [][]float64) {
	for _, row := range x {
		clear(row)
	}
}

func copyLevels(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i, row := range x {
		out[i] = append([]float64(nil), row...)
	}
	return out
}

func maxDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// BayesFactor is a level's part of the match weight: log2(m/u). It is 0
// for a null level (m and u both 0).
func BayesFactor(m, u float64) float64 {
	if m == 0 && u == 0 {
		return 0
	}
	return math.Log2(m / u)
}

// TFAdjustment corrects the weight of a term-frequency level for the value
// the two records share: log2(u/tf), tf the value's share among records
// floored at minimum. A value rarer than the level's average u raises the
// weight, a common one (张伟) lowers it; the level's weight plus this is
// log2(m/tf).
func TFAdjustment(u, tf, minimum float64) float64 {
	tf = math.Max(tf, minimum)
	if tf <= 0 || u <= 0 {
		return 0
	}
	return math.Log2(u / tf)
}

// PriorWeight is the match weight before any comparison: log2(λ/(1−λ)).
func PriorWeight(lambda float64) float64 { return math.Log2(lambda / (1 - lambda)) }

// Probability turns a match weight into a match probability, 2^w/(1+2^w).
func Probability(weight float64) float64 { return 1 / (1 + math.Exp2(-weight)) }

// PriorFromBlocked converts λ among the blocked pairs into the prior among
// all comparable pairs, the one that matches u from random pairs: the
// blocked pairs are assumed to hold every match, so expected matches =
// λ·blocked, spread over all pairs.
func PriorFromBlocked(lambdaBlocked float64, blocked, all float64) float64 {
	if all <= 0 || blocked <= 0 {
		return lambdaBlocked
	}
	p := lambdaBlocked * blocked / all
	return math.Min(math.Max(p, 1e-12), 1-1e-12)
}
