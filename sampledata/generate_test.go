package sampledata

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// generate writes an inbox into a fresh directory.
func generate(t testing.TB, opts Options) (string, *Truth) {
	t.Helper()
	dir := t.TempDir()
	truth, err := Generate(dir, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return dir, truth
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := Options{Persons: 300, Seed: 7, BadFiles: true}
	a, _ := generate(t, opts)
	b, _ := generate(t, opts)
	filesA := readTree(t, a)
	filesB := readTree(t, b)
	if len(filesA) != len(filesB) {
		t.Fatalf("runs wrote %d and %d files", len(filesA), len(filesB))
	}
	for name, data := range filesA {
		if !bytes.Equal(data, filesB[name]) {
			t.Errorf("%s differs between two runs with the same options", name)
		}
	}
	c, _ := generate(t, Options{Persons: 300, Seed: 8, BadFiles: true})
	if bytes.Equal(filesA["truth/persons.csv"], readTree(t, c)["truth/persons.csv"]) {
		t.Error("a different seed gave the same persons")
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// inboxReader reads rows back the way the pipeline will, caching each file.
type inboxReader struct {
	t     *testing.T
	inbox string
	xlsx  map[string]*excelize.File
	rows  map[string][][]string
}

func newInboxReader(t *testing.T, inbox string) *inboxReader {
	r := &inboxReader{t: t, inbox: inbox, xlsx: map[string]*excelize.File{}, rows: map[string][][]string{}}
	t.Cleanup(func() {
		for _, f := range r.xlsx {
			f.Close()
		}
	})
	return r
}

// row returns the cells of a 1-based row of a sheet ("" sheet: a CSV file).
func (r *inboxReader) row(file, sheet string, n int) []string {
	r.t.Helper()
	key := file + "!" + sheet
	rows, ok := r.rows[key]
	if !ok {
		path := filepath.Join(r.inbox, filepath.FromSlash(file))
		if sheet == "" {
			rows = readCSV(r.t, path)
		} else {
			f, ok := r.xlsx[file]
			if !ok {
				var err error
				if f, err = excelize.OpenFile(path); err != nil {
					r.t.Fatalf("open %s: %v", file, err)
				}
				r.xlsx[file] = f
			}
			var err error
			if rows, err = f.GetRows(sheet, excelize.Options{RawCellValue: true}); err != nil {
				r.t.Fatalf("%s!%s: %v", file, sheet, err)
			}
		}
		r.rows[key] = rows
	}
	if n < 1 || n > len(rows) {
		r.t.Fatalf("%s!%s: row %d out of %d", file, sheet, n, len(rows))
	}
	return rows[n-1]
}

// readCSV decodes UTF-8 (with or without BOM) or GBK.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		if data, err = simplifiedchinese.GBK.NewDecoder().Bytes(data); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// simplified undoes toTraditional.
var simplified = func() map[rune]rune {
	m := map[rune]rune{}
	for s, t := range traditional {
		m[t] = s
	}
	return m
}()

// normalName undoes the spelling defects a pipeline must undo: spaces, dots, traditional characters.
func normalName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u3000':
			continue
		case strings.ContainsRune("•・．.", r):
			r = '·'
		}
		if x, ok := simplified[r]; ok {
			r = x
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sameName accepts a homophone typo: same length, at most one character different.
func sameName(cell, name string) bool {
	a, b := []rune(normalName(cell)), []rune(name)
	if len(a) != len(b) {
		return false
	}
	diff := 0
	for i := range a {
		if a[i] != b[i] {
			diff++
		}
	}
	return diff <= 1
}

// sameID accepts every damaged spelling of the ID number that still identifies it.
func sameID(cell, id string) bool {
	c := strings.ToUpper(strings.ReplaceAll(cell, " ", ""))
	var b strings.Builder
	for _, r := range c {
		switch {
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == 'Ｘ':
			r = 'X'
		}
		b.WriteRune(r)
	}
	c = b.String()
	switch {
	case c == id, c == toID15(id), len(c) == 18 && c[:17] == id[:17]:
		return true
	}
	if v, err := strconv.ParseFloat(c, 64); err == nil && len(c) > 10 {
		want := idDamaged(id)
		return math.Abs(v-want)/want < 1e-5 // 4.30524E+17 in a CSV keeps six digits
	}
	return false
}

func TestRecordsPointAtRows(t *testing.T) {
	dir, truth := generate(t, Options{BadFiles: true})
	checkRecords(t, dir, truth)
}

// checkRecords reads back the row of every record and looks for its person's name or ID in some spelling.
func checkRecords(t *testing.T, dir string, truth *Truth) {
	t.Helper()
	persons := map[string]*Person{}
	for i := range truth.Persons {
		persons[truth.Persons[i].PersonID] = &truth.Persons[i]
	}
	r := newInboxReader(t, filepath.Join(dir, "inbox"))
	for _, rec := range truth.Records {
		cells := r.row(rec.File, rec.Sheet, rec.Row)
		where := rec.File + "!" + rec.Sheet + ":" + strconv.Itoa(rec.Row)
		if rec.PersonID == "" {
			if !strings.Contains(strings.Join(rec.Defects, ";"), "unknown_person") {
				t.Errorf("%s: record without person is not unknown_person", where)
			}
			continue
		}
		p := persons[rec.PersonID]
		if p == nil {
			t.Fatalf("%s: unknown person %s", where, rec.PersonID)
		}
		var byName, byID bool
		for _, c := range cells {
			byName = byName || c != "" && sameName(c, p.Name)
			byID = byID || c != "" && sameID(c, p.IDNumber)
		}
		if !byName && !byID {
			t.Errorf("%s (%s, %v): neither %s nor %s in %q", where, rec.Kind, rec.Defects, p.Name, p.IDNumber, cells)
		}
		if (rec.Expect == "rejected") != hasDefect(rec, "no_name") {
			t.Errorf("%s: expect %s with defects %v", where, rec.Expect, rec.Defects)
		}
		if rec.Expect == "rejected" && byName {
			t.Errorf("%s: a rejected row has the name", where)
		}
	}
}

func hasDefect(r Record, d string) bool {
	for _, x := range r.Defects {
		if x == d {
			return true
		}
	}
	return false
}

func TestStatusMix(t *testing.T) {
	_, truth := generate(t, Options{Persons: 2000})
	var both, foundOnly, rosterOnly, left int
	for _, p := range truth.Persons {
		switch {
		case p.Left:
			left++
		case p.Community != "" && p.OnRoster:
			both++
		case p.Community != "":
			foundOnly++
		case p.OnRoster:
			rosterOnly++
		default:
			t.Errorf("%s is neither found nor on a roster", p.PersonID)
		}
	}
	n := float64(len(truth.Persons))
	for _, c := range []struct {
		name  string
		got   int
		share float64
	}{{"both", both, 0.65}, {"found only", foundOnly, 0.20}, {"roster only", rosterOnly, 0.10}, {"left", left, 0.05}} {
		if math.Abs(float64(c.got)/n-c.share) > 0.02 {
			t.Errorf("%s: %d of %d, want about %.0f%%", c.name, c.got, len(truth.Persons), c.share*100)
		}
	}
	// What the status says must be what the files say.
	kinds := map[string]map[string]bool{}
	for _, r := range truth.Records {
		if kinds[r.PersonID] == nil {
			kinds[r.PersonID] = map[string]bool{}
		}
		kinds[r.PersonID][r.Kind] = true
	}
	for _, p := range truth.Persons {
		if got := kinds[p.PersonID]["survey"]; got != (p.Community != "") {
			t.Errorf("%s: in a survey %v, community %q", p.PersonID, got, p.Community)
		}
		if got := kinds[p.PersonID]["roster"]; got != p.OnRoster {
			t.Errorf("%s: on a roster file %v, OnRoster %v", p.PersonID, got, p.OnRoster)
		}
	}
}

func TestEveryDefectAppears(t *testing.T) {
	want := []string{"id_excel_damaged", "id_15", "id_lower_x", "id_spaces", "id_bad_check", "id_missing",
		"fullwidth_digits", "name_spaces", "traditional", "homophone", "middle_dot_variant", "date_text_format",
		"date_serial", "birth_mismatch", "phone_+86", "phone_formatted", "phone_number_cell", "landline",
		"phone_missing", "phone_stale", "no_name", "duplicate", "moved", "unknown_person"}
	for _, seed := range []uint64{1, 2, 3} {
		_, truth := generate(t, Options{Persons: 300, Seed: seed})
		seen := map[string]bool{}
		homophoneIn := map[string]bool{}
		for _, r := range truth.Records {
			for _, d := range r.Defects {
				seen[d] = true
				if d == "homophone" {
					homophoneIn[r.Kind] = true
				}
			}
		}
		for _, d := range want {
			if !seen[d] {
				t.Errorf("seed %d: no record has %s", seed, d)
			}
		}
		if !homophoneIn["survey"] || !homophoneIn["roster"] {
			t.Errorf("seed %d: homophones in %v, want both survey and roster", seed, homophoneIn)
		}
	}
}

func TestDamagedIDIsANumberCell(t *testing.T) {
	dir, truth := generate(t, Options{})
	persons := map[string]Person{}
	for _, p := range truth.Persons {
		persons[p.PersonID] = p
	}
	for _, rec := range truth.Records {
		if rec.Sheet == "" || !hasDefect(rec, "id_excel_damaged") {
			continue
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "inbox", rec.File))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(rec.Sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		id := persons[rec.PersonID].IDNumber
		for i, c := range rows[rec.Row-1] {
			v, err := strconv.ParseFloat(c, 64)
			if err != nil || v < 1e17 {
				continue
			}
			if v != idDamaged(id) {
				t.Errorf("%s row %d: number %v, want %v", rec.File, rec.Row, v, idDamaged(id))
			}
			cell, _ := excelize.CoordinatesToCellName(i+1, rec.Row)
			if typ, _ := f.GetCellType(rec.Sheet, cell); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
				t.Errorf("%s!%s is a string cell", rec.File, cell)
			}
			return
		}
		t.Fatalf("%s row %d: no number cell for %s", rec.File, rec.Row, id)
	}
	t.Fatal("no xlsx record with id_excel_damaged")
}

func TestBadFiles(t *testing.T) {
	dir, truth := generate(t, Options{BadFiles: true})
	codes := map[string]string{}
	for _, f := range truth.Files {
		if f.Quarantine == "" {
			continue
		}
		if codes[f.Quarantine] == "" {
			codes[f.Quarantine] = f.Path
		}
		data, err := os.ReadFile(filepath.Join(dir, "inbox", filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		utf16le := func(s string) []byte {
			var b []byte
			for _, r := range s {
				b = append(b, byte(r), 0)
			}
			return b
		}
		ok := false
		switch f.Quarantine {
		case quarantineEmpty:
			ok = len(data) == 0
		case quarantineLegacyXLS:
			ok = bytes.HasPrefix(data, ole2Magic) && len(data) == 4096 && bytes.Contains(data, utf16le("Workbook")) &&
				strings.HasSuffix(f.Path, ".xls")
		case quarantineEncrypted:
			ok = bytes.HasPrefix(data, ole2Magic) && bytes.Contains(data, utf16le("EncryptedPackage"))
		case quarantineDamaged:
			_, err := excelize.OpenReader(bytes.NewReader(data))
			ok = bytes.HasPrefix(data, []byte("PK\x03\x04")) && err != nil
		case quarantineNotSpreadsheet:
			ok = bytes.HasPrefix(data, []byte("%PDF")) ||
				bytes.HasPrefix(data, []byte("PK\x03\x04")) && bytes.Contains(data, []byte("word/document.xml"))
		}
		if !ok {
			t.Errorf("%s: content does not match quarantine code %s", f.Path, f.Quarantine)
		}
		for _, r := range truth.Records {
			if r.File == f.Path {
				t.Errorf("%s: quarantined file has records", f.Path)
				break
			}
		}
	}
	for _, c := range []string{quarantineEmpty, quarantineLegacyXLS, quarantineEncrypted, quarantineDamaged, quarantineNotSpreadsheet} {
		if codes[c] == "" {
			t.Errorf("no bad file with code %s", c)
		}
	}
	_, clean := generate(t, Options{})
	for _, f := range clean.Files {
		if f.Quarantine != "" {
			t.Errorf("BadFiles false wrote %s", f.Path)
		}
	}
}

func TestCSVEncodings(t *testing.T) {
	dir, truth := generate(t, Options{})
	var gbk, bom int
	for _, f := range truth.Files {
		if !strings.HasSuffix(f.Path, ".csv") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, "inbox", filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case bytes.HasPrefix(data, []byte("\uFEFF")):
			bom++
			if !utf8.Valid(data) {
				t.Errorf("%s: BOM but not UTF-8", f.Path)
			}
		case !utf8.Valid(data):
			gbk++
			text, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
			if err != nil || !bytes.Contains(text, []byte("姓名")) {
				t.Errorf("%s: not GBK with a 姓名 header (%v)", f.Path, err)
			}
		default:
			t.Errorf("%s: plain UTF-8 without BOM", f.Path)
		}
	}
	if gbk == 0 || bom == 0 {
		t.Errorf("GBK CSV files %d, UTF-8 BOM CSV files %d; want both", gbk, bom)
	}
}

func TestTruthFiles(t *testing.T) {
	dir, truth := generate(t, Options{Persons: 50})
	persons := readCSV(t, filepath.Join(dir, "truth", "persons.csv"))
	if len(persons) != len(truth.Persons)+1 || persons[0][0] != "person_id" {
		t.Fatalf("persons.csv has %d rows, header %v", len(persons), persons[0])
	}
	for _, row := range persons[1:] {
		if len(row[4]) != 18 {
			t.Errorf("persons.csv id_number %q", row[4])
		}
	}
	records := readCSV(t, filepath.Join(dir, "truth", "records.csv"))
	if len(records) != len(truth.Records)+1 {
		t.Errorf("records.csv has %d rows, want %d", len(records), len(truth.Records)+1)
	}
	files := readCSV(t, filepath.Join(dir, "truth", "files.csv"))
	if len(files) != len(truth.Files)+1 {
		t.Errorf("files.csv has %d rows, want %d", len(files), len(truth.Files)+1)
	}
	for _, c := range []struct {
		name string
		rows int
	}{{"activities.csv", len(truth.Activities)}, {"pairings.csv", len(truth.Pairings)}, {"visits.csv", len(truth.Visits)}} {
		rows := readCSV(t, filepath.Join(dir, "truth", c.name))
		if len(rows) != c.rows+1 || rows[0][0] != "file" || c.rows == 0 {
			t.Errorf("%s has %d rows, want %d and a header; header %v", c.name, len(rows), c.rows+1, rows[0])
		}
	}
	if h := persons[0][len(persons[0])-3:]; strings.Join(h, ",") != "counsellor,last_contact,lost_contact" {
		t.Errorf("persons.csv ends in %v", h)
	}
	for _, f := range truth.Files {
		if strings.HasPrefix(f.Path, "truth") {
			t.Errorf("truth file in inbox: %s", f.Path)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "inbox", "decisions")); err != nil {
		t.Errorf("decisions folder: %v", err)
	}
	if _, err := Generate(dir, Options{Persons: 50}); err == nil {
		t.Error("Generate wrote into a non-empty inbox")
	}
}

func TestPersonsAreConsistent(t *testing.T) {
	_, truth := generate(t, Options{Persons: 1000})
	names := map[string]int{}
	for _, p := range truth.Persons {
		id := p.IDNumber
		if idCheck(id[:17]) != id[17] {
			t.Errorf("%s: bad check character in %s", p.PersonID, id)
		}
		if p.BirthDate != id[6:10]+"-"+id[10:12]+"-"+id[12:14] {
			t.Errorf("%s: birth %s, ID %s", p.PersonID, p.BirthDate, id)
		}
		if male := (id[16]-'0')%2 == 1; male != (p.Gender == "男") {
			t.Errorf("%s: gender %s, ID %s", p.PersonID, p.Gender, id)
		}
		birth, _ := time.Parse("2006-01-02", p.BirthDate)
		join, _ := time.Parse("2006-01-02", p.JoinDate)
		if join.Before(birth.AddDate(18, 0, 0)) {
			t.Errorf("%s: joined %s before 18 (born %s)", p.PersonID, p.JoinDate, p.BirthDate)
		}
		if !strings.HasPrefix(p.OriginBranch, "中共") || !strings.HasSuffix(p.OriginBranch, "委员会") {
			t.Errorf("%s: origin branch %q", p.PersonID, p.OriginBranch)
		}
		names[p.Name]++
	}
	shared := 0
	for _, n := range names {
		if n > 1 {
			shared += n
		}
	}
	if shared < 50 {
		t.Errorf("only %d persons share a name with someone", shared)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		if _, err := Generate(dir, Options{Persons: 10000, BadFiles: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGenerateScale times a large inbox; set SAMPLEDATA_SCALE=100000 (persons) to run it.
func TestGenerateScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SAMPLEDATA_SCALE"))
	if n == 0 {
		t.Skip("set SAMPLEDATA_SCALE to the number of persons")
	}
	start := time.Now()
	_, truth := generate(t, Options{Persons: n, BadFiles: true})
	t.Logf("%d persons: %d files, %d records in %v", n, len(truth.Files), len(truth.Records), time.Since(start))
}

func TestOptionsEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"one person", Options{Persons: 1, BadFiles: true}},
		{"five persons", Options{Persons: 5}},
		{"one community", Options{Persons: 60, Communities: []string{"同心社区"}, BadFiles: true}},
		{"nine communities", Options{Persons: 400, Communities: []string{"同心社区", "宝龙社区", "龙东社区", "南约社区",
			"同乐社区", "龙新社区", "甲社区", "乙社区", "丙社区"}}},
		{"other street and day", Options{Persons: 80, Street: "龙城街道", Today: time.Date(2027, 1, 10, 15, 0, 0, 0, time.Local)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, truth := generate(t, tc.opts)
			checkRecords(t, dir, truth)
			want := tc.opts.Persons
			if len(truth.Persons) != want {
				t.Errorf("%d persons, want %d", len(truth.Persons), want)
			}
			if len(truth.Files) == 0 {
				t.Error("no files")
			}
		})
	}
	for _, bad := range []Options{{Persons: -1}, {Communities: []string{"同心社区", "同心社区"}}} {
		if _, err := Generate(t.TempDir(), bad); err == nil {
			t.Errorf("Generate(%+v) did not fail", bad)
		}
	}
}

func TestEveryDataRowHasARecord(t *testing.T) {
	dir, truth := generate(t, Options{BadFiles: true})
	type key struct{ file, sheet string }
	rows := map[key]map[int]bool{}
	for _, r := range truth.Records {
		k := key{r.File, r.Sheet}
		if rows[k] == nil {
			rows[k] = map[int]bool{}
		}
		if rows[k][r.Row] {
			t.Errorf("%s!%s:%d has two records", r.File, r.Sheet, r.Row)
		}
		rows[k][r.Row] = true
	}
	rd := newInboxReader(t, filepath.Join(dir, "inbox"))
	for k, recorded := range rows {
		first := math.MaxInt
		for r := range recorded {
			first = min(first, r)
		}
		rd.row(k.file, k.sheet, first) // loads the sheet
		all := rd.rows[k.file+"!"+k.sheet]
		for i := first; i <= len(all); i++ {
			filled := 0
			for _, c := range all[i-1] {
				if strings.TrimSpace(c) != "" {
					filled++
				}
			}
			isData := filled >= 3 && !strings.HasPrefix(all[i-1][0], "填表人")
			if isData != recorded[i] {
				t.Errorf("%s!%s:%d: data row %v, recorded %v: %q", k.file, k.sheet, i, isData, recorded[i], all[i-1])
			}
		}
	}
}
