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

// Count what the pipeline should find for one member in the year: activities and hours, visits, the
// counsellor, and when they were last in contact.
func ExampleTruth_ActivitiesOf() {
	dir, err := os.MkdirTemp("", "inbox")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	truth, err := sampledata.Generate(dir, sampledata.Options{})
	if err != nil {
		log.Fatal(err)
	}
	p := truth.Persons[0]
	hours := 0.0
	for _, a := range truth.ActivitiesOf(p.PersonID, 2026) {
		hours += a.Hours
	}
	fmt.Println("activities:", len(truth.ActivitiesOf(p.PersonID, 2026)), "hours:", hours)
	fmt.Println("visits:", truth.VisitsOf(p.PersonID, 2026))
	fmt.Println("counsellor:", p.Counsellor)
	fmt.Println("last contact:", p.LastContact, "lost contact:", p.LostContact)
	// Output:
	// activities: 4 hours: 9
	// visits: 3
	// counsellor: 卢鑫毅
	// last contact: 2026-11-17 lost contact: false
}
