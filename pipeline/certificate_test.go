package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/output"
	"github.com/baolong/liudong/sampledata"
)

// certTotals is what a certificate (or the truth) says about a member's
// year: activities and hours.
type certTotals struct {
	activities int
	hours      float64
}

// readCertificates reads every certificate workbook of a run folder: per
// serial number (a certificate's title), the activity rows and their hours.
// A branch's certificates stand one below the other on its sheet.
func readCertificates(t *testing.T, out string, year int) map[string]certTotals {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, output.CertificateDir, strconv.Itoa(year), "*", output.CertificateDir+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]certTotals{}
	for _, file := range files {
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			serial := ""
			for i, r := range rows {
				if len(r) == 0 {
					continue
				}
				if title, ok := strings.CutPrefix(strings.SplitN(r[0], "\n", 2)[0], "活动认证书 "); ok { // 宝龙认字〔2026〕第0001号
					serial = title
					if i := strings.Index(serial, "（修订"); i >= 0 {
						serial = serial[:i]
					}
					if _, dup := got[serial]; dup {
						t.Errorf("serial %s on two certificates", serial)
					}
					got[serial] = certTotals{}
					continue
				}
				if serial == "" || len(r) < 5 {
					continue
				}
				if _, err := strconv.Atoi(r[0]); err != nil {
					continue // the header or a subtotal row
				}
				h, err := strconv.ParseFloat(r[4], 64)
				if err != nil {
					t.Errorf("%s %s row %d: hours %q", filepath.Base(file), sheet, i+1, r[4])
				}
				c := got[serial]
				c.activities++
				c.hours += h
				got[serial] = c
			}
		}
		f.Close()
	}
	return got
}

// TestCertificatesMatchTruth runs a generated inbox with activities,
// pairings and visits and checks the certificates against the truth: every
// person with activities this year has exactly one certificate, its number
// of activities and hours equal the truth's (the same member, day and type
// counted once, as the issue defines a duplicate; records the pipeline
// reported as fitting no member or two are left out, since they are in the
// discrepancy report, not silently dropped), people without activities have
// none, and no activity of a person the registry does not know is counted.
// A second run issues the same certificates: same serials, nothing revised.
func TestCertificatesMatchTruth(t *testing.T) {
	dir := t.TempDir()
	truth, err := sampledata.Generate(dir, sampledata.Options{Persons: 200, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(dir)
	sum := runOnce(t, cfg)
	year := fixedNow().Year()
	db := openTestDB(t, cfg)
	_, personMember := clusterScores(t, db, truth)

	// How each activity record was linked.
	outcome := map[string]string{} // file|sheet|row → outcome
	linkedTo := map[string]string{}
	rows, err := db.Query(`SELECT r.file_path || '|' || coalesce(r.sheet, '') || '|' || r.row_number, c.outcome, coalesce(c.member_id, '')
		FROM contact c JOIN source_record r USING (record_id) WHERE c.source_kind = 'activity'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, o, m string
		rows.Scan(&k, &o, &m)
		outcome[k], linkedTo[k] = o, m
	}
	rows.Close()
	key := func(a sampledata.Activity) string { return fmt.Sprintf("%s|%s|%d", a.File, a.Sheet, a.Row) }

	// The truth, as the pipeline should count it.
	want := map[string]certTotals{} // member → totals
	reported, unknownLinked, unknown, wrongMember := 0, 0, 0, 0
	seen := map[string]bool{} // member|day|type
	for _, a := range truth.Activities {
		if a.Expect != "accepted" {
			continue
		}
		if a.Unknown {
			unknown++
			if o := outcome[key(a)]; o == "linked" {
				unknownLinked++
				t.Logf("activity of an unknown person linked to %s: %s", linkedTo[key(a)], key(a))
			}
			continue
		}
		m := personMember[a.PersonID]
		if m == "" || !strings.HasPrefix(a.Date, strconv.Itoa(year)) {
			continue
		}
		switch outcome[key(a)] {
		case "ambiguous", "unmatched":
			reported++
			continue
		case "linked":
			if linkedTo[key(a)] != m {
				wrongMember++
				t.Errorf("%s of %s linked to %s, want %s", key(a), a.PersonID, linkedTo[key(a)], m)
				continue
			}
		default:
			t.Errorf("activity %s: outcome %q", key(a), outcome[key(a)])
			continue
		}
		day := a.Date
		if a.MonthOnly {
			day = a.Date[:7]
		}
		if k := m + "|" + day + "|" + a.Type; !seen[k] {
			seen[k] = true
			w := want[m]
			w.activities++
			w.hours += a.Hours
			want[m] = w
		}
	}
	if unknown == 0 {
		t.Fatal("the generated inbox has no activity of an unknown person: the test cannot check they are reported")
	}
	if unknownLinked > 0 {
		t.Errorf("%d of %d activities of unknown people were linked to a member; want them reported", unknownLinked, unknown)
	}
	if n := len(truth.Activities); reported*50 > n {
		t.Errorf("%d of %d activities fit no member or two: more than 2%%", reported, n)
	}

	serials := map[string]string{} // serial → member
	rows, err = db.Query(`SELECT member_id, serial FROM certificate WHERE year = ?`, year)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		var n int
		rows.Scan(&m, &n)
		serials[fmt.Sprintf("宝龙认字〔%d〕第%04d号", year, n)] = m
	}
	rows.Close()
	got := readCertificates(t, filepath.Join(cfg.Out.Dir, "latest"), year)
	byMember := map[string]certTotals{}
	for serial, c := range got {
		m, ok := serials[serial]
		if !ok {
			t.Errorf("certificate %s is not in table certificate", serial)
			continue
		}
		byMember[m] = c
	}
	for m, w := range want {
		g, ok := byMember[m]
		switch {
		case !ok:
			t.Errorf("member %s has %d activities in %d but no certificate", m, w.activities, year)
		case g.activities != w.activities || fmt.Sprintf("%.1f", g.hours) != fmt.Sprintf("%.1f", w.hours):
			t.Errorf("member %s: certificate %d activities %.1f hours, truth %d and %.1f", m, g.activities, g.hours, w.activities, w.hours)
		}
	}
	for m := range byMember {
		if _, ok := want[m]; !ok {
			t.Errorf("member %s has a certificate but no activity in %d", m, year)
		}
	}
	if len(want) < 50 {
		t.Errorf("only %d members with activities: the sample is too small to test", len(want))
	}
	t.Logf("%d certificates; %d activities reported as fitting no member or two; %d of unknown people", len(got), reported, unknown)
	if sum.Certificates == nil || sum.Certificates.Certificates != len(got) {
		t.Errorf("summary says %+v, %d certificates written", sum.Certificates, len(got))
	}
	db.Close()

	// A rerun reproduces them.
	sum2 := runOnce(t, cfg)
	if c := sum2.Certificates; c.Issued != 0 || c.Revised != 0 || c.Certificates != len(got) {
		t.Errorf("second run: %+v, want the same %d certificates, none issued or revised", c, len(got))
	}
	if again := readCertificates(t, filepath.Join(cfg.Out.Dir, "latest"), year); fmt.Sprint(again) != fmt.Sprint(got) {
		t.Error("the second run's certificates differ")
	}
}

// TestCertificateRevised: a late activity record changes a member's
// certificate: same serial, revision 1 dated by the run, marked 修订 in
// the workbook; a member whose record arrives later gets the next serial.
func TestCertificateRevised(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,联系电话\n张伟,430524198503121236,13812345678\n李娜,430524199001010020,13912345678\n")
	writeCSV(t, cfg, "activities/同心社区联系卡1.csv", "姓名,身份证号,活动日期,活动类型,活动内容,时长,签字\n张伟,430524198503121236,2026-03-01,党课,专题党课,2,王书记\n")
	runOnce(t, cfg)
	out := filepath.Join(cfg.Out.Dir, "latest")
	first := readCertificates(t, out, 2026)
	const serial1, serial2 = "宝龙认字〔2026〕第0001号", "宝龙认字〔2026〕第0002号"
	if len(first) != 1 || first[serial1].activities != 1 {
		t.Fatalf("first run certificates %v, want %s with one activity", first, serial1)
	}
	writeCSV(t, cfg, "activities/同心社区联系卡2.csv", "姓名,身份证号,活动日期,活动类型,活动内容,时长,签字\n"+
		"张伟,430524198503121236,2026-04-01,志愿服务,社区清洁,3,王书记\n李娜,430524199001010020,2026-04-01,志愿服务,社区清洁,3,王书记\n")
	sum := runOnce(t, cfg)
	if c := sum.Certificates; c.Issued != 1 || c.Revised != 1 {
		t.Errorf("second run: %+v, want one issued (李娜) and one revised (张伟)", c)
	}
	second := readCertificates(t, out, 2026)
	if second[serial1].activities != 2 || second[serial1].hours != 5 || second[serial2].activities != 1 {
		t.Errorf("second run certificates %v", second)
	}
	db := openTestDB(t, cfg)
	var rev int
	var revised string
	if err := db.QueryRow(`SELECT revision, CAST(revised_on AS VARCHAR) FROM certificate WHERE serial = 1`).Scan(&rev, &revised); err != nil {
		t.Fatal(err)
	}
	if rev != 1 || revised != fixedNow().Format("2006-01-02") {
		t.Errorf("revision %d on %s", rev, revised)
	}
	files, _ := filepath.Glob(filepath.Join(out, output.CertificateDir, "2026", "*", output.CertificateDir+".xlsx"))
	if len(files) != 1 || !strings.Contains(dumpWorkbook(t, files[0]), "活动认证书 "+serial1+"（修订，"+revised+"）") {
		t.Errorf("the revised certificate is not marked 修订 in %v", files)
	}
}

// TestCertificatesReadOnlyWhatChanged: a run writes only the certificate
// folders whose certificates or members changed and takes the others from
// the previous run's folder (the same file, linked); every certificate
// records its input, and certificates recorded without one (before
// migration 0016) are read again once, without being revised.
func TestCertificatesReadOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	const branchA, branchB = "中共石门村支部委员会", "中共东岭村支部委员会"
	writeCSV(t, cfg, "surveys/同心社区.csv", "姓名,身份证号,联系电话,流出地党组织\n"+
		"张伟,430524198503121236,13812345678,"+branchA+"\n李娜,430524199001010020,13912345678,"+branchB+"\n")
	writeCSV(t, cfg, "activities/同心社区联系卡1.csv", "姓名,身份证号,活动日期,活动类型,活动内容,时长,签字\n"+
		"张伟,430524198503121236,2026-03-01,党课,专题党课,2,王书记\n李娜,430524199001010020,2026-03-01,党课,专题党课,2,王书记\n")
	files := func() map[string]os.FileInfo {
		t.Helper()
		latest, err := filepath.EvalSymlinks(filepath.Join(cfg.Out.Dir, "latest"))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]os.FileInfo{}
		for _, b := range []string{branchA, branchB} {
			for _, name := range []string{output.CertificateDir + ".xlsx", output.AnnualName + ".xlsx"} {
				fi, err := os.Stat(filepath.Join(latest, output.CertificatePath(2026, b, name)))
				if err != nil {
					t.Fatal(err)
				}
				out[b+"/"+name] = fi
			}
		}
		return out
	}
	same := func(before, after map[string]os.FileInfo) (kept []string) {
		for name, fi := range after {
			if os.SameFile(before[name], fi) {
				kept = append(kept, name)
			}
		}
		slices.Sort(kept)
		return kept
	}
	inputs := func() int {
		t.Helper()
		var n int
		if err := openTestDB(t, cfg).QueryRow(`SELECT count(input_sha256) FROM certificate`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	runOnce(t, cfg)
	first := files()
	if n := inputs(); n != 2 {
		t.Errorf("%d certificates record their input, want 2", n)
	}

	// A late activity of 张伟: branch A's folder is written, B's kept.
	writeCSV(t, cfg, "activities/同心社区联系卡2.csv", "姓名,身份证号,活动日期,活动类型,活动内容,时长,签字\n"+
		"张伟,430524198503121236,2026-04-01,志愿服务,社区清洁,3,王书记\n")
	sum := runOnce(t, cfg)
	if c := sum.Certificates; c.Issued != 0 || c.Revised != 1 || c.Certificates != 2 {
		t.Errorf("second run: %+v, want 2 certificates, 张伟's revised", c)
	}
	second := files()
	want := []string{branchB + "/" + output.AnnualName + ".xlsx", branchB + "/" + output.CertificateDir + ".xlsx"}
	if got := same(first, second); !slices.Equal(got, want) {
		t.Errorf("files kept from the first run: %v, want %v", got, want)
	}
	if got := readCertificates(t, filepath.Join(cfg.Out.Dir, "latest"), 2026); got["宝龙认字〔2026〕第0001号"].activities != 2 {
		t.Errorf("张伟's certificate after his late activity: %v", got)
	}

	// Nothing changed since: `liudong certificates` reads no activities.
	issue := func() output.CertificatesWritten {
		t.Helper()
		res, err := IssueCertificates(context.Background(), cfg, 2026, fixedNow())
		if err != nil {
			t.Fatal(err)
		}
		return res.Written
	}
	if w := issue(); w.Folders != 2 || w.Read != 0 || w.Certificates != 2 {
		t.Errorf("certificates after an unchanged run: %+v, want 2 folders, none read", w)
	}
	// Certificates recorded without their input are read again, not revised.
	db := openTestDB(t, cfg)
	if _, err := db.Exec(`UPDATE certificate SET input_sha256 = NULL`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if w := issue(); w.Folders != 2 || w.Read != 2 || w.Issued != 0 || w.Revised != 0 {
		t.Errorf("certificates after losing the inputs: %+v, want both folders read, nothing issued or revised", w)
	}
	if n := inputs(); n != 2 {
		t.Errorf("%d certificates record their input again, want 2", n)
	}
	runOnce(t, cfg)
	third := files()
	if got := same(second, third); len(got) != 4 {
		t.Errorf("a run after kept %v, want all four files (same content)", got)
	}
	// The next day: the annual reports carry the date and are written
	// again; the certificates' workbooks are kept.
	runAt(t, cfg, fixedNow().AddDate(0, 0, 1))
	want = []string{branchA + "/" + output.CertificateDir + ".xlsx", branchB + "/" + output.CertificateDir + ".xlsx"}
	slices.Sort(want)
	if got := same(third, files()); !slices.Equal(got, want) {
		t.Errorf("the next day kept %v, want %v", got, want)
	}
}

func TestCertificateParts(t *testing.T) {
	groups := make([]output.BranchCertificates, 6)
	for i, n := range []int{3, 1, 4, 1, 5, 2} {
		groups[i].Certs = make([]output.Certificate, n)
	}
	for _, tc := range []struct {
		name     string
		load     []int
		perQuery int
		want     [][]int
	}{
		{"all in one", []int{0, 1, 2, 3, 4, 5}, 100, [][]int{{0, 1, 2, 3, 4, 5}}},
		{"whole groups up to the size", []int{0, 1, 2, 3, 4, 5}, 5, [][]int{{0, 1}, {2, 3}, {4}, {5}}},
		{"a group larger than the size is a part alone", []int{2, 4}, 3, [][]int{{2}, {4}}},
		{"only the groups loaded, in order", []int{1, 3, 5}, 3, [][]int{{1, 3}, {5}}},
		{"nothing to load", nil, 5, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := certificateParts(groups, tc.load, tc.perQuery)
			if !slices.EqualFunc(got, tc.want, slices.Equal[[]int]) {
				t.Errorf("parts %v, want %v", got, tc.want)
			}
		})
	}
}

// TestYearActivitiesAsView checks that the certificates' own query of the
// year's activities (yearActivities, written for DuckDB's join order) gives
// v_activity's rows under the year's filter, for every member and for a
// table of some, with a retired record and records dated in other years and
// after today among them.
func TestYearActivitiesAsView(t *testing.T) {
	db := openTestDB(t, firstNight(t, 200, 5))
	ctx := context.Background()
	now := fixedNow()
	args := []any{now.Year(), now.Format("2006-01-02"), now.Format("2006-01")}
	view := `SELECT member_id, record_id, activity_date, activity_date_text, activity_type, content, hours, signed_by
		FROM v_activity WHERE coalesce(year(activity_date), TRY_CAST(left(activity_date_text, 4) AS INTEGER)) = ?
		AND coalesce(activity_date <= ?::DATE, left(activity_date_text, 7) <= ?)`
	// Of the year's activities: one retired, one dated today, one the day
	// after, one the year before.
	for i, q := range []string{
		`UPDATE source_record SET retired_run_id = 1 WHERE record_id = (SELECT min(record_id) FROM (` + view + `))`,
		`UPDATE contact SET activity_day = ?::DATE WHERE record_id = (SELECT min(record_id) FROM (` + view + `))`,
		`UPDATE contact SET activity_day = ?::DATE + 1 WHERE record_id = (SELECT max(record_id) FROM (` + view + `))`,
		`UPDATE contact SET activity_day = DATE '2025-06-01' WHERE record_id = (SELECT min(record_id) + 1 FROM (` + view + `))`,
	} {
		qargs := args
		if i == 1 || i == 2 {
			qargs = append([]any{args[1]}, args...)
		}
		if r, err := db.ExecContext(ctx, q, qargs...); err != nil {
			t.Fatal(err)
		} else if n, _ := r.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", q, n)
		}
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE some_members AS
		SELECT member_id, CAST(row_number() OVER (ORDER BY member_id) % 3 AS INTEGER) AS grp
		FROM member WHERE member_id IN (SELECT member_id FROM v_activity) AND hash(member_id) % 2 = 0`); err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := count(`SELECT count(*) FROM (`+view+`)`, args...)
	if all < 100 || count(`SELECT count(*) FROM v_activity`) <= all {
		t.Fatalf("%d activities in the year of %d: too few to test, or none left out", all, count(`SELECT count(*) FROM v_activity`))
	}
	for _, tc := range []struct{ name, got, want string }{
		{"every member", yearActivities(""), view},
		{"some members", `SELECT * EXCLUDE (grp) FROM (` + yearActivities("some_members") + `)`,
			`SELECT * FROM (` + view + `) WHERE member_id IN (SELECT member_id FROM some_members)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			both := append(append([]any{}, args...), args...)
			if n := count(`SELECT count(*) FROM ((`+tc.got+`) EXCEPT ALL (`+tc.want+`))`, both...); n != 0 {
				t.Errorf("%d rows not in v_activity's", n)
			}
			if n := count(`SELECT count(*) FROM ((`+tc.want+`) EXCEPT ALL (`+tc.got+`))`, both...); n != 0 {
				t.Errorf("%d of v_activity's rows missing", n)
			}
		})
	}
}
