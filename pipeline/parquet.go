package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
)

// ParquetDir is the folder of a run's Parquet export inside the run folder.
const ParquetDir = "parquet"

// parquetExports are the views exported on each run, partitioned by
// community in the Hive layout (parquet/member/community=<社区>/data_0.parquet,
// without the community column, which readers take from the path), in a
// stable row order (order). Members and records with no community go to
// community=__HIVE_DEFAULT_PARTITION__, which Hive-partitioned readers
// (DuckDB, Spark, Trino) read back as NULL, as the views have it.
//
// A partition whose rows hash the same as in the previous run folder is
// linked from there, not written again; unhashed are columns its rows' hash
// leaves out. A source record's raw row never changes after loading (a
// changed file is loaded as new records), and hashing its JSON would cost
// more than the rest of the row.
var parquetExports = []struct{ name, view, order, unhashed string }{
	{"member", "v_member", "member_id", ""},
	{"source_record", "v_source_record", "record_id", "raw, extra"},
}

// parquetVersion is part of every partition's reuse key: change it when the
// export's code changes what the same rows are written as.
const parquetVersion = "parquet-2"

// exportParquet writes v_member and v_source_record as Parquet partitioned
// by community into dir (the run folder under construction, so the export
// is published with the rest or not at all) and adds every file to its
// manifest. The export holds full ID numbers and phones, like the registry
// workbook.
//
// Each partition is its own ordered COPY: DuckDB writes an unpartitioned
// ordered COPY in the same bytes whatever its threads, whereas its
// partitioned writer orders rows differently from run to run on more than
// one thread. A partition whose rows are the same as in the previous run
// (same reuse key) is taken from there.
func (db *DB) exportParquet(ctx context.Context, dir *output.Folder, log zerolog.Logger) error {
	t0 := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("export parquet: %w", err)
	}
	defer conn.Close()
	var version string
	if err := conn.QueryRowContext(ctx, `SELECT version()`).Scan(&version); err != nil {
		return fmt.Errorf("export parquet: %w", err)
	}
	written, reused := 0, 0
	for _, e := range parquetExports {
		parts, err := parquetPartitions(ctx, conn, e.view, e.unhashed)
		if err != nil {
			return fmt.Errorf("export %s as parquet: %w", e.name, err)
		}
		columns, err := viewColumns(ctx, conn, e.view)
		if err != nil {
			return fmt.Errorf("export %s as parquet: %w", e.name, err)
		}
		for _, p := range parts {
			name := ParquetDir + "/" + e.name + "/community=" + hivePartitionValue(p.community) + "/data_0.parquet"
			key := p.key(version, e.name, columns)
			if dir.Reuse(name, key) {
				reused++
				continue
			}
			target := dir.Path(name)
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return fmt.Errorf("export %s as parquet: %w", e.name, err)
			}
			where := "nullif(community, '') IS NULL"
			if p.community.Valid {
				where = "community = " + sqlString(p.community.String)
			}
			q := fmt.Sprintf(`COPY (SELECT * EXCLUDE (community) FROM %s WHERE %s ORDER BY %s) TO %s (FORMAT parquet)`,
				e.view, where, e.order, sqlString(target))
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("export %s as parquet: %w", e.name, err)
			}
			if err := dir.AddExistingKeyed(name, key); err != nil {
				return err
			}
			written++
		}
	}
	log.Info().Int("written", written).Int("reused", reused).
		Float64("seconds", time.Since(t0).Round(time.Millisecond).Seconds()).Msg("parquet exported")
	return nil
}

// parquetPartition is one community's rows of an export: how many and the
// sum of their row hashes, which does not depend on row order.
type parquetPartition struct {
	community sql.NullString
	rows      int64
	hash      string
}

// parquetPartitions lists the communities of a view with what their rows
// hash to, leaving out the unhashed columns.
func parquetPartitions(ctx context.Context, conn *sql.Conn, view, unhashed string) ([]parquetPartition, error) {
	from := view
	if unhashed != "" {
		from = fmt.Sprintf("(SELECT * EXCLUDE (%s) FROM %s)", unhashed, view)
	}
	rows, err := conn.QueryContext(ctx, fmt.Sprintf(`SELECT nullif(community, '') AS c, count(*), CAST(sum(hash(v)) AS VARCHAR)
		FROM %s v GROUP BY c ORDER BY c NULLS LAST`, from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []parquetPartition
	for rows.Next() {
		var p parquetPartition
		if err := rows.Scan(&p.community, &p.rows, &p.hash); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// viewColumns is a view's columns and types, part of the reuse key so a
// registry upgraded to more columns writes every partition again.
func viewColumns(ctx context.Context, conn *sql.Conn, view string) (string, error) {
	var cols string
	err := conn.QueryRowContext(ctx, `SELECT string_agg(column_name || ' ' || column_type, ', ')
		FROM (DESCRIBE SELECT * FROM `+view+`)`).Scan(&cols)
	return cols, err
}

// key is the partition's reuse key: the SHA-256 of the export code's
// version, DuckDB's, the table and its columns, and what the rows hash to.
func (p parquetPartition) key(duckdbVersion, table, columns string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%t\x00%s\x00%d\x00%s", parquetVersion, duckdbVersion, table, columns,
		p.community.Valid, p.community.String, p.rows, p.hash)
	return hex.EncodeToString(h.Sum(nil))
}

// hivePartitionValue writes a partition value as a Hive folder name does:
// NULL (and empty) as __HIVE_DEFAULT_PARTITION__, the characters Hive escapes (/ = %
// : and the like, control characters) as %XX, everything else, Chinese
// included, as it is, so the folders read as the communities they hold.
func hivePartitionValue(v sql.NullString) string {
	if !v.Valid || v.String == "" {
		return "__HIVE_DEFAULT_PARTITION__"
	}
	var b strings.Builder
	for _, r := range v.String {
		if r < 0x20 || r == 0x7f || strings.ContainsRune("\"#%'*/:=?\\{[]^", r) {
			fmt.Fprintf(&b, "%%%02X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// filesUnder lists the regular files under root, relative to it with
// forward slashes, sorted; none when root does not exist (an empty table
// writes no partition).
func filesUnder(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
