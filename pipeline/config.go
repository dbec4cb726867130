package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/baolong/liudong/ingest"
	"github.com/baolong/liudong/rules"
)

// Config is config.yaml, read once by cmd and passed down.
type Config struct {
	// Street is the street (街道) this registry belongs to.
	Street string `mapstructure:"street"`
	// Timezone is the street's IANA time zone: a run's date (its output
	// folder, the dates on workbooks, the year counted, 失联) is the date
	// there when it starts, whatever the machine's clock zone.
	Timezone string `mapstructure:"timezone"`
	// Database is the DuckDB registry file.
	Database string `mapstructure:"database"`
	// DatabaseMemoryLimit caps DuckDB's memory during a run ("4GB"; DuckDB
	// spills large sorts and joins to <database>.tmp beyond it). Empty:
	// DuckDB's default, 80% of the machine's memory.
	DatabaseMemoryLimit string `mapstructure:"database_memory_limit"`
	// DatabaseOutputMemoryLimit is DuckDB's memory_limit while the outputs
	// are written ("2GB"): the workbooks are built in Go beside it, and
	// DuckDB's cache of the registry, filled up to DatabaseMemoryLimit by
	// matching and reconciling, is not needed there. Empty: unchanged.
	DatabaseOutputMemoryLimit string `mapstructure:"database_output_memory_limit"`
	// GoMemoryLimit is the soft limit of the Go heap during a run ("2GB",
	// runtime/debug.SetMemoryLimit): the collector works harder as the heap
	// nears it, instead of letting garbage grow to twice what is live. With
	// DuckDB's limit it bounds the run's memory. Empty, or the environment's
	// GOMEMLIMIT set: Go's own.
	GoMemoryLimit string `mapstructure:"go_memory_limit"`
	// Inbox is where offices' files arrive.
	Inbox InboxConfig `mapstructure:"inbox"`
	// Out is where each run writes its outputs.
	Out OutConfig `mapstructure:"out"`
	// Letters says who writes to the origin branches.
	Letters LettersConfig `mapstructure:"letters"`
	// Certificates configures the year-end activity certificates.
	Certificates CertificatesConfig `mapstructure:"certificates"`
	// Log configures the operator's log.
	Log LogConfig `mapstructure:"log"`
	// Ingest configures reading files.
	Ingest ingest.Config `mapstructure:"ingest"`
	// Rules configures cleaning and validation.
	Rules rules.Config `mapstructure:"rules"`
	// Schedule, Backup and OnFailure configure nightly operation (config_ops.go).
	Schedule  ScheduleConfig  `mapstructure:"schedule"`
	Backup    BackupConfig    `mapstructure:"backup"`
	OnFailure OnFailureConfig `mapstructure:"on_failure"`
}

// InboxConfig names the inbox and one folder per kind of file, relative to it.
type InboxConfig struct {
	Dir         string `mapstructure:"dir"`
	Surveys     string `mapstructure:"surveys"`
	Rosters     string `mapstructure:"rosters"`
	Activities  string `mapstructure:"activities"`
	Counsellors string `mapstructure:"counsellors"`
	Visits      string `mapstructure:"visits"`
	Decisions   string `mapstructure:"decisions"`
}

// Folder returns the folder of a kind of file, relative to the inbox.
func (c InboxConfig) Folder(k ingest.Kind) string {
	switch k {
	case ingest.KindSurvey:
		return c.Surveys
	case ingest.KindRoster:
		return c.Rosters
	case ingest.KindActivity:
		return c.Activities
	case ingest.KindCounsellor:
		return c.Counsellors
	case ingest.KindVisit:
		return c.Visits
	case ingest.KindDecision:
		return c.Decisions
	}
	return ""
}

// OutConfig says where outputs go and how what leaves the street is masked.
type OutConfig struct {
	Dir string `mapstructure:"dir"`
	// MaskRosters masks ID numbers (430524********1234) and phones
	// (138****5678) in the community rosters, which leave the street.
	MaskRosters bool `mapstructure:"mask_rosters"`
	// MaskBranchOutputs masks them in the letters and reports to origin
	// branches.
	MaskBranchOutputs bool `mapstructure:"mask_branch_outputs"`
	// PDFFont is a TrueType font with Chinese glyphs; empty: the usual
	// places are searched.
	PDFFont string `mapstructure:"pdf_font"`
	// RegistrySourceRows bounds the registry workbook's 来源记录 sheet:
	// with more current source records than this the sheet says how many
	// there are and where the full list is (the Parquet export, `liudong
	// sql`), instead of listing them. 0: always list them (on as many
	// sheets of a million rows as they need).
	RegistrySourceRows int `mapstructure:"registry_source_rows"`
}

// LettersConfig is who writes to the origin branches: the street's
// temporary branch and its contact.
type LettersConfig struct {
	// Sender; empty means 中共<street>流动党员临时党支部.
	Sender        string `mapstructure:"sender"`
	ContactPerson string `mapstructure:"contact_person"`
	ContactPhone  string `mapstructure:"contact_phone"`
	Address       string `mapstructure:"address"`
}

// CertificatesConfig is who issues the activity certificates (活动认证书),
// their serial numbers and date.
type CertificatesConfig struct {
	// Issuer; empty means the letters' sender (中共<street>流动党员临时党支部).
	Issuer string `mapstructure:"issuer"`
	// SerialPrefix of 宝龙认字〔2026〕第0123号; empty: the street without 街道, then 认字.
	SerialPrefix string `mapstructure:"serial_prefix"`
	// IssueDate (2026-12-31) printed on the certificates; empty: the day a
	// certificate was first issued (or revised).
	IssueDate string `mapstructure:"issue_date"`
	// Mask shows ID numbers masked on certificates, which go to the origin
	// branch and the member.
	Mask bool `mapstructure:"mask"`
}

// IssuerName is the certificates' issuer.
func (c Config) IssuerName() string {
	if c.Certificates.Issuer != "" {
		return c.Certificates.Issuer
	}
	return c.SenderName()
}

// SerialPrefix is the certificates' serial prefix: 宝龙认字.
func (c Config) SerialPrefix() string {
	if c.Certificates.SerialPrefix != "" {
		return c.Certificates.SerialPrefix
	}
	return strings.TrimSuffix(c.Street, "街道") + "认字"
}

// SenderName is the letters' sender.
func (c Config) SenderName() string {
	if c.Letters.Sender != "" {
		return c.Letters.Sender
	}
	return "中共" + c.Street + "流动党员临时党支部"
}

// LogConfig configures logging.
type LogConfig struct {
	// Level: debug, info, warn, error.
	Level string `mapstructure:"level"`
	// Format: auto (console on a terminal, JSON otherwise), console, json.
	Format string `mapstructure:"format"`
}

// DefaultConfig returns the configuration used when config.yaml says nothing.
func DefaultConfig() Config {
	return Config{
		Street:   "宝龙街道",
		Timezone: "Asia/Shanghai",
		Database: "data/liudong.duckdb",
		// With GoMemoryLimit, a 1,000,000-person first night peaks at
		// 3.9-4.1 GiB, about 7% slower than at 4GB and 2GB without a Go
		// limit (6.1 GiB; docs/SCALING.md, session 13). 1GB for the
		// outputs ran an increment out of memory.
		DatabaseMemoryLimit:       "2GB",
		DatabaseOutputMemoryLimit: "1.5GB",
		GoMemoryLimit:             "2GB",
		Inbox: InboxConfig{
			Dir: "inbox", Surveys: "surveys", Rosters: "rosters", Activities: "activities",
			Counsellors: "counsellors", Visits: "visits", Decisions: "decisions",
		},
		Out:          OutConfig{Dir: "out", MaskRosters: true, MaskBranchOutputs: true, RegistrySourceRows: 1_000_000},
		Certificates: CertificatesConfig{Mask: true},
		Log:          LogConfig{Level: "info", Format: "auto"},
		Ingest:       ingest.DefaultConfig(),
		Rules:        rules.DefaultConfig(),

		Schedule:  defaultScheduleConfig(),
		Backup:    defaultBackupConfig(),
		OnFailure: defaultOnFailureConfig(),
	}
}

// memoryLimitPattern is a size DuckDB's memory_limit takes.
var memoryLimitPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// parseSize reads a size as DuckDB writes one (memoryLimitPattern): KB, MB,
// GB and TB are powers of 1000, KiB … TiB of 1024.
func parseSize(s string) (int64, error) {
	m := memoryLimitPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size such as 2GB or 512MB", s)
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, m[2])), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size such as 2GB or 512MB", s)
	}
	unit := map[string]float64{"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
		"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[m[2]]
	if n*unit >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return int64(n * unit), nil
}

// Validate reports the first setting that is wrong, naming its key.
func (c Config) Validate() error {
	if c.Street == "" {
		return fmt.Errorf("street: must not be empty")
	}
	if err := c.validateTimezone(); err != nil {
		return err
	}
	if c.Database == "" {
		return fmt.Errorf("database: must not be empty")
	}
	if c.Out.RegistrySourceRows < 0 {
		return fmt.Errorf("out.registry_source_rows: %d is negative (0 lists every record)", c.Out.RegistrySourceRows)
	}
	if c.DatabaseMemoryLimit != "" && !memoryLimitPattern.MatchString(c.DatabaseMemoryLimit) {
		return fmt.Errorf("database_memory_limit: %q is not a size such as 3GB or 512MB", c.DatabaseMemoryLimit)
	}
	if c.DatabaseOutputMemoryLimit != "" && !memoryLimitPattern.MatchString(c.DatabaseOutputMemoryLimit) {
		return fmt.Errorf("database_output_memory_limit: %q is not a size such as 2GB or 512MB", c.DatabaseOutputMemoryLimit)
	}
	if c.GoMemoryLimit != "" {
		if _, err := parseSize(c.GoMemoryLimit); err != nil {
			return fmt.Errorf("go_memory_limit: %w", err)
		}
	}
	if c.Inbox.Dir == "" {
		return fmt.Errorf("inbox.dir: must not be empty")
	}
	seen := map[string]ingest.Kind{}
	for _, k := range ingest.Kinds() {
		f := c.Inbox.Folder(k)
		if f == "" {
			return fmt.Errorf("inbox: the folder for %s files must not be empty", k)
		}
		if filepath.IsAbs(f) {
			return fmt.Errorf("inbox: the folder for %s files must be relative to inbox.dir, got %q", k, f)
		}
		clean := filepath.Clean(f)
		if prev, ok := seen[clean]; ok {
			return fmt.Errorf("inbox: %s and %s files share the folder %q", prev, k, f)
		}
		seen[clean] = k
	}
	if c.Out.Dir == "" {
		return fmt.Errorf("out.dir: must not be empty")
	}
	if d := c.Certificates.IssueDate; d != "" {
		if _, err := time.Parse("2006-01-02", d); err != nil {
			return fmt.Errorf("certificates.issue_date: want a date like 2026-12-31, got %q", d)
		}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: want debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "auto", "console", "json":
	default:
		return fmt.Errorf("log.format: want auto, console or json, got %q", c.Log.Format)
	}
	if err := c.validateOps(); err != nil {
		return err
	}
	if err := c.Ingest.Validate(); err != nil {
		return err
	}
	if err := c.Rules.Validate(); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	return nil
}

// Resolve makes the config's relative paths relative to dir (the config
// file's folder).
func (c *Config) Resolve(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Database = abs(c.Database)
	c.Inbox.Dir = abs(c.Inbox.Dir)
	c.Out.Dir = abs(c.Out.Dir)
	c.Out.PDFFont = abs(c.Out.PDFFont)
	c.Backup.Dir = abs(c.Backup.Dir)
}
