package rules

import (
	"errors"
	"fmt"
)

// Validate checks the configuration and names the field that is wrong, as
// rules.<field>[i].… in config.yaml terms: an empty canonical name or alias,
// an alias (compared as the Cleaner compares, so 同心 and 同心社区 are the
// same community) used by two canonical values, an empty street prefix, a
// negative MinAge, MinAge >= MaxAge. All problems are reported, joined.
func (c Config) Validate() error {
	var errs []error
	for i, p := range c.StreetPrefixes {
		if NormalizeText(p) == "" {
			errs = append(errs, fmt.Errorf("rules.street_prefixes[%d]: empty prefix", i))
		}
	}
	lists := []struct {
		field string
		list  []Canonical
		key   func(string) string
	}{
		{"rules.communities", c.Communities, communityKeyFunc(c.StreetPrefixes, identity)},
		{"rules.education", c.Education, educationKeyFunc(identity)},
		{"rules.member_types", c.MemberTypes, plainKeyFunc(identity)},
		{"rules.activity_types", c.ActivityTypes, plainKeyFunc(identity)},
		{"rules.decisions", c.Decisions, plainKeyFunc(identity)},
	}
	for _, l := range lists {
		if _, err := newVocabulary(l.field, l.list, l.key, false); err != nil {
			errs = append(errs, err)
		}
	}
	if c.MinAge < 0 {
		errs = append(errs, fmt.Errorf("rules.min_age: %d is negative", c.MinAge))
	}
	if c.MinAge >= c.MaxAge {
		errs = append(errs, fmt.Errorf("rules.min_age: %d must be less than rules.max_age (%d)", c.MinAge, c.MaxAge))
	}
	errs = append(errs, c.Match.validate("rules.match")...)
	if err := c.Contacts.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
