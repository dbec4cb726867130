// Package cmd is the liudong command line: it reads config.yaml once, builds
// the logger, runs a subcommand and turns its outcome into an exit code.
package cmd
