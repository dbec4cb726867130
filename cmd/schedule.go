package cmd

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/baolong/liudong/pipeline"
)

// The scheduler is gocron (github.com/go-co-op/gocron/v2): cron expressions
// in a time zone, one job instance at a time (singleton mode), and a
// context cancelled on shutdown that reaches the running pipeline.

// scheduleStopTimeout is how long a shutdown waits for the run in progress
// to abandon its step; a run still going after that is left to the kernel
// like a crash, which the registry survives.
const scheduleStopTimeout = 5 * time.Minute

func newScheduleCmd(e *env) *cobra.Command {
	var cf configFlags
	c := &cobra.Command{
		Use:   "schedule",
		Short: "Stay running and run the pipeline on schedule.cron (default nightly at 02:00 Asia/Shanghai)",
		Long: `Stay running and run the nightly pipeline on the cron expression schedule.cron, read in the time zone
schedule.timezone (empty: timezone, the street's). Never two runs at once: a run still going when the next
is due makes that one be skipped, and the registry's lock keeps out runs of other processes. SIGINT or
SIGTERM stops it: the run in progress abandons its current step (what it had not committed is not visible;
the next run picks up) and is recorded as failed.

The alternative is cron or a systemd timer calling liudong run (deploy/ in the repository).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			return runSchedule(c.Context(), e, cfg, nil)
		},
	}
	cf.register(c.Flags(), "output folder, overrides out.dir (env LIUDONG_OUT)")
	return c
}

// runSchedule runs the pipeline on cfg.Schedule until ctx is cancelled.
// started, when set, hears the time of the first run (tests).
func runSchedule(ctx context.Context, e *env, cfg pipeline.Config, started func(next time.Time)) error {
	log := newLogger(e.stderr, cfg.Log).With().Str("component", "schedule").Logger()
	loc, err := cfg.ScheduleLocation()
	if err != nil {
		return usageError(fmt.Errorf("schedule.timezone: %w", err), "use a name such as Asia/Shanghai")
	}
	s, err := gocron.NewScheduler(gocron.WithLocation(loc), gocron.WithStopTimeout(scheduleStopTimeout),
		gocron.WithLogger(gocronLogger{log}))
	if err != nil {
		return err
	}
	// Five fields as cron has them; six when the first is seconds.
	withSeconds := len(strings.Fields(cfg.Schedule.Cron)) == 6
	job, err := s.NewJob(gocron.CronJob(cfg.Schedule.Cron, withSeconds),
		gocron.NewTask(func(ctx context.Context) {
			if _, err := runOnce(ctx, e, cfg, "schedule"); err != nil {
				code, msg, _ := explain(err)
				log.Error().Int("exit_code", code).Str("error", msg).Msg("scheduled run failed")
			}
		}),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithContext(ctx),
		gocron.WithName("liudong run"),
	)
	if err != nil {
		s.Shutdown()
		return usageError(fmt.Errorf("schedule.cron %q: %w", cfg.Schedule.Cron, err),
			`five fields: minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 every night`)
	}
	s.Start()
	next, _ := job.NextRun()
	log.Info().Str("cron", cfg.Schedule.Cron).Str("timezone", loc.String()).Time("next_run", next).Msg("schedule started")
	fmt.Fprintf(e.stdout, "定时运行已启动：%s（%s），下次运行 %s。按 Ctrl-C 或发送 SIGTERM 停止。\n",
		cfg.Schedule.Cron, loc, next.In(loc).Format("2006-01-02 15:04:05"))
	if started != nil {
		started(next)
	}
	<-ctx.Done()
	log.Info().Msg("stopping: a run in progress abandons its current step")
	if err := s.Shutdown(); err != nil {
		log.Warn().Err(err).Msg("scheduler did not stop cleanly")
	}
	log.Info().Msg("schedule stopped")
	return nil
}

// gocronLogger passes the scheduler's own messages to zerolog.
type gocronLogger struct{ log zerolog.Logger }

func (g gocronLogger) Debug(msg string, args ...any) { g.log.Debug().Fields(args).Msg(msg) }
func (g gocronLogger) Info(msg string, args ...any)  { g.log.Debug().Fields(args).Msg(msg) }
func (g gocronLogger) Warn(msg string, args ...any)  { g.log.Warn().Fields(args).Msg(msg) }
func (g gocronLogger) Error(msg string, args ...any) { g.log.Error().Fields(args).Msg(msg) }
