package ingest

import (
	"fmt"
	"path"
	"strings"

	"github.com/baolong/liudong/rules"
)

// Finding codes ingest adds to those of package rules.
const (
	// CodeMergedCell: a cell read from the merged range it lies in.
	CodeMergedCell = "merged_cell"
	// CodeBranchFromTitle: the origin branch taken from the sheet's title
	// or the file name, the file having no branch column.
	CodeBranchFromTitle = "origin_branch_from_title"
	// CodeCommunityFromTitle: the community taken from the sheet name, the
	// title or the file name, the file having no community column.
	CodeCommunityFromTitle = "community_from_title"
)

// Record statuses, stable values of v_source_record.status.
const (
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
)

// Record is one data row of a source file, cleaned. Nothing of the row is
// lost: Raw keeps every non-empty cell as read.
type Record struct {
	Ordinal      int    // 1-based position among the file's data rows
	Sheet        string // "" for CSV
	Row          int    // 1-based row as Excel shows it; CSV line number
	Status       string // StatusAccepted or StatusRejected
	RejectReason string // for rejected rows: what is missing, where, what to do
	Values       map[rules.Field]rules.Value
	Raw          map[string]string // column title → raw cell text, non-empty cells only
	Extra        map[string]string // the part of Raw whose columns map to no field
	Findings     []Finding
}

// Finding is a rules.Finding placed at its cell.
type Finding struct {
	rules.Finding
	Column   string // column letter, "" for a finding about the whole record
	Title    string // column title
	Location string // file:sheet!A1 as an operator types it into Excel's Name Box
}

// recordCleaner turns the data rows of one file into records.
type recordCleaner struct {
	path     string // relative to the inbox, for messages
	kind     KindConfig
	aliases  map[rules.Field][]string
	cleaner  *rules.Cleaner
	date1904 bool

	sheet   *SheetInfo
	branch  string        // origin branch named by the sheet's title or the file name, when it has no branch column
	commune rules.Value   // community named by the sheet name, title or file name, when it has no community column
	where   string        // where commune came from, for the finding
	keys    []string      // Raw key per column
	fields  []rules.Field // field per column, "" when unmapped
	present map[rules.Field]int
}

func (rc *recordCleaner) useSheet(s *SheetInfo) {
	if rc.sheet == s {
		return
	}
	rc.sheet = s
	rc.date1904 = s.Date1904
	rc.keys = make([]string, len(s.Columns))
	rc.fields = make([]rules.Field, len(s.Columns))
	rc.present = map[rules.Field]int{}
	seen := map[string]bool{}
	for i, c := range s.Columns {
		k := c.Title
		if k == "" || seen[k] {
			k = fmt.Sprintf("%s(%s)", c.Title, c.Letter)
		}
		seen[k] = true
		rc.keys[i] = k
		if c.Field != "" && c.Field != rules.FieldSerial {
			rc.fields[i] = c.Field
			rc.present[c.Field] = i
		}
	}
	rc.branch = ""
	if _, ok := rc.present[rules.FieldOriginBranch]; !ok && rc.kind.BranchFromTitle {
		rc.branch = branchFromTitle(s.Title, rc.path)
	}
	rc.commune, rc.where = rules.Value{}, ""
	if _, ok := rc.present[rules.FieldCommunity]; !ok && rc.kind.CommunityFromTitle {
		rc.commune, rc.where = rc.communityFromTitle(s)
	}
}

// communityFromTitle finds the one community a sheet without a community
// column is about: named by its sheet name (爱心存折 has a sheet per
// community), its title or its file name, in that order.
func (rc *recordCleaner) communityFromTitle(s *SheetInfo) (rules.Value, string) {
	base := path.Base(rc.path)
	for _, c := range []struct{ text, where string }{
		{s.Name, "工作表名"}, {s.Title, "表头标题"}, {strings.TrimSuffix(base, path.Ext(base)), "文件名"},
	} {
		if c.text == "" {
			continue
		}
		if v := rc.cleaner.Clean(rules.FieldCommunity, c.text, false); v.Clean != "" {
			v.Raw, v.Findings = "", nil
			return v, c.where
		}
	}
	return rules.Value{}, ""
}

// location names a cell the way a person finds it: path:sheet!C12.
func (rc *recordCleaner) location(row int, col string) string {
	var b strings.Builder
	b.WriteString(rc.path)
	b.WriteByte(':')
	if rc.sheet.Name != "" {
		b.WriteString(rc.sheet.Name)
		b.WriteByte('!')
	}
	if col != "" {
		b.WriteString(col)
		fmt.Fprint(&b, row)
	} else {
		fmt.Fprintf(&b, "第%d行", row)
	}
	return b.String()
}

// clean turns one data row into a record.
func (rc *recordCleaner) clean(ordinal int, row Row) Record {
	s := rc.sheet
	r := Record{
		Ordinal: ordinal,
		Sheet:   s.Name,
		Row:     row.Number,
		Status:  StatusAccepted,
		Values:  make(map[rules.Field]rules.Value, len(rc.present)),
		Raw:     make(map[string]string, len(row.Cells)),
	}
	var filled map[int]string
	for _, fc := range row.Filled {
		if filled == nil {
			filled = map[int]string{}
		}
		filled[fc.Column] = fc.Range
	}
	for i, cell := range row.Cells {
		if strings.TrimSpace(cell) == "" {
			continue
		}
		if i >= len(rc.keys) {
			// A cell right of the header: no title, but not to be lost.
			k := "(" + columnLetter(i) + ")"
			r.Raw[k] = cell
			if r.Extra == nil {
				r.Extra = map[string]string{}
			}
			r.Extra[k] = cell
			continue
		}
		if rng, ok := filled[i]; ok {
			// Empty in the file: the value is the merged range's, recorded
			// as such rather than as this cell's raw text.
			col := s.Columns[i]
			r.Findings = append(r.Findings, Finding{
				Finding: rules.Finding{Code: CodeMergedCell, Severity: rules.SeverityInfo, Field: col.Field,
					Message: fmt.Sprintf("单元格在合并区域 %s 内，按合并区域首行的值读取", rng)},
				Column: col.Letter, Title: col.Title, Location: rc.location(row.Number, col.Letter),
			})
		} else {
			r.Raw[rc.keys[i]] = cell
		}
		f := rc.fields[i]
		if f == "" {
			if s.Columns[i].Field == rules.FieldSerial {
				continue
			}
			if r.Extra == nil {
				r.Extra = map[string]string{}
			}
			r.Extra[rc.keys[i]] = cell
			continue
		}
		v := rc.cleaner.Clean(f, cell, rc.date1904)
		r.Values[f] = v
		col := s.Columns[i]
		for _, fd := range v.Findings {
			r.Findings = append(r.Findings, Finding{
				Finding:  fd,
				Column:   col.Letter,
				Title:    col.Title,
				Location: rc.location(row.Number, col.Letter),
			})
		}
	}
	if rc.branch != "" {
		v := rc.cleaner.Clean(rules.FieldOriginBranch, rc.branch, rc.date1904)
		r.Values[rules.FieldOriginBranch] = v
		r.Findings = append(r.Findings, Finding{
			Finding: rules.Finding{Code: CodeBranchFromTitle, Severity: rules.SeverityInfo, Field: rules.FieldOriginBranch,
				Message: "表中没有党组织一列，党组织取自表头标题或文件名：" + v.Clean},
			Location: rc.location(row.Number, ""),
		})
	}
	if rc.commune.Clean != "" {
		r.Values[rules.FieldCommunity] = rc.commune
		r.Findings = append(r.Findings, Finding{
			Finding: rules.Finding{Code: CodeCommunityFromTitle, Severity: rules.SeverityInfo, Field: rules.FieldCommunity,
				Message: "表中没有社区一列，社区取自" + rc.where + "：" + rc.commune.Clean},
			Location: rc.location(row.Number, ""),
		})
	}
	for _, fd := range rc.cleaner.CrossCheck(r.Values) {
		col, title := "", ""
		if i, ok := rc.present[fd.Field]; ok {
			col, title = s.Columns[i].Letter, s.Columns[i].Title
		}
		r.Findings = append(r.Findings, Finding{Finding: fd, Column: col, Title: title, Location: rc.location(row.Number, col)})
	}
	r.RejectReason = rc.rejectReason(r)
	if r.RejectReason != "" {
		r.Status = StatusRejected
	}
	return r
}

// rejectReason says why a row cannot be used, or "" when it can. A row is
// rejected only when it cannot describe a person (or, for an activity or a
// visit, the event): a required field is empty or unusable.
func (rc *recordCleaner) rejectReason(r Record) string {
	var missing []string
	for _, f := range rc.kind.Required {
		if r.Values[f].Clean != "" {
			continue
		}
		missing = append(missing, rc.describe(r, f))
	}
	if len(rc.kind.IdentifyBy) > 0 {
		found := false
		var names []string
		for _, f := range rc.kind.IdentifyBy {
			if r.Values[f].Clean != "" {
				found = true
				break
			}
			names = append(names, rc.fieldTitle(f))
		}
		if !found {
			missing = append(missing, fmt.Sprintf("%s都为空或无效，无法确定是哪位党员", strings.Join(names, "、")))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return rc.location(r.Row, "") + "：" + strings.Join(missing, "；") + "。请补填后重新提交此表"
}

// describe says what is wrong with a required field of a record.
func (rc *recordCleaner) describe(r Record, f rules.Field) string {
	i, ok := rc.present[f]
	if !ok {
		return fmt.Sprintf("表头中没有「%s」列", rc.fieldTitle(f))
	}
	col := rc.sheet.Columns[i]
	v, given := r.Values[f]
	if !given || strings.TrimSpace(v.Raw) == "" {
		return fmt.Sprintf("%s列「%s」为空", col.Letter, col.Title)
	}
	msg := fmt.Sprintf("%s列「%s」无法识别", col.Letter, col.Title)
	if len(v.Findings) > 0 {
		msg += "（" + v.Findings[0].Message + "）"
	}
	return msg
}

// fieldTitle is the Chinese name of a canonical field for messages: its
// first configured alias.
func (rc *recordCleaner) fieldTitle(f rules.Field) string {
	if a := rc.aliases[f]; len(a) > 0 {
		return a[0]
	}
	return string(f)
}
