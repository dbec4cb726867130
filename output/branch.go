package output

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/baolong/liudong/rules"
)

// BranchDir is the folder of what each origin branch (流出地党组织)
// receives: 流出地党组织/<branch>/结对函.xlsx, 结对函.pdf, 情况通报.xlsx ….
const BranchDir = "流出地党组织"

// File names inside a branch's folder.
const (
	LetterName = "结对函"
	ReportName = "情况通报"
)

// Sender is who writes to the origin branches: the street's temporary
// branch (流动党员临时党支部) and whom to contact there.
type Sender struct {
	Name          string // 中共宝龙街道流动党员临时党支部
	ContactPerson string
	ContactPhone  string
	Address       string
}

// BranchOptions say how what goes to origin branches is written.
type BranchOptions struct {
	// Mask shows ID numbers and phones masked: letters and reports leave
	// the street.
	Mask bool
}

// Branch is one origin branch with its current members.
type Branch struct {
	Key  string // rules.BranchKey of its name: variants of one name share it
	Name string // the name most of its members' records give
	// Members are every current member whose origin branch this is, by
	// member ID: pointers into the slice BranchesOf grouped (a city's
	// members are a million rows of about 800 bytes; a copy per branch
	// grouping cost 0.4 GB).
	Members []*MemberRow
}

// Found are the branch's members a community found here (not left, not of
// unknown whereabouts): those the pairing letter lists.
func (b Branch) Found() []*MemberRow {
	var out []*MemberRow
	for _, m := range b.Members {
		if m.Community != "" && m.Status != "left" && m.Status != "unknown_whereabouts" {
			out = append(out, m)
		}
	}
	return out
}

// Unknown are the branch's members no community has found.
func (b Branch) Unknown() []*MemberRow {
	var out []*MemberRow
	for _, m := range b.Members {
		if m.WhereaboutsUnknown {
			out = append(out, m)
		}
	}
	return out
}

// BranchesOf groups members by origin branch. Variants of a name, such as
// 中共…支部委员会 and …党支部, share a key (rules.BranchKey); a key that
// leaves out the county (大塘埠镇新街社区支部) joins the one longer key it ends
// with (信丰县大塘埠镇新街社区支部) when it names a township and no other key
// ends with it. Members with no origin branch belong to none; a branch whose
// members have all left is left out. Branches are sorted by name. The
// branches point into members, which must outlive them unchanged.
func BranchesOf(members []MemberRow) []Branch {
	// Each member's key, once: BranchKey is not cheap, and a city has a
	// million members.
	keyOf := make([]string, len(members))
	var keys []string
	seen := map[string]bool{}
	for i, m := range members {
		if strings.TrimSpace(m.OriginBranch) == "" {
			continue
		}
		k := cmp.Or(m.OriginBranchKey, rules.BranchKey(m.OriginBranch))
		keyOf[i] = k
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	into := branchKeyMerges(keys)
	// Each member's group, counted first, so each group's slice is made
	// the right size.
	group := make([]int, len(members)) // index in order, -1: none
	index := map[string]int{}
	var order []string
	var size []int
	for i, m := range members {
		group[i] = -1
		if strings.TrimSpace(m.OriginBranch) == "" {
			continue
		}
		k := keyOf[i]
		g := cmp.Or(into[k], k)
		j, ok := index[g]
		if !ok {
			j = len(order)
			index[g] = j
			order = append(order, g)
			size = append(size, 0)
		}
		group[i] = j
		size[j]++
	}
	groups := make([]Branch, len(order))
	fullest := make([][]string, len(order)) // per group, its members' spellings under the group's own key
	for j, g := range order {
		groups[j] = Branch{Key: g, Members: make([]*MemberRow, 0, size[j])}
	}
	for i := range members {
		m := &members[i]
		if j := group[i]; j >= 0 {
			groups[j].Members = append(groups[j].Members, m)
			if keyOf[i] == order[j] {
				fullest[j] = append(fullest[j], m.OriginBranch)
			}
		}
	}
	var out []Branch
	for j := range order {
		b := &groups[j]
		if !slices.ContainsFunc(b.Members, func(m *MemberRow) bool { return m.Status != "left" }) {
			continue
		}
		// The commonest spelling among the records of the fullest key; ties
		// go to the longest, then the first in order.
		count := map[string]int{}
		for _, name := range fullest[j] {
			count[name]++
		}
		best, n := "", 0
		for _, m := range b.Members {
			c := count[m.OriginBranch]
			if c > n || (c == n && c > 0 && len(m.OriginBranch) > len(best)) {
				best, n = m.OriginBranch, c
			}
		}
		b.Name = best
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Branch) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key)) })
	return out
}

// branchKeyMerges maps a key that leaves out the county to the one longer
// key ending with it. Only keys naming a township (镇, 乡, 街道) are joined:
// 东岭村支部 alone could be any county's.
func branchKeyMerges(keys []string) map[string]string {
	township := func(k string) bool { return strings.ContainsAny(k, "镇乡") || strings.Contains(k, "街道") }
	// The longer keys ending with each township key, from every key's
	// suffixes (a city has tens of thousands of keys: comparing each with
	// each took seconds).
	isKey := make(map[string]bool, len(keys))
	for _, k := range keys {
		isKey[k] = true
	}
	endingWith := map[string][]string{}
	for _, l := range keys {
		for i := range l {
			if i > 0 && isKey[l[i:]] && township(l[i:]) {
				endingWith[l[i:]] = append(endingWith[l[i:]], l)
			}
		}
	}
	into := map[string]string{}
	for _, k := range keys {
		longer := endingWith[k]
		if len(longer) == 0 {
			continue
		}
		// The candidates may themselves nest (县 X 镇 ⊂ 市 县 X 镇): join the
		// longest when every other candidate is one of its suffixes.
		slices.SortFunc(longer, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
		if len(longer) > 0 && !slices.ContainsFunc(longer[1:], func(l string) bool { return !strings.HasSuffix(longer[0], l) }) {
			into[k] = longer[0]
		}
	}
	return into
}

// BranchPath is a file of a branch's folder in the run folder.
func BranchPath(branch, file string) string {
	return path.Join(BranchDir, SafeFileName(branch), file)
}

// Letter is a pairing letter's text, the same for the workbook and the PDF.
type Letter struct {
	Title      string   // 关于建立流动党员"双向共管"结对关系的函
	To         string   // the branch, followed by "：" when printed
	Paragraphs []string // the body, each a paragraph with a first-line indent
	Contact    []string // 联系人：…, 联系电话：…, 地址：…
	Signature  []string // the sender, the date
	ListTitle  string   // 附件：…名单
	List       table    // the members found here
}

// chineseDate writes 2026-11-25 as 2026年11月25日.
func chineseDate(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// orBlank is a value to fill in by hand when the configuration has none.
func orBlank(s string) string {
	return cmp.Or(strings.TrimSpace(s), "＿＿＿＿＿＿")
}

var letterColumns = []string{"序号", "姓名", "性别", "公民身份证号", "联系电话", "所在社区", "工作单位", "登记情况"}

// PairingLetter writes the letter (结对函) from the street's temporary
// branch to an origin branch, with the four terms of 双向共管 and its members
// found here.
func PairingLetter(b Branch, s Sender, street, date string, opts BranchOptions) Letter {
	id, phone := maskers(opts.Mask)
	found, unknown := b.Found(), b.Unknown()
	l := Letter{
		Title: "关于建立流动党员“双向共管”结对关系的函",
		To:    b.Name,
		Paragraphs: []string{
			fmt.Sprintf("为加强流动党员教育管理，确保流动党员流动不流失、务工不误学、离乡不离党，%s按照有利于党员教育管理、"+
				"作用发挥的原则，向贵党组织发出结对函，诚邀贵党组织与我们建立流出地、流入地党组织“双向共管”结对关系。", s.Name),
			fmt.Sprintf("经%s各社区摸排核实，截至%s，贵党组织共有%d名党员在我街道居住或工作（名单见附件）。"+
				"为共同做好这些党员的服务管理，我们建议两地党组织在以下四个方面协同配合：", street, chineseDate(date), len(found)),
			"一、资源共享。两地互通流动党员的基本信息和动态情况，及时核对、更新党员台账，做到底数清、情况明。",
			"二、组织共建。流动党员在流入地编入临时党支部或就近党组织参加组织生活，组织关系仍保留在贵党组织，两地共同做好党员的教育、管理和服务。",
			"三、活动共抓。共同落实“三会一课”、主题党日等组织生活制度；党员在流入地参加的每一次活动记入《党员联系卡》，由流入地党支部书记签字证明。",
			"四、作用共促。我们为每名党员配备一名辅导员，每年走访不少于2次；年底向贵党组织出具《活动认证书》，通报党员参加理论学习、志愿服务、技能培训等情况，供民主评议党员参考。",
		},
		Contact: []string{
			"联系人：" + orBlank(s.ContactPerson) + "　联系电话：" + orBlank(s.ContactPhone),
		},
		Signature: []string{s.Name, chineseDate(date)},
		ListTitle: fmt.Sprintf("附件：%s在%s的党员名单（%d名）", b.Name, street, len(found)),
	}
	if len(unknown) > 0 {
		l.Paragraphs = append(l.Paragraphs, fmt.Sprintf("另有%d名党员在贵党组织名册中登记为在我街道，但我街道各社区尚未找到，"+
			"详见随函的《情况通报》，请协助提供其最新联系方式和居住地址。", len(unknown)))
	}
	l.Paragraphs = append(l.Paragraphs, "请贵党组织核对名单，并将贵党组织联系人及联系电话函告我们。")
	if a := strings.TrimSpace(s.Address); a != "" {
		l.Contact = append(l.Contact, "地址："+a)
	}
	l.List = table{sheet: "附件名单", title: l.ListTitle, date: date, cols: letterColumns}
	rows := newCellRows(len(found), len(letterColumns))
	for i, m := range found {
		rows.row(i+1, &m.Name, &m.Gender, id(m.IDNumber), phone(m.Phone), &m.Community, &m.Employer, branchStatus(m))
	}
	l.List.rows = rows.rows
	return l
}

// branchStatus is how a member's situation here reads to the origin branch.
func branchStatus(m *MemberRow) string {
	switch {
	case m.ContactFlag == "lost_contact" && (m.Status == "dual" || m.Status == "inflow_only"):
		return "已找到，但已失联"
	case m.Status == "dual":
		return "已找到，双向共管"
	case m.Status == "inflow_only":
		return "已找到，请核对是否贵党组织党员"
	case m.WhereaboutsUnknown:
		return "去向不明，请协助查找"
	case m.Status == "unknown_whereabouts":
		return "去向已核实"
	case m.Status == "left":
		return "已离开本街道"
	}
	return statusLabel(m)
}

var reportColumns = []string{"序号", "姓名", "性别", "公民身份证号", "联系电话", "所在社区", "现居住地址", "工作单位", "在我街道情况",
	"辅导员", "本年活动次数", "本年活动时长", "本年走访次数", "最近联系日期"}

// StatusReport is what the status report (情况通报) says about a branch's
// members: a summary line and a table.
type StatusReport struct {
	Title   string
	Summary string
	List    table
}

// BranchReport builds the status report for an origin branch: each of its
// members' situation here.
func BranchReport(b Branch, street, date string, opts BranchOptions) StatusReport {
	id, phone := maskers(opts.Mask)
	counts := map[string]int{}
	r := StatusReport{Title: fmt.Sprintf("%s流动党员在%s情况通报", b.Name, street)}
	r.List = table{sheet: ReportName, date: date, cols: reportColumns,
		minWidths: map[string]float64{"在我街道情况": 16}}
	rows := newCellRows(len(b.Members), len(reportColumns))
	for i, m := range b.Members {
		st := branchStatus(m)
		counts[st]++
		rows.add(i+1, &m.Name, &m.Gender, id(m.IDNumber), phone(m.Phone), &m.Community, &m.Address, &m.Employer, st)
		if m.Community != "" {
			rows.add(&m.Counsellor, m.ActivitiesYear, m.HoursYear, m.VisitsYear, &m.LastContact)
		} else {
			rows.add("", "", "", "", "")
		}
		rows.end()
	}
	r.List.rows = rows.rows
	var parts []string
	for _, st := range []struct{ label, short string }{
		{"已找到，双向共管", "已找到并双向共管"}, {"已找到，请核对是否贵党组织党员", "已找到、待贵党组织核对"},
		{"已找到，但已失联", "已失联"}, {"去向不明，请协助查找", "去向不明"}, {"去向已核实", "去向已核实"}, {"已离开本街道", "已离开"},
	} {
		if counts[st.label] > 0 {
			parts = append(parts, fmt.Sprintf("%s%d名", st.short, counts[st.label]))
		}
	}
	r.Summary = fmt.Sprintf("截至%s，贵党组织在%s登记的党员共%d名：%s。", chineseDate(date), street, len(b.Members), strings.Join(parts, "，"))
	r.List.title = r.Title
	return r
}

// maskers are the ID number and phone renderings of an output.
func maskers(mask bool) (id, phone func(string) string) {
	if mask {
		return rules.MaskID, rules.MaskPhone
	}
	same := func(s string) string { return s }
	return same, same
}
