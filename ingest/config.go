package ingest

import (
	"fmt"

	"github.com/baolong/liudong/rules"
)

// Kind is the kind of file a folder of the inbox holds. The values are stable:
// they are source_kind in v_source_record.
type Kind string

// Kinds of source file.
const (
	KindSurvey     Kind = "survey"     // 社区摸排表
	KindRoster     Kind = "roster"     // 流出地党员名册
	KindActivity   Kind = "activity"   // 联系卡活动记录
	KindCounsellor Kind = "counsellor" // 辅导员结对表
	KindVisit      Kind = "visit"      // 走访记录
	KindDecision   Kind = "decision"   // 核查处理意见
)

// Kinds lists every kind in the order files are scanned.
func Kinds() []Kind {
	return []Kind{KindSurvey, KindRoster, KindActivity, KindCounsellor, KindVisit, KindDecision}
}

// KindConfig says which canonical fields a kind of file carries and what a
// row needs to be accepted.
type KindConfig struct {
	// Fields the header of this kind of file is matched against.
	Fields []rules.Field `mapstructure:"fields"`
	// Required fields: a row without one of them is rejected.
	Required []rules.Field `mapstructure:"required"`
	// IdentifyBy: a row must have at least one of these to say who it is about.
	IdentifyBy []rules.Field `mapstructure:"identify_by"`
	// BranchFromTitle: when a sheet has no origin-branch column, take the
	// branch named in its title or file name (an origin branch's roster).
	BranchFromTitle bool `mapstructure:"branch_from_title"`
	// CommunityFromTitle: when a sheet has no community column, take the
	// one community its sheet name, title or file name names.
	CommunityFromTitle bool `mapstructure:"community_from_title"`
}

// Config is the ingest section of config.yaml.
type Config struct {
	// Workers is how many files are read and cleaned at once.
	Workers int `mapstructure:"workers"`
	// HeaderScanRows is how many rows at the top of a sheet are searched for the header.
	HeaderScanRows int `mapstructure:"header_scan_rows"`
	// MinHeaderFields is how many known columns a row needs to count as the header.
	MinHeaderFields int `mapstructure:"min_header_fields"`
	// FooterMarkers start rows below the data that are not members (填表人, 审核人 …).
	FooterMarkers []string `mapstructure:"footer_markers"`
	// Aliases maps each canonical field to the column titles that mean it.
	Aliases map[rules.Field][]string `mapstructure:"aliases"`
	// Kinds configures each kind of file.
	Kinds map[Kind]KindConfig `mapstructure:"kinds"`
}

// Validate reports the first setting that is wrong, naming its key.
func (c Config) Validate() error {
	if c.Workers < 1 {
		return fmt.Errorf("ingest.workers: must be at least 1, got %d", c.Workers)
	}
	if c.HeaderScanRows < 1 {
		return fmt.Errorf("ingest.header_scan_rows: must be at least 1, got %d", c.HeaderScanRows)
	}
	if c.MinHeaderFields < 1 {
		return fmt.Errorf("ingest.min_header_fields: must be at least 1, got %d", c.MinHeaderFields)
	}
	for f, aliases := range c.Aliases {
		if _, ok := rules.TypeOf(f); !ok {
			return fmt.Errorf("ingest.aliases.%s: no such field (known: %v)", f, rules.Fields())
		}
		if len(aliases) == 0 {
			return fmt.Errorf("ingest.aliases.%s: empty list", f)
		}
	}
	known := map[Kind]bool{}
	for _, k := range Kinds() {
		known[k] = true
	}
	for k, kc := range c.Kinds {
		if !known[k] {
			return fmt.Errorf("ingest.kinds.%s: no such kind (known: %v)", k, Kinds())
		}
		in := map[rules.Field]bool{}
		seen := map[string]rules.Field{}
		for _, f := range kc.Fields {
			if _, ok := c.Aliases[f]; !ok {
				return fmt.Errorf("ingest.kinds.%s.fields: %s has no aliases in ingest.aliases", k, f)
			}
			in[f] = true
			for _, a := range c.Aliases[f] {
				t := NormalizeTitle(a)
				if prev, ok := seen[t]; ok && prev != f {
					return fmt.Errorf("ingest.kinds.%s: column title %q is an alias of both %s and %s", k, a, prev, f)
				}
				seen[t] = f
			}
		}
		for _, f := range append(append([]rules.Field{}, kc.Required...), kc.IdentifyBy...) {
			if !in[f] {
				return fmt.Errorf("ingest.kinds.%s: required field %s is not in its fields", k, f)
			}
		}
	}
	for _, k := range Kinds() {
		if _, ok := c.Kinds[k]; !ok {
			return fmt.Errorf("ingest.kinds.%s: missing", k)
		}
	}
	return nil
}

// AliasesFor returns the aliases of the fields a kind uses.
func (c Config) AliasesFor(k Kind) map[rules.Field][]string {
	out := map[rules.Field][]string{}
	for _, f := range c.Kinds[k].Fields {
		out[f] = c.Aliases[f]
	}
	return out
}
