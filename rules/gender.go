package rules

// genders maps the lookup key of what people write for 性别 to 男 / 女.
var genders = map[string]string{
	"男": "男", "男性": "男", "男士": "男", "m": "男", "male": "男",
	"女": "女", "女性": "女", "女士": "女", "f": "女", "female": "女",
}

// matchGender returns 男 or 女 for normalised text, or false.
func matchGender(s string) (string, bool) {
	g, ok := genders[lookupKey(s)]
	return g, ok
}
