// Package ingest reads the spreadsheets offices send (xlsx and CSV, made by
// hand in Excel or WPS), finds each sheet's header, and turns the rows below it
// into clean records; a file it cannot read is quarantined with a reason and a hint.
package ingest
