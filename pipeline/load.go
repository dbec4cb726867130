package pipeline

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/baolong/liudong/ingest"
	"github.com/baolong/liudong/rules"
)

// recordIDStride bounds a file's records so record IDs stay
// file_id * recordIDStride + ordinal.
const recordIDStride = 10_000_000

// recordColumns are the source_record columns the loader fills, in order.
// The cleaned fields follow the provenance columns; their names are the
// canonical field names of package rules.
var provenanceColumns = []string{
	"record_id", "file_id", "run_id", "source_kind", "file_path", "sheet", "row_number", "status",
	"reject_reason", "retired_run_id", "member_id", "raw", "extra",
	"id_status", "id_prefix", "id_birth_date", "id_gender", "origin_branch_key",
	"error_count", "warning_count", // of the record's findings (migration 0014)
}

// storedFields are the canonical fields with a column of their own.
func storedFields() []rules.Field {
	var out []rules.Field
	for _, f := range rules.Fields() {
		if f != rules.FieldSerial {
			out = append(out, f)
		}
	}
	return out
}

// readAndLoad stores what read reads and cleans of one file (readFile) in
// one transaction, each record appended as soon as it is cleaned: its
// records, their findings and its manifest row. On any error, a file that
// cannot be read included, nothing of it is kept. Several files may be read
// and loaded at once, each on its own connection.
func (db *DB) readAndLoad(ctx context.Context, runID int, pf plannedFile,
	read func(sink func(*ingest.Record) error) (*ingest.Result, error)) (*ingest.Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	// A rerun after a crash may find rows of an earlier attempt only if that
	// attempt committed; it did not, or the file would not be pending.
	var res *ingest.Result
	err = conn.Raw(func(dc any) error {
		dconn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		a, err := newRecordAppender(dconn, runID, pf)
		if err != nil {
			return err
		}
		res, err = read(a.append)
		if err != nil {
			a.close()
			return err
		}
		return a.close()
	})
	if err != nil {
		return nil, err
	}
	acc, rej := res.Counts()
	sheets, _ := json.Marshal(sheetSummaries(res.Info))
	unmapped, _ := json.Marshal(nonNil(res.Unmapped))
	if _, err := conn.ExecContext(ctx, `UPDATE source_file SET status = 'loaded', format = ?, encoding = ?, delimiter = ?,
		date1904 = ?, sheets = ?, unmapped_columns = ?, rows_accepted = ?, rows_rejected = ?, rows_skipped = ?, loaded_run_id = ?
		WHERE file_id = ?`,
		string(res.Info.Format), nullable(res.Info.Encoding), nullable(res.Info.Delimiter), res.Info.Date1904,
		string(sheets), string(unmapped), acc, rej, res.Skipped, runID, pf.FileID); err != nil {
		return nil, fmt.Errorf("update manifest: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	committed = true
	return res, nil
}

// recordAppender appends a file's records and their findings.
type recordAppender struct {
	runID       int
	pf          plannedFile
	fields      []rules.Field
	rows, finds *duckdb.Appender
	row         []driver.Value
}

func newRecordAppender(dconn driver.Conn, runID int, pf plannedFile) (*recordAppender, error) {
	fields := storedFields()
	cols := append(append([]string{}, provenanceColumns...), fieldColumns(fields)...)
	rapp, err := duckdb.NewAppenderWithColumns(dconn, "", "", "source_record", cols)
	if err != nil {
		return nil, fmt.Errorf("appender source_record: %w", err)
	}
	fapp, err := duckdb.NewAppenderFromConn(dconn, "", "finding")
	if err != nil {
		rapp.Close()
		return nil, fmt.Errorf("appender finding: %w", err)
	}
	return &recordAppender{runID: runID, pf: pf, fields: fields, rows: rapp, finds: fapp, row: make([]driver.Value, len(cols))}, nil
}

// append adds one record and its findings.
func (a *recordAppender) append(r *ingest.Record) error {
	if r.Ordinal >= recordIDStride {
		return fmt.Errorf("%s: more than the %d rows a file may hold", a.pf.Rel, recordIDStride-1)
	}
	id := a.pf.FileID*recordIDStride + int64(r.Ordinal)
	fillRecordRow(a.row, id, a.runID, a.pf, r, a.fields)
	if err := a.rows.AppendRow(a.row...); err != nil {
		return fmt.Errorf("append record row %d: %w", r.Row, err)
	}
	for _, f := range r.Findings {
		if err := a.finds.AppendRow(id, a.pf.FileID, nullable(string(f.Field)), nullable(f.Column), nullable(f.Title),
			f.Location, f.Code, string(f.Severity), f.Message); err != nil {
			return fmt.Errorf("append finding: %w", err)
		}
	}
	return nil
}

// close flushes both appenders.
func (a *recordAppender) close() error {
	err := a.rows.Close()
	if err != nil {
		err = fmt.Errorf("flush records: %w", err)
	}
	if ferr := a.finds.Close(); ferr != nil && err == nil {
		err = fmt.Errorf("flush findings: %w", ferr)
	}
	return err
}

// quarantineFile records that a file cannot be read.
func (db *DB) quarantineFile(ctx context.Context, runID int, pf plannedFile, q *ingest.QuarantineError) error {
	_, err := db.ExecContext(ctx, `UPDATE source_file SET status = 'quarantined', quarantine_code = ?, quarantine_reason = ?,
		quarantine_hint = ?, loaded_run_id = ? WHERE file_id = ?`, q.Code, q.Reason, q.Hint, runID, pf.FileID)
	return err
}

func fieldColumns(fields []rules.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = string(f)
	}
	return out
}

// fillRecordRow writes one record into row in the appender's column order.
func fillRecordRow(row []driver.Value, id int64, runID int, pf plannedFile, r *ingest.Record, fields []rules.Field) {
	// The appender marshals Go values into JSON columns itself.
	var extra driver.Value
	if len(r.Extra) > 0 {
		extra = r.Extra
	}
	idv := r.Values[rules.FieldIDNumber]
	var idStatus, idPrefix, idGender, birth driver.Value
	if idv.ID != nil {
		idStatus = string(idv.ID.Status)
		idPrefix = nullable(idv.ID.Prefix)
		idGender = nullable(idv.ID.Gender)
		if !idv.ID.Birth.IsZero() {
			birth = idv.ID.Birth
		}
	} else if idv.Raw == "" {
		idStatus = string(rules.IDMissing)
	}
	row[0] = id
	row[1] = pf.FileID
	row[2] = int32(runID)
	row[3] = string(pf.Kind)
	row[4] = pf.Rel
	row[5] = nullable(r.Sheet)
	row[6] = int32(r.Row)
	row[7] = r.Status
	row[8] = nullable(r.RejectReason)
	row[9] = nil
	row[10] = nil
	row[11] = r.Raw
	row[12] = extra
	row[13] = idStatus
	row[14] = idPrefix
	row[15] = birth
	row[16] = idGender
	row[17] = nullable(r.Values[rules.FieldOriginBranch].Key)
	var errs, warns int64
	for _, f := range r.Findings {
		switch f.Severity {
		case rules.SeverityError:
			errs++
		case rules.SeverityWarning:
			warns++
		}
	}
	row[18] = errs
	row[19] = warns
	first := len(provenanceColumns) // the first field column
	for i, f := range fields {
		v, ok := r.Values[f]
		switch {
		case !ok:
			row[first+i] = nil
		case f == rules.FieldHours:
			if v.Clean == "" {
				row[first+i] = nil
			} else {
				row[first+i] = v.Number
			}
		default:
			row[first+i] = nullable(v.Clean)
		}
	}
}

// nullable turns "" into SQL NULL.
func nullable(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// sheetSummary is one sheet as recorded in source_file.sheets.
type sheetSummary struct {
	Name       string            `json:"name"`
	HeaderRows []int             `json:"header_rows,omitempty"`
	Columns    map[string]string `json:"columns,omitempty"` // letter → "title → field"
	Skipped    string            `json:"skipped,omitempty"`
	Counts     ingest.RowCounts  `json:"counts"`
}

func sheetSummaries(info *ingest.FileInfo) []sheetSummary {
	var out []sheetSummary
	for _, s := range info.Sheets {
		ss := sheetSummary{Name: s.Name, HeaderRows: s.HeaderRows, Skipped: s.Skipped, Counts: s.Counts}
		if len(s.Columns) > 0 {
			ss.Columns = map[string]string{}
			for _, c := range s.Columns {
				v := c.Title
				if c.Field != "" {
					v += " → " + string(c.Field)
				}
				ss.Columns[c.Letter] = v
			}
		}
		out = append(out, ss)
	}
	return out
}
