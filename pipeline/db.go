package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	// The DuckDB driver also registers "duckdb" with database/sql.
	duckdb "github.com/duckdb/duckdb-go/v2"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the registry: one DuckDB file.
type DB struct {
	*sql.DB
	Path string
}

// OpenDB opens (creating when absent) the registry at path and brings its
// schema up to date.
func OpenDB(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := createDB(ctx, path); err != nil {
			return nil, err
		}
	}
	sqlDB, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{DB: sqlDB, Path: path}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	return db, nil
}

// createDB makes a new registry under a temporary name and renames it into
// place once its schema is in: a process killed while DuckDB writes a new
// file's header would otherwise leave a file no later run can open.
func createDB(ctx context.Context, path string) error {
	tmp := path + ".creating"
	os.Remove(tmp)
	os.Remove(tmp + ".wal")
	sqlDB, err := sql.Open("duckdb", tmp)
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	db := &DB{DB: sqlDB, Path: tmp}
	err = db.migrate(ctx)
	if cerr := sqlDB.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return nil
}

// migration is one embedded schema step, applied once in version order.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", e.Name())
		}
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// pendingMigrations are the embedded migrations the registry has not
// applied, in version order: any one missing, not only those numbered above
// the newest applied (a registry can lack an older one than its newest).
func pendingMigrations(ctx context.Context, db *sql.DB) ([]migration, error) {
	ms, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	var pending []migration
	for _, m := range ms {
		if !applied[m.version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`); err != nil {
		return err
	}
	pending, err := pendingMigrations(ctx, db.DB)
	if err != nil {
		return err
	}
	for _, m := range pending {
		if err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// inTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// appendRows stages rows into a table through DuckDB's Appender on conn (in
// conn's transaction, if one is open): one call for many rows, where an
// INSERT per row costs a statement each (about a millisecond). A temporary
// table is named with catalog "temp".
func appendRows(conn *sql.Conn, catalog, table string, n int, row func(i int) []driver.Value) error {
	return conn.Raw(func(dc any) error {
		dconn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		schema := ""
		if catalog != "" {
			schema = "main"
		}
		app, err := duckdb.NewAppender(dconn, catalog, schema, table)
		if err != nil {
			return fmt.Errorf("appender %s: %w", table, err)
		}
		for i := 0; i < n; i++ {
			if err := app.AppendRow(row(i)...); err != nil {
				app.Close()
				return fmt.Errorf("append to %s: %w", table, err)
			}
		}
		if err := app.Close(); err != nil {
			return fmt.Errorf("append to %s: %w", table, err)
		}
		return nil
	})
}

// limitMemory sets DuckDB's memory_limit for this database instance (the
// setting named key); "" leaves it as it is. A lower limit than before
// evicts DuckDB's cached blocks down to it. limit is checked by
// Config.Validate.
func (db *DB) limitMemory(ctx context.Context, key, limit string) error {
	if limit == "" {
		return nil
	}
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+sqlString(limit)); err != nil {
		return fmt.Errorf("%s %s: %w", key, limit, err)
	}
	return nil
}
