// Package output writes what people receive after a run, each run into its
// own dated folder that is complete or absent.
package output
