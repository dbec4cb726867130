package cmd

// Exit codes, documented in the README; scripts and monitoring rely on them.
const (
	ExitOK          = 0 // the run finished and every file in the inbox was read
	ExitFailed      = 1 // the run failed; nothing half-done is visible
	ExitUsage       = 2 // bad command line or configuration; nothing was run
	ExitQuarantined = 3 // the run finished, but some files in the inbox could not be read (see summary.md)
)

// exitError carries an exit code and a hint for the operator up to Do.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(err error, hint string) error {
	return &exitError{code: ExitUsage, err: err, hint: hint}
}
