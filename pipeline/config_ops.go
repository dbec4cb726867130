package pipeline

import (
	"fmt"
	"path/filepath"
	"time"

	// Time zones compiled in, so timezone and schedule.timezone work on
	// machines without a zoneinfo database (minimal containers, Windows).
	_ "time/tzdata"
)

// ScheduleConfig is when `liudong schedule` runs the pipeline.
type ScheduleConfig struct {
	// Cron is a five-field cron expression (minute hour day month weekday).
	Cron string `mapstructure:"cron"`
	// Timezone is an IANA time zone name the cron expression is read in;
	// empty: the street's (Config.Timezone).
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
	return ScheduleConfig{Cron: "0 2 * * *"}
}

func defaultBackupConfig() BackupConfig { return BackupConfig{Dir: "", Keep: 14} }

func defaultOnFailureConfig() OnFailureConfig { return OnFailureConfig{TimeoutSeconds: 60} }

// Location returns the street's time zone (timezone), in which a run's date
// is reckoned.
func (c Config) Location() (*time.Location, error) {
	return time.LoadLocation(c.Timezone)
}

// ScheduleLocation returns the time zone schedule.cron is read in:
// schedule.timezone, else the street's.
func (c Config) ScheduleLocation() (*time.Location, error) {
	if c.Schedule.Timezone == "" {
		return c.Location()
	}
	return time.LoadLocation(c.Schedule.Timezone)
}

// validateTimezone checks timezone names a real zone. An empty name and
// "Local" are refused: time.LoadLocation reads them as UTC and as the
// machine's zone, the very dates the setting exists to avoid.
func (c Config) validateTimezone() error {
	switch c.Timezone {
	case "":
		return fmt.Errorf("timezone: must not be empty (the street's IANA time zone, such as Asia/Shanghai)")
	case "Local":
		return fmt.Errorf("timezone: \"Local\" is the machine's zone, not the street's; name it, such as Asia/Shanghai")
	}
	if _, err := c.Location(); err != nil {
		return fmt.Errorf("timezone: unknown time zone %q (want an IANA name such as Asia/Shanghai)", c.Timezone)
	}
	return nil
}

// validateOps checks the settings of nightly operation. The cron expression
// itself is checked by `liudong schedule`, the one command that reads it.
func (c Config) validateOps() error {
	if c.Schedule.Cron == "" {
		return fmt.Errorf("schedule.cron: must not be empty")
	}
	if _, err := c.ScheduleLocation(); err != nil {
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
