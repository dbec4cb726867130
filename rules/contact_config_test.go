package rules

import (
	"strings"
	"testing"
)

func TestContactConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ContactConfig)
		want   string // "" for valid
	}{
		{"default", func(*ContactConfig) {}, ""},
		{"no input", func(c *ContactConfig) { c.Input = " " }, "rules.contacts.input: empty"},
		{"rule without keys", func(c *ContactConfig) { c.Blocking[0].Keys = nil }, "rules.contacts.blocking[0].keys: no key"},
		{"rule named twice", func(c *ContactConfig) { c.Blocking[1].Name = c.Blocking[0].Name }, "is used twice"},
		{"warning after lost", func(c *ContactConfig) { c.WarnAfterMonths = 7 }, "warn_after_months (7) <= lost_after_months (6)"},
		{"no weight", func(c *ContactConfig) { c.MinWeight = 0 }, "rules.contacts.min_weight"},
		{"no load", func(c *ContactConfig) { c.MaxMembersPerCounsellor = 0 }, "max_members_per_counsellor"},
		{"no other type", func(c *ContactConfig) { c.OtherType = "" }, "rules.contacts.other_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultContactConfig()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
