package pipeline

import (
	"testing"

	"github.com/baolong/liudong/sampledata"
)

func TestRunOnSampleInbox(t *testing.T) {
	dir := t.TempDir()
	truth, err := sampledata.Generate(dir, sampledata.Options{Persons: 120, Seed: 7, BadFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	sum := runOnce(t, cfg)
	if sum.Status != RunQuarantined {
		t.Errorf("status = %s, want %s (the sample has bad files)", sum.Status, RunQuarantined)
	}
	db := openTestDB(t, cfg)

	type key struct {
		file, sheet string
		row         int
	}
	got := map[key]string{}
	rows, err := db.Query(`SELECT file_path, coalesce(sheet, ''), row_number, status FROM v_source_record`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k key
		var status string
		if err := rows.Scan(&k.file, &k.sheet, &k.row, &status); err != nil {
			t.Fatal(err)
		}
		if _, dup := got[k]; dup {
			t.Errorf("two records for %v", k)
		}
		got[k] = status
	}
	rows.Close()
	want := map[key]bool{}
	for _, r := range truth.Records {
		k := key{r.File, r.Sheet, r.Row}
		want[k] = true
		status, ok := got[k]
		switch {
		case !ok:
			t.Errorf("truth record %s %s!%d (%s, defects %v) not ingested", r.File, r.Sheet, r.Row, r.Kind, r.Defects)
		case status != r.Expect:
			t.Errorf("%s %s!%d: status %s, want %s (defects %v)", r.File, r.Sheet, r.Row, status, r.Expect, r.Defects)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("ingested %v, which is no data row of the truth", k)
		}
	}

	quarantined := map[string]string{}
	qrows, err := db.Query(`SELECT path, quarantine_code, quarantine_reason, quarantine_hint FROM v_source_file WHERE status = 'quarantined'`)
	if err != nil {
		t.Fatal(err)
	}
	for qrows.Next() {
		var p, code, reason, hint string
		if err := qrows.Scan(&p, &code, &reason, &hint); err != nil {
			t.Fatal(err)
		}
		if reason == "" || hint == "" {
			t.Errorf("%s quarantined without reason or hint", p)
		}
		quarantined[p] = code
	}
	qrows.Close()
	for _, f := range truth.Files {
		if f.Quarantine != "" && quarantined[f.Path] != f.Quarantine {
			t.Errorf("%s: quarantine code %q, want %q", f.Path, quarantined[f.Path], f.Quarantine)
		}
		if f.Quarantine == "" && quarantined[f.Path] != "" {
			t.Errorf("%s: quarantined (%s), want read", f.Path, quarantined[f.Path])
		}
	}

	// Provenance: paths relative to the inbox with forward slashes; CSV has no sheet.
	var bad int
	if err := db.QueryRow(`SELECT count(*) FROM v_source_record WHERE file_path LIKE '/%' OR file_path LIKE '%\%'
		OR (file_path ILIKE '%.csv' AND sheet IS NOT NULL) OR row_number < 1 OR raw IS NULL`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d records with bad provenance", bad)
	}
	var rejectedWithoutReason int
	db.QueryRow(`SELECT count(*) FROM v_source_record WHERE status = 'rejected' AND (reject_reason IS NULL OR reject_reason = '')`).Scan(&rejectedWithoutReason)
	if rejectedWithoutReason != 0 {
		t.Errorf("%d rejected records without a reason", rejectedWithoutReason)
	}

	// A second run over the same inbox changes nothing.
	before := registryDigest(t, db)
	db.Close()
	sum2 := runOnce(t, cfg)
	if sum2.Totals.FilesLoaded != 0 || sum2.Totals.RowsAccepted != 0 {
		t.Errorf("second run loaded %d files, %d rows; want none", sum2.Totals.FilesLoaded, sum2.Totals.RowsAccepted)
	}
	if sum2.Totals.FilesQuarantined != sum.Totals.FilesQuarantined {
		t.Errorf("second run reports %d quarantined files, first %d", sum2.Totals.FilesQuarantined, sum.Totals.FilesQuarantined)
	}
	db2 := openTestDB(t, cfg)
	if after := registryDigest(t, db2); after != before {
		t.Errorf("second run changed the registry:\nbefore %s\nafter  %s", before, after)
	}
}
