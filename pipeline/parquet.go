package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/output"
)

// ParquetDir is the folder of a run's Parquet export inside the run folder.
const ParquetDir = "parquet"

// parquetExports are the tables exported on each run, partitioned by
// community (Hive layout: parquet/member/community=<社区>/data_0.parquet), in
// a stable row order. Members and records with no community go to DuckDB's
// community=__HIVE_DEFAULT_PARTITION__, which Hive-partitioned readers
// (DuckDB, Spark, Trino) read back as NULL, as the views have it.
var parquetExports = []struct{ name, query string }{
	{"member", `SELECT * FROM v_member ORDER BY member_id`},
	{"source_record", `SELECT * FROM v_source_record ORDER BY record_id`},
}

// exportParquet writes v_member and v_source_record as Parquet partitioned
// by community into dir (the run folder under construction, so the export
// is published with the rest or not at all) and adds every file to its
// manifest. The export holds full ID numbers and phones, like the registry
// workbook.
//
// DuckDB writes partitions from several threads in an order that varies
// between runs; with one thread the same registry gives the same bytes, so
// the export runs on one connection with threads = 1 and restores the
// setting afterwards.
func (db *DB) exportParquet(ctx context.Context, dir *output.Folder, log zerolog.Logger) error {
	t0 := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("export parquet: %w", err)
	}
	defer conn.Close()
	var threads int
	if err := conn.QueryRowContext(ctx, `SELECT current_setting('threads')`).Scan(&threads); err != nil {
		return fmt.Errorf("export parquet: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SET threads = 1`); err != nil {
		return fmt.Errorf("export parquet: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`SET threads = %d`, threads))

	if err := os.MkdirAll(dir.Path(ParquetDir), 0o755); err != nil {
		return fmt.Errorf("export parquet: %w", err)
	}
	files := 0
	for _, e := range parquetExports {
		name := ParquetDir + "/" + e.name
		target := dir.Path(name)
		_, err := conn.ExecContext(ctx, fmt.Sprintf(`COPY (%s) TO %s (FORMAT parquet, PARTITION_BY (community))`,
			e.query, sqlString(target)))
		if err != nil {
			return fmt.Errorf("export %s as parquet: %w", e.name, err)
		}
		written, err := filesUnder(target)
		if err != nil {
			return fmt.Errorf("export %s as parquet: %w", e.name, err)
		}
		for _, rel := range written {
			if err := dir.AddExisting(name + "/" + rel); err != nil {
				return err
			}
		}
		files += len(written)
	}
	log.Info().Int("files", files).Float64("seconds", time.Since(t0).Round(time.Millisecond).Seconds()).
		Msg("parquet exported")
	return nil
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
