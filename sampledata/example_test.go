package sampledata_test

import (
	"fmt"
	"log"
	"os"

	"github.com/baolong/liudong/sampledata"
)

// Generate an inbox for the default 300 persons with the files that must be quarantined, and see what the
// pipeline is expected to find.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "inbox")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	truth, err := sampledata.Generate(dir, sampledata.Options{BadFiles: true})
	if err != nil {
		log.Fatal(err)
	}
	var unknown, left int
	for _, p := range truth.Persons {
		if p.Community == "" {
			unknown++
		}
		if p.Left {
			left++
		}
	}
	quarantined := 0
	for _, f := range truth.Files {
		if f.Quarantine != "" {
			quarantined++
		}
	}
	fmt.Println("persons:", len(truth.Persons))
	fmt.Println("whereabouts unknown:", unknown)
	fmt.Println("left:", left)
	fmt.Println("quarantined files:", quarantined)
	// Output:
	// persons: 300
	// whereabouts unknown: 30
	// left: 15
	// quarantined files: 6
}
