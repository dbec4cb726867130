package cmd

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/pipeline"
)

func newRunCmd(e *env) *cobra.Command {
	var cf configFlags
	c := &cobra.Command{
		Use:   "run",
		Short: "Run the nightly pipeline once: read the inbox, clean, load, write outputs",
		Long: `Run the nightly pipeline once over the inbox.

Exit codes: 0 done; 1 failed; 2 bad command line or configuration; 3 done, but some files in the
inbox were quarantined (see summary.md in the output folder for what to do).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			return runPipeline(c, e, cfg, true)
		},
	}
	cf.register(c.Flags(), "output folder, overrides out.dir (env LIUDONG_OUT)")
	return c
}

// runPipeline runs the pipeline once, logs its summary and prints where the
// outputs are. With quarantineExit, quarantined files make the exit code 3.
func runPipeline(c *cobra.Command, e *env, cfg pipeline.Config, quarantineExit bool) error {
	sum, err := runOnce(c.Context(), e, cfg, c.Name())
	if err != nil {
		return err
	}
	printOutcome(e.stdout, cfg, sum)
	if quarantineExit && sum.Status == pipeline.RunQuarantined {
		e.quarantined = true
	}
	return nil
}

// runOnce runs the pipeline once with its log, progress display and summary
// line, and the on_failure command when it fails (unless a signal stopped it).
func runOnce(ctx context.Context, e *env, cfg pipeline.Config, command string) (*output.Summary, error) {
	terminal := isTerminal(e.stderr)
	var prog *progress
	logTo := e.stderr
	if terminal {
		prog = newProgress(e.stderr, barEvery)
		logTo = prog
	} else {
		prog = newProgress(nil, logEvery)
	}
	log := newLoggerTo(logTo, terminal, cfg.Log)
	prog.setLog(log)
	sum, err := pipeline.Run(ctx, cfg, pipeline.Options{Version: Version, Log: log, Command: command, Progress: prog.update})
	prog.Close()
	if sum != nil {
		logSummary(log, sum)
	}
	if err == nil {
		return sum, nil
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("run interrupted by a signal (SIGINT/SIGTERM); what it had not committed is not visible: %w", err)
	} else {
		err = fmt.Errorf("run failed: %w", err)
	}
	runID := 0
	if sum != nil {
		runID = sum.RunID
	}
	if ctx.Err() == nil {
		code, _, _ := explain(err)
		onFailure(ctx, cfg, runID, code, err, log)
	}
	return sum, err
}

// logSummary writes the end-of-run summary as one structured log line per
// kind and one for the totals, for machines; no personal data.
func logSummary(log zerolog.Logger, s *output.Summary) {
	for _, k := range s.Kinds {
		if k.FilesSeen == 0 && k.FilesRemoved == 0 {
			continue
		}
		log.Info().Str("kind", k.Kind).Int("files", k.FilesSeen).Int("loaded", k.FilesLoaded).
			Int("unchanged", k.FilesUnchanged).Int("quarantined", k.FilesQuarantined).
			Int("accepted", k.RowsAccepted).Int("rejected", k.RowsRejected).Int("skipped", k.RowsSkipped).
			Msg("summary by kind")
	}
	stages := zerolog.Dict()
	for _, st := range s.Stages {
		stages = stages.Float64(st.Name, roundMS(st.Seconds))
	}
	t := s.Totals
	ev := log.Info()
	if s.Status == pipeline.RunFailed {
		ev = log.Error().Str("error", s.Error)
	} else if s.Status == pipeline.RunQuarantined {
		ev = log.Warn()
	}
	ev.Str("status", s.Status).Int("files", t.FilesSeen).Int("loaded", t.FilesLoaded).
		Int("unchanged", t.FilesUnchanged).Int("quarantined", t.FilesQuarantined).
		Int("accepted", t.RowsAccepted).Int("rejected", t.RowsRejected).Int("skipped", t.RowsSkipped).
		Dict("stage_seconds", stages).Float64("seconds", roundMS(s.Finished.Sub(s.Started).Seconds())).Msg("run finished")
}

// printOutcome tells the operator, in a few lines, what happened and where
// to look.
func printOutcome(w io.Writer, cfg pipeline.Config, s *output.Summary) {
	t := s.Totals
	fmt.Fprintf(w, "运行 #%d 完成：文件 %d 个（新读取 %d，未变化 %d，隔离 %d）；新读取行：接收 %d，拒收 %d，跳过 %d\n",
		s.RunID, t.FilesSeen, t.FilesLoaded, t.FilesUnchanged, t.FilesQuarantined, t.RowsAccepted, t.RowsRejected, t.RowsSkipped)
	if ms := s.Members; ms != nil {
		fmt.Fprintf(w, "党员 %d 名：双向共管 %d，仅流入地登记 %d，去向不明 %d，已离开 %d；本次新增 %d，状态变化 %d；失联 %d，即将失联 %d；待核查差异 %d 条\n",
			ms.Members, ms.ByStatus["dual"], ms.ByStatus["inflow_only"], ms.ByStatus["unknown_whereabouts"], ms.ByStatus["left"],
			ms.Created, ms.StatusChanges, ms.LostContact, ms.LostContactSoon, ms.DiscrepanciesOpen)
	}
	if c := s.Certificates; c != nil {
		fmt.Fprintf(w, "活动认证书：%d 年至今 %d 份（本次新发 %d，修订 %d）\n", c.Year, c.Certificates, c.Issued, c.Revised)
	}
	if p := s.PDF; p != nil && p.Disabled != "" {
		fmt.Fprintf(w, "未生成 PDF：%s\n", p.Disabled)
	}
	if t.FilesQuarantined > 0 {
		fmt.Fprintf(w, "注意：%d 个文件被隔离，未进入台账，处理办法见 summary.md：\n", t.FilesQuarantined)
		for _, f := range s.Files {
			if f.Action == "quarantined" {
				fmt.Fprintf(w, "  - %s\n    原因：%s\n    处理：%s\n", f.Path, f.Reason, f.Hint)
			}
		}
	}
	fmt.Fprintf(w, "台账数据库：%s\n", cfg.Database)
	fmt.Fprintf(w, "本次输出：%s\n", filepath.Join(cfg.Out.Dir, s.Started.Format("2006-01-02")))
	fmt.Fprintf(w, "运行摘要：%s\n", filepath.Join(cfg.Out.Dir, s.Started.Format("2006-01-02"), "summary.md"))
}

// roundMS rounds seconds to milliseconds for the log.
func roundMS(s float64) float64 { return math.Round(s*1000) / 1000 }
