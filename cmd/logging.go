package cmd

import (
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"github.com/baolong/liudong/pipeline"
)

// newLogger builds the one logger of the process: human-readable console
// lines on a terminal, JSON lines otherwise (cron, systemd, CI).
func newLogger(w io.Writer, cfg pipeline.LogConfig) zerolog.Logger {
	return newLoggerTo(w, isTerminal(w), cfg)
}

// newLoggerTo is newLogger for a writer that stands in for a terminal (the
// progress bar's).
func newLoggerTo(w io.Writer, terminal bool, cfg pipeline.LogConfig) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.Level)
	if err != nil {
		level = zerolog.InfoLevel
	}
	console := cfg.Format == "console" || (cfg.Format == "auto" && terminal)
	if console {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
