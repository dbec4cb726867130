//go:build !unix

package pipeline

// processAlive cannot tell without the Unix signal 0; assume alive.
func processAlive(pid int) bool { return true }
