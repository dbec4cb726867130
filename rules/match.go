package rules

import (
	"errors"
	"fmt"
	"strings"
)

// MatchConfig configures record linkage (记录匹配): which records are compared
// (blocking), how two records are compared field by field (comparisons with
// levels), and how the Fellegi-Sunter model is estimated and read. No field
// is known to Go: every column and condition below is SQL over the records
// that Input produces, so another data set (FEBRL, tests) is linked by
// another configuration.
type MatchConfig struct {
	// Input is a SELECT (or a table or view name) producing the records to
	// link: one row per record, a BIGINT record_id that is unique, and every
	// column the blocking keys, comparisons and PairCondition use. It may
	// join match_name_key (name → name_pinyin), which NameKeys fills first.
	Input string `mapstructure:"input"`
	// NameKeys is a SELECT of one text column: the names whose toneless
	// pinyin (NamePinyin) must be in table match_name_key before Input is
	// read. Only names not yet keyed are computed, so reruns are cheap.
	// Empty: no pinyin is computed.
	NameKeys string `mapstructure:"name_keys"`
	// PairCondition, when set, is a SQL condition over l. and r. that every
	// compared pair must meet, blocked or random: e.g. l.source <> r.source
	// to link two files without deduplicating each (Splink's link_only).
	PairCondition string `mapstructure:"pair_condition"`
	// Blocking rules are OR-ed: a pair is compared when, for at least one
	// rule, all its keys are equal and not NULL on both records. A pair is
	// generated once, credited to the first rule that makes it.
	Blocking []BlockingRule `mapstructure:"blocking"`
	// Comparisons are the fields of the Fellegi-Sunter model: each pair
	// falls in exactly one level of each comparison.
	Comparisons []Comparison `mapstructure:"comparisons"`
	// LinkThreshold: a pair whose match probability is at least this is
	// linked (decision link).
	LinkThreshold float64 `mapstructure:"link_threshold"`
	// ReviewThreshold: a pair between ReviewThreshold and LinkThreshold goes
	// to analysts (decision review) and is not linked; below, none.
	ReviewThreshold float64 `mapstructure:"review_threshold"`
	// URandomPairs is how many random record pairs estimate u (the chance a
	// level holds for two different people); all pairs when there are fewer.
	URandomPairs int `mapstructure:"u_random_pairs"`
	// Seed makes the random pairs reproducible.
	Seed int `mapstructure:"seed"`
	// EMMaxIterations and EMTolerance bound the EM that estimates m and the
	// match share: it stops when no parameter moves more than EMTolerance.
	EMMaxIterations int     `mapstructure:"em_max_iterations"`
	EMTolerance     float64 `mapstructure:"em_tolerance"`
	// MaxPairsPerRule refuses (with an error naming the rule) a blocking
	// rule that would generate more pairs than this, before generating any.
	MaxPairsPerRule int64 `mapstructure:"max_pairs_per_rule"`
	// TFMinimum floors a value's term frequency, so a value seen once does
	// not get an unbounded bonus.
	TFMinimum float64 `mapstructure:"tf_minimum"`
	// MPriorPairs and UPriorPairs weigh the levels' m_prior and u_prior as
	// that many matching and random pairs.
	MPriorPairs float64 `mapstructure:"m_prior_pairs"`
	UPriorPairs float64 `mapstructure:"u_prior_pairs"`
	// Incremental keeps the blocked pairs and their comparison vectors
	// between runs and generates and compares only the pairs of new records
	// (incremental blocking); the model is estimated and every pair scored
	// again, so the links are those a full run would make. It assumes what
	// Input gives for a record_id never changes (a record's own columns); a
	// change to Input, the rules or the comparisons makes the next run a
	// full one. false: every run generates and compares every pair.
	Incremental bool `mapstructure:"incremental"`
}

// BlockingRule is one way of finding candidate pairs (分块规则).
type BlockingRule struct {
	// Name identifies the rule in counts, logs and link.blocking_rule.
	Name string `mapstructure:"name"`
	// Keys are SQL expressions over one record's columns (no l./r. prefix);
	// two records are paired when every key is equal and not NULL on both.
	Keys []string `mapstructure:"keys"`
	// UnlessBoth is an optional SQL condition over one record's columns:
	// the rule makes no pair of two records that both meet it (e.g.
	// id_valid on a rule for damaged ID numbers: two valid numbers are
	// paired by the ID rule, or are two people). Only pairs with a record
	// failing it are generated, so a rule whose key groups grow with the
	// population (a pinyin and a birth year) costs pairs in proportion to
	// the records it is for, not to the square of its groups.
	UnlessBoth string `mapstructure:"unless_both"`
}

// Comparison is one field of the model (比较字段) with its levels of
// agreement, tried in order.
type Comparison struct {
	// Name identifies the comparison in match_param and link.parts.
	Name string `mapstructure:"name"`
	// Levels are tried in order; the first whose SQL holds is the pair's
	// level. The last level has empty SQL: it is "else" (anything left).
	Levels []Level `mapstructure:"levels"`
	// TermFrequency, when set, is a SQL expression over one record's columns
	// (e.g. name) whose frequency adjusts the weight of the levels marked
	// TermFrequency: agreeing on 张伟 is weaker evidence than on 欧阳晓燕.
	TermFrequency string `mapstructure:"term_frequency"`
}

// Level is one level of agreement of a comparison (比较等级).
type Level struct {
	Name string `mapstructure:"name"`
	// SQL is a condition over l. and r. columns; empty for the last (else)
	// level only.
	SQL string `mapstructure:"sql"`
	// Null marks the level for missing values: weight 0, left out of
	// estimation.
	Null bool `mapstructure:"missing"`
	// TermFrequency applies the comparison's term-frequency adjustment to
	// this level (normally the exact one).
	TermFrequency bool `mapstructure:"term_frequency"`
	// M and U, when > 0, replace the estimated m (chance the level holds for
	// the same person) and u (for two different people).
	M float64 `mapstructure:"m"`
	U float64 `mapstructure:"u"`
	// MPrior and UPrior are what m and u are believed to be before any
	// pair is seen: pseudo-counts of MatchConfig.MPriorPairs and
	// UPriorPairs pairs that decide the estimates of a small registry and
	// fade in a large one. 0: none (only the uniform smoothing).
	MPrior float64 `mapstructure:"m_prior"`
	UPrior float64 `mapstructure:"u_prior"`
}

// Else reports whether the level is the catch-all last level.
func (l Level) Else() bool { return l.SQL == "" }

// Validate checks a match configuration on its own and names the key that
// is wrong (match.comparisons[2].levels[1].sql: empty). All problems are
// reported, joined.
func (c MatchConfig) Validate() error { return errors.Join(c.validate("match")...) }

// validate checks c as the configuration key prefix (rules.match in
// config.yaml).
// validateBlocking checks blocking rules configured at key: each named,
// names unique, at least one key, no empty key.
func validateBlocking(key string, blocking []BlockingRule) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	names := map[string]bool{}
	for i, r := range blocking {
		at := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case strings.TrimSpace(r.Name) == "":
			bad("%s.name: empty", at)
		case names[r.Name]:
			bad("%s.name: %q is used twice", at, r.Name)
		}
		names[r.Name] = true
		if len(r.Keys) == 0 {
			bad("%s.keys: no key", at)
		}
		for j, k := range r.Keys {
			if strings.TrimSpace(k) == "" {
				bad("%s.keys[%d]: empty", at, j)
			}
		}
	}
	return errs
}

func (c MatchConfig) validate(prefix string) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(c.Input) == "" {
		bad("%s.input: empty", prefix)
	}
	if len(c.Blocking) == 0 {
		bad("%s.blocking: no rule, so no pair would be compared", prefix)
	}
	if len(c.Blocking) > 63 {
		// Each pair keeps the set of rules that made it as bits of a BIGINT.
		bad("%s.blocking: %d rules, at most 63", prefix, len(c.Blocking))
	}
	errs = append(errs, validateBlocking(prefix+".blocking", c.Blocking)...)
	if len(c.Comparisons) == 0 {
		bad("%s.comparisons: none", prefix)
	}
	comps := map[string]bool{}
	for i, cmp := range c.Comparisons {
		at := fmt.Sprintf("%s.comparisons[%d]", prefix, i)
		switch {
		case strings.TrimSpace(cmp.Name) == "":
			bad("%s.name: empty", at)
		case comps[cmp.Name]:
			bad("%s.name: %q is used twice", at, cmp.Name)
		}
		comps[cmp.Name] = true
		if len(cmp.Levels) < 2 {
			bad("%s.levels: %d levels, need at least one condition and the else level", at, len(cmp.Levels))
		}
		if len(cmp.Levels) > 255 {
			bad("%s.levels: %d levels, at most 255", at, len(cmp.Levels))
		}
		names := map[string]bool{}
		for j, l := range cmp.Levels {
			lat := fmt.Sprintf("%s.levels[%d]", at, j)
			last := j == len(cmp.Levels)-1
			switch {
			case strings.TrimSpace(l.Name) == "":
				bad("%s.name: empty", lat)
			case names[l.Name]:
				bad("%s.name: %q is used twice", lat, l.Name)
			}
			names[l.Name] = true
			switch {
			case last && strings.TrimSpace(l.SQL) != "":
				bad("%s.sql: the last level is the else level and has no condition", lat)
			case !last && strings.TrimSpace(l.SQL) == "":
				bad("%s.sql: empty (only the last level has no condition)", lat)
			}
			if l.Null && last {
				bad("%s.null: the else level cannot be the null level", lat)
			}
			if l.M < 0 || l.M >= 1 || l.U < 0 || l.U >= 1 {
				bad("%s: m and u must be in [0, 1) (0: estimated)", lat)
			}
			if l.Null && (l.M > 0 || l.U > 0 || l.TermFrequency) {
				bad("%s: a null level has no m, u or term frequency", lat)
			}
			if l.TermFrequency && strings.TrimSpace(cmp.TermFrequency) == "" {
				bad("%s.term_frequency: %s.term_frequency names no value to count", lat, at)
			}
		}
	}
	if c.ReviewThreshold <= 0 || c.ReviewThreshold > c.LinkThreshold || c.LinkThreshold >= 1 {
		bad("%s.review_threshold, %s.link_threshold: need 0 < review (%g) <= link (%g) < 1", prefix, prefix, c.ReviewThreshold, c.LinkThreshold)
	}
	if c.URandomPairs <= 0 {
		bad("%s.u_random_pairs: %d, must be positive", prefix, c.URandomPairs)
	}
	if c.EMMaxIterations <= 0 {
		bad("%s.em_max_iterations: %d, must be positive", prefix, c.EMMaxIterations)
	}
	if c.EMTolerance <= 0 {
		bad("%s.em_tolerance: %g, must be positive", prefix, c.EMTolerance)
	}
	if c.MaxPairsPerRule <= 0 {
		bad("%s.max_pairs_per_rule: %d, must be positive", prefix, c.MaxPairsPerRule)
	}
	if c.TFMinimum < 0 || c.TFMinimum >= 1 {
		bad("%s.tf_minimum: %g, must be in [0, 1)", prefix, c.TFMinimum)
	}
	if c.MPriorPairs < 0 || c.UPriorPairs < 0 {
		bad("%s.m_prior_pairs / u_prior_pairs: %g / %g, must not be negative", prefix, c.MPriorPairs, c.UPriorPairs)
	}
	return errs
}
