package pipeline

import (
	"fmt"
	"strings"
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

	// A second run over the same inbox changes nothing: records, findings,
	// files, members and their IDs, discrepancies.
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

// TestCleaningRecoversTruth checks, row by row, that cleaning turns each
// deliberately damaged cell of the sample back into the person's true value,
// or flags it when it cannot.
func TestCleaningRecoversTruth(t *testing.T) {
	dir := t.TempDir()
	truth, err := sampledata.Generate(dir, sampledata.Options{Persons: 300, Seed: 11, BadFiles: false})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	runOnce(t, cfg)
	db := openTestDB(t, cfg)
	persons := map[string]sampledata.Person{}
	for _, p := range truth.Persons {
		persons[p.PersonID] = p
	}
	type cleaned struct {
		recordID                         int64
		name, id, idStatus, phone, birth string
		codes                            map[string]bool
	}
	got := map[string]*cleaned{}
	rows, err := db.Query(`SELECT r.record_id, file_path || '|' || coalesce(sheet, '') || '|' || row_number, coalesce(name, ''),
		coalesce(id_number, ''), coalesce(id_status, ''), coalesce(phone, ''), coalesce(birth_date, ''),
		coalesce((SELECT string_agg(code, ',') FROM finding f WHERE f.record_id = r.record_id), '')
		FROM v_source_record r`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		c := &cleaned{codes: map[string]bool{}}
		var key, codes string
		if err := rows.Scan(&c.recordID, &key, &c.name, &c.id, &c.idStatus, &c.phone, &c.birth, &codes); err != nil {
			t.Fatal(err)
		}
		for _, code := range strings.Split(codes, ",") {
			c.codes[code] = true
		}
		got[key] = c
	}
	rows.Close()

	checked := map[string]int{}
	for _, r := range truth.Records {
		p, ok := persons[r.PersonID]
		if !ok || (r.Kind != "survey" && r.Kind != "roster") {
			continue
		}
		c := got[fmt.Sprintf("%s|%s|%d", r.File, r.Sheet, r.Row)]
		if c == nil {
			t.Errorf("%s!%d not ingested", r.File, r.Row)
			continue
		}
		has := map[string]bool{}
		for _, d := range r.Defects {
			has[d] = true
		}
		where := fmt.Sprintf("%s %s!%d (record %d, defects %v)", r.File, r.Sheet, r.Row, c.recordID, r.Defects)
		check := func(what string, ok bool, format string, args ...any) {
			checked[what]++
			if !ok {
				t.Errorf("%s: %s: "+format, append([]any{where, what}, args...)...)
			}
		}
		if !has["homophone"] && !has["no_name"] {
			check("name", c.name == p.Name, "cleaned %q, true %q", c.name, p.Name)
		}
		if has["traditional"] {
			check("traditional", c.codes["traditional_converted"], "no traditional_converted finding")
		}
		switch {
		case has["id_excel_damaged"]:
			// One in eleven cut numbers still has a fitting check digit:
			// those are kept as valid with a warning.
			check("id_excel_damaged", c.idStatus == "excel_damaged" || c.codes["id_maybe_damaged"], "id_status %s", c.idStatus)
		case has["id_bad_check"]:
			check("id_bad_check", c.idStatus == "bad_check_digit", "id_status %s", c.idStatus)
		case has["id_15"]:
			check("id_15", c.idStatus == "converted_15" && c.id == p.IDNumber, "id_status %s, id %s, true %s", c.idStatus, c.id, p.IDNumber)
		case has["id_missing"]:
		case c.id != "" || has["id_lower_x"] || has["id_spaces"] || has["fullwidth_digits"]:
			check("id", c.idStatus == "valid" && c.id == p.IDNumber, "id_status %s, id %s, true %s", c.idStatus, c.id, p.IDNumber)
		}
		if has["birth_mismatch"] {
			check("birth_mismatch", c.codes["id_birth_mismatch"], "no id_birth_mismatch finding")
		} else if c.birth != "" && (has["date_text_format"] || has["date_serial"]) {
			check("birth_date", strings.HasPrefix(p.BirthDate, c.birth), "cleaned %s, true %s", c.birth, p.BirthDate)
		}
		if (has["phone_+86"] || has["phone_formatted"] || has["phone_number_cell"]) && !has["phone_stale"] {
			check("phone", c.phone == p.Phone, "cleaned %q, true %q", c.phone, p.Phone)
		}
	}
	for _, what := range []string{"name", "traditional", "id_excel_damaged", "id_15", "id", "birth_date", "phone"} {
		if checked[what] == 0 {
			t.Errorf("no row checked %s: the sample lost that defect", what)
		}
	}
	t.Logf("checked: %v", checked)
}
