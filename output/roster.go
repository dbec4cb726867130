package output

import (
	"fmt"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/rules"
)

// RosterDir is the folder of the community rosters in the run folder.
const RosterDir = "社区名册"

// RosterOptions say how community rosters are written.
type RosterOptions struct {
	// Mask shows ID numbers as 430524********1234 and phones as
	// 138****5678: a roster leaves the street.
	Mask bool
}

// Rosters is what the community rosters (社区流动党员名册) are made of.
type Rosters struct {
	Street string // 宝龙街道
	Date   string // the run date
	// Communities get a roster each, in this order, even with no members
	// (they still receive the 待查找 list); communities of members not
	// listed here get one too, after them.
	Communities []string
	Members     []MemberRow
}

var rosterColumns = []string{
	"序号", "党员编号", "姓名", "性别", "民族", "公民身份证号", "出生日期", "人员类别", "流出地党组织",
	"联系电话", "现居住地址", "工作单位", "外出时间", "状态", "辅导员", "最近联系日期", "联系情况",
}

var searchColumns = []string{
	"序号", "党员编号", "姓名", "性别", "公民身份证号", "联系电话", "流出地党组织", "工作单位", "现居住地址",
	"外出时间", "外出原因", "查找情况",
}

// RosterWorkbook builds one community's roster: its members who have not
// left (sheet 名册) and every member whose whereabouts are unknown, for the
// community to look for (sheet 待查找).
func RosterWorkbook(r Rosters, community string, opts RosterOptions) (*excelize.File, error) {
	id, phone := func(s string) string { return s }, func(s string) string { return s }
	if opts.Mask {
		id, phone = rules.MaskID, rules.MaskPhone
	}
	// The rows are made as they are written, from the members' indexes.
	var members, search []int32
	for i, m := range r.Members {
		if m.Community == community && m.Status != "left" {
			members = append(members, int32(i))
		}
		if m.WhereaboutsUnknown {
			search = append(search, int32(i))
		}
	}
	memberRow := func(i int, dst []any) []any {
		m := &r.Members[members[i]]
		// The strings as pointers to the member's fields (table.rows).
		return append(dst, i+1, &m.MemberID, &m.Name, &m.Gender, &m.Ethnicity, id(m.IDNumber), &m.BirthDate,
			&m.MemberType, &m.OriginBranch, phone(m.Phone), &m.Address, &m.Employer, &m.OutflowDate, statusLabel(m),
			&m.Counsellor, &m.LastContact, contactLabel(m.ContactFlag))
	}
	searchRow := func(i int, dst []any) []any {
		m := &r.Members[search[i]]
		return append(dst, i+1, &m.MemberID, &m.Name, &m.Gender, id(m.IDNumber), phone(m.Phone), &m.OriginBranch,
			&m.Employer, &m.Address, &m.OutflowDate, &m.OutflowReason, "")
	}
	f, st, err := newWorkbook("名册")
	if err != nil {
		return nil, err
	}
	title := r.Street + community + "流动党员名册"
	for _, t := range []table{
		{sheet: "名册", title: title, date: r.Date, cols: rosterColumns, source: &rowSource{n: len(members), row: memberRow}},
		{sheet: "待查找", title: title + " · 待查找（去向不明）", date: r.Date, cols: searchColumns,
			source:    &rowSource{n: len(search), row: searchRow},
			minWidths: map[string]float64{"查找情况": 30}},
	} {
		if err := writeTable(f, st, t); err != nil {
			f.Close()
			return nil, fmt.Errorf("roster of %s: %w", community, err)
		}
	}
	return f, nil
}

// RosterCommunities are the communities that get a roster: the configured
// ones, then those of members in the order they first appear.
func RosterCommunities(r Rosters) []string {
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, c := range r.Communities {
		add(c)
	}
	for _, m := range r.Members {
		add(m.Community)
	}
	return out
}

// RosterPath is a community's roster file in the run folder.
func RosterPath(community string) string {
	return path.Join(RosterDir, SafeFileName(community)+".xlsx")
}

// WriteRosters writes one roster per community into the run folder. Two
// communities whose names differ only in characters a file name cannot hold
// would share a file: that is an error, not a silent overwrite. The
// workbooks are built in the background (the folder's Wait returns their
// errors); r must not change until then.
func WriteRosters(dir *Folder, r Rosters, opts RosterOptions) error {
	written := map[string]string{}
	for _, c := range RosterCommunities(r) {
		p := RosterPath(c)
		if other, ok := written[p]; ok {
			return fmt.Errorf("rosters of %q and %q would both be %s", other, c, p)
		}
		written[p] = c
		dir.WriteWorkbookAsync(p, func() (*excelize.File, error) { return RosterWorkbook(r, c, opts) })
	}
	return nil
}

// SafeFileName makes name usable as a file name on Windows, macOS and
// Linux: the characters \ / : * ? " < > | and control characters become _,
// leading and trailing dots and spaces are trimmed, and Windows' reserved
// device names (CON, NUL, COM1 …) get a leading _. An empty result is "_".
func SafeFileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteRune('_')
		case strings.ContainsRune(`\/:*?"<>|`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), ". ")
	if s == "" {
		return "_"
	}
	base := strings.ToUpper(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		return "_" + s
	}
	return s
}
