package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// Incremental blocking (rules.match.incremental). A record never changes
// once loaded (a changed file brings new records under new IDs), so the
// pair of two records that were both linked last night has the comparison
// vector it had then. The matcher keeps every blocked pair's vector
// (match_vector_kept) and the records it linked (match_record_kept); a run
// generates and compares only the pairs with a new record, takes the kept
// vectors of pairs whose records are both still current, and then, as a
// full run does, estimates the model on all vectors and scores every pair.
// The links are therefore the ones a full run over the same records makes
// (TestIncrementalEqualsFull).

// keptSteps are the step files whose SQL decides what the kept pairs are.
var keptSteps = []string{"01_input.sql", "03_pairs.sql", "04_compare.sql"}

// matchFingerprint is what the kept pairs depend on: the input, the rules,
// the comparisons and the SQL that generates and compares pairs.
func (m *matcher) matchFingerprint() (string, error) {
	h := sha256.New()
	b, err := json.Marshal(struct {
		Input, PairCondition  any
		Blocking, Comparisons any
	}{m.cfg.Input, m.cfg.PairCondition, m.cfg.Blocking, m.cfg.Comparisons})
	if err != nil {
		return "", err
	}
	h.Write(b)
	for _, f := range keptSteps {
		src, err := fs.ReadFile(matchSQLFiles, "sql/match/"+f)
		if err != nil {
			return "", err
		}
		h.Write(src)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// kept decides whether this run is incremental: rules.match.incremental is
// on and the kept pairs were made by the same configuration.
func (m *matcher) kept(ctx context.Context) error {
	fp, err := m.matchFingerprint()
	if err != nil {
		return fmt.Errorf("fingerprint: %w", err)
	}
	m.fingerprint = fp
	if !m.cfg.Incremental {
		return nil
	}
	var have string
	err = m.conn.QueryRowContext(ctx, `SELECT fingerprint FROM match_kept_state`).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // the first run
	case err != nil:
		return err
	case have != fp:
		m.log.Info().Msg("matching configuration changed since the last run: every pair is compared again")
		return nil
	}
	m.res.Incremental = true
	return nil
}

// countNew counts the records the previous run did not link.
func (m *matcher) countNew(ctx context.Context) error {
	if !m.res.Incremental {
		m.res.NewRecords = m.res.Records
		return nil
	}
	return m.conn.QueryRowContext(ctx, `SELECT count(*) FROM match_input WHERE match_new`).Scan(&m.res.NewRecords)
}

// keep brings the kept pairs and records up to date with this run, inside
// score's transaction: a full run replaces them; an incremental one drops
// the pairs and records no longer current and adds the new ones.
func (m *matcher) keep(ctx context.Context) error {
	cols := "l_record_id, r_record_id, rule_index, rule_mask, " + m.levelColumns()
	var steps []string
	if m.res.Incremental {
		steps = []string{
			`DELETE FROM match_vector_kept WHERE l_record_id NOT IN (SELECT record_id FROM match_input)
				OR r_record_id NOT IN (SELECT record_id FROM match_input)`,
			`INSERT INTO match_vector_kept SELECT ` + cols + ` FROM match_vector
				WHERE (l_record_id, r_record_id) IN (SELECT (l_record_id, r_record_id) FROM match_pair)`,
			`DELETE FROM match_record_kept WHERE record_id NOT IN (SELECT record_id FROM match_input)`,
			`INSERT INTO match_record_kept SELECT record_id FROM match_input WHERE match_new`,
		}
	} else {
		steps = []string{
			`CREATE OR REPLACE TABLE match_vector_kept AS SELECT ` + cols + ` FROM match_vector`,
			`CREATE OR REPLACE TABLE match_record_kept AS SELECT record_id FROM match_input`,
		}
	}
	steps = append(steps, `DELETE FROM match_kept_state`)
	for _, q := range steps {
		if _, err := m.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("keep pairs: %w", err)
		}
	}
	if _, err := m.conn.ExecContext(ctx, `INSERT INTO match_kept_state VALUES (?, ?)`, m.fingerprint, m.runID); err != nil {
		return fmt.Errorf("keep pairs: %w", err)
	}
	return nil
}
