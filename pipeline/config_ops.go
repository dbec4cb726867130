package pipeline

import (
	"fmt"
	"path/filepath"
	"time"

	// Time zones compiled in, so schedule.timezone works on machines without
	// a zoneinfo database (minimal containers, Windows).
	_ "time/tzdata"
)

// ScheduleConfig is when `liudong schedule` runs the pipeline.
type ScheduleConfig struct {
	// Cron is a five-field cron expression (minute hour day month weekday).
	Cron string `mapstructure:"cron"`
	// Timezone is an IANA time zone name the cron expression is read in.
	Timezone string `mapstructure:"timezone"`
}

// BackupConfig is where and how many snapshots of the registry are kept.
type BackupConfig struct {
	// Dir holds one folder per backup; empty means "backups" beside the
	// database file.
	Dir string `mapstructure:"dir"`
	// Keep is how many run backups are kept; 0 turns backups off.
	Keep int `mapstructure:"keep"`
}

// OnFailureConfig is a command run when a run fails (to send a message).
type OnFailureConfig struct {
	// Command is run with sh -c; empty means none.
	Command string `mapstructure:"command"`
	// TimeoutSeconds bounds how long the command may take.
	TimeoutSeconds int `mapstructure:"timeout_seconds"`
}

func defaultScheduleConfig() ScheduleConfig {
	return ScheduleConfig{Cron: "0 2 * * *", Timezone: "Asia/Shanghai"}
}

func defaultBackupConfig() BackupConfig { return BackupConfig{Dir: "", Keep: 14} }

func defaultOnFailureConfig() OnFailureConfig { return OnFailureConfig{TimeoutSeconds: 60} }

// Location returns the schedule's time zone.
func (c ScheduleConfig) Location() (*time.Location, error) {
	return time.LoadLocation(c.Timezone)
}

// validateOps checks the settings of nightly operation. The cron expression
// itself is checked by `liudong schedule`, the one command that reads it.
func (c Config) validateOps() error {
	if c.Schedule.Cron == "" {
		return fmt.Errorf("schedule.cron: must not be empty")
	}
	if _, err := c.Schedule.Location(); err != nil {
		return fmt.Errorf("schedule.timezone: unknown time zone %q (want a name such as Asia/Shanghai)", c.Schedule.Timezone)
	}
	if c.Backup.Keep < 0 {
		return fmt.Errorf("backup.keep: must be 0 (no backups) or more, got %d", c.Backup.Keep)
	}
	if c.OnFailure.TimeoutSeconds < 1 {
		return fmt.Errorf("on_failure.timeout_seconds: must be at least 1, got %d", c.OnFailure.TimeoutSeconds)
	}
	return nil
}

// BackupDir is the folder backups go to: backup.dir, or "backups" beside
// the database.
func (c Config) BackupDir() string {
	if c.Backup.Dir != "" {
		return c.Backup.Dir
	}
	return filepath.Join(filepath.Dir(c.Database), "backups")
}
