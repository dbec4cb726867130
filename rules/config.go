package rules

// Canonical is one canonical value and the spellings that mean it.
type Canonical struct {
	Name    string   `mapstructure:"name"`
	Aliases []string `mapstructure:"aliases"`
}

// Config is the rules section of config.yaml.
type Config struct {
	// Communities is the canonical list of the street's communities (社区).
	Communities []Canonical `mapstructure:"communities"`
	// StreetPrefixes are stripped before matching a community name
	// (深圳市, 龙岗区, 宝龙街道 …).
	StreetPrefixes []string `mapstructure:"street_prefixes"`
	// Education levels (学历) with their spellings.
	Education []Canonical `mapstructure:"education"`
	// MemberTypes (人员类别): 正式党员 / 预备党员.
	MemberTypes []Canonical `mapstructure:"member_types"`
	// ActivityTypes (活动类型) for contact-card records.
	ActivityTypes []Canonical `mapstructure:"activity_types"`
	// Decisions (处理意见) analysts may write.
	Decisions []Canonical `mapstructure:"decisions"`
	// MinAge and MaxAge bound a plausible member's age (years) at the reference date.
	MinAge int `mapstructure:"min_age"`
	MaxAge int `mapstructure:"max_age"`
	// Match configures record linkage (记录匹配): blocking, comparisons,
	// thresholds (match.go).
	Match MatchConfig `mapstructure:"match"`
	// Contacts configures linking contact records to members and the
	// lost-contact, visit and counsellor flags (contact.go).
	Contacts ContactConfig `mapstructure:"contacts"`
}
