package cmd

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/baolong/liudong/ingest"
	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/pipeline"
)

func newStatusCmd(e *env) *cobra.Command {
	var cf configFlags
	c := &cobra.Command{
		Use:   "status",
		Short: "Show the last run and what is waiting in the inbox (new, changed, removed files by kind)",
		Long: `Show whether a run is in progress, the last run, and what the next run will read or retire: the inbox
compared with the registry's file manifest as a run's plan would, without loading or changing anything.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			w := e.stdout
			fmt.Fprintf(w, "台账数据库：%s\n", cfg.Database)
			h := pipeline.LockHolder(cfg.Database)
			if h != nil {
				fmt.Fprintf(w, "正在运行：进程 %d（%s），开始于 %s\n", h.PID, h.Command, h.Started.Format("2006-01-02 15:04:05"))
			}
			st, err := pipeline.Status(c.Context(), cfg, Version)
			if err != nil && h != nil {
				fmt.Fprintln(w, "运行中台账不能读取：结束后再用 liudong status 或 liudong history 查看")
				return nil
			} else if err != nil {
				return err
			}
			printStatus(w, cfg, st)
			return nil
		},
	}
	cf.register(c.Flags(), "unused by status")
	return c
}

func printStatus(w io.Writer, cfg pipeline.Config, st *pipeline.StatusReport) {
	switch r := st.LastRun; {
	case !st.Registry:
		fmt.Fprintln(w, "上次运行：无（台账尚未创建，第一次运行会创建它）")
	case r == nil:
		fmt.Fprintln(w, "上次运行：无")
	default:
		fmt.Fprintf(w, "上次运行：#%d，%s 开始，用时 %s，%s\n", r.RunID, inStreetZone(cfg, r.Started).Format("2006-01-02 15:04:05"), durationText(*r), output.StatusTitle(r.Status))
		members := ""
		if r.Members.Valid {
			members = fmt.Sprintf("；党员 %d 人", r.Members.Int64)
		}
		fmt.Fprintf(w, "  文件 %d 个（新读取 %d，隔离 %d）%s；变化：%s\n", r.FilesSeen, r.FilesLoaded, r.FilesQuarantined, members, changesText(*r))
		if r.Error != "" {
			fmt.Fprintf(w, "  错误：%s\n", r.Error)
		}
	}
	fmt.Fprintf(w, "收件箱：%s，%d 个文件\n", cfg.Inbox.Dir, st.Files)
	if len(st.Changes) == 0 {
		fmt.Fprintln(w, "待处理：无（没有新的、变化的或移出的文件）")
		if st.Changed != "" && st.Registry {
			fmt.Fprintf(w, "下次运行会重新计算匹配和党员（%s），并先备份台账\n", st.Changed)
		}
		return
	}
	type counts struct{ new, changed, removed, pending int }
	by := map[string]*counts{}
	for _, ch := range st.Changes {
		c := by[ch.Kind]
		if c == nil {
			c = &counts{}
			by[ch.Kind] = c
		}
		switch ch.Change {
		case "new":
			c.new++
		case "changed":
			c.changed++
		case "removed":
			c.removed++
		case "pending":
			c.pending++
		}
	}
	fmt.Fprintf(w, "待处理：%d 个文件（下次运行读取或移出）\n", len(st.Changes))
	table := [][]string{{"种类", "新增", "变化", "移出", "上次未读完"}}
	for _, k := range ingest.Kinds() {
		c := by[string(k)]
		if c == nil {
			continue
		}
		table = append(table, []string{output.KindTitle(string(k)), strconv.Itoa(c.new), strconv.Itoa(c.changed), strconv.Itoa(c.removed), strconv.Itoa(c.pending)})
	}
	printTable(w, table)
	const shown = 20
	for i, ch := range st.Changes {
		if i == shown {
			fmt.Fprintf(w, "  … 另有 %d 个\n", len(st.Changes)-shown)
			break
		}
		fmt.Fprintf(w, "  %s  %s\n", changeTitle(ch.Change), ch.Path)
	}
}

func changeTitle(c string) string {
	switch c {
	case "new":
		return "新增"
	case "changed":
		return "变化"
	case "removed":
		return "移出"
	case "pending":
		return "待读"
	}
	return c
}
