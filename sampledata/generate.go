package sampledata

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options says what inbox to generate. The zero value is valid: every zero field takes its default.
type Options struct {
	Persons     int       // real persons to create (default 300)
	Seed        uint64    // same seed, same bytes (default 1; 0 means the default)
	Today       time.Time // reference date; files and activities are dated before it (default 2026-11-25)
	Street      string    // default "宝龙街道"
	Communities []string  // default 同心社区 宝龙社区 龙东社区 南约社区 同乐社区 龙新社区
	BadFiles    bool      // include a few files that must be quarantined (liudong demo sets it)
}

// defaultToday is the reference date when Options.Today is zero.
var defaultToday = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// Inbox folders, one per kind of file; decisions stays empty (analysts' decisions are not generated).
var inboxFolders = []string{"surveys", "rosters", "activities", "counsellors", "visits", "decisions"}

// china is the offices' time zone; file times are stamped in it.
var china = time.FixedZone("CST", 8*3600)

func (o Options) normalize() (Options, error) {
	if o.Persons < 0 {
		return o, fmt.Errorf("persons is %d, must not be negative", o.Persons)
	}
	if o.Persons == 0 {
		o.Persons = 300
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Today.IsZero() {
		o.Today = defaultToday
	}
	if o.Today.Year() < 2000 {
		return o, fmt.Errorf("today is %s, must be in 2000 or later", o.Today.Format("2006-01-02"))
	}
	y, m, d := o.Today.Date()
	o.Today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if o.Street == "" {
		o.Street = "宝龙街道"
	}
	if strings.ContainsAny(o.Street, `/\`) {
		return o, fmt.Errorf("street %q: must not contain a path separator", o.Street)
	}
	if len(o.Communities) == 0 {
		o.Communities = defaultCommunities
	}
	seen := map[string]bool{}
	for _, c := range o.Communities {
		if c == "" || seen[c] || strings.ContainsAny(c, `/\`) {
			return o, fmt.Errorf("communities: %q is empty, repeated or has a path separator", c)
		}
		seen[c] = true
	}
	o.Communities = append([]string(nil), o.Communities...)
	return o, nil
}

// community is an inflow-side community with the layouts its offices use and its own people.
type community struct {
	index       int
	name        string
	layout      surveyLayout
	counsellors []*counsellor
	pairings    *counsellorFile
	events      []*event
}

// generator holds the plan: persons and, per file, what to write. Planning is sequential on one random stream;
// writing is parallel, each file on its own stream, so output does not depend on scheduling.
type generator struct {
	opts        Options
	today       time.Time
	latestMonth time.Time // first day of the month before Today: the newest survey month
	rng         *rand.Rand
	persons     []*person
	branches    []*branch
	communities []*community
	phones      *phoneBook
	jobs        []*job
	days        map[time.Time]string // 2006-01-02 spellings, shared by the truth's rows
}

type job struct {
	file  File
	when  time.Time
	rows  int // planned data rows: big files are started first so that workers finish together
	write func(*jobCtx) error
	// facts adds what the rows say (activities, pairings, visits) to the truth, given the entries of the rows
	// written, one per planned row in plan order; nil for the other kinds of file.
	facts func(t *Truth, rows []Entry)
}

// jobCtx is what a file writer gets: where to write, the file's date, its own random stream, and where to note
// the rows it wrote.
type jobCtx struct {
	rel, abs string
	when     time.Time
	rng      *rand.Rand
	sheets   []string
	rows     []rowRecord
}

// rowRecord is a Record while generating: no pointers, so that a million-person inbox's records cost the
// garbage collector nothing until they become Records at the end.
type rowRecord struct {
	row       int32
	person    int32 // index+1 into the persons; 0 for someone who is not one of them
	sheet     uint16
	monthOnly bool
	defects   defectSet
}

// record notes that row of sheet ("" for CSV) is the row cl rendered: its person and the defects it got.
func (j *jobCtx) record(sheet string, row int, cl *cells) {
	s := len(j.sheets) - 1
	if s < 0 || j.sheets[s] != sheet {
		j.sheets = append(j.sheets, sheet)
		s++
	}
	r := rowRecord{row: int32(row), sheet: uint16(s), monthOnly: cl.monthOnly, defects: cl.out}
	if cl.p.PersonID != "" {
		r.person = int32(cl.p.idx + 1)
	}
	j.rows = append(j.rows, r)
}

func (g *generator) addJob(f File, when time.Time, rows int, write func(*jobCtx) error) *job {
	j := &job{file: f, when: when, rows: rows, write: write}
	g.jobs = append(g.jobs, j)
	return j
}

// Generate writes dir/inbox/{surveys,rosters,activities,counsellors,visits,decisions}/… and
// dir/truth/{persons.csv,records.csv,files.csv} and returns the truth. The same Options give byte-identical
// files. It refuses to write into a dir/inbox that already has files, so stale files never mix with new ones.
func Generate(dir string, opts Options) (*Truth, error) {
	opts, err := opts.normalize()
	if err != nil {
		return nil, fmt.Errorf("sampledata: %w", err)
	}
	inbox := filepath.Join(dir, "inbox")
	if err := mustBeEmpty(inbox); err != nil {
		return nil, err
	}
	for _, sub := range inboxFolders {
		if err := os.MkdirAll(filepath.Join(inbox, sub), 0o755); err != nil {
			return nil, err
		}
	}
	g := newGenerator(opts)
	g.makePersons()
	g.assignStatus()
	g.planSurveys()
	g.planRosters()
	g.planCounsellors()
	g.planActivities()
	g.planVisits()
	if opts.BadFiles {
		g.planBadFiles()
	}
	t := &Truth{}
	if err := g.run(inbox, t); err != nil {
		return nil, err
	}
	t.Persons = make([]Person, len(g.persons))
	for i, p := range g.persons {
		t.Persons[i] = p.public()
	}
	t.Files = make([]File, len(g.jobs))
	for i, j := range g.jobs {
		t.Files[i] = j.file
	}
	if err := writeTruth(filepath.Join(dir, "truth"), t); err != nil {
		return nil, err
	}
	return t, nil
}

func newGenerator(opts Options) *generator {
	g := &generator{
		opts:  opts,
		today: opts.Today,
		rng:   newRand(opts.Seed, 0),
		days:  map[time.Time]string{},
	}
	first := time.Date(opts.Today.Year(), opts.Today.Month(), 1, 0, 0, 0, 0, time.UTC)
	g.latestMonth = first.AddDate(0, -1, 0)
	for i, name := range opts.Communities {
		g.communities = append(g.communities, &community{index: i, name: name, layout: surveyLayoutFor(i)})
	}
	return g
}

func mustBeEmpty(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		names, err := f.Readdirnames(64)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, n := range names {
			st, err := os.Stat(filepath.Join(dir, n))
			if err != nil {
				return err
			}
			if !st.IsDir() {
				return fmt.Errorf("sampledata: %s is not empty (%s); generate into a new directory", dir, n)
			}
			if err := mustBeEmpty(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
}

// run writes every planned file, in parallel, and fills t.Records in plan order, and the activities, pairings
// and visits beside them.
func (g *generator) run(inbox string, t *Truth) error {
	ctxs := make([]*jobCtx, len(g.jobs))
	errs := make([]error, len(g.jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := g.jobs[i]
				ctx := &jobCtx{
					rel:  j.file.Path,
					abs:  filepath.Join(inbox, filepath.FromSlash(j.file.Path)),
					when: j.when.Add(9*time.Hour + 30*time.Minute),
					rng:  newRand(g.opts.Seed, uint64(i)+1),
				}
				err := j.write(ctx)
				j.write = nil // lets the plan of a written file be collected
				if err == nil {
					stamp := time.Date(j.when.Year(), j.when.Month(), j.when.Day(), 9, 30, 0, 0, china)
					err = os.Chtimes(ctx.abs, stamp, stamp)
				}
				if err != nil {
					errs[i] = fmt.Errorf("write %s: %w", j.file.Path, err)
				}
				ctxs[i] = ctx
			}
		}()
	}
	order := make([]int, len(g.jobs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return g.jobs[order[a]].rows > g.jobs[order[b]].rows })
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	n := 0
	for i, err := range errs {
		if err != nil {
			return err
		}
		n += len(ctxs[i].rows)
	}
	// Defect lists are shared between records with the same defects (capped, so an append copies).
	names := map[defectSet][]string{}
	out := make([]Record, 0, n)
	planned := map[string]int{} // rows of the files with facts, by kind: sizes the truth's slices
	for _, j := range g.jobs {
		if j.facts != nil {
			planned[j.file.Kind] += j.rows
		}
	}
	t.Activities = make([]Activity, 0, planned["activity"])
	t.Pairings = make([]Pairing, 0, planned["counsellor"])
	t.Visits = make([]Visit, 0, planned["visit"])
	var entries []Entry
	for i, ctx := range ctxs {
		j := g.jobs[i]
		kind := j.file.Kind
		first := len(out)
		for _, r := range ctx.rows {
			d, ok := names[r.defects]
			if !ok {
				d = r.defects.names()
				d = d[:len(d):len(d)]
				names[r.defects] = d
			}
			rec := Record{File: ctx.rel, Sheet: ctx.sheets[r.sheet], Row: int(r.row), Kind: kind, Expect: "accepted", Defects: d}
			if r.person > 0 {
				rec.PersonID = g.persons[r.person-1].PersonID
			}
			if r.defects.has(noName) {
				rec.Expect = "rejected"
			}
			out = append(out, rec)
		}
		if j.facts != nil {
			if len(ctx.rows) != j.rows {
				return fmt.Errorf("write %s: %d rows written, %d planned", j.file.Path, len(ctx.rows), j.rows)
			}
			entries = entries[:0]
			for k, r := range ctx.rows {
				entries = append(entries, entryOf(&out[first+k], r))
			}
			j.facts(t, entries)
			j.facts = nil
		}
		ctxs[i] = nil
	}
	t.Records = out
	return nil
}

// entryOf is the Entry of a written row.
func entryOf(rec *Record, r rowRecord) Entry {
	return Entry{File: rec.File, Sheet: rec.Sheet, Row: rec.Row, PersonID: rec.PersonID, Expect: rec.Expect,
		Duplicate: r.defects.has(duplicateRow), Unknown: r.defects.has(unknownPerson), MonthOnly: r.monthOnly}
}

// isoDate spells d as 2006-01-02, one string per day for all the truth's rows.
func (g *generator) isoDate(d time.Time) string {
	s, ok := g.days[d]
	if !ok {
		s = d.Format("2006-01-02")
		g.days[d] = s
	}
	return s
}

// officeAuthor is who the document properties say saved the file.
func (g *generator) officeAuthor(rng *rand.Rand) string {
	return oneOf(rng, []string{"Administrator", "admin", "User", "微软用户", "lenovo", "宝龙街道党建办"})
}
