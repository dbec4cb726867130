package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/pipeline"
)

// onFailure runs the configured on_failure command (sh -c) after a failed
// run, with the run's ID, error, database and exit code in its environment.
// It is bounded by on_failure.timeout_seconds; its own failure is logged,
// never returned: the run's failure is what the exit code reports.
func onFailure(ctx context.Context, cfg pipeline.Config, runID int, code int, runErr error, log zerolog.Logger) {
	command := cfg.OnFailure.Command
	if command == "" {
		return
	}
	timeout := time.Duration(cfg.OnFailure.TimeoutSeconds) * time.Second
	// A run stopped by a signal still gets its message sent.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, "sh", "-c", command)
	id := ""
	if runID > 0 {
		id = strconv.Itoa(runID)
	}
	c.Env = append(os.Environ(),
		"LIUDONG_RUN_ID="+id,
		"LIUDONG_ERROR="+runErr.Error(),
		"LIUDONG_DB="+cfg.Database,
		"LIUDONG_EXIT_CODE="+strconv.Itoa(code),
	)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	c.WaitDelay = 2 * time.Second // a child that keeps the output open does not hold us
	t0 := time.Now()
	err := c.Run()
	took := time.Since(t0).Round(time.Millisecond).Seconds()
	text := out.String()
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		log.Error().Str("output", text).Float64("seconds", took).Int("timeout_seconds", cfg.OnFailure.TimeoutSeconds).Msg("on_failure command timed out and was killed")
	case err != nil:
		log.Error().Err(err).Str("output", text).Float64("seconds", took).Msg("on_failure command failed")
	default:
		log.Info().Str("output", text).Float64("seconds", took).Msg("on_failure command ran")
	}
}
