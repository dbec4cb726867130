package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/baolong/liudong/ingest"
	"github.com/baolong/liudong/rules"
)

// recordIDStride bounds a file's records so record IDs stay
// file_id * recordIDStride + ordinal.
const recordIDStride = 10_000_000

// provenanceColumns are the first source_record columns the loader fills.
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

// loadGroupRows is how many rows a loader appends before it commits them:
// about two of DuckDB's row groups (122,880 rows), past which a
// transaction's appended rows are written to the database file as they
// fill. Against a transaction per file, at 100k persons: 56 → 51–53 CPU s
// and peak memory 1.40 → 0.90 GB (docs/SCALING.md, session 10).
const loadGroupRows = 250_000

// loader stores what read reads and cleans of one file after another on one
// connection, a group of files to a transaction: their records, their
// findings and their manifest rows. A group is all or nothing: files of a
// group not yet committed stay pending, and a crash before the commit leaves
// nothing of them, so a rerun reads them again. A file that cannot be read
// leaves nothing either: its rows are deleted from the open transaction and
// the rest of the group goes on. Several loaders may run at once.
type loader struct {
	conn      *sql.Conn
	runID     int
	inTx      bool
	rows      int             // appended in the open transaction
	ins       *recordInsert   // read once
	app       *recordAppender // the open group's; nil before its first file
	unflushed int             // rows appended to app since it last flushed
	manifest  [][]any         // the group's loaded files' source_file values (manifestColumns), set at its commit
	batch     int             // files to one UPDATE of source_file: manifestBatch
}

// manifestColumns are the source_file columns a loaded file sets, with the
// types of their values, file_id last.
var manifestColumns = []struct{ name, typ string }{
	{"format", "VARCHAR"}, {"encoding", "VARCHAR"}, {"delimiter", "VARCHAR"}, {"date1904", "BOOLEAN"},
	{"sheets", "VARCHAR"}, {"unmapped_columns", "VARCHAR"}, {"rows_accepted", "INTEGER"}, {"rows_rejected", "INTEGER"},
	{"rows_skipped", "INTEGER"}, {"loaded_run_id", "INTEGER"}, {"file_id", "BIGINT"},
}

// manifestBatch is how many files one UPDATE of source_file sets.
const manifestBatch = 200

// loadFlushRows is how many rows a loader's appenders buffer before they
// insert them into the open transaction. Each insert has a fixed cost (its
// query is planned again: a few milliseconds), which an appender per file
// paid for every file: at 10k persons, files of 500 rows, a fifth of
// ingest's CPU. Flushing every 50,000 rows or so keeps what a worker buffers
// to tens of megabytes.
const loadFlushRows = 50_000

func (db *DB) newLoader(ctx context.Context, runID int) (*loader, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &loader{conn: conn, runID: runID, batch: manifestBatch}, nil
}

// full reports whether the open group should be committed.
func (l *loader) full() bool { return l.rows >= loadGroupRows }

// load reads one file into the open group (starting one when none is). A
// quarantine error leaves the group as it was; any other error leaves it
// unusable: the caller must not commit it.
func (l *loader) load(ctx context.Context, pf plannedFile,
	read func(sink func(*ingest.Record) error) (*ingest.Result, error)) (*ingest.Result, error) {
	if !l.inTx {
		if _, err := l.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return nil, err
		}
		l.inTx, l.rows = true, 0
	}
	if l.ins == nil {
		ins, err := newRecordInsert(ctx, l.conn)
		if err != nil {
			return nil, err
		}
		l.ins = ins
	}
	// A rerun after a crash may find rows of an earlier attempt only if that
	// attempt committed; it did not, or the file would not be pending.
	var res *ingest.Result
	err := l.conn.Raw(func(dc any) error {
		if l.app == nil {
			dconn, ok := dc.(driver.Conn)
			if !ok {
				return fmt.Errorf("unexpected driver connection %T", dc)
			}
			a, err := newRecordAppender(dconn, l.runID, l.ins)
			if err != nil {
				return err
			}
			l.app, l.unflushed = a, 0
		}
		l.app.pf = pf
		var err error
		res, err = read(l.app.append)
		return err
	})
	var q *ingest.QuarantineError
	if errors.As(err, &q) {
		// What the file appended is inserted with the rows before it, then
		// deleted: the appenders cannot take back rows.
		if ferr := l.flush(); ferr != nil {
			return nil, fmt.Errorf("forget the rows of a quarantined file: %w (%w)", ferr, err)
		}
		for _, table := range []string{"finding", "source_record"} {
			if _, derr := l.conn.ExecContext(ctx, "DELETE FROM "+table+" WHERE file_id = ?", pf.FileID); derr != nil {
				return nil, fmt.Errorf("forget the rows of a quarantined file: %w (%w)", derr, err)
			}
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	acc, rej := res.Counts()
	sheets, _ := json.Marshal(sheetSummaries(res.Info))
	unmapped, _ := json.Marshal(nonNil(res.Unmapped))
	// Set at the commit, a batch of files to a statement: an UPDATE costs
	// about a millisecond, a tenth of a small file's load.
	l.manifest = append(l.manifest, []any{string(res.Info.Format), nullable(res.Info.Encoding), nullable(res.Info.Delimiter),
		res.Info.Date1904, string(sheets), string(unmapped), acc, rej, res.Skipped, l.runID, pf.FileID})
	l.rows += acc + rej
	if l.unflushed += acc + rej; l.unflushed >= loadFlushRows {
		if err := l.flush(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// writeManifest marks the group's loaded files loaded, with what was read
// of them, in the open transaction.
func (l *loader) writeManifest(ctx context.Context) error {
	defer func() { l.manifest = l.manifest[:0] }()
	set := make([]string, 0, len(manifestColumns)-1)
	row := make([]string, len(manifestColumns))
	names := make([]string, len(manifestColumns))
	for i, c := range manifestColumns {
		names[i] = c.name
		row[i] = "?::" + c.typ
		if c.name != "file_id" {
			set = append(set, c.name+" = v."+c.name)
		}
	}
	for len(l.manifest) > 0 {
		batch := l.manifest[:min(l.batch, len(l.manifest))]
		l.manifest = l.manifest[len(batch):]
		values := make([]string, len(batch))
		args := make([]any, 0, len(batch)*len(manifestColumns))
		for i, vals := range batch {
			values[i] = "(" + strings.Join(row, ", ") + ")"
			args = append(args, vals...)
		}
		q := "UPDATE source_file SET status = 'loaded', " + strings.Join(set, ", ") +
			" FROM (VALUES " + strings.Join(values, ", ") + ") AS v(" + strings.Join(names, ", ") + ")" +
			" WHERE source_file.file_id = v.file_id"
		if _, err := l.conn.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("update manifest: %w", err)
		}
	}
	return nil
}

// flush inserts what the group's appenders hold into the open transaction.
func (l *loader) flush() error {
	if l.app == nil {
		return nil
	}
	l.unflushed = 0
	// The appenders use the driver's connection: inside Raw, as when made.
	return l.conn.Raw(func(any) error { return l.app.flush() })
}

// closeAppenders flushes and closes the group's appenders.
func (l *loader) closeAppenders() error {
	if l.app == nil {
		return nil
	}
	a := l.app
	l.app = nil
	return l.conn.Raw(func(any) error { return a.close() })
}

// commit commits the open group, if any.
func (l *loader) commit(ctx context.Context) error {
	if !l.inTx {
		return nil
	}
	l.inTx = false
	err := l.closeAppenders()
	if err == nil {
		err = l.writeManifest(ctx)
	}
	if err != nil {
		l.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	if _, err := l.conn.ExecContext(ctx, "COMMIT"); err != nil {
		l.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// close rolls back a group not committed and returns the connection.
func (l *loader) close(ctx context.Context) error {
	if l.inTx {
		l.manifest = l.manifest[:0]
		l.closeAppenders() // what they hold goes with the transaction
		l.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		l.inTx = false
	}
	return l.conn.Close()
}

// recordAppender appends records and their findings, of one file after
// another (pf: the file being read).
type recordAppender struct {
	runID       int
	pf          plannedFile
	fields      map[rules.Field]int // a stored field's position among the field columns
	rows, finds *duckdb.Appender
	row         []driver.Value
	json        rawJSON
}

// recordInsert is how the loader appends to source_record: the columns it
// fills (provenanceColumns, then the stored fields), the types their values
// are appended as, and the query that inserts them. The JSON columns are
// appended as the text rawJSON makes and cast on insert, so the appender
// does not marshal them.
type recordInsert struct {
	names []string
	types []duckdb.TypeInfo
	query string
}

// newRecordInsert reads source_record's column types on conn.
func newRecordInsert(ctx context.Context, conn *sql.Conn) (*recordInsert, error) {
	rows, err := conn.QueryContext(ctx, `SELECT column_name, data_type FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'source_record'`)
	if err != nil {
		return nil, fmt.Errorf("source_record columns: %w", err)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("source_record columns: %w", err)
		}
		types[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("source_record columns: %w", err)
	}
	appended := map[string]duckdb.Type{
		"BIGINT": duckdb.TYPE_BIGINT, "INTEGER": duckdb.TYPE_INTEGER, "VARCHAR": duckdb.TYPE_VARCHAR,
		"JSON": duckdb.TYPE_VARCHAR, "DATE": duckdb.TYPE_DATE, "DOUBLE": duckdb.TYPE_DOUBLE, "BOOLEAN": duckdb.TYPE_BOOLEAN,
	}
	in := &recordInsert{names: append(append([]string{}, provenanceColumns...), fieldColumns(storedFields())...)}
	sel := make([]string, len(in.names))
	for i, name := range in.names {
		t, ok := appended[types[name]]
		if !ok {
			return nil, fmt.Errorf("source_record.%s: type %q not known to the loader", name, types[name])
		}
		info, err := duckdb.NewTypeInfo(t)
		if err != nil {
			return nil, fmt.Errorf("source_record.%s: %w", name, err)
		}
		in.types = append(in.types, info)
		sel[i] = name
		if types[name] == "JSON" {
			sel[i] = name + "::JSON"
		}
	}
	in.query = "INSERT INTO source_record (" + strings.Join(in.names, ", ") + ") SELECT " + strings.Join(sel, ", ") + " FROM appended_data"
	return in, nil
}

// newRecordAppender appends records (through in) and findings.
func newRecordAppender(dconn driver.Conn, runID int, in *recordInsert) (*recordAppender, error) {
	rapp, err := duckdb.NewQueryAppender(dconn, in.query, "appended_data", in.types, in.names)
	if err != nil {
		return nil, fmt.Errorf("appender source_record: %w", err)
	}
	fapp, err := duckdb.NewAppenderFromConn(dconn, "", "finding")
	if err != nil {
		rapp.Close()
		return nil, fmt.Errorf("appender finding: %w", err)
	}
	fields := map[rules.Field]int{}
	for i, f := range storedFields() {
		fields[f] = i
	}
	return &recordAppender{runID: runID, fields: fields, rows: rapp, finds: fapp, row: make([]driver.Value, len(in.names))}, nil
}

// append adds one record and its findings.
func (a *recordAppender) append(r *ingest.Record) error {
	if r.Ordinal >= recordIDStride {
		return fmt.Errorf("%s: more than the %d rows a file may hold", a.pf.Rel, recordIDStride-1)
	}
	id := a.pf.FileID*recordIDStride + int64(r.Ordinal)
	fillRecordRow(a.row, id, a.runID, a.pf, r, a.fields, &a.json)
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

// flush inserts what both appenders hold.
func (a *recordAppender) flush() error {
	if err := a.rows.Flush(); err != nil {
		return fmt.Errorf("flush records: %w", err)
	}
	if err := a.finds.Flush(); err != nil {
		return fmt.Errorf("flush findings: %w", err)
	}
	return nil
}

// close flushes and closes both appenders.
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

// fillRecordRow writes one record into row in the appender's column order;
// fields are the stored fields' positions among the field columns.
func fillRecordRow(row []driver.Value, id int64, runID int, pf plannedFile, r *ingest.Record, fields map[rules.Field]int,
	enc *rawJSON) {
	var extra driver.Value
	if len(r.Extra) > 0 {
		extra = enc.encode(r.Extra)
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
	row[11] = enc.encode(r.Raw)
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
	// The record's values, not every stored field: a record has a value
	// for the dozen fields its file's columns map to, of some forty, and a
	// lookup of each field in its map (and the copy of a Value it returns)
	// was a tenth of the loader's CPU.
	first := len(provenanceColumns) // the first field column
	clear(row[first:])
	for f, v := range r.Values {
		i, ok := fields[f]
		switch {
		case !ok: // not stored (the serial number)
		case f == rules.FieldHours:
			if v.Clean != "" {
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
