package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/baolong/liudong/sampledata"
)

// demoMarker marks a folder the demo made, so a rerun may clear it and never
// clears anything else.
const demoMarker = ".liudong-demo"

func newDemoCmd(e *env) *cobra.Command {
	var (
		cf           configFlags
		persons      int
		seed         uint64
		generateOnly bool
		noBadFiles   bool
	)
	c := &cobra.Command{
		Use:   "demo",
		Short: "Generate a realistic sample inbox for 宝龙街道 and run the pipeline on it",
		Long: `Generate a realistic synthetic inbox (surveys in many templates, GBK CSVs, Excel-damaged ID numbers,
a few unreadable files …) with its ground truth beside it, then run the pipeline on it.

Everything goes under the demo folder (--out, default ./demo): inbox/, truth/, liudong.duckdb and out/.
--inbox and --db place those elsewhere. With --generate-only only inbox/ and truth/ are written
(for tests and benchmarks). The same --seed and --persons give the same files.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if persons < 1 {
				return usageError(fmt.Errorf("--persons must be at least 1, got %d", persons), "liudong demo --persons 300")
			}
			dir := cf.out
			if dir == "" {
				dir = "demo"
			}
			dir, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			if err := prepareDemoDir(dir); err != nil {
				return err
			}
			inbox := filepath.Join(dir, "inbox")
			if cf.inbox != "" {
				inbox, _ = filepath.Abs(cf.inbox)
			}
			// The generator does not watch for Ctrl-C; the command does, and
			// stops waiting for it (a million persons take minutes).
			type generated struct {
				truth *sampledata.Truth
				err   error
			}
			done := make(chan generated, 1)
			go func() {
				t, err := sampledata.Generate(dir, sampledata.Options{Persons: persons, Seed: seed, BadFiles: !noBadFiles})
				done <- generated{t, err}
			}()
			var truth *sampledata.Truth
			select {
			case g := <-done:
				if g.err != nil {
					return fmt.Errorf("generate sample data: %w", g.err)
				}
				truth = g.truth
			case <-c.Context().Done():
				return fmt.Errorf("generate sample data: interrupted; %s holds part of the sample, delete it before the next demo", dir)
			}
			if cf.inbox != "" {
				if err := os.RemoveAll(inbox); err != nil {
					return err
				}
				if err := os.Rename(filepath.Join(dir, "inbox"), inbox); err != nil {
					return fmt.Errorf("move sample inbox to %s: %w", inbox, err)
				}
			}
			fmt.Fprintf(e.stdout, "示例数据：%d 名党员，%d 个文件，%d 行 → %s\n真实答案（不在收件箱内）：%s\n",
				len(truth.Persons), len(truth.Files), len(truth.Records), inbox, filepath.Join(dir, "truth"))
			if generateOnly {
				return nil
			}
			// The demo's own folder layout wins over config.yaml's paths;
			// everything else (aliases, rules) comes from the config.
			flags := c.Flags()
			if !flags.Changed("db") {
				cf.db = filepath.Join(dir, "liudong.duckdb")
			}
			cf.out = filepath.Join(dir, "out")
			cf.inbox = inbox
			for _, name := range []string{"db", "out", "inbox"} {
				flags.Lookup(name).Changed = true
			}
			cfg, err := loadConfig(flags, &cf, os.Getenv)
			if err != nil {
				return err
			}
			// The demo's bad files are quarantined on purpose: that is its
			// point, not a failure, so the demo exits 0.
			return runPipeline(c, e, cfg, false)
		},
	}
	cf.register(c.Flags(), "demo folder: inbox/, truth/, liudong.duckdb and out/ go under it (default ./demo)")
	c.Flags().IntVar(&persons, "persons", 300, "how many persons the sample has")
	c.Flags().Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same files")
	c.Flags().BoolVar(&generateOnly, "generate-only", false, "only write the sample inbox and truth, do not run")
	c.Flags().BoolVar(&noBadFiles, "no-bad-files", false, "leave out the files that must be quarantined")
	return c
}

// prepareDemoDir creates the demo folder, or clears the inbox and truth of
// an earlier demo in it. It refuses a non-empty folder it did not make.
func prepareDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return usageError(fmt.Errorf("%s is not empty and was not made by liudong demo", dir), "pass --out with a new or empty folder")
		}
		for _, sub := range []string{"inbox", "truth"} {
			if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
				return err
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by liudong demo; safe to delete\n"), 0o644)
}
