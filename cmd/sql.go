package cmd

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/baolong/liudong/output"

	// The DuckDB driver registers "duckdb" with database/sql.
	_ "github.com/duckdb/duckdb-go/v2"
)

func newSQLCmd(e *env) *cobra.Command {
	var (
		cf     configFlags
		asCSV  bool
		maxRow int
	)
	c := &cobra.Command{
		Use:   "sql QUERY",
		Short: "Run a read-only SQL query on the registry and print the result",
		Long: `Run one read-only SQL query on the registry database (DuckDB SQL) and print the result as a table,
or as CSV with --csv. The database is opened read-only: nothing can be changed. See the README for the
tables and views (v_member, v_source_record, v_link, v_discrepancy …) and a few useful queries.`,
		Example: `  liudong sql "SELECT status_label, count(*) FROM v_member GROUP BY ALL"
  liudong sql --csv "SELECT * FROM v_discrepancy WHERE resolved_run_id IS NULL" > 差异.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			if _, err := os.Stat(cfg.Database); err != nil {
				return usageError(fmt.Errorf("registry %s: %w", cfg.Database, err), "run `liudong run` first, or pass --db")
			}
			db, err := sql.Open("duckdb", cfg.Database+"?access_mode=read_only")
			if err != nil {
				return fmt.Errorf("open registry: %w", err)
			}
			defer db.Close()
			rows, err := db.QueryContext(c.Context(), args[0])
			if err != nil {
				return usageError(fmt.Errorf("query: %w", err), "check the SQL; the registry is read-only here")
			}
			defer rows.Close()
			if asCSV {
				return writeCSVRows(e.stdout, rows)
			}
			return writeTable(e.stdout, rows, maxRow)
		},
	}
	cf.register(c.Flags(), "unused by sql")
	c.Flags().BoolVar(&asCSV, "csv", false, "print CSV (cells starting with = + - @ are escaped, so a spreadsheet shows text)")
	c.Flags().IntVar(&maxRow, "max-rows", 200, "rows printed as a table (CSV prints all)")
	return c
}

// scanStrings reads every row as text (NULL as "").
func scanStrings(rows *sql.Rows, fn func([]string) error) ([]string, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return cols, err
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
			case []byte:
				rec[i] = string(x)
			case time.Time:
				rec[i] = timeText(x)
			default:
				rec[i] = fmt.Sprint(x)
			}
		}
		if err := fn(rec); err != nil {
			return cols, err
		}
	}
	return cols, rows.Err()
}

// timeText writes a DATE as 2026-05-08 and a TIMESTAMP as 2026-05-08 02:00:00,
// as DuckDB's own shell does, not Go's default with the zone.
func timeText(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.000000")
	}
	return t.Format("2006-01-02 15:04:05")
}

// writeCSVRows prints rows as CSV with a header, escaping cells a
// spreadsheet would run as formulas (OWASP CSV injection).
func writeCSVRows(w io.Writer, rows *sql.Rows) error {
	cw := csv.NewWriter(w)
	cols, _ := rows.Columns()
	if err := cw.Write(cols); err != nil {
		return err
	}
	_, err := scanStrings(rows, func(rec []string) error {
		for i, s := range rec {
			rec[i] = csvSafe(s)
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// csvSafe prefixes a cell that starts like a formula with a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeTable prints at most max rows aligned by display width (a Chinese
// character takes two columns), long cells cut with an ellipsis, and says
// how many rows there were.
func writeTable(w io.Writer, rows *sql.Rows, limit int) error {
	cols, _ := rows.Columns()
	table := [][]string{cols}
	n := 0
	_, err := scanStrings(rows, func(rec []string) error {
		n++
		if n > limit {
			return nil
		}
		for i, s := range rec {
			rec[i] = tableCell(s)
		}
		table = append(table, rec)
		return nil
	})
	if err != nil {
		return err
	}
	printTable(w, table)
	if n > limit {
		fmt.Fprintf(w, "(%d 行，显示前 %d 行；用 --csv 导出全部)\n", n, limit)
	} else {
		fmt.Fprintf(w, "(%d 行)\n", n)
	}
	return nil
}

// tableCell puts a value on one line, cut with an ellipsis past 40 characters.
func tableCell(s string) string {
	s = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:39]) + "…"
	}
	return s
}

// printTable prints rows (the first is the header) aligned by display width.
func printTable(w io.Writer, table [][]string) {
	var widths []int
	for _, r := range table {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], output.DisplayWidth(c))
		}
	}
	for _, r := range table {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-output.DisplayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
