// Package pipeline runs one night: it scans the inbox, has ingest read and
// clean what is new, loads it into the DuckDB registry, and hands the run's
// results to output. It is the only package that wires the stages together.
package pipeline
