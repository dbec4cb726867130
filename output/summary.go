package output

import "time"

// Summary is what a run tells its operator: what was read, what was not and
// why, and how long each stage took. It is written as summary.json and
// summary.md and logged at the end of the run. Started and Finished are in
// the street's time zone (config timezone): Started's date is the run's date
// (out/<date>/, the workbooks' dates, the certificates' year), and both are
// shown as the street's clock read them.
type Summary struct {
	RunID    int           `json:"run_id"`
	Version  string        `json:"version"`
	Street   string        `json:"street"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	Status   string        `json:"status"` // ok | quarantined | failed
	Error    string        `json:"error,omitempty"`
	Database string        `json:"database"`
	Inbox    string        `json:"inbox"`
	Totals   Counts        `json:"totals"`
	Kinds    []KindCounts  `json:"kinds"`
	Files    []FileSummary `json:"files"`
	Ignored  []Ignored     `json:"ignored,omitempty"`
	Match    *Match        `json:"match,omitempty"`
	Members  *Members      `json:"members,omitempty"`
	Stages   []Stage       `json:"stages"`
	PDF      *PDFSummary   `json:"pdf,omitempty"`
	// Certificates are the year's activity certificates so far.
	Certificates *CertificateSummary `json:"certificates,omitempty"`
}

// CertificateSummary counts the year's certificates: all, and those issued
// or revised by this run.
type CertificateSummary struct {
	Year         int `json:"year"`
	Certificates int `json:"certificates"`
	Issued       int `json:"issued"`
	Revised      int `json:"revised"`
}

// PDFSummary says whether PDFs were written, with which font, and what
// could not be printed.
type PDFSummary struct {
	Font string `json:"font,omitempty"`
	// Disabled, when set, says why no PDF was written and how to enable it.
	Disabled string          `json:"disabled,omitempty"`
	Files    int             `json:"files"`
	Missing  []MissingGlyphs `json:"missing_glyphs,omitempty"`
}

// Counts are file and row counts.
type Counts struct {
	FilesSeen        int `json:"files_seen"`
	FilesLoaded      int `json:"files_loaded"`
	FilesUnchanged   int `json:"files_unchanged"`
	FilesDuplicate   int `json:"files_duplicate"`
	FilesSuperseded  int `json:"files_superseded"`
	FilesRemoved     int `json:"files_removed"`
	FilesQuarantined int `json:"files_quarantined"`
	RowsAccepted     int `json:"rows_accepted"`
	RowsRejected     int `json:"rows_rejected"`
	RowsSkipped      int `json:"rows_skipped"`
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.FilesSeen += o.FilesSeen
	c.FilesLoaded += o.FilesLoaded
	c.FilesUnchanged += o.FilesUnchanged
	c.FilesDuplicate += o.FilesDuplicate
	c.FilesSuperseded += o.FilesSuperseded
	c.FilesRemoved += o.FilesRemoved
	c.FilesQuarantined += o.FilesQuarantined
	c.RowsAccepted += o.RowsAccepted
	c.RowsRejected += o.RowsRejected
	c.RowsSkipped += o.RowsSkipped
}

// KindCounts are the counts of one kind of file.
type KindCounts struct {
	Kind string `json:"kind"`
	Counts
}

// FileSummary is what happened to one file this run.
type FileSummary struct {
	Path     string   `json:"path"`
	Kind     string   `json:"kind"`
	Action   string   `json:"action"` // loaded | unchanged | duplicate | superseded | removed | quarantined
	Format   string   `json:"format,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	Accepted int      `json:"accepted"`
	Rejected int      `json:"rejected"`
	Skipped  int      `json:"skipped"`
	Unmapped []string `json:"unmapped_columns,omitempty"`
	Sheets   []string `json:"skipped_sheets,omitempty"` // "name: reason"
	Code     string   `json:"quarantine_code,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	Hint     string   `json:"hint,omitempty"`
	DupOf    string   `json:"duplicate_of,omitempty"`
	ReadTime float64  `json:"read_seconds,omitempty"`
}

// Ignored is a file in the inbox that was not read on purpose.
type Ignored struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Stage is how long one stage took.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Members is what reconciliation made of the person records.
type Members struct {
	Records     int               `json:"records"`
	Members     int               `json:"members"`
	ByStatus    map[string]int    `json:"by_status"`
	ByCommunity []CommunityStatus `json:"by_community"`
	// NewlyUnknown counts members whose whereabouts became unknown this run.
	NewlyUnknown int `json:"newly_unknown_whereabouts"`
	// LostContact and LostContactSoon count members flagged 失联 and 即将失联.
	LostContact     int `json:"lost_contact"`
	LostContactSoon int `json:"lost_contact_soon"`
	Created         int `json:"created"`
	Merged          int `json:"merged"`
	Split           int `json:"split"`
	Retired         int `json:"retired"`
	// StatusChanges counts members whose status changed this run.
	StatusChanges int `json:"status_changes"`
	// Discrepancies between sources opened and resolved this run, and open now.
	DiscrepanciesOpened   int `json:"discrepancies_opened"`
	DiscrepanciesResolved int `json:"discrepancies_resolved"`
	DiscrepanciesOpen     int `json:"discrepancies_open"`
	// Changes are this run's new members and status changes, by member ID
	// (empty on the run that first builds the registry: every member is new).
	Changes []MemberChange `json:"changes,omitempty"`
	// FirstBuild: this run made the registry's first members.
	FirstBuild bool `json:"first_build,omitempty"`
	// UnknownDecisions are analysts' decisions naming records that are not
	// current person records: "decision record: the IDs it names".
	UnknownDecisions []string `json:"unknown_decisions,omitempty"`
}

// MemberChange is a member that is new or whose status changed this run.
type MemberChange struct {
	MemberID  string `json:"member_id"`
	Name      string `json:"name"`
	Community string `json:"community,omitempty"`
	From      string `json:"from_status,omitempty"` // empty for a new member
	To        string `json:"to_status"`
}

// Match is what the matcher did: how many pairs each blocking rule made,
// and how many pairs it linked or left for review.
type Match struct {
	Records   int64 `json:"records"`
	Pairs     int64 `json:"pairs"`
	Links     int64 `json:"links"`
	Reviews   int64 `json:"reviews"`
	Converged bool  `json:"em_converged"`
	// Incremental: only the pairs of the NewRecords were generated and
	// compared (incremental blocking); the others were kept from before.
	Incremental bool        `json:"incremental"`
	NewRecords  int64       `json:"new_records"`
	Rules       []RulePairs `json:"rules"`
}

// RulePairs is one blocking rule's pairs: counted before generating, and
// the new ones it added.
type RulePairs struct {
	Rule     string `json:"rule"`
	Pairs    int64  `json:"pairs"`
	NewPairs int64  `json:"new_pairs"`
}

// CommunityStatus is how many members of a community have a status ("" for
// no community: an origin roster lists them, no community found them).
type CommunityStatus struct {
	Community string `json:"community"`
	Status    string `json:"status"`
	Members   int    `json:"members"`
}
