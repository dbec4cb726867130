package rules

import (
	"errors"
	"fmt"
	"strings"
)

// ContactConfig configures what links contact records (activities from
// contact cards, counsellor pairings, visits) to members and the flags
// raised from them. A contact record is compared with the person records
// of current members by the matcher's own comparisons and level weights
// (rules.match): its score for a member is the largest sum of level weights
// log2(m/u) over that member's records (the Bayes factor, no prior: the
// record is known to be about someone). The best member is linked when its
// score reaches MinWeight and beats every other member by MinMargin; a
// record two members fit equally is ambiguous, one no member fits
// unmatched: both are discrepancies with the candidates listed.
type ContactConfig struct {
	// Input is a SELECT (or table or view) of the contact records with the
	// columns the match comparisons use (like rules.match.input) plus
	// source_kind.
	Input string `mapstructure:"input"`
	// Blocking rules, OR-ed with rules.match.blocking, pair a contact record
	// with person records; keys are SQL over one record's columns. Contact
	// cards often carry only a name: these add name with community.
	Blocking []BlockingRule `mapstructure:"blocking"`
	// MaxBlockMembers leaves out the key groups of person records that
	// belong to more members than this: a contact card that says only 张伟
	// in a community of forty 张伟 cannot be linked by its name, and pairing
	// it with all forty makes the pairs grow with the square of a
	// community's size. Such a record is still paired by the other rules
	// (ID number, phone …); without them it is unmatched.
	MaxBlockMembers int `mapstructure:"max_block_members"`
	// RecordsPerPart: contact records are compared this many at a time, so
	// that their pairs (a dozen or more each, from the matcher's rules) fit
	// in DuckDB's memory; a million-person registry has seven million. Records
	// that say the same thing are compared once and count once (1.7 million
	// such identities among the seven million).
	RecordsPerPart int `mapstructure:"records_per_part"`
	// MinWeight: the score (log2 Bayes factor) a member needs to be linked.
	MinWeight float64 `mapstructure:"min_weight"`
	// MinMargin: how far the best member must be ahead of the second.
	MinMargin float64 `mapstructure:"min_margin"`
	// LostAfterMonths: no activity or visit for this many months (from the
	// last one, or from when the member was first registered) is 失联.
	LostAfterMonths int `mapstructure:"lost_after_months"`
	// WarnAfterMonths: from this many months a member shows as 即将失联.
	WarnAfterMonths int `mapstructure:"warn_after_months"`
	// MinVisitsPerYear: fewer counsellor visits in the current year are
	// flagged (走访不足).
	MinVisitsPerYear int `mapstructure:"min_visits_per_year"`
	// MaxMembersPerCounsellor: a counsellor paired with more members is
	// flagged (辅导员负担过重).
	MaxMembersPerCounsellor int `mapstructure:"max_members_per_counsellor"`
	// VolunteerWords: an activity without a type whose file or sheet name
	// holds one of these (义工, 爱心存折 …) is 志愿服务.
	VolunteerWords []string `mapstructure:"volunteer_words"`
	// OtherType is the type of any other activity without one.
	OtherType string `mapstructure:"other_type"`
	// Meetings are the activity types of 三会一课, counted on certificates.
	Meetings []string `mapstructure:"meetings"`
}

// DefaultContactInput selects the accepted contact records with the
// columns of DefaultMatchInput.
const DefaultContactInput = `SELECT r.record_id, r.source_kind, r.name, k.name_pinyin,
       r.id_number, r.id_status IN ('valid', 'converted_15') AS id_valid, r.id_prefix,
       CASE WHEN r.id_status IN ('valid', 'converted_15') AND r.id_birth_date IS NOT NULL
            THEN strftime(r.id_birth_date, '%Y-%m-%d') ELSE r.birth_date END AS birth,
       r.phone, coalesce(r.id_gender, r.gender) AS gender, r.origin_branch_key, r.community
FROM v_source_record r
LEFT JOIN match_name_key k ON k.name = r.name
WHERE r.status = 'accepted' AND r.source_kind IN ('activity', 'counsellor', 'visit')`

// DefaultContactConfig links on the matcher's rules plus name with
// community, at a Bayes factor of 2^10 with a margin of 2^4; 失联 after six
// months, warned at five; two visits a year; ten members per counsellor.
func DefaultContactConfig() ContactConfig {
	return ContactConfig{
		Input: DefaultContactInput,
		Blocking: []BlockingRule{
			{Name: "name_community", Keys: []string{"name", "community"}},
			{Name: "pinyin_community", Keys: []string{"name_pinyin", "community"}},
		},
		MaxBlockMembers:         30,
		RecordsPerPart:          500_000,
		MinWeight:               10,
		MinMargin:               4,
		LostAfterMonths:         6,
		WarnAfterMonths:         5,
		MinVisitsPerYear:        2,
		MaxMembersPerCounsellor: 10,
		VolunteerWords:          []string{"义工", "爱心存折", "志愿"},
		OtherType:               "其他",
		Meetings:                []string{"支部党员大会", "支委会", "党小组会", "党课"},
	}
}

// Validate names the first setting that is wrong.
func (c ContactConfig) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Input) == "" {
		errs = append(errs, errors.New("rules.contacts.input: empty"))
	}
	errs = append(errs, validateBlocking("rules.contacts.blocking", c.Blocking)...)
	if c.MaxBlockMembers <= 0 {
		errs = append(errs, fmt.Errorf("rules.contacts.max_block_members: %d must be positive", c.MaxBlockMembers))
	}
	if c.RecordsPerPart <= 0 {
		errs = append(errs, fmt.Errorf("rules.contacts.records_per_part: %d must be positive", c.RecordsPerPart))
	}
	if c.MinWeight <= 0 {
		errs = append(errs, fmt.Errorf("rules.contacts.min_weight: %g must be positive", c.MinWeight))
	}
	if c.MinMargin < 0 {
		errs = append(errs, fmt.Errorf("rules.contacts.min_margin: %g is negative", c.MinMargin))
	}
	if c.LostAfterMonths <= 0 || c.WarnAfterMonths <= 0 || c.WarnAfterMonths > c.LostAfterMonths {
		errs = append(errs, fmt.Errorf("rules.contacts: want 0 < warn_after_months (%d) <= lost_after_months (%d)",
			c.WarnAfterMonths, c.LostAfterMonths))
	}
	if c.MinVisitsPerYear < 0 {
		errs = append(errs, fmt.Errorf("rules.contacts.min_visits_per_year: %d is negative", c.MinVisitsPerYear))
	}
	if c.MaxMembersPerCounsellor <= 0 {
		errs = append(errs, fmt.Errorf("rules.contacts.max_members_per_counsellor: %d must be positive", c.MaxMembersPerCounsellor))
	}
	if strings.TrimSpace(c.OtherType) == "" {
		errs = append(errs, errors.New("rules.contacts.other_type: empty"))
	}
	return errors.Join(errs...)
}
