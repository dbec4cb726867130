package pipeline

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
)

//go:embed sql/match/*.sql
var matchSQLFiles embed.FS

// MatchResult is what one run of the matcher did.
type MatchResult struct {
	Records int64       // records linked (rows of rules.match.input)
	Rules   []RuleCount // per blocking rule, in configured order
	// Pairs is the number of distinct blocked pairs, each scored.
	Pairs int64
	// ComparablePairs is the number of pairs the model could compare at all
	// (n·(n−1)/2, or its share meeting pair_condition, estimated).
	ComparablePairs float64
	RandomPairs     int64   // random pairs that estimated u
	LambdaBlocked   float64 // EM: share of matches among the blocked pairs
	Prior           float64 // λ among all comparable pairs
	Iterations      int     // EM iterations
	Converged       bool
	Links, Reviews  int64
	// Incremental: only the pairs of NewRecords (records the previous run
	// did not link) were generated and compared; the other pairs came from
	// match_vector_kept. Otherwise every pair was (the first run, a changed
	// configuration, or rules.match.incremental off).
	Incremental bool
	NewRecords  int64
	Timings     []StepTiming
}

// RuleCount is one blocking rule's pairs.
type RuleCount struct {
	Rule string
	// Pairs is counted before generating: Σ n·(n−1)/2 over key groups.
	Pairs int64
	// Generated is what the rule's join produced (Pairs, less those failing
	// pair_condition); NewPairs those no earlier rule made.
	Generated, NewPairs int64
}

// StepTiming is how long one step of the matcher took.
type StepTiming struct {
	Step    string
	Seconds float64
}

// Match links the records rules.match.input selects: it keys names by
// pinyin, counts and generates the blocked pairs (refusing a rule over
// max_pairs_per_rule), compares each pair, estimates u from random pairs
// and m and λ by EM, scores every pair and, in one transaction, replaces
// table link with this run's scored pairs and appends the model to
// match_param, match_rule_count and match_run. The steps are the embedded
// sql/match/*.sql files, in their order, rendered from cfg. On error
// nothing of this run is written.
func (db *DB) Match(ctx context.Context, runID int, cfg rules.MatchConfig, log zerolog.Logger) (*MatchResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	began := time.Now()
	steps, err := newMatchSteps()
	if err != nil {
		return nil, err
	}
	// Temporary tables belong to one connection: every step runs on this one.
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	m := &matcher{conn: conn, cfg: cfg, steps: steps, log: log, res: &MatchResult{}, runID: runID, began: began}
	defer m.dropTemp()
	for _, step := range []struct {
		name string
		fn   func(context.Context) error
	}{
		{"name_keys", m.nameKeys},
		{"kept", m.kept},
		{"input", m.input},
		{"count_pairs", m.countPairs},
		{"pairs", m.pairs},
		{"compare", m.compare},
		{"random_pairs", m.randomPairs},
		{"estimate", m.estimate},
		{"score", m.score},
	} {
		t0 := time.Now()
		if err := step.fn(ctx); err != nil {
			return nil, fmt.Errorf("match %s: %w", step.name, err)
		}
		m.res.Timings = append(m.res.Timings, StepTiming{step.name, time.Since(t0).Seconds()})
		stepTime(log, step.name, t0)
	}
	log.Info().Int64("records", m.res.Records).Bool("incremental", m.res.Incremental).Int64("new_records", m.res.NewRecords).
		Int64("pairs", m.res.Pairs).Float64("lambda_blocked", m.res.LambdaBlocked).
		Float64("prior", m.res.Prior).Int("em_iterations", m.res.Iterations).Int64("links", m.res.Links).
		Int64("reviews", m.res.Reviews).Float64("seconds", time.Since(began).Seconds()).Msg("records matched")
	return m.res, nil
}

// matchSteps are the parsed templates of sql/match, one per step.
type matchSteps struct{ t *template.Template }

func newMatchSteps() (*matchSteps, error) {
	t, err := template.New("match").Option("missingkey=error").ParseFS(matchSQLFiles, "sql/match/*.sql")
	if err != nil {
		return nil, fmt.Errorf("parse match sql: %w", err)
	}
	return &matchSteps{t: t}, nil
}

// render renders one step's file (its name without folder) with data.
func (s *matchSteps) render(file string, data any) (string, error) {
	var b bytes.Buffer
	if err := s.t.ExecuteTemplate(&b, file, data); err != nil {
		return "", fmt.Errorf("render %s: %w", file, err)
	}
	return b.String(), nil
}

// matchTemplate is what the step templates see.
type matchTemplate struct {
	Input           string
	PairCondition   string
	Rules           []blockingTemplate
	Comparisons     []comparisonTemplate
	AllPairs        bool
	Samples         int
	Records         int64
	Seed            int
	RunID           int
	Prior           string // log2(λ/(1−λ)), as a SQL literal
	TFMinimum       string
	LinkThreshold   string
	ReviewThreshold string
	// Incremental: generate and compare only the pairs of new records
	// (match_input.match_new), and take the others from match_vector_kept.
	Incremental bool
}

// blockingTemplate is a blocking rule as 03_pairs.sql generates its pairs.
type blockingTemplate struct{ rules.BlockingRule }

// pairSide is one join of a blocking rule's pairs: L and R are SQL
// conditions on its first and second record (empty: any record).
type pairSide struct{ Name, L, R string }

// Meets is SQL of whether a record meets the rule's unless_both (never
// NULL), for the templates of matching and contact linking; "" without one.
func (b blockingTemplate) Meets() string {
	if b.UnlessBoth == "" {
		return ""
	}
	return "coalesce((" + b.UnlessBoth + "), false)"
}

// KeyNames lists the columns the templates give the rule's keys: "k0, k1".
func (b blockingTemplate) KeyNames() string {
	names := make([]string, len(b.Keys))
	for i := range b.Keys {
		names[i] = "k" + strconv.Itoa(i)
	}
	return strings.Join(names, ", ")
}

// Sides are the joins that make the rule's pairs: one of every two records,
// or, with unless_both, those whose first record fails the condition and
// those whose first meets it and second fails it: every pair with a record
// failing it, once.
func (b blockingTemplate) Sides() []pairSide {
	meets := b.Meets()
	if meets == "" {
		return []pairSide{{}}
	}
	return []pairSide{
		{Name: "first record fails unless_both", L: "NOT " + meets},
		{Name: "first meets unless_both, second fails it", L: meets, R: "NOT " + meets},
	}
}

// blockingTemplates wraps rs for the templates (unless_both trimmed: blank
// is none).
func blockingTemplates(rs []rules.BlockingRule) []blockingTemplate {
	out := make([]blockingTemplate, len(rs))
	for i, r := range rs {
		r.UnlessBoth = strings.TrimSpace(r.UnlessBoth)
		out[i] = blockingTemplate{r}
	}
	return out
}

type comparisonTemplate struct {
	rules.Comparison
	Index int
	// Known once the model is estimated (06_score.sql), SQL lists indexed
	// by level + 1: each level's weight log2(m/u) (0 for the null level),
	// its u, and whether it takes the term-frequency adjustment.
	Weights, U, TFLevels string
}

// tableName matches a bare (optionally schema-qualified) table name, which
// Input may be instead of a query.
var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// asQuery makes a bare table name a query.
func asQuery(s string) string {
	s = strings.TrimSpace(s)
	if tableName.MatchString(s) {
		return "SELECT * FROM " + s
	}
	return s
}

// matcher carries one Match call's state from step to step.
type matcher struct {
	conn  *sql.Conn
	cfg   rules.MatchConfig
	steps *matchSteps
	log   zerolog.Logger
	res   *MatchResult
	runID int
	began time.Time

	fingerprint string // of what makes the kept pairs (kept)

	vectors  map[rules.Pattern]int64 // blocked pairs per comparison vector
	levelN   [][]int64               // blocked pairs per level
	uCounts  [][]int64               // random pairs per level
	em       rules.EMResult
	u        [][]float64
	priorLog float64
}

func (m *matcher) data() matchTemplate {
	d := matchTemplate{
		Input: asQuery(m.cfg.Input), PairCondition: strings.TrimSpace(m.cfg.PairCondition),
		Rules: blockingTemplates(m.cfg.Blocking),
		Seed:  m.cfg.Seed, RunID: m.runID, Records: m.res.Records, Samples: m.cfg.URandomPairs,
		Prior: sqlFloat(m.priorLog), TFMinimum: sqlFloat(m.cfg.TFMinimum),
		LinkThreshold: sqlFloat(m.cfg.LinkThreshold), ReviewThreshold: sqlFloat(m.cfg.ReviewThreshold),
		Incremental: m.res.Incremental,
	}
	all := m.res.Records * (m.res.Records - 1) / 2
	d.AllPairs = all <= int64(m.cfg.URandomPairs)
	for i, c := range m.cfg.Comparisons {
		ct := comparisonTemplate{Comparison: c, Index: i}
		if m.em.M != nil {
			ct.Weights, ct.U, ct.TFLevels = m.levelLists(i)
		}
		d.Comparisons = append(d.Comparisons, ct)
	}
	return d
}

// levelLists renders comparison c's level weights, u and term-frequency
// flags as SQL lists. The numbers are strings cast to DOUBLE: DuckDB reads
// a bare 13.99 as a DECIMAL, and the weights must be the float64s stored in
// match_param, to the last bit.
func (m *matcher) levelLists(c int) (weights, u, tf string) {
	var w, us, tfs []string
	for k, l := range m.cfg.Comparisons[c].Levels {
		if l.Null {
			w, us = append(w, "'0'"), append(us, "NULL")
		} else {
			w = append(w, "'"+sqlFloat(rules.BayesFactor(m.em.M[c][k], m.u[c][k]))+"'")
			us = append(us, "'"+sqlFloat(m.u[c][k])+"'")
		}
		tfs = append(tfs, strconv.FormatBool(l.TermFrequency))
	}
	return "CAST([" + strings.Join(w, ", ") + "] AS DOUBLE[])", "CAST([" + strings.Join(us, ", ") + "] AS DOUBLE[])",
		"[" + strings.Join(tfs, ", ") + "]"
}

func sqlFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// exec renders a step and runs it.
func (m *matcher) exec(ctx context.Context, file string) error {
	q, err := m.steps.render(file, m.data())
	if err != nil {
		return err
	}
	if _, err := m.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// nameKeys fills match_name_key with the pinyin of every name NameKeys
// selects that has none yet. Pinyin is computed in Go, not by a DuckDB
// scalar UDF: go-pinyin's dictionary is Go, a UDF would cross cgo once per
// row on every run, and keying each distinct name once and keeping it makes
// a nightly rerun nearly free.
func (m *matcher) nameKeys(ctx context.Context) error {
	if strings.TrimSpace(m.cfg.NameKeys) == "" {
		return nil
	}
	rows, err := m.conn.QueryContext(ctx, `SELECT DISTINCT k.name FROM (`+m.cfg.NameKeys+`) AS k(name)
		WHERE k.name IS NOT NULL AND k.name NOT IN (SELECT name FROM match_name_key)`)
	if err != nil {
		return fmt.Errorf("rules.match.name_keys: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	return m.conn.Raw(func(dc any) error {
		dconn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		app, err := duckdb.NewAppenderFromConn(dconn, "", "match_name_key")
		if err != nil {
			return fmt.Errorf("appender match_name_key: %w", err)
		}
		var py rules.PinyinReader
		for _, n := range names {
			if err := app.AppendRow(n, py.Name(n)); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}

func (m *matcher) input(ctx context.Context) error {
	if err := m.exec(ctx, "01_input.sql"); err != nil {
		return err
	}
	var dup int64
	err := m.conn.QueryRowContext(ctx, `SELECT count(*), count(*) - count(DISTINCT record_id) FROM match_input`).Scan(&m.res.Records, &dup)
	if err != nil {
		return fmt.Errorf("rules.match.input: %w", err)
	}
	if dup > 0 {
		return fmt.Errorf("rules.match.input: record_id is not unique (%d repeats)", dup)
	}
	return m.countNew(ctx)
}

// countPairs counts each rule's pairs before generating any, logs them, and
// refuses a rule over max_pairs_per_rule.
func (m *matcher) countPairs(ctx context.Context) error {
	q, err := m.steps.render("02_count_pairs.sql", m.data())
	if err != nil {
		return err
	}
	rows, err := m.conn.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("02_count_pairs.sql: %w", err)
	}
	defer rows.Close()
	m.res.Rules = make([]RuleCount, len(m.cfg.Blocking))
	for rows.Next() {
		var i int
		var n int64
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		m.res.Rules[i] = RuleCount{Rule: m.cfg.Blocking[i].Name, Pairs: n}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var over []string
	for i, r := range m.res.Rules {
		m.log.Info().Str("rule", r.Rule).Int64("pairs", r.Pairs).Int64("records", m.res.Records).Msg("blocking rule counted")
		if r.Pairs > m.cfg.MaxPairsPerRule {
			over = append(over, fmt.Sprintf("rules.match.blocking[%d] %s makes %d pairs, more than max_pairs_per_rule %d",
				i, r.Rule, r.Pairs, m.cfg.MaxPairsPerRule))
		}
	}
	if len(over) > 0 {
		return fmt.Errorf("%s: make its keys more selective", strings.Join(over, "; "))
	}
	return nil
}

func (m *matcher) pairs(ctx context.Context) error {
	if _, err := m.conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE match_rule (rule_index INTEGER, rule VARCHAR)`); err != nil {
		return err
	}
	for i, r := range m.cfg.Blocking {
		if _, err := m.conn.ExecContext(ctx, `INSERT INTO match_rule VALUES (?, ?)`, i, r.Name); err != nil {
			return err
		}
	}
	return m.exec(ctx, "03_pairs.sql")
}

// ruleCounts credits the blocked pairs to the rules: NewPairs to the first
// rule that made each (and their sum is Pairs), Generated to every rule
// that made it (rule_mask), whether the pair is new or kept.
func (m *matcher) ruleCounts(ctx context.Context) error {
	rows, err := m.conn.QueryContext(ctx, `SELECT r.rule_index,
			count(*) FILTER (WHERE v.rule_index = r.rule_index),
			count(*) FILTER (WHERE (v.rule_mask >> r.rule_index) & 1 = 1)
		FROM match_vector v JOIN match_rule r ON (v.rule_mask >> r.rule_index) & 1 = 1
		GROUP BY r.rule_index`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var first, generated int64
		if err := rows.Scan(&i, &first, &generated); err != nil {
			return err
		}
		m.res.Rules[i].NewPairs, m.res.Rules[i].Generated = first, generated
		m.res.Pairs += first
	}
	return rows.Err()
}

// levelColumns lists c0, c1, … for a GROUP BY over comparison vectors.
func (m *matcher) levelColumns() string {
	cols := make([]string, len(m.cfg.Comparisons))
	for i := range cols {
		cols[i] = "c" + strconv.Itoa(i)
	}
	return strings.Join(cols, ", ")
}

// patternCounts reads a GROUP BY of comparison vectors into pattern counts
// and per-level totals.
func (m *matcher) patternCounts(ctx context.Context, q string) (map[rules.Pattern]int64, [][]int64, error) {
	rows, err := m.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	nc := len(m.cfg.Comparisons)
	levels := make([]int, nc)
	dest := make([]any, nc+1)
	for i := range levels {
		dest[i] = &levels[i]
	}
	var n int64
	dest[nc] = &n
	counts := map[rules.Pattern]int64{}
	perLevel := make([][]int64, nc)
	for c, comp := range m.cfg.Comparisons {
		perLevel[c] = make([]int64, len(comp.Levels))
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		counts[rules.NewPattern(levels...)] += n
		for c, k := range levels {
			perLevel[c][k] += n
		}
	}
	return counts, perLevel, rows.Err()
}

func (m *matcher) compare(ctx context.Context) error {
	if err := m.exec(ctx, "04_compare.sql"); err != nil {
		return err
	}
	if err := m.ruleCounts(ctx); err != nil {
		return err
	}
	var err error
	m.vectors, m.levelN, err = m.patternCounts(ctx,
		`SELECT `+m.levelColumns()+`, count(*) FROM match_vector GROUP BY ALL`)
	return err
}

func (m *matcher) randomPairs(ctx context.Context) error {
	if err := m.exec(ctx, "05_random_pairs.sql"); err != nil {
		return err
	}
	var drawn, comparable int64
	if err := m.conn.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE comparable) FROM match_random`).
		Scan(&drawn, &comparable); err != nil {
		return err
	}
	_, perLevel, err := m.patternCounts(ctx,
		`SELECT `+m.levelColumns()+`, count(*) FROM match_random WHERE comparable GROUP BY ALL`)
	if err != nil {
		return err
	}
	m.uCounts = perLevel
	m.res.RandomPairs = comparable
	all := float64(m.res.Records) * float64(m.res.Records-1) / 2
	if drawn > 0 {
		all *= float64(comparable) / float64(drawn)
	}
	m.res.ComparablePairs = all
	return nil
}

// estimate takes u from the random pairs and m and λ by EM on the blocked
// pairs, then the prior among all comparable pairs.
func (m *matcher) estimate(ctx context.Context) error {
	m.u = rules.EstimateU(m.cfg.Comparisons, m.uCounts, m.cfg.UPriorPairs)
	if len(m.vectors) == 0 {
		m.em = rules.EMResult{M: rules.PriorM(m.cfg.Comparisons, m.cfg.MPriorPairs), UBlocked: m.u, Lambda: 0}
		m.priorLog = rules.PriorWeight(1e-12)
		return nil
	}
	em, err := rules.Estimate(rules.EM{
		Comparisons: m.cfg.Comparisons, Counts: m.vectors, U: m.u,
		MaxIterations: m.cfg.EMMaxIterations, Tolerance: m.cfg.EMTolerance, MPriorPairs: m.cfg.MPriorPairs,
	})
	if err != nil {
		return err
	}
	m.em = em
	m.res.LambdaBlocked, m.res.Iterations, m.res.Converged = em.Lambda, em.Iterations, em.Converged
	m.res.Prior = rules.PriorFromBlocked(em.Lambda, float64(m.res.Pairs), m.res.ComparablePairs)
	m.priorLog = rules.PriorWeight(m.res.Prior)
	if !em.Converged {
		m.log.Warn().Int("em_iterations", em.Iterations).Msg("EM did not converge; raise rules.match.em_max_iterations")
	}
	for c, comp := range m.cfg.Comparisons {
		for k, l := range comp.Levels {
			if l.Null {
				continue
			}
			m.log.Debug().Str("comparison", comp.Name).Str("level", l.Name).Float64("m", em.M[c][k]).
				Float64("u", m.u[c][k]).Float64("weight", rules.BayesFactor(em.M[c][k], m.u[c][k])).Msg("match parameter")
		}
	}
	return nil
}

// score scores every pair into link and stores the model, all in one
// transaction.
func (m *matcher) score(ctx context.Context) error {
	q, err := m.steps.render("06_score.sql", m.data())
	if err != nil {
		return err
	}
	if _, err := m.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			m.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if _, err := m.conn.ExecContext(ctx, `DELETE FROM link`); err != nil {
		return err
	}
	if _, err := m.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("06_score.sql: %w", err)
	}
	if err := m.conn.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE decision = 'link'),
		count(*) FILTER (WHERE decision = 'review') FROM link`).Scan(&m.res.Links, &m.res.Reviews); err != nil {
		return err
	}
	for c, comp := range m.cfg.Comparisons {
		for k, l := range comp.Levels {
			var mm, uu, w, ub any
			var src, usrc any
			if !l.Null {
				mm, uu, ub = m.em.M[c][k], m.u[c][k], m.em.UBlocked[c][k]
				w = rules.BayesFactor(m.em.M[c][k], m.u[c][k])
				src, usrc = "em", "random"
				if l.M > 0 {
					src = "config"
				}
				if l.U > 0 {
					usrc = "config"
				}
			}
			if _, err := m.conn.ExecContext(ctx, `INSERT INTO match_param (run_id, comparison, level, level_index, m, u, source, pairs,
				u_source, weight, u_blocked, comparison_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				m.runID, comp.Name, l.Name, k, mm, uu, src, m.levelN[c][k], usrc, w, ub, c); err != nil {
				return err
			}
		}
	}
	for i, r := range m.res.Rules {
		if _, err := m.conn.ExecContext(ctx, `INSERT INTO match_rule_count (run_id, rule, pairs, new_pairs, rule_index, generated)
			VALUES (?, ?, ?, ?, ?, ?)`, m.runID, r.Rule, r.Pairs, r.NewPairs, i, r.Generated); err != nil {
			return err
		}
	}
	if err := m.keep(ctx); err != nil {
		return err
	}
	seconds := time.Since(m.began).Seconds()
	if _, err := m.conn.ExecContext(ctx, `INSERT INTO match_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.runID, m.res.Records, m.res.Pairs, m.res.ComparablePairs, m.res.RandomPairs, m.res.LambdaBlocked,
		m.res.Prior, m.res.Iterations, m.res.Converged, m.res.Links, m.res.Reviews, seconds); err != nil {
		return err
	}
	if _, err := m.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	committed = true
	return nil
}

// dropTemp drops the step tables, so a pooled connection does not keep
// them (and their memory) after Match returns.
func (m *matcher) dropTemp() {
	for _, t := range []string{"match_input", "match_candidate", "match_pair", "match_vector", "match_random",
		"match_rule"} {
		m.conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.`+t)
	}
}
