package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Cleaner cleans cell texts by the rules of one Config. Build it once with
// NewCleaner; it is read-only afterwards and safe for concurrent use by
// several goroutines.
type Cleaner struct {
	cfg    Config
	today  time.Time // reference date, UTC midnight
	t2s    *simplifier
	types  map[Field]Type
	vocabs map[Type]*vocabulary // community, education, member type, activity, decision
}

// NewCleaner validates cfg, loads the traditional→simplified tables and
// builds the lookup maps. today is the reference date for ages and for
// dates in the future; only its calendar day counts.
func NewCleaner(cfg Config, today time.Time) (*Cleaner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t2s, err := newSimplifier()
	if err != nil {
		return nil, err
	}
	c := &Cleaner{
		cfg:    cfg,
		today:  dateOnly(today),
		t2s:    t2s,
		types:  make(map[Field]Type, len(catalogue)),
		vocabs: map[Type]*vocabulary{},
	}
	for _, e := range catalogue {
		c.types[e.Field] = e.Type
	}
	// Keys are built from simplified text here, so a traditional alias in
	// config.yaml still matches; two aliases that become one after t2s are
	// reported like any other clash.
	lists := []struct {
		typ      Type
		field    string
		list     []Canonical
		key      func(string) string
		contains bool
	}{
		{TypeCommunity, "rules.communities", cfg.Communities, communityKeyFunc(cfg.StreetPrefixes, t2s.convert), true},
		{TypeEducation, "rules.education", cfg.Education, educationKeyFunc(t2s.convert), false},
		{TypeMemberType, "rules.member_types", cfg.MemberTypes, plainKeyFunc(t2s.convert), true},
		{TypeActivity, "rules.activity_types", cfg.ActivityTypes, plainKeyFunc(t2s.convert), false},
		{TypeDecision, "rules.decisions", cfg.Decisions, plainKeyFunc(t2s.convert), false},
	}
	for _, l := range lists {
		v, err := newVocabulary(l.field, l.list, l.key, l.contains)
		if err != nil {
			return nil, err
		}
		c.vocabs[l.typ] = v
	}
	return c, nil
}

// Today returns the reference date the Cleaner was built with.
func (c *Cleaner) Today() time.Time { return c.today }

// Clean cleans one raw cell text of canonical field f. date1904 is the
// workbook's date system, used for serial numbers. Value.Raw is always raw;
// an empty or blank cell gives Clean "" and no finding (missing is not an
// error at this level). Every finding has Field f. For a field not in the
// catalogue the result is Value{Raw: raw, Clean: NormalizeText(raw)}.
// What each type does is documented on the clean… method for it.
func (c *Cleaner) Clean(f Field, raw string, date1904 bool) Value {
	v := Value{Raw: raw}
	typ, known := c.types[f]
	if !known {
		v.Clean = NormalizeText(raw)
		return v
	}
	switch typ {
	case TypeIDNumber:
		c.cleanID(&v)
	case TypePhone:
		c.cleanPhone(&v)
	case TypeDate:
		c.cleanDate(&v, date1904)
		if v.Clean == "" && isContactDate(f) && len(v.Findings) == 1 && v.Findings[0].Code == CodeDateFormat {
			if vague, ok := parseVagueDate(raw, date1904, c.today.Year()); ok {
				v = vague
				if v.Clean != "" && v.Date.After(c.today) {
					v.Findings = append(v.Findings, newFinding(CodeDateFuture,
						fmt.Sprintf("日期 %s 晚于今天（%s）", v.Clean, c.today.Format("2006-01-02"))))
				}
			}
		}
	default:
		text := NormalizeText(raw)
		if text == "" {
			return v
		}
		switch typ {
		case TypeName:
			c.cleanName(&v, f, text)
		case TypeBranch:
			v.Clean = c.simplify(&v, text)
			v.Key = BranchKey(v.Clean)
		case TypeGender:
			c.cleanClosed(&v, text, matchGender, CodeGenderUnknown, "性别", false)
		case TypeEthnicity:
			c.cleanClosed(&v, c.t2s.convert(text), matchEthnicity, CodeEthnicityUnknown, "民族", true)
		case TypeEducation:
			c.cleanVocab(&v, text, TypeEducation, CodeEducationUnknown, "学历", true)
		case TypeMemberType:
			c.cleanVocab(&v, text, TypeMemberType, CodeMemberTypeUnknown, "人员类别", false)
		case TypeCommunity:
			c.cleanVocab(&v, text, TypeCommunity, CodeCommunityUnknown, "社区", false)
		case TypeActivity:
			c.cleanVocab(&v, text, TypeActivity, CodeActivityTypeUnknown, "活动类型", true)
		case TypeDecision:
			c.cleanVocab(&v, text, TypeDecision, CodeDecisionUnknown, "处理意见", false)
		case TypeNumber:
			c.cleanNumber(&v, f, text)
		case TypeBool:
			c.cleanClosed(&v, text, matchYesNo, CodeBoolUnknown, "是/否", false)
		case TypeSerial:
			v.Clean = text
		default: // TypeText and any type added later
			v.Clean = c.simplify(&v, text)
		}
	}
	for i := range v.Findings {
		v.Findings[i].Field = f
	}
	return v
}

// simplify converts traditional characters in text and records the change
// (traditional_converted, info).
func (c *Cleaner) simplify(v *Value, text string) string {
	out := c.t2s.convert(text)
	if out != text {
		v.Findings = append(v.Findings, newFinding(CodeTraditionalConverted,
			fmt.Sprintf("繁体字已转为简体：%s → %s", text, out)))
	}
	return out
}

// cleanName: NormalizeName, traditional→simplified (keeping 於 and 乾),
// name_spaces_removed (info) when inner spaces went; a title after a full
// name (张伟同志, 王建国书记) taken off with name_title (warning), a surname
// with a title (王书记) kept, with name_title unless it is who signed;
// name_multiple (warning) for several names in one cell (李娜、刘洋), kept
// as written; name_suspicious (warning) when Han characters are mixed with
// digits, Latin letters or symbols.
func (c *Cleaner) cleanName(v *Value, f Field, text string) {
	if base, note, ok := splitNameNote(text); ok {
		v.Findings = append(v.Findings, newFinding(CodeNameNote,
			fmt.Sprintf("姓名后的括注「%s」不是姓名的一部分，已去掉：%s", note, base)))
		text = base
	}
	name := nameFromText(text)
	if strings.IndexByte(text, ' ') >= 0 {
		v.Findings = append(v.Findings, newFinding(CodeNameSpacesRemoved,
			fmt.Sprintf("姓名中的空格已去掉：%s", name)))
	}
	simple := c.t2s.convertName(name)
	if simple != name {
		v.Findings = append(v.Findings, newFinding(CodeTraditionalConverted,
			fmt.Sprintf("繁体字已转为简体：%s → %s", name, simple)))
	}
	if base, title, ok := splitNameTitle(simple); ok {
		switch {
		case utf8.RuneCountInString(base) >= 2:
			v.Findings = append(v.Findings, newFinding(CodeNameTitle,
				fmt.Sprintf("姓名后的称谓「%s」不是姓名的一部分，已去掉：%s", title, base)))
			simple = base
		case f != FieldSignedBy: // 王书记 signs a card; as a member or counsellor it names no one
			v.Findings = append(v.Findings, newFinding(CodeNameTitle,
				fmt.Sprintf("「%s」只写了姓和称谓，无法确定是谁，请填写全名", simple)))
		}
	}
	v.Clean = simple
	if names := severalNames(simple); len(names) > 1 {
		v.Findings = append(v.Findings, newFinding(CodeNameMultiple,
			fmt.Sprintf("一格中写了 %d 个姓名（%s），无法对应到一位党员，请每人一行", len(names), strings.Join(names, "、"))))
		return
	}
	if odd := oddNameChars(simple); odd != "" {
		v.Findings = append(v.Findings, newFinding(CodeNameSuspicious,
			fmt.Sprintf("姓名 %s 中夹有 %s，请核对", simple, odd)))
	}
}

// oddNameChars returns the characters of a Han name that do not belong in
// it (digits, letters, symbols other than ·), or "" when the name is fine
// or has no Han character at all (a name in Latin letters is left alone).
func oddNameChars(name string) string {
	if !hasHan(name) {
		return ""
	}
	var odd []rune
	for _, r := range name {
		if unicode.Is(unicode.Han, r) || r == '·' {
			continue
		}
		odd = append(odd, r)
	}
	if len(odd) == 0 {
		return ""
	}
	return "“" + string(odd) + "”"
}

// cleanID: ParseIDNumber with the Cleaner's reference date; Clean is
// IDNumber.Value and Value.ID is always set.
func (c *Cleaner) cleanID(v *Value) {
	id, findings := parseIDNumber(v.Raw, c.today)
	v.ID = &id
	v.Clean = id.Value
	v.Findings = findings
}

// cleanPhone: ParsePhone; Clean is the first number, Others the rest.
func (c *Cleaner) cleanPhone(v *Value) {
	value, _, others, findings := ParsePhone(v.Raw)
	v.Clean, v.Others, v.Findings = value, others, findings
}

// cleanDate: ParseDate, Clean in ISO form at the precision given (1985-03-12,
// 1985-03, 1985), and date_future (warning) when the date is after the
// reference date.
func (c *Cleaner) cleanDate(v *Value, date1904 bool) {
	t, p, findings := ParseDate(v.Raw, date1904)
	v.Findings = findings
	if p == "" {
		return
	}
	v.Date, v.Precision, v.Clean = t, p, formatDate(t, p)
	if t.After(c.today) {
		v.Findings = append(v.Findings, newFinding(CodeDateFuture,
			fmt.Sprintf("日期 %s 晚于今天（%s）", v.Clean, c.today.Format("2006-01-02"))))
	}
}

// cleanClosed matches text against a fixed list. Unknown text gives a
// warning, and Clean keeps the text when keep is set, else "".
func (c *Cleaner) cleanClosed(v *Value, text string, match func(string) (string, bool), code, what string, keep bool) {
	if m, ok := match(text); ok {
		v.Clean = m
		return
	}
	if keep {
		v.Clean = text
	}
	v.Findings = append(v.Findings, newFinding(code, fmt.Sprintf("无法识别的%s：%s", what, text)))
}

// cleanVocab matches text against one of the configured vocabularies.
func (c *Cleaner) cleanVocab(v *Value, text string, typ Type, code, what string, keep bool) {
	voc := c.vocabs[typ]
	simple := c.t2s.convert(text)
	c.cleanClosed(v, simple, voc.match, code, what, keep)
}

// cleanNumber: parseHours; Number and Clean (shortest decimal form) set.
// A duration that had to be interpreted (半天, 1天, 2-3小时, 约2小时) gives
// hours_approximate (warning) saying how; for hours, a negative value or
// one above 24 gives hours_implausible (warning); unparsable text gives
// number_format (error) and Clean "".
func (c *Cleaner) cleanNumber(v *Value, f Field, text string) {
	n, approx, ok := parseHours(text)
	if !ok {
		v.Findings = append(v.Findings, newFinding(CodeNumberFormat, fmt.Sprintf("不是数字：%s", text)))
		return
	}
	v.Number = n
	v.Clean = strconv.FormatFloat(n, 'f', -1, 64)
	if approx != hoursExact {
		v.Findings = append(v.Findings, newFinding(CodeHoursApproximate, hoursApproxMessage(text, v.Clean, approx)))
	}
	if f == FieldHours && (n < 0 || n > maxHours) {
		v.Findings = append(v.Findings, newFinding(CodeHoursImplausible,
			fmt.Sprintf("时长 %s 小时不合常理（应在 0–%d 之间）", v.Clean, maxHours)))
	}
}

// splitNameNote separates a note written after a name in brackets —
// 张伟（女）, 李娜(已转出), 王芳【曾用名王方】 — from the name. ok is false when
// there is no such note or nothing before it.
func splitNameNote(text string) (name, note string, ok bool) {
	i := strings.IndexAny(text, "([【〔")
	if i <= 0 {
		return "", "", false
	}
	name = strings.TrimSpace(text[:i])
	note = strings.TrimSpace(strings.TrimRight(text[i:], ")]】〕"))
	_, size := utf8.DecodeRuneInString(note)
	note = strings.TrimSpace(note[size:])
	if name == "" || !hasHan(name) {
		return "", "", false
	}
	return name, note, true
}

// hoursApproxMessage says how the duration text was read as hours.
func hoursApproxMessage(text, hours string, approx hoursApprox) string {
	switch approx {
	case hoursAbout:
		return fmt.Sprintf("时长「%s」是约数，按 %s 小时计，请核对", text, hours)
	case hoursRange:
		return fmt.Sprintf("时长「%s」是一个范围，按下限 %s 小时计，请核对", text, hours)
	case hoursHalfDay:
		return fmt.Sprintf("时长「%s」按半天 %d 小时计，请核对", text, hoursPerHalfDay)
	}
	return fmt.Sprintf("时长「%s」按每天 %d 小时计为 %s 小时，请核对", text, hoursPerDay, hours)
}

// nameTitles are the forms of address written after a name on contact
// cards and visit records, longest first.
var nameTitles = []string{"副书记", "副主任", "同志", "书记", "主任", "委员", "老师"}

// NameTitles are the forms of address written after a name (同志, 书记 …),
// longest first: 王书记 is a surname and one of them.
func NameTitles() []string { return append([]string(nil), nameTitles...) }

// splitNameTitle separates a title written after a Han name (张伟同志,
// 王书记) from it. ok is false when there is none, or nothing but the title.
func splitNameTitle(name string) (base, title string, ok bool) {
	for _, t := range nameTitles {
		if b, cut := strings.CutSuffix(name, t); cut && b != "" && hasHan(b) {
			return b, t, true
		}
	}
	return "", "", false
}

// nameListSeparators separate the names of an attendance list written in
// one cell (李娜、刘洋).
const nameListSeparators = "、,，;；/"

// severalNames returns the names of a cell listing several people (参会人员
// 李娜、刘洋), or nil when it is not such a list: every part must be two to
// four Han characters or a name with a middle dot.
func severalNames(s string) []string {
	if !strings.ContainsAny(s, nameListSeparators) {
		return nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(nameListSeparators, r) })
	for _, p := range parts {
		n := utf8.RuneCountInString(p)
		if n < 2 || n > 4 && !strings.ContainsRune(p, '·') || oddNameChars(p) != "" || !hasHan(p) {
			return nil
		}
	}
	return parts
}
