package cmd

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/baolong/liudong/cmd.Version=…".
var Version = "dev"

// env is what a command reads and writes besides its flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// quarantined is set by a run that finished with quarantined files.
	quarantined bool
	profile     cpuProfile
}

// Do runs the liudong command line with args and returns the exit code.
func Do(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := root.ExecuteContext(ctx)
	if perr := e.profile.stop(); perr != nil && err == nil {
		err = perr
	}
	if err == nil {
		if e.quarantined {
			return ExitQuarantined
		}
		return ExitOK
	}
	code, msg, hint := explain(err)
	fmt.Fprintf(stderr, "错误 Error: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(stderr, "提示 Try: %s\n", hint)
	}
	return code
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "liudong",
		Short: "流动党员双向共管台账：每晚读取收件箱、清洗核对、生成台账",
		Long: `liudong keeps the registry (台账) of mobile Party members (流动党员) for a street committee.
Every night it reads what arrived in the inbox (community surveys, origin-branch rosters, contact-card
activities, counsellor pairings and visits, analysts' decisions), cleans and validates every field into
a DuckDB registry, and writes the run's outputs.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError(err, "liudong "+c.Name()+" --help")
	})
	root.AddCommand(newRunCmd(e), newDemoCmd(e), newSQLCmd(e), newCertificatesCmd(e), newVersionCmd(e),
		newScheduleCmd(e), newHistoryCmd(e), newStatusCmd(e), newRestoreCmd(e))
	e.profile.register(root)
	return root
}
