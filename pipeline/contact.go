package pipeline

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/rules"
)

//go:embed sql/contact/*.sql
var contactSQLFiles embed.FS

// ContactResult is what linking contact records did.
type ContactResult struct {
	Records    int            // current contact records
	Identities int            // distinct identities among them, each compared once
	ByOutcome  map[string]int // linked, decided, dismissed, ambiguous, unmatched
	Duplicates int            // activity records counted once with an earlier one
}

// contactTemplate is what the sql/contact templates see.
type contactTemplate struct {
	Input, ContactInput  string
	Rules                []blockingTemplate
	Comparisons          []comparisonTemplate
	MinWeight, MinMargin string
	MaxBlock             int
	KeySourceKind        bool   // a comparison or blocking key reads source_kind: it is part of a card's identity
	KeyRecordID          bool   // one reads record_id: every card is its own identity
	Part, Parts          int    // 02_score.sql: which part of the contact identities
	VolunteerPattern     string // SQL literal of a regular expression
	OtherType            string // SQL literal
	Today                string // SQL DATE literal
	Year                 int
	LostMonths           int
	WarnMonths           int
	MinVisits            int
	MaxLoad              int
	TitledSurname        string // SQL literal: a regexp of a surname and a title (王书记), the title its group 1
}

// NameLiteral is the comparison's name as a SQL string literal.
func (c comparisonTemplate) NameLiteral() string { return sqlString(c.Name) }

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// titledSurname is a regexp of one Han character and a title (王书记), with
// the title as group 1.
func titledSurname() string {
	titles := rules.NameTitles()
	for i, t := range titles {
		titles[i] = regexp.QuoteMeta(t)
	}
	return `^\p{Han}(` + strings.Join(titles, "|") + `)$`
}

// Contact linking runs in two parts on one connection. contactSteps.score
// (01_link.sql, 02_score.sql) makes only temporary tables, from what is
// committed (the members the reconciliation's first transaction wrote), and
// runs outside any transaction: DuckDB reads a table made inside an open
// transaction about half as fast (at 1M persons, 01 and each part of 02 took
// about twice as long inside). contactSteps.apply (03_outcome.sql,
// 04_member.sql) writes what they found, inside the second transaction. A
// crash between the two leaves nothing of the scoring: a rerun scores again.
// (Computing 03's and 04's rows outside the transaction too and only
// copying them in was tried in session 9: at 1M, 03 took 19.5 s outside and
// the copy of 7.2M contact rows 11 s more inside, against 22 s for both
// inside.)

// contactSteps renders the contact templates.
type contactSteps struct {
	t       *template.Template
	d       contactTemplate
	perPart int // rules.contacts.records_per_part
	log     zerolog.Logger
}

// newContactSteps prepares the contact templates for cfg; today is the run
// date: the year counted and the reference of 失联.
func newContactSteps(cfg rules.Config, today time.Time, log zerolog.Logger) (*contactSteps, error) {
	// The contact steps use the matcher's templates (levels of comparisons).
	steps, err := newMatchSteps()
	if err != nil {
		return nil, err
	}
	t, err := steps.t.ParseFS(contactSQLFiles, "sql/contact/*.sql")
	if err != nil {
		return nil, fmt.Errorf("parse contact sql: %w", err)
	}
	c := cfg.Contacts
	words := make([]string, 0, len(c.VolunteerWords))
	for _, w := range c.VolunteerWords {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, regexp.QuoteMeta(w))
		}
	}
	pattern := "(?!)" // matches nothing
	if len(words) > 0 {
		pattern = strings.Join(words, "|")
	}
	d := contactTemplate{
		Input: asQuery(cfg.Match.Input), ContactInput: asQuery(c.Input),
		Rules:     blockingTemplates(append(append([]rules.BlockingRule{}, cfg.Match.Blocking...), c.Blocking...)),
		MinWeight: sqlFloat(c.MinWeight), MinMargin: sqlFloat(c.MinMargin), MaxBlock: c.MaxBlockMembers,
		VolunteerPattern: sqlString(pattern), OtherType: sqlString(c.OtherType),
		Today: "DATE " + sqlString(today.Format("2006-01-02")), Year: today.Year(),
		LostMonths: c.LostAfterMonths, WarnMonths: c.WarnAfterMonths, MinVisits: c.MinVisitsPerYear,
		MaxLoad: c.MaxMembersPerCounsellor, TitledSurname: sqlString(titledSurname()),
	}
	for i, cmp := range cfg.Match.Comparisons {
		d.Comparisons = append(d.Comparisons, comparisonTemplate{Comparison: cmp, Index: i})
	}
	d.KeySourceKind = readsColumn(d.Rules, cfg.Match.Comparisons, "source_kind")
	d.KeyRecordID = readsColumn(d.Rules, cfg.Match.Comparisons, "record_id")
	return &contactSteps{t: t, d: d, perPart: c.RecordsPerPart, log: log}, nil
}

// run renders file and executes it on conn.
func (s *contactSteps) run(ctx context.Context, conn *sql.Conn, file string) error {
	var b strings.Builder
	if err := s.t.ExecuteTemplate(&b, file, s.d); err != nil {
		return fmt.Errorf("render %s: %w", file, err)
	}
	defer stepTime(s.log, "contact/"+file, time.Now())
	if _, err := conn.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("contacts %s: %w", file, err)
	}
	return nil
}

// score compares every current contact record's identity with the
// person records of current members, a part at a time, into the temporary
// table contact_best (01_link.sql, 02_score.sql), on conn outside a
// transaction. It returns the number of identities.
func (s *contactSteps) score(ctx context.Context, conn *sql.Conn) (int, error) {
	if err := s.run(ctx, conn, "01_link.sql"); err != nil {
		return 0, err
	}
	var identities int64
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM contact_key`).Scan(&identities); err != nil {
		return 0, fmt.Errorf("count contact identities: %w", err)
	}
	per := int64(s.perPart)
	s.d.Parts = int(max(1, (identities+per-1)/per))
	for s.d.Part = 0; s.d.Part < s.d.Parts; s.d.Part++ {
		if err := s.run(ctx, conn, "02_score.sql"); err != nil {
			return 0, err
		}
	}
	return int(identities), nil
}

// apply links every current contact record to a member (or finds it
// ambiguous or unmatched) from what score found, recomputes what contacts
// say about each member and stages this run's contact discrepancies (temp
// table contact_discrepancy), on conn inside the reconciliation's second
// transaction.
func (s *contactSteps) apply(ctx context.Context, conn *sql.Conn, identities int) (*ContactResult, error) {
	for _, file := range []string{"03_outcome.sql", "04_member.sql"} {
		if err := s.run(ctx, conn, file); err != nil {
			return nil, err
		}
	}
	res := &ContactResult{ByOutcome: map[string]int{}, Identities: identities}
	rows, err := conn.QueryContext(ctx, `SELECT outcome, count(*), count(duplicate_of) FROM contact GROUP BY outcome`)
	if err != nil {
		return nil, fmt.Errorf("count contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var outcome string
		var n, dup int
		if err := rows.Scan(&outcome, &n, &dup); err != nil {
			return nil, err
		}
		res.ByOutcome[outcome] = n
		res.Records += n
		res.Duplicates += dup
	}
	return res, rows.Err()
}

// readsColumn reports whether a blocking key or condition or a comparison level's SQL
// mentions column (as a word: source_kind, not source_kind_x): such a column
// must be part of what makes two contact records the same identity.
func readsColumn(blocking []blockingTemplate, comparisons []rules.Comparison, column string) bool {
	word := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(column) + `($|[^A-Za-z0-9_])`)
	for _, r := range blocking {
		for _, k := range append([]string{r.UnlessBoth}, r.Keys...) {
			if word.MatchString(k) {
				return true
			}
		}
	}
	for _, c := range comparisons {
		for _, l := range c.Levels {
			if word.MatchString(l.SQL) {
				return true
			}
		}
	}
	return false
}
