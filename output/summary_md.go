package output

import (
	"fmt"
	"strings"
)

// kindTitles are the Chinese names of the kinds of file.
func kindTitle(k string) string {
	switch k {
	case "survey":
		return "社区摸排表"
	case "roster":
		return "流出地党员名册"
	case "activity":
		return "联系卡活动记录"
	case "counsellor":
		return "辅导员结对表"
	case "visit":
		return "走访记录"
	case "decision":
		return "核查处理意见"
	}
	return k
}

func actionTitle(a string) string {
	switch a {
	case "loaded":
		return "已读取"
	case "unchanged":
		return "未变化"
	case "duplicate":
		return "重复文件"
	case "superseded":
		return "旧版本已替换"
	case "removed":
		return "已移出收件箱"
	case "quarantined":
		return "已隔离"
	}
	return a
}

func statusTitle(s string) string {
	switch s {
	case "ok":
		return "成功"
	case "quarantined":
		return "完成，但有文件被隔离"
	case "failed":
		return "失败"
	}
	return s
}

// SummaryMarkdown renders the run summary for the operator, in Chinese.
func SummaryMarkdown(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s流动党员台账 运行摘要（第 %d 次运行）\n\n", s.Street, s.RunID)
	fmt.Fprintf(&b, "- 状态：**%s**\n", statusTitle(s.Status))
	fmt.Fprintf(&b, "- 开始：%s，用时 %.1f 秒\n", s.Started.Format("2006-01-02 15:04:05"), s.Finished.Sub(s.Started).Seconds())
	if s.Error != "" {
		fmt.Fprintf(&b, "- 错误：%s\n", s.Error)
	}
	t := s.Totals
	fmt.Fprintf(&b, "- 文件：共 %d 个，新读取 %d，未变化 %d，重复 %d，隔离 %d，替换旧版 %d，移出 %d\n",
		t.FilesSeen, t.FilesLoaded, t.FilesUnchanged, t.FilesDuplicate, t.FilesQuarantined, t.FilesSuperseded, t.FilesRemoved)
	fmt.Fprintf(&b, "- 本次新读取的行：接收 %d，拒收 %d，跳过（空行、页脚、重复表头）%d\n\n", t.RowsAccepted, t.RowsRejected, t.RowsSkipped)

	if mt := s.Match; mt != nil {
		fmt.Fprintf(&b, "## 记录匹配\n\n%d 条人员记录，比较 %d 对：自动关联 %d 对，待人工核查 %d 对（见 v_link、v_discrepancy）。", mt.Records, mt.Pairs, mt.Links, mt.Reviews)
		if mt.Incremental {
			fmt.Fprintf(&b, "增量比较：只为 %d 条新记录生成并比较配对，其余配对沿用上次的比较结果，模型与得分全部重算。", mt.NewRecords)
		}
		if !mt.Converged {
			b.WriteString("**EM 未收敛**，请调高 rules.match.em_max_iterations。")
		}
		b.WriteString("\n\n| 分块规则 | 配对数 | 其中前面的规则没有的 |\n|---|---:|---:|\n")
		for _, r := range mt.Rules {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", r.Rule, r.Pairs, r.NewPairs)
		}
		b.WriteString("\n")
	}
	if ms := s.Members; ms != nil {
		fmt.Fprintf(&b, "## 党员\n\n%d 条人员记录归并为 %d 名党员：双向共管 %d，仅流入地登记 %d，去向不明 %d，已离开 %d。本次新增 %d，合并 %d，拆分 %d，状态变化 %d。\n\n",
			ms.Records, ms.Members, ms.ByStatus["dual"], ms.ByStatus["inflow_only"], ms.ByStatus["unknown_whereabouts"], ms.ByStatus["left"],
			ms.Created, ms.Merged, ms.Split, ms.StatusChanges)
		fmt.Fprintf(&b, "来源之间的差异：新发现 %d，已消除 %d，待核查 %d（见 v_discrepancy）。\n\n",
			ms.DiscrepanciesOpened, ms.DiscrepanciesResolved, ms.DiscrepanciesOpen)
		if ms.LostContact+ms.LostContactSoon > 0 {
			fmt.Fprintf(&b, "失联 %d 人，即将失联 %d 人（见差异核查表「联系与走访」）。\n\n", ms.LostContact, ms.LostContactSoon)
		}
		if ms.NewlyUnknown > 0 {
			fmt.Fprintf(&b, "**本次新增去向不明 %d 人**，已列入各社区名册的「待查找」。\n\n", ms.NewlyUnknown)
		}
		b.WriteString(communityTable(ms.ByCommunity))
		b.WriteString(changesList(ms))
		if len(ms.UnknownDecisions) > 0 {
			b.WriteString("以下处理意见指向的记录编号不存在或不是当前的人员记录，未执行，请核对：\n\n")
			for _, u := range ms.UnknownDecisions {
				fmt.Fprintf(&b, "- 处理意见记录 %s\n", u)
			}
			b.WriteString("\n")
		}
	}

	b.WriteString("## 按类别\n\n| 类别 | 文件 | 新读取 | 隔离 | 接收行 | 拒收行 | 跳过行 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range s.Kinds {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d |\n", kindTitle(k.Kind), k.FilesSeen, k.FilesLoaded,
			k.FilesQuarantined, k.RowsAccepted, k.RowsRejected, k.RowsSkipped)
	}

	var quarantined []FileSummary
	for _, f := range s.Files {
		if f.Action == "quarantined" {
			quarantined = append(quarantined, f)
		}
	}
	if len(quarantined) > 0 {
		b.WriteString("\n## 需要处理：被隔离的文件\n\n这些文件无法读取，其中的数据没有进入台账。请按提示处理后放回收件箱，下次运行会重新读取。\n\n")
		for _, f := range quarantined {
			fmt.Fprintf(&b, "- `%s`：%s。**处理办法**：%s\n", f.Path, f.Reason, f.Hint)
		}
	}

	var unmapped []string
	for _, f := range s.Files {
		if len(f.Unmapped) > 0 {
			unmapped = append(unmapped, fmt.Sprintf("- `%s`：%s", f.Path, strings.Join(f.Unmapped, "、")))
		}
	}
	if len(unmapped) > 0 {
		b.WriteString("\n## 未识别的列\n\n以下列名没有对应的字段，内容已原样保存（extra）。如果它们其实是已知字段的另一种写法，请在 config.yaml 的 `ingest.aliases` 中添加别名。\n\n")
		b.WriteString(strings.Join(unmapped, "\n"))
		b.WriteString("\n")
	}

	var sheets []string
	for _, f := range s.Files {
		for _, sh := range f.Sheets {
			sheets = append(sheets, fmt.Sprintf("- `%s` 工作表 %s", f.Path, sh))
		}
	}
	if len(sheets) > 0 {
		b.WriteString("\n## 跳过的工作表\n\n")
		b.WriteString(strings.Join(sheets, "\n"))
		b.WriteString("\n")
	}

	if len(s.Ignored) > 0 {
		b.WriteString("\n## 忽略的文件\n\n")
		for _, ig := range s.Ignored {
			fmt.Fprintf(&b, "- `%s`：%s\n", ig.Path, ig.Reason)
		}
	}

	b.WriteString("\n## 文件明细\n\n| 文件 | 类别 | 处理 | 格式 | 接收 | 拒收 | 跳过 |\n|---|---|---|---|---:|---:|---:|\n")
	for _, f := range s.Files {
		format := f.Format
		if f.Encoding != "" {
			format += " " + f.Encoding
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %d | %d |\n", f.Path, kindTitle(f.Kind), actionTitle(f.Action),
			format, f.Accepted, f.Rejected, f.Skipped)
	}

	if c := s.Certificates; c != nil {
		fmt.Fprintf(&b, "\n## 活动认证书\n\n%d 年至今共 %d 份（本次新发 %d 份，修订 %d 份），见 `%s/%d/`。\n", c.Year, c.Certificates,
			c.Issued, c.Revised, CertificateDir, c.Year)
	}
	if p := s.PDF; p != nil {
		b.WriteString("\n## PDF\n\n")
		if p.Disabled != "" {
			fmt.Fprintf(&b, "**未生成 PDF**：%s（各表格照常生成）。\n", p.Disabled)
		} else {
			fmt.Fprintf(&b, "已生成 %d 个 PDF（字体：`%s`）。\n", p.Files, p.Font)
		}
		if len(p.Missing) > 0 {
			b.WriteString("\n以下文件中有字体缺少的字（多为生僻字），为免印成空白方框，未生成 PDF，请改用同名表格打印并手写补全，或在 config.yaml 的 out.pdf_font 指定包含这些字的字体：\n\n")
			for _, m := range p.Missing {
				fmt.Fprintf(&b, "- `%s`：%s\n", m.File, m.Chars)
			}
		}
	}

	b.WriteString("\n## 各阶段用时\n\n")
	for _, st := range s.Stages {
		fmt.Fprintf(&b, "- %s：%.2f 秒\n", st.Name, st.Seconds)
	}
	return b.String()
}

// maxListed is how many names a list of summary.md shows; summary.json
// has them all.
const maxListed = 50

// changesList lists the new members, the newly unknown whereabouts and the
// other status changes by name.
func changesList(ms *Members) string {
	if ms.FirstBuild {
		return fmt.Sprintf("首次建立台账：%d 名党员均为新建，不逐一列出。\n\n", ms.Members)
	}
	var created, unknown, changed []string
	for _, c := range ms.Changes {
		who := c.Name + "（" + c.MemberID
		if c.Community != "" {
			who += "，" + c.Community
		}
		who += "）"
		switch {
		case c.From == "":
			created = append(created, who+"："+statusTitleOf(c.To))
		case c.To == "unknown_whereabouts":
			unknown = append(unknown, who+"：原为"+statusTitleOf(c.From))
		default:
			changed = append(changed, who+"："+statusTitleOf(c.From)+" → "+statusTitleOf(c.To))
		}
	}
	var b strings.Builder
	for _, l := range []struct {
		title string
		items []string
	}{{"新增党员", created}, {"新变为去向不明", unknown}, {"状态变化", changed}} {
		if len(l.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "### %s（%d 人）\n\n", l.title, len(l.items))
		for i, it := range l.items {
			if i == maxListed {
				fmt.Fprintf(&b, "- ……另有 %d 人，见 summary.json 的 members.changes\n", len(l.items)-maxListed)
				break
			}
			fmt.Fprintf(&b, "- %s\n", it)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// statusTitleOf is a member status as the registry names it.
func statusTitleOf(code string) string {
	for _, s := range memberStatuses {
		if s.code == code {
			return s.label
		}
	}
	return code
}

// communityTable renders members per community and status.
func communityTable(rows []CommunityStatus) string {
	if len(rows) == 0 {
		return ""
	}
	statuses := []string{"dual", "inflow_only", "unknown_whereabouts", "left"}
	counts := map[string]map[string]int{}
	var order []string
	for _, r := range rows {
		if counts[r.Community] == nil {
			counts[r.Community] = map[string]int{}
			order = append(order, r.Community)
		}
		counts[r.Community][r.Status] += r.Members
	}
	var b strings.Builder
	b.WriteString("| 社区 | 双向共管 | 仅流入地登记 | 去向不明 | 已离开 | 合计 |\n|---|---:|---:|---:|---:|---:|\n")
	for _, c := range order {
		name := c
		if name == "" {
			name = "（未被社区找到）"
		}
		total := 0
		fmt.Fprintf(&b, "| %s", name)
		for _, s := range statuses {
			fmt.Fprintf(&b, " | %d", counts[c][s])
			total += counts[c][s]
		}
		fmt.Fprintf(&b, " | %d |\n", total)
	}
	b.WriteString("\n")
	return b.String()
}
