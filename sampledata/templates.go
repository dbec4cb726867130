package sampledata

// A template is one office's layout: which columns, spelt how, in which order, with which date habits, how many
// rows above the header. The header spellings here are the ones the config aliases must cover.

// field is what a column holds.
type field uint8

const (
	fSeq field = iota
	fName
	fGender
	fEthnicity
	fID
	fBirth
	fPhone
	fLandline
	fEducation
	fMemberType
	fBranch
	fJoin
	fOutflow
	fAddress
	fEmployer
	fReason
	fCommunity
	fStatus
	fRemark
	fWechat       // a column no alias knows
	fVolunteerYN  // a column no alias knows
	fInflowPlace  // 流入地
	fInflowBranch // 流入地党组织
	fHasCard      // 是否持有流动党员活动证
	fActDate
	fActType
	fActContent
	fHours
	fPlace
	fSigner
	fVolunteerNo
	fCounsellor
	fCounsellorTitle
	fCounsellorPhone
	fPairDate
	fVisitDate
	fVisitWay
	fVisitNote
)

// column is one column of a template.
type column struct {
	header string
	group  string      // the merged cell above the header in a two-row header; "" spans both rows
	field  field       //
	date   dateForm    // for date fields: how this office writes dates
	branch branchStyle // for fBranch: how this office spells the origin branch
}

// template is a layout of one kind of file.
type template struct {
	id        string // reported to the lead: S1 … for surveys, R1 … for rosters
	cols      []column
	titleRows int  // rows above the header: 0, 1 (merged title) or 2 (title + 填报单位 line)
	grouped   bool // two-row header with merged group cells
	footer    bool // 填表人 / 审核人 / 填表日期 rows below the data
	blanks    bool // blank rows in the middle of the data
}

func (t *template) has(f field) bool {
	for _, c := range t.cols {
		if c.field == f {
			return true
		}
	}
	return false
}

// hasDate reports whether any column holds a date.
func (t *template) hasDate() bool {
	for _, c := range t.cols {
		if isDateField(c.field) {
			return true
		}
	}
	return false
}

func isDateField(f field) bool {
	switch f {
	case fBirth, fJoin, fOutflow, fActDate, fPairDate, fVisitDate:
		return true
	}
	return false
}

// headerRows is how many rows the header takes.
func (t *template) headerRows() int {
	if t.grouped {
		return 2
	}
	return 1
}

// allows reports whether a row of this template can carry defect d for person p.
func (t *template) allows(d defect, p *person, csv bool) bool {
	switch d {
	case idExcelDamaged, idSpaces, idBadCheck, idMissing:
		return t.has(fID)
	case id15:
		return t.has(fID) && p.birth.Year() < 2000
	case idLowerX:
		return t.has(fID) && p.IDNumber[17] == 'X'
	case fullwidthDigits:
		return t.has(fID) || t.has(fPhone)
	case nameSpaces:
		return !p.minority
	case traditionalChars:
		return hasTraditional(p.Name)
	case middleDotVariant:
		return p.minority
	case homophone:
		return !p.minority && homophoneIndex(p.Name, p.surnameLen) >= 0
	case phonePlus86, phoneFormatted, landlineOnly, phoneMissing:
		return t.has(fPhone)
	case phoneNumberCell:
		return t.has(fPhone) && !csv
	case dateTextFormat:
		return t.hasDate()
	case dateSerial:
		return t.hasDate() && !csv
	case birthMismatch:
		return t.has(fBirth) && t.has(fID)
	}
	return true
}

// widthOf is a column width that fits the content, as an office would have dragged it.
func widthOf(f field) float64 {
	switch f {
	case fSeq:
		return 6
	case fID:
		return 21
	case fAddress, fBranch, fEmployer, fActContent, fVisitNote, fInflowPlace, fInflowBranch:
		return 34
	case fPhone, fCounsellorPhone, fLandline, fWechat:
		return 15
	case fBirth, fJoin, fOutflow, fActDate, fPairDate, fVisitDate:
		return 12
	}
	return 10
}

// Survey templates (摸排表), one per community in defaultCommunities order.
var (
	surveyS1 = &template{id: "S1", titleRows: 1, footer: true, blanks: true, cols: []column{
		{header: "序号", field: fSeq},
		{header: "姓名", field: fName},
		{header: "性别", field: fGender},
		{header: "民族", field: fEthnicity},
		{header: "身份证号", field: fID},
		{header: "出生年月", field: fBirth, date: formDotMonth},
		{header: "学历", field: fEducation},
		{header: "党员类别", field: fMemberType},
		{header: "入党时间", field: fJoin, date: formDotMonth},
		{header: "组织关系所在党组织", field: fBranch, branch: branchCanonical},
		{header: "外出时间", field: fOutflow, date: formCell},
		{header: "外出原因", field: fReason},
		{header: "联系电话", field: fPhone},
		{header: "现居住地址", field: fAddress},
		{header: "工作单位", field: fEmployer},
		{header: "状态", field: fStatus},
		{header: "备注", field: fRemark},
	}}
	surveyS2 = &template{id: "S2", titleRows: 1, grouped: true, footer: true, cols: []column{
		{header: "序号", field: fSeq},
		{header: "姓名", group: "基本信息", field: fName},
		{header: "性别", group: "基本信息", field: fGender},
		{header: "民族", group: "基本信息", field: fEthnicity},
		{header: "出生日期", group: "基本信息", field: fBirth, date: formCell},
		{header: "公民身份号码", group: "基本信息", field: fID},
		{header: "文化程度", group: "基本信息", field: fEducation},
		{header: "所在党组织", group: "组织关系", field: fBranch, branch: branchCountyParty},
		{header: "入党日期", group: "组织关系", field: fJoin, date: formCell},
		{header: "党员身份", group: "组织关系", field: fMemberType},
		{header: "手机", group: "联系方式", field: fPhone},
		{header: "固定电话", group: "联系方式", field: fLandline},
		{header: "流出时间", group: "流动情况", field: fOutflow, date: formCellChinese},
		{header: "外出原因", group: "流动情况", field: fReason},
		{header: "居住地址", group: "流动情况", field: fAddress},
		{header: "工作单位", group: "流动情况", field: fEmployer},
		{header: "状态", group: "流动情况", field: fStatus},
		{header: "备注", field: fRemark},
	}}
	surveyS3 = &template{id: "S3", titleRows: 1, cols: []column{
		{header: "序号", field: fSeq},
		{header: "党员姓名", field: fName},
		{header: "性别", field: fGender},
		{header: "身份证号码", field: fID},
		{header: "出生日期", field: fBirth, date: formCellSlash},
		{header: "手机号码", field: fPhone},
		{header: "文化程度", field: fEducation},
		{header: "人员类别", field: fMemberType},
		{header: "入党日期", field: fJoin, date: formCellSlash},
		{header: "原党组织", field: fBranch, branch: branchTownShort},
		{header: "流出时间", field: fOutflow, date: formCellSlash},
		{header: "外出原因", field: fReason},
		{header: "现住址", field: fAddress},
		{header: "工作单位", field: fEmployer},
		{header: "所在社区", field: fCommunity},
		{header: "状态", field: fStatus},
		{header: "备注", field: fRemark},
	}}
	surveyS4 = &template{id: "S4", cols: []column{
		{header: "姓名", field: fName},
		{header: "公民身份证号", field: fID},
		{header: "性别", field: fGender},
		{header: "民族", field: fEthnicity},
		{header: "出生年月", field: fBirth, date: formDashMonth},
		{header: "手机", field: fPhone},
		{header: "学历", field: fEducation},
		{header: "党员类别", field: fMemberType},
		{header: "加入党组织日期", field: fJoin, date: formISO},
		{header: "流出地党组织", field: fBranch, branch: branchProvince},
		{header: "外出时间", field: fOutflow, date: formISO},
		{header: "居住地址", field: fAddress},
		{header: "工作单位", field: fEmployer},
		{header: "外出原因", field: fReason},
		{header: "状态", field: fStatus},
		{header: "是否参加志愿服务", field: fVolunteerYN},
	}}
	surveyS5 = &template{id: "S5", titleRows: 2, footer: true, blanks: true, cols: []column{
		{header: "序号", field: fSeq},
		{header: "党员姓名", field: fName},
		{header: "公民身份号码", field: fID},
		{header: "性别", field: fGender},
		{header: "民族", field: fEthnicity},
		{header: "出生年月", field: fBirth, date: formChineseMonth},
		{header: "手机号码", field: fPhone},
		{header: "文化程度", field: fEducation},
		{header: "党员身份", field: fMemberType},
		{header: "入党时间", field: fJoin, date: formChineseMonth},
		{header: "组织关系所在党组织", field: fBranch, branch: branchCanonical},
		{header: "流出时间", field: fOutflow, date: formCell},
		{header: "现住址", field: fAddress},
		{header: "工作单位", field: fEmployer},
		{header: "外出原因", field: fReason},
		{header: "状态", field: fStatus},
		{header: "备注", field: fRemark},
	}}
	surveyS6 = &template{id: "S6", cols: []column{
		{header: "姓名", field: fName},
		{header: "性别", field: fGender},
		{header: "身份证号", field: fID},
		{header: "出生日期", field: fBirth, date: formCell},
		{header: "民族", field: fEthnicity},
		{header: "学历", field: fEducation},
		{header: "人员类别", field: fMemberType},
		{header: "入党日期", field: fJoin, date: formCell},
		{header: "所在党组织", field: fBranch, branch: branchVillageParty},
		{header: "外出时间", field: fOutflow, date: formCell},
		{header: "联系电话", field: fPhone},
		{header: "微信号", field: fWechat},
		{header: "居住地址", field: fAddress},
		{header: "工作单位", field: fEmployer},
		{header: "外出原因", field: fReason},
		{header: "所在社区", field: fCommunity},
		{header: "状态", field: fStatus},
	}}
)

// Origin roster templates (流出党员名册).
var (
	// rosterR1 is one branch's roster; the branch is only in the title and the file name.
	rosterR1 = &template{id: "R1", titleRows: 2, footer: true, cols: []column{
		{header: "序号", field: fSeq},
		{header: "姓名", field: fName},
		{header: "性别", field: fGender},
		{header: "身份证号码", field: fID},
		{header: "出生年月", field: fBirth, date: formDotMonth},
		{header: "入党时间", field: fJoin, date: formDotMonth},
		{header: "流出时间", field: fOutflow, date: formDotMonth},
		{header: "流入地", field: fInflowPlace},
		{header: "联系电话", field: fPhone},
		{header: "是否持有流动党员活动证", field: fHasCard},
		{header: "备注", field: fRemark},
	}}
	// rosterR2 is a township's roster covering several branches.
	rosterR2 = &template{id: "R2", titleRows: 1, cols: []column{
		{header: "序号", field: fSeq},
		{header: "所在党支部", field: fBranch, branch: branchVillageParty},
		{header: "党员姓名", field: fName},
		{header: "性别", field: fGender},
		{header: "民族", field: fEthnicity},
		{header: "公民身份号码", field: fID},
		{header: "学历", field: fEducation},
		{header: "党员类别", field: fMemberType},
		{header: "外出时间", field: fOutflow, date: formCell},
		{header: "外出地点", field: fInflowPlace},
		{header: "手机号码", field: fPhone},
		{header: "外出原因", field: fReason},
		{header: "是否持有《流动党员活动证》", field: fHasCard},
	}}
	// rosterR3 is a township's roster exported to GBK CSV.
	rosterR3 = &template{id: "R3", cols: []column{
		{header: "姓名", field: fName},
		{header: "身份证号", field: fID},
		{header: "性别", field: fGender},
		{header: "出生日期", field: fBirth, date: formCompact},
		{header: "入党日期", field: fJoin, date: formCompact},
		{header: "流出地党组织", field: fBranch, branch: branchCountyParty},
		{header: "流出时间", field: fOutflow, date: formDotDay},
		{header: "流出原因", field: fReason},
		{header: "流入地", field: fInflowPlace},
		{header: "联系电话", field: fPhone},
	}}
	// rosterR4 is one branch's roster with a two-row header and dates typed as serial numbers.
	rosterR4 = &template{id: "R4", grouped: true, cols: []column{
		{header: "序号", field: fSeq},
		{header: "姓名", group: "党员基本信息", field: fName},
		{header: "性别", group: "党员基本信息", field: fGender},
		{header: "公民身份证号", group: "党员基本信息", field: fID},
		{header: "联系电话", group: "党员基本信息", field: fPhone},
		{header: "原党组织", group: "组织关系", field: fBranch, branch: branchZhonggongTown},
		{header: "入党日期", group: "组织关系", field: fJoin, date: formSerial},
		{header: "流出时间", group: "流动信息", field: fOutflow, date: formSerial},
		{header: "流入地党组织", group: "流动信息", field: fInflowBranch},
		{header: "流入地", group: "流动信息", field: fInflowPlace},
		{header: "是否持有流动党员活动证", group: "流动信息", field: fHasCard},
	}}
)

// Activity templates (党员联系卡活动记录, 义工时长).
var (
	activityA1 = &template{id: "A1", titleRows: 1, cols: []column{
		{header: "序号", field: fSeq},
		{header: "姓名", field: fName},
		{header: "身份证号", field: fID},
		{header: "活动日期", field: fActDate, date: formCell},
		{header: "活动类型", field: fActType},
		{header: "活动内容", field: fActContent},
		{header: "时长（小时）", field: fHours},
		{header: "活动地点", field: fPlace},
		{header: "签字书记", field: fSigner},
	}}
	activityA2 = &template{id: "A2", cols: []column{
		{header: "姓名", field: fName},
		{header: "联系电话", field: fPhone},
		{header: "活动日期", field: fActDate, date: formCellChinese},
		{header: "活动类型", field: fActType},
		{header: "活动内容", field: fActContent},
		{header: "时长（小时）", field: fHours},
		{header: "活动地点", field: fPlace},
		{header: "签字书记", field: fSigner},
		{header: "备注", field: fRemark},
	}}
	activityA3 = &template{id: "A3", cols: []column{
		{header: "序号", field: fSeq},
		{header: "党员姓名", field: fName},
		{header: "身份证号码", field: fID},
		{header: "活动日期", field: fActDate, date: formISO},
		{header: "活动类型", field: fActType},
		{header: "活动内容", field: fActContent},
		{header: "时长（小时）", field: fHours},
		{header: "活动地点", field: fPlace},
		{header: "签字书记", field: fSigner},
	}}
	volunteerV1 = &template{id: "V1", cols: []column{
		{header: "序号", field: fSeq},
		{header: "姓名", field: fName},
		{header: "义工号", field: fVolunteerNo},
		{header: "手机号码", field: fPhone},
		{header: "服务日期", field: fActDate, date: formCell},
		{header: "服务项目", field: fActContent},
		{header: "服务时长（小时）", field: fHours},
		{header: "服务地点", field: fPlace},
	}}
)

// Counsellor pairing templates (辅导员结对表).
var (
	counsellorK1 = &template{id: "K1", titleRows: 1, cols: []column{
		{header: "序号", field: fSeq},
		{header: "辅导员姓名", field: fCounsellor},
		{header: "职务", field: fCounsellorTitle},
		{header: "辅导员电话", field: fCounsellorPhone},
		{header: "结对党员姓名", field: fName},
		{header: "党员身份证号", field: fID},
		{header: "结对时间", field: fPairDate, date: formCell},
	}}
	// counsellorK2 merges each counsellor's cells down over their members, so most rows have no counsellor.
	counsellorK2 = &template{id: "K2", cols: []column{
		{header: "辅导员姓名", field: fCounsellor},
		{header: "职务", field: fCounsellorTitle},
		{header: "辅导员电话", field: fCounsellorPhone},
		{header: "结对党员姓名", field: fName},
		{header: "党员身份证号", field: fID},
		{header: "结对时间", field: fPairDate, date: formDotDay},
		{header: "备注", field: fRemark},
	}}
)

// Visit templates (走访记录).
var (
	visitW1 = &template{id: "W1", titleRows: 1, cols: []column{
		{header: "序号", field: fSeq},
		{header: "辅导员", field: fCounsellor},
		{header: "党员姓名", field: fName},
		{header: "走访日期", field: fVisitDate, date: formCell},
		{header: "走访方式", field: fVisitWay},
		{header: "走访情况", field: fVisitNote},
	}}
	visitW2 = &template{id: "W2", cols: []column{
		{header: "序号", field: fSeq},
		{header: "辅导员", field: fCounsellor},
		{header: "党员姓名", field: fName},
		{header: "联系电话", field: fPhone},
		{header: "走访日期", field: fVisitDate, date: formChineseDay},
		{header: "走访情况", field: fVisitNote},
	}}
)

// writeHead writes the title rows and the header of t and returns the number of the last header row.
func writeHead(tb table, t *template, title, subtitle string) (int, error) {
	n := len(t.cols)
	w := make([]float64, n)
	for i, c := range t.cols {
		w[i] = widthOf(c.field)
	}
	if err := tb.widths(w); err != nil {
		return 0, err
	}
	if t.titleRows >= 1 {
		r, err := tb.row(styleTitle, title)
		if err != nil {
			return 0, err
		}
		if err := tb.merge(1, r, n, r); err != nil {
			return 0, err
		}
	}
	if t.titleRows >= 2 {
		r, err := tb.row(styleData, subtitle)
		if err != nil {
			return 0, err
		}
		if err := tb.merge(1, r, n, r); err != nil {
			return 0, err
		}
	}
	if !t.grouped {
		vals := make([]any, n)
		for i, c := range t.cols {
			vals[i] = c.header
		}
		return tb.row(styleHeader, vals...)
	}
	top := make([]any, n)
	bottom := make([]any, n)
	for i, c := range t.cols {
		if c.group == "" {
			top[i] = c.header
		} else {
			bottom[i] = c.header
			if i == 0 || t.cols[i-1].group != c.group {
				top[i] = c.group
			}
		}
	}
	r1, err := tb.row(styleHeader, top...)
	if err != nil {
		return 0, err
	}
	r2, err := tb.row(styleHeader, bottom...)
	if err != nil {
		return 0, err
	}
	for i := 0; i < n; {
		c := t.cols[i]
		if c.group == "" {
			if err := tb.merge(i+1, r1, i+1, r2); err != nil {
				return 0, err
			}
			i++
			continue
		}
		j := i
		for j+1 < n && t.cols[j+1].group == c.group {
			j++
		}
		if j > i {
			if err := tb.merge(i+1, r1, j+1, r1); err != nil {
				return 0, err
			}
		}
		i = j + 1
	}
	return r2, nil
}

// writeFooter writes the signature line offices put under a table.
func writeFooter(tb table, t *template, filler, checker, date string) error {
	if err := tb.skip(1); err != nil {
		return err
	}
	n := len(t.cols)
	if t.titleRows == 2 {
		// Separate cells, as in offices that type each part in its own cell.
		vals := make([]any, n)
		vals[0] = "填表人：" + filler
		vals[n/3] = "审核人：" + checker
		vals[2*n/3] = "填表日期：" + date
		_, err := tb.row(styleData, vals...)
		return err
	}
	r, err := tb.row(styleData, "填表人："+filler+"    审核人："+checker+"    填表日期："+date)
	if err != nil {
		return err
	}
	return tb.merge(1, r, n, r)
}
