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

// parquetExports are what each run exports, partitioned by community in
// the Hive layout (parquet/member/community=<社区>/data_0.parquet, without
// the community column, which readers take from the path), in a stable row
// order: order, or for source records the order they are stored in (that
// of their loading: the same for the same registry, not sorted, since
// sorting each file's rows with their cells was a fifth of the export's CPU
// at 1M persons). Members and records with no community go to
// community=__HIVE_DEFAULT_PARTITION__, which Hive-partitioned readers
// (DuckDB, Spark, Trino) read back as NULL, as the views have it.
//
// A file whose rows hash the same as in the previous run folder is linked
// from there, not written again; unhashed are columns its rows' hash leaves
// out. A source record's raw row never changes after loading (a changed
// file is loaded as new records), and hashing its JSON would cost more than
// the rest of the row.
//
// Source records are what the inbox said and do not change once loaded:
// they are exported without their member (record_member says which member
// each is tonight, a merge changes only that), in a file per community and
// group of parquetChunkFiles inbox files (source_record/community=<社区>/
// files_0016-0031.parquet), so a night's new files and the files they
// replace rewrite only their groups, not the million records before them.
var parquetExports = []struct {
	// columns are what is selected from view, community among them.
	name, view, columns, order, unhashed string
	chunked                              bool
}{
	{"member", "v_member", "*", "member_id", "", false},
	{"source_record", "v_source_record", "* EXCLUDE (member_id)", "", "raw, extra", true},
	{"record_member", "v_source_record", "record_id, member_id, community", "record_id", "", false},
}

// parquetChunkFiles is how many inbox files' records share a source_record
// file: record IDs are file_id * recordIDStride + ordinal, so a group is a
// range of record IDs.
const parquetChunkFiles = 16

// parquetChunkSpan is the record IDs of one group of inbox files.
const parquetChunkSpan = parquetChunkFiles * recordIDStride

// parquetVersion is part of every partition's reuse key: change it when the
// export's code changes what the same rows are written as.
const parquetVersion = "parquet-4"

// exportParquet writes v_member, v_source_record and each record's member
// as Parquet partitioned by community into dir (the run folder under
// construction, so the export is published with the rest or not at all)
// and adds every file to its manifest. The export holds full ID numbers and
// phones, like the registry workbook.
//
// Each file is its own COPY, ordered or in storage order: DuckDB writes an
// unpartitioned COPY that keeps its order in the same bytes whatever its
// threads (preserve_insertion_order, its default), whereas its
// partitioned writer orders rows differently from run to run on more than
// one thread. A file whose rows are the same as in the previous run (same
// reuse key) is taken from there.
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
		from := fmt.Sprintf("(SELECT %s FROM %s)", e.columns, e.view)
		parts, err := parquetPartitions(ctx, conn, from, e.unhashed, e.chunked)
		if err != nil {
			return fmt.Errorf("export %s as parquet: %w", e.name, err)
		}
		columns, err := viewColumns(ctx, conn, from)
		if err != nil {
			return fmt.Errorf("export %s as parquet: %w", e.name, err)
		}
		for _, p := range parts {
			name := ParquetDir + "/" + e.name + "/community=" + hivePartitionValue(p.community) + "/" + p.file()
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
			if p.chunk.Valid {
				where += fmt.Sprintf(" AND record_id >= %d AND record_id < %d",
					p.chunk.Int64*parquetChunkSpan, (p.chunk.Int64+1)*parquetChunkSpan)
			}
			order := ""
			if e.order != "" {
				order = " ORDER BY " + e.order
			}
			q := fmt.Sprintf(`COPY (SELECT * EXCLUDE (community) FROM %s WHERE %s%s) TO %s (FORMAT parquet)`,
				from, where, order, sqlString(target))
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

// parquetPartition is one file of an export: a community's rows, or the
// rows of one group of inbox files (chunk) in it; how many and the sum of
// their row hashes, which does not depend on row order.
type parquetPartition struct {
	community sql.NullString
	chunk     sql.NullInt64
	rows      int64
	hash      string
}

// file is the partition's file name in its community's folder.
func (p parquetPartition) file() string {
	if !p.chunk.Valid {
		return "data_0.parquet"
	}
	first := p.chunk.Int64 * parquetChunkFiles
	return fmt.Sprintf("files_%04d-%04d.parquet", first, first+parquetChunkFiles-1)
}

// parquetPartitions lists the files of an export (from, a query with a
// community column) with what their rows hash to, leaving out the unhashed
// columns: a file per community, or per community and group of inbox files
// when chunked.
func parquetPartitions(ctx context.Context, conn *sql.Conn, from, unhashed string, chunked bool) ([]parquetPartition, error) {
	if unhashed != "" {
		from = fmt.Sprintf("(SELECT * EXCLUDE (%s) FROM %s)", unhashed, from)
	}
	chunk := "NULL::BIGINT"
	if chunked {
		chunk = fmt.Sprintf("record_id // %d", parquetChunkSpan)
	}
	rows, err := conn.QueryContext(ctx, fmt.Sprintf(`SELECT nullif(community, '') AS c, %s AS chunk, count(*), CAST(sum(hash(v)) AS VARCHAR)
		FROM %s v GROUP BY c, chunk ORDER BY c NULLS LAST, chunk`, chunk, from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []parquetPartition
	for rows.Next() {
		var p parquetPartition
		if err := rows.Scan(&p.community, &p.chunk, &p.rows, &p.hash); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// viewColumns is an export's columns and types, part of the reuse key so
// a registry upgraded to more columns writes every partition again.
func viewColumns(ctx context.Context, conn *sql.Conn, from string) (string, error) {
	var cols string
	err := conn.QueryRowContext(ctx, `SELECT string_agg(column_name || ' ' || column_type, ', ')
		FROM (DESCRIBE SELECT * FROM `+from+`)`).Scan(&cols)
	return cols, err
}

// key is the partition's reuse key: the SHA-256 of the export code's
// version, DuckDB's, the table and its columns, and what the rows hash to.
func (p parquetPartition) key(duckdbVersion, table, columns string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%t\x00%s\x00%t\x00%d\x00%d\x00%s", parquetVersion, duckdbVersion, table, columns,
		p.community.Valid, p.community.String, p.chunk.Valid, p.chunk.Int64, p.rows, p.hash)
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
