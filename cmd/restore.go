package cmd

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/baolong/liudong/pipeline"
)

func newRestoreCmd(e *env) *cobra.Command {
	var cf configFlags
	c := &cobra.Command{
		Use:   "restore [RUN | BACKUP]",
		Short: "Put a backup of the registry back (the one taken before run RUN); without an argument list the backups",
		Long: `Put a backup of the registry back in place: RUN is a run number (the backup taken just before that run
changed the registry), BACKUP a backup folder's name as listed. Without an argument the backups are listed.

The restore takes the registry's lock (it refuses while a run is in progress) and first keeps the current
registry aside as a pre-restore backup, so a restore can be undone with liudong restore <that name>.
Output folders (out/) are not touched; the next run writes new ones. Later runs reuse the run numbers
after the restored one.`,
		Example: `  liudong restore            # list the backups
  liudong restore 12         # the registry as it was before run 12`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				return listBackups(e, cfg)
			}
			log := newLogger(e.stderr, cfg.Log)
			res, err := pipeline.Restore(c.Context(), cfg, args[0], time.Now(), log)
			if err != nil {
				if _, ok := pipeline.IsLocked(err); ok {
					return err
				}
				return &exitError{code: ExitFailed, err: fmt.Errorf("restore: %w", err), hint: "liudong restore 列出可用的备份；台账未被改动"}
			}
			b := res.Restored
			fmt.Fprintf(e.stdout, "已恢复备份 %s（%s）→ %s\n", b.Name, backupTitle(b), cfg.Database)
			if res.Aside != nil {
				fmt.Fprintf(e.stdout, "恢复前的台账已另存为 %s；撤销本次恢复：liudong restore %s\n", res.Aside.Dir, res.Aside.Name)
			}
			fmt.Fprintln(e.stdout, "输出文件夹（out/）未改动：下次运行会按恢复后的台账重新生成")
			return nil
		},
	}
	cf.register(c.Flags(), "unused by restore")
	return c
}

func listBackups(e *env, cfg pipeline.Config) error {
	bs, err := pipeline.ListBackups(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "备份文件夹：%s\n", cfg.BackupDir())
	if len(bs) == 0 {
		fmt.Fprintln(e.stdout, "没有备份（一次会改动台账的运行之前才备份）")
		return nil
	}
	table := [][]string{{"备份", "时间", "内容", "大小(MB)"}}
	for i := range bs {
		b := &bs[i]
		table = append(table, []string{b.Name, inStreetZone(cfg, b.Taken).Format("2006-01-02 15:04:05"), backupTitle(b), strconv.FormatFloat(float64(b.Bytes)/1e6, 'f', 1, 64)})
	}
	printTable(e.stdout, table)
	fmt.Fprintln(e.stdout, "恢复：liudong restore <运行编号或备份名>")
	return nil
}

func backupTitle(b *pipeline.Backup) string {
	if b.Kind == "pre-restore" {
		return fmt.Sprintf("恢复前的台账（含到第 %d 次运行）", b.RunID)
	}
	return fmt.Sprintf("第 %d 次运行之前的台账", b.RunID)
}
