// Command liudong keeps the registry of 流动党员 for a street committee.
package main

import (
	"os"

	"github.com/baolong/liudong/cmd"
)

func main() { os.Exit(cmd.Do(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
