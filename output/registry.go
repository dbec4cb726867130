package output

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// RegistryFile is the registry workbook's name in the run folder.
const RegistryFile = "流动党员信息台账.xlsx"

// MemberRow is one current member (v_member) as the workbooks show it.
// Empty strings are unknown values.
type MemberRow struct {
	MemberID     string
	Name         string
	IDNumber     string
	BirthDate    string
	OriginBranch string // 流出地党组织
	// OriginBranchKey is rules.BranchKey of the origin branch: the same
	// for variants of one branch's name.
	OriginBranchKey string
	JoinDate        string
	Phone           string
	Address         string
	Employer        string
	OutflowDate     string
	// *MemberClass: the fields many members share (Status, Community, …),
	// read as the member's own (m.Status).
	*MemberClass
	Records int
	// What contacts say (empty or zero without them).
	Counsellor      string
	CounsellorPhone string
	LastActivity    string // 2026-05-03: the last activity
	LastContact     string // 2026-05-03: the last activity or visit, else when first registered
	ActivitiesYear  int    // activities in the run's calendar year
	HoursYear       float64
	VisitsYear      int
}

// MemberClass is what members have in common: a gender, a community, a
// status and the like, kept once for all the members that share it (at 1M
// persons about 10,000 classes). As strings of each member they were 150 MB
// of the output stage's heap and nine million pointers for the collector
// to scan at every cycle. A class is shared: it is never changed.
type MemberClass struct {
	Gender        string
	Ethnicity     string
	Education     string
	MemberType    string
	Community     string
	OutflowReason string
	Status        string // dual | inflow_only | unknown_whereabouts | left
	StatusLabel   string // 双向共管 …
	ContactFlag   string // lost_contact (失联) | lost_contact_soon (即将失联) | ""
	// WhereaboutsUnknown: status unknown_whereabouts and not verified by an
	// analyst; such members are sent to every community to look for.
	WhereaboutsUnknown bool
}

// SourceRow is one current source record (v_source_record) with where it
// came from.
type SourceRow struct {
	RecordID     int64
	Kind         string // survey, roster, …
	File         string
	Sheet        string
	Row          int
	Status       string // accepted | rejected
	RejectReason string
	MemberID     string
	Name         string
}

// Registry is what the registry workbook (流动党员信息台账) is made of.
type Registry struct {
	Street  string // 宝龙街道
	Date    string // the run date, 2026-11-25
	Members []MemberRow
	Sources []SourceRow
	// SourceCount is how many current source records there are; when
	// SourceLimit is set they are more than it and Sources is empty: the
	// 来源记录 sheet says so instead of listing them.
	SourceCount, SourceLimit int
}

// memberStatuses are the member statuses in the order the workbooks list
// them, with their labels.
var memberStatuses = [...]struct{ code, label string }{
	{"dual", "双向共管"},
	{"inflow_only", "仅流入地登记"},
	{"unknown_whereabouts", "去向不明"},
	{"left", "已离开"},
}

var registryColumns = []string{
	"序号", "党员编号", "姓名", "性别", "民族", "公民身份证号", "出生日期", "学历", "人员类别", "流出地党组织",
	"加入党组织日期", "联系电话", "现居住地址", "工作单位", "所在社区", "外出时间", "外出原因", "状态", "辅导员",
	"最近活动日期", "最近联系日期", "联系情况", "本年活动次数", "本年活动时长", "本年走访次数", "来源记录数",
}

// RegistryWorkbook builds the registry workbook for the street: every
// member with full ID numbers and phones (sheet 台账), one sheet per status,
// the source records (来源记录) and counts per community and status (统计).
func RegistryWorkbook(r Registry) (*excelize.File, error) {
	f, st, err := newWorkbook("台账")
	if err != nil {
		return nil, err
	}
	title := r.Street + "流动党员信息台账"
	// A sheet holds a million members; a city's are split over more.
	tables := splitRows(table{sheet: "台账", title: title, date: r.Date, cols: registryColumns, source: memberRows(r.Members, "")}, maxSheetRows)
	for _, s := range memberStatuses {
		tables = append(tables, splitRows(table{sheet: s.label, title: title + " · " + s.label, date: r.Date,
			cols: registryColumns, source: memberRows(r.Members, s.code)}, maxSheetRows)...)
	}
	sources := table{sheet: "来源记录", title: title + " · 来源记录", date: r.Date,
		cols:   []string{"记录编号", "类别", "文件", "工作表", "行号", "状态", "拒收原因", "党员编号", "姓名"},
		source: sourceRows(r.Sources), maxWidth: 50}
	if r.SourceLimit > 0 {
		sources.note = fmt.Sprintf("来源记录共 %d 条，多于本表列出的上限 %d 条（config.yaml 的 out.registry_source_rows），此处不逐条列出。"+
			"完整列表见本次输出的 parquet/source_record/ 目录，或用 liudong sql 查询视图 v_source_record。", r.SourceCount, r.SourceLimit)
	}
	tables = append(tables, splitRows(sources, maxSheetRows)...)
	tables = append(tables, statsTable(r, title))
	for _, t := range tables {
		if err := writeTable(f, st, t); err != nil {
			f.Close()
			return nil, fmt.Errorf("registry: %w", err)
		}
	}
	return f, nil
}

// maxSheetRows is how many data rows one sheet holds: Excel's 1,048,576
// rows less the title and header, rounded down.
const maxSheetRows = 1_000_000

// splitRows cuts a table too long for one sheet into sheets of at most max
// rows: 来源记录, 来源记录（2）, ….
func splitRows(t table, max int) []table {
	n := t.len()
	if n <= max {
		return []table{t}
	}
	var out []table
	for i := 0; i < n; i += max {
		part := t
		if t.source != nil {
			src, from := t.source, i
			part.source = &rowSource{n: min(max, n-i), row: func(j int, dst []any) []any { return src.row(from+j, dst) }}
		} else {
			part.rows = t.rows[i:min(i+max, n)]
		}
		if n := i/max + 1; n > 1 {
			part.sheet = fmt.Sprintf("%s（%d）", t.sheet, n)
			part.title = fmt.Sprintf("%s（%d）", t.title, n)
		}
		out = append(out, part)
	}
	return out
}

// WriteRegistry writes the registry workbook into the run folder, in the
// background (the folder's Wait returns its error); r must not change until then.
func WriteRegistry(dir *Folder, r Registry) {
	dir.WriteWorkbookAsync(RegistryFile, func() (*excelize.File, error) { return RegistryWorkbook(r) })
}

// memberRows are the members with status (all when empty), numbered.
func memberRows(ms []MemberRow, status string) *rowSource {
	var idx []int32 // the members on the sheet, when not all
	if status != "" {
		for i, m := range ms {
			if m.Status == status {
				idx = append(idx, int32(i))
			}
		}
	}
	n := len(ms)
	if status != "" {
		n = len(idx)
	}
	return &rowSource{n: n, row: func(i int, dst []any) []any {
		m := &ms[i]
		if status != "" {
			m = &ms[idx[i]]
		}
		// The strings as pointers to the member's fields (table.rows).
		return append(dst, i+1, &m.MemberID, &m.Name, &m.Gender, &m.Ethnicity, &m.IDNumber, &m.BirthDate, &m.Education,
			&m.MemberType, &m.OriginBranch, &m.JoinDate, &m.Phone, &m.Address, &m.Employer, &m.Community,
			&m.OutflowDate, &m.OutflowReason, statusLabel(m), &m.Counsellor, &m.LastActivity, &m.LastContact, contactLabel(m.ContactFlag),
			m.ActivitiesYear, m.HoursYear, m.VisitsYear, m.Records)
	}}
}

// contactLabel is a contact flag as people read it.
func contactLabel(flag string) string {
	switch flag {
	case "lost_contact":
		return "失联"
	case "lost_contact_soon":
		return "即将失联"
	}
	return flag
}

func statusLabel(m *MemberRow) string {
	if m.StatusLabel != "" {
		return m.StatusLabel
	}
	for _, s := range memberStatuses {
		if s.code == m.Status {
			return s.label
		}
	}
	return m.Status
}

// sourceKinds are the labels of the kinds of source file.
var sourceKinds = map[string]string{
	"survey":     "社区摸排表",
	"roster":     "流出党员名册",
	"activity":   "联系卡活动记录",
	"counsellor": "辅导员结对表",
	"visit":      "走访记录",
	"decision":   "核查处理意见",
}

func sourceRows(ss []SourceRow) *rowSource {
	return rowsOf(ss, func(s *SourceRow, dst []any) []any {
		kind := sourceKinds[s.Kind]
		if kind == "" {
			kind = s.Kind
		}
		status := s.Status
		switch s.Status {
		case "accepted":
			status = "已接收"
		case "rejected":
			status = "已拒收"
		}
		// The record ID is an identifier analysts copy into decisions: text.
		// The strings are pointers to the record's fields (table.rows).
		return append(dst, strconv.FormatInt(s.RecordID, 10), kind, &s.File, &s.Sheet, s.Row, status,
			&s.RejectReason, &s.MemberID, &s.Name)
	})
}

// noCommunity is the 统计 row of members no community reported.
const noCommunity = "（未登记社区）"

// statsTable counts members per community and status, with a bar chart of
// the counts. Communities are in the order they first appear among the
// members.
func statsTable(r Registry, title string) table {
	var communities []string
	counts := map[string]*[len(memberStatuses)]int{}
	for _, m := range r.Members {
		c := m.Community
		if c == "" {
			c = noCommunity
		}
		if counts[c] == nil {
			counts[c] = new([len(memberStatuses)]int)
			communities = append(communities, c)
		}
		for i, s := range memberStatuses {
			if s.code == m.Status {
				counts[c][i]++
			}
		}
	}
	// Members no community reported (whereabouts unknown) come last.
	if counts[noCommunity] != nil {
		communities = append(slices.DeleteFunc(communities, func(c string) bool { return c == noCommunity }), noCommunity)
	}
	cols := []string{"所在社区"}
	for _, s := range memberStatuses {
		cols = append(cols, s.label)
	}
	cols = append(cols, "合计")
	var rows [][]any
	var total [len(memberStatuses) + 1]int
	for _, c := range communities {
		row := []any{c}
		sum := 0
		for i, n := range counts[c] {
			row = append(row, n)
			sum += n
			total[i] += n
		}
		total[len(memberStatuses)] += sum
		rows = append(rows, append(row, sum))
	}
	totalRow := []any{"合计"}
	for _, n := range total {
		totalRow = append(totalRow, n)
	}
	rows = append(rows, totalRow)
	t := table{sheet: "统计", title: title + " · 统计", date: r.Date, cols: cols, rows: rows}
	if len(communities) > 0 {
		t.chart = statsChart(len(communities))
	}
	return t
}

// statsChart is a clustered bar chart of the 统计 sheet: one series per
// status, one category per community (the 合计 row left out).
func statsChart(communities int) *excelize.Chart {
	first, last := firstData, firstData+communities-1
	var series []excelize.ChartSeries
	for i := range memberStatuses {
		col, _ := excelize.ColumnNumberToName(i + 2)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'统计'!$%s$%d", col, headerRow),
			Categories: fmt.Sprintf("'统计'!$A$%d:$A$%d", first, last),
			Values:     fmt.Sprintf("'统计'!$%s$%d:$%s$%d", col, first, col, last),
		})
	}
	return &excelize.Chart{
		Type:   excelize.Col,
		Series: series,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "各社区流动党员人数（按状态）"}}},
		Legend: excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{
			Width: 720, Height: 360,
		},
		PlotArea: excelize.ChartPlotArea{ShowVal: true},
		XAxis:    excelize.ChartAxis{Font: excelize.Font{Color: "000000"}},
		YAxis:    excelize.ChartAxis{Font: excelize.Font{Color: "000000"}, MajorGridLines: true},
	}
}
