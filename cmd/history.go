package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/pipeline"
)

func newHistoryCmd(e *env) *cobra.Command {
	var (
		cf configFlags
		n  int
	)
	c := &cobra.Command{
		Use:   "history",
		Short: "List recent runs: start, duration, status, files, members, changes, quarantined files",
		Long: `List the newest runs of the registry (table runs), newest first: when each started, how long it took,
its status, files seen and newly read, quarantined files, members at its end, what reconciliation changed
(members created, merged, split, retired; status changes; discrepancies opened and resolved), its backup
and its error. The registry is opened read-only.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			if n < 1 {
				return usageError(fmt.Errorf("-n must be at least 1, got %d", n), "liudong history -n 20")
			}
			if err := registryExists(cfg); err != nil {
				return err
			}
			runs, err := pipeline.History(c.Context(), cfg.Database, n)
			if err != nil {
				return registryBusy(err, cfg)
			}
			printHistory(e.stdout, cfg, runs)
			return nil
		},
	}
	cf.register(c.Flags(), "unused by history")
	c.Flags().IntVarP(&n, "n", "n", 20, "how many runs")
	return c
}

// printHistory prints runs as an aligned table (printTable, as liudong sql),
// their start as the street's clock read it.
func printHistory(w io.Writer, cfg pipeline.Config, runs []pipeline.RunRow) {
	table := [][]string{{"运行", "开始", "用时", "状态", "文件(新读/共)", "隔离", "党员", "变化", "备份", "错误"}}
	for _, r := range runs {
		members := "—"
		if r.Members.Valid {
			members = strconv.FormatInt(r.Members.Int64, 10)
		}
		backup := "—"
		if r.Backup != "" {
			backup = filepath.Base(r.Backup)
		}
		table = append(table, []string{
			"#" + strconv.Itoa(r.RunID), inStreetZone(cfg, r.Started).Format("2006-01-02 15:04"), durationText(r), output.StatusTitle(r.Status),
			fmt.Sprintf("%d/%d", r.FilesLoaded, r.FilesSeen), strconv.Itoa(r.FilesQuarantined), members, changesText(r),
			backup, tableCell(r.Error),
		})
	}
	printTable(w, table)
	fmt.Fprintf(w, "(%d 次运行)\n", len(runs))
}

// inStreetZone is t as the street's clock reads it (timezone in config.yaml;
// runs.started_at comes back from the registry in UTC).
func inStreetZone(cfg pipeline.Config, t time.Time) time.Time {
	if loc, err := cfg.Location(); err == nil {
		return t.In(loc)
	}
	return t // not reached: loadConfig validated timezone
}

func durationText(r pipeline.RunRow) string {
	d := r.Duration()
	if d <= 0 {
		return "—"
	}
	return d.Round(100 * time.Millisecond).String()
}

// changesText says what reconciliation changed in a run, leaving out zeros.
func changesText(r pipeline.RunRow) string {
	var parts []string
	add := func(label string, n int) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d", label, n))
		}
	}
	add("新增", r.Created)
	add("合并", r.Merged)
	add("拆分", r.Split)
	add("退出", r.Retired)
	add("状态变化", r.StatusChanges)
	add("差异+", r.DiscrepanciesOpened)
	add("差异−", r.DiscrepanciesResolved)
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " ")
}

// registryExists is a usage error when the registry was never made.
func registryExists(cfg pipeline.Config) error {
	if _, err := os.Stat(cfg.Database); err != nil {
		return usageError(fmt.Errorf("registry %s: %w", cfg.Database, err), "run `liudong run` first, or pass --db")
	}
	return nil
}

// registryBusy explains an error opening the registry read-only: DuckDB
// refuses readers while a run writes to it.
func registryBusy(err error, cfg pipeline.Config) error {
	if h := pipeline.LockHolder(cfg.Database); h != nil {
		return &exitError{code: ExitLocked, err: fmt.Errorf("registry is being written by process %d (%s, since %s): %w",
			h.PID, h.Command, h.Started.Format("2006-01-02 15:04:05"), err),
			hint: "一次运行正在写入台账，结束后再查看（liudong status 会显示进程号）"}
	}
	return err
}
