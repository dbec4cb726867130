//go:build !linux

package output

import "errors"

// exchange is not available here: the caller moves the earlier folder
// aside and renames, and cleanLeftovers repairs a crash in between.
func exchange(a, b string) error { return errors.New("atomic exchange not supported") }
