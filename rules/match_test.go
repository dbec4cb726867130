package rules

import (
	"strings"
	"testing"
)

func TestDefaultMatchConfigValid(t *testing.T) {
	if err := DefaultMatchConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestMatchConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*MatchConfig)
		want   string
	}{
		{"empty input", func(c *MatchConfig) { c.Input = " " }, "match.input: empty"},
		{"no blocking", func(c *MatchConfig) { c.Blocking = nil }, "match.blocking: no rule"},
		{"empty key", func(c *MatchConfig) { c.Blocking[1].Keys = []string{""} }, "match.blocking[1].keys[0]: empty"},
		{"duplicate rule", func(c *MatchConfig) { c.Blocking[1].Name = c.Blocking[0].Name }, "match.blocking[1].name: \"id_number\" is used twice"},
		{"empty level sql", func(c *MatchConfig) { c.Comparisons[2].Levels[1].SQL = "" }, "match.comparisons[2].levels[1].sql: empty"},
		{"else with sql", func(c *MatchConfig) {
			l := c.Comparisons[0].Levels
			l[len(l)-1].SQL = "true"
		}, "the last level is the else level"},
		{"m out of range", func(c *MatchConfig) { c.Comparisons[0].Levels[1].M = 1.5 }, "match.comparisons[0].levels[1]: m and u"},
		{"tf without value", func(c *MatchConfig) { c.Comparisons[1].TermFrequency = "" }, "match.comparisons[1].levels[1].term_frequency"},
		{"thresholds", func(c *MatchConfig) { c.ReviewThreshold = 0.99 }, "review_threshold"},
		{"max pairs", func(c *MatchConfig) { c.MaxPairsPerRule = 0 }, "match.max_pairs_per_rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultMatchConfig()
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	cfg := DefaultConfig()
	cfg.Match.Input = ""
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "rules.match.input") {
		t.Errorf("Config.Validate: %v, want rules.match.input named", err)
	}
}
