package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigValid(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	if len(cfg.Communities) != 6 || cfg.MinAge != 16 || cfg.MaxAge != 110 {
		t.Fatalf("unexpected defaults: %+v", cfg)
	}
	if _, err := NewCleaner(cfg, time.Now()); err != nil {
		t.Fatalf("NewCleaner(DefaultConfig()) = %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Config)
		want   string // a substring naming the field; "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"empty community name", func(c *Config) { c.Communities[1].Name = " " }, "rules.communities[1].name"},
		{"alias used twice", func(c *Config) {
			c.Education[0].Aliases = append(c.Education[0].Aliases, "本科")
		}, "rules.education[1].aliases[0]: \"本科\" already means \"研究生\" (rules.education[0].aliases[8])"},
		{"community alias clash after stripping", func(c *Config) {
			c.Communities[0].Aliases = append(c.Communities[0].Aliases, "宝龙街道宝龙社区居委会")
		}, "rules.communities[0].aliases[7]"},
		{"two canonicals same name", func(c *Config) { c.Decisions[1].Name = "同一人" }, "rules.decisions[1].name"},
		{"empty alias", func(c *Config) { c.MemberTypes[0].Aliases = []string{""} }, "rules.member_types[0].aliases[0]"},
		{"blank alias", func(c *Config) { c.Communities[0].Aliases = []string{"\u3000"} }, "rules.communities[0].aliases[0]"},
		{"empty street prefix", func(c *Config) { c.StreetPrefixes = append(c.StreetPrefixes, "") }, "rules.street_prefixes[4]"},
		{"activity clash", func(c *Config) {
			c.ActivityTypes[0].Aliases = append(c.ActivityTypes[0].Aliases, "义工")
		}, fmt.Sprintf("rules.activity_types[0].aliases[%d]", len(DefaultConfig().ActivityTypes[0].Aliases))},
		{"min age equals max", func(c *Config) { c.MinAge, c.MaxAge = 50, 50 }, "rules.min_age"},
		{"min age above max", func(c *Config) { c.MinAge, c.MaxAge = 60, 50 }, "rules.min_age"},
		{"negative min age", func(c *Config) { c.MinAge = -1 }, "rules.min_age"},
		{"zero config", func(c *Config) { *c = Config{} }, "rules.min_age"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.modify(&cfg)
			err := cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && err == nil:
				t.Fatalf("Validate() = nil, want an error naming %s", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Validate() = %v, want it to name %s", err, tt.want)
			}
			if tt.want != "" {
				if _, err := NewCleaner(cfg, testToday); err == nil {
					t.Fatalf("NewCleaner accepted an invalid config")
				}
			}
		})
	}
}

func TestNewCleanerTraditionalAliasClash(t *testing.T) {
	// 於 and 于 differ as written but are one character after t2s; the
	// Cleaner compares simplified text, so it must refuse the clash.
	cfg := DefaultConfig()
	cfg.Decisions = append(cfg.Decisions, Canonical{Name: "于是"}, Canonical{Name: "於是"})
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate() = %v; the clash only shows after t2s", err)
	}
	if _, err := NewCleaner(cfg, testToday); err == nil || !strings.Contains(err.Error(), "rules.decisions[") {
		t.Fatalf("NewCleaner() = %v, want a clash in rules.decisions", err)
	}
}
