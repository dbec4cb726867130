package ingest

import "github.com/baolong/liudong/rules"

// DefaultConfig returns the built-in ingest configuration: the column titles
// offices really use for each field (党员基本信息采集表 and its local variants).
func DefaultConfig() Config {
	person := []rules.Field{
		rules.FieldSerial, rules.FieldName, rules.FieldGender, rules.FieldEthnicity, rules.FieldIDNumber,
		rules.FieldBirthDate, rules.FieldEducation, rules.FieldMemberType, rules.FieldOriginBranch,
		rules.FieldJoinDate, rules.FieldRegularDate, rules.FieldPhone, rules.FieldLandline, rules.FieldAddress,
		rules.FieldHomeAddress, rules.FieldEmployer, rules.FieldJob, rules.FieldCommunity, rules.FieldOutflowDate,
		rules.FieldOutflowReason, rules.FieldInflowDate, rules.FieldDestination, rules.FieldActivityCard,
		rules.FieldContact, rules.FieldPartyStatus, rules.FieldPresence, rules.FieldRemark,
	}
	who := []rules.Field{rules.FieldName, rules.FieldIDNumber, rules.FieldPhone}
	return Config{
		Workers:         2,
		HeaderScanRows:  10,
		MinHeaderFields: 2,
		FooterMarkers: []string{
			"填表人", "审核人", "填表日期", "制表人", "制表日期", "制表", "负责人", "单位负责人", "经办人",
			"填报单位", "联系人", "备注：", "说明：", "注：", "合计", "总计", "小计",
		},
		Aliases: map[rules.Field][]string{
			rules.FieldSerial:        {"序号", "编号", "No", "NO.", "序"},
			rules.FieldName:          {"姓名", "党员姓名", "流动党员姓名", "名字", "结对党员姓名", "结对党员", "被走访党员", "被走访人", "党员名字", "参会人员", "参会党员", "参加人员", "参加党员", "联系党员", "结对对象", "联系对象", "走访对象", "被访党员", "被访人", "志愿者姓名", "义工姓名"},
			rules.FieldGender:        {"性别"},
			rules.FieldEthnicity:     {"民族"},
			rules.FieldIDNumber:      {"公民身份证号", "身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "党员身份证号", "身份证件号码", "公民身份号", "身份证编号", "身份号码"},
			rules.FieldBirthDate:     {"出生日期", "出生年月", "出生年月日", "生日"},
			rules.FieldEducation:     {"学历", "文化程度", "最高学历", "全日制学历"},
			rules.FieldMemberType:    {"人员类别", "党员类别", "党员身份", "党员类型", "正式/预备"},
			rules.FieldOriginBranch:  {"流出地党组织", "组织关系所在党组织", "所在党组织", "原党组织", "所在党支部", "组织关系所在党支部", "原所在党支部", "流出党组织", "组织关系所在地", "党组织名称", "所属党组织", "组织关系所在支部", "原所在党组织", "流出地党组织名称", "流出地党支部", "组织关系所在单位"},
			rules.FieldJoinDate:      {"加入党组织日期", "入党时间", "入党日期", "入党年月", "加入党组织时间"},
			rules.FieldRegularDate:   {"转为正式党员日期", "转正时间", "转正日期", "转为正式党员时间"},
			rules.FieldPhone:         {"联系电话", "手机号码", "手机", "手机号", "联系方式", "电话", "电话号码", "本人联系电话", "党员电话", "手机号码/联系电话", "移动电话", "联系手机", "手机号码(必填)"},
			rules.FieldLandline:      {"固定电话", "座机", "家庭电话"},
			rules.FieldAddress:       {"现居住地址", "现住址", "居住地址", "现居住地", "现居地址", "居住地", "流入地详细地址", "在深居住地址", "暂住地址", "现住地址", "居住详细地址", "现居住详细地址", "实际居住地址"},
			rules.FieldHomeAddress:   {"家庭住址", "户籍地址", "户籍所在地", "家庭地址", "籍贯"},
			rules.FieldEmployer:      {"工作单位", "工作单位及职务", "务工单位", "就业单位", "所在单位", "单位", "务工单位名称", "现工作单位"},
			rules.FieldJob:           {"工作岗位", "职业", "原职业", "职务", "岗位"},
			rules.FieldCommunity:     {"所在社区", "社区", "居住社区", "所属社区", "流入社区"},
			rules.FieldOutflowDate:   {"外出时间", "流出时间", "外出日期", "流出日期", "外出务工时间", "外出年月", "流出年月"},
			rules.FieldOutflowReason: {"外出原因", "流出原因", "外出事由"},
			rules.FieldInflowDate:    {"流入时间", "流入日期", "来深时间", "到本地时间"},
			rules.FieldDestination:   {"外出流向", "流向", "流入地", "外出地点", "流入地点", "现所在地"},
			rules.FieldActivityCard:  {"是否持有流动党员活动证", "是否持有《流动党员活动证》", "流动党员活动证", "是否办理活动证"},
			rules.FieldContact:       {"联系人及联系方式", "联系人", "紧急联系人"},
			rules.FieldPartyStatus:   {"党籍状态"},
			rules.FieldPresence:      {"状态", "现状", "去向", "目前状态", "是否在深", "在深情况", "人员状态"},
			rules.FieldRemark:        {"备注", "其他", "备考"},

			rules.FieldActivityDate: {"活动日期", "活动时间", "日期", "参加时间", "服务日期", "时间", "参加活动时间", "参加活动日期", "会议时间", "会议日期", "学习时间", "学习日期", "服务时间", "开展时间", "签到时间"},
			rules.FieldActivityType: {"活动类型", "活动类别", "类型", "活动形式", "组织生活类型", "服务类别", "会议类型", "会议类别", "会议名称", "活动方式", "学习形式", "服务类型", "活动种类"},
			rules.FieldContent:      {"活动内容", "内容", "活动主题", "主题", "服务内容", "活动名称", "服务项目", "项目名称", "会议主题", "会议内容", "会议议题", "学习内容", "议题"},
			rules.FieldHours:        {"时长", "时长（小时）", "时长(小时)", "学时", "服务时长", "义工时长", "志愿服务时长", "小时数", "活动时长", "学习时长", "参加时长", "时数", "服务时数", "服务小时数", "志愿时长", "志愿服务时数", "学时数", "课时", "获得学时"},
			rules.FieldPlace:        {"活动地点", "地点", "服务地点", "会议地点", "活动场所", "学习地点"},
			rules.FieldSignedBy:     {"签字书记", "书记签字", "签字", "签名", "证明人", "确认人", "支部书记签名", "支部书记签字", "党支部书记签名", "党支部书记签字", "书记签名", "签字确认", "签名确认", "确认签字", "支部书记"},

			rules.FieldCounsellor:      {"辅导员", "辅导员姓名", "走访人", "结对辅导员", "结对人", "结对干部", "结对人姓名", "走访人姓名", "走访人员", "走访干部", "帮扶人", "联系辅导员"},
			rules.FieldCounsellorPost:  {"职务", "辅导员职务", "党内职务", "社区党委职务", "党委职务", "社区职务", "结对人职务", "走访人职务"},
			rules.FieldCounsellorPhone: {"辅导员电话", "辅导员联系电话", "辅导员手机", "结对人电话", "结对人手机", "结对人联系电话", "结对人手机号码", "走访人电话", "走访人联系电话", "辅导员手机号码"},
			rules.FieldPairedFrom:      {"结对时间", "结对日期", "结对开始时间", "结对开始日期", "结对起始时间", "结对年月", "建立结对时间"},
			rules.FieldVisitDate:       {"走访日期", "走访时间", "日期", "时间", "走访年月", "联系时间", "联系日期", "谈话时间", "谈心谈话时间"},
			rules.FieldNotes:           {"走访情况", "走访内容", "情况记录", "内容", "备注", "走访记录", "谈话内容", "谈心谈话内容", "走访情况记录", "主要内容", "反映问题"},

			rules.FieldRecordID: {"记录编号", "记录ID", "来源记录编号", "记录1"},
			rules.FieldOtherID:  {"对方记录编号", "记录2", "另一条记录编号"},
			rules.FieldMemberID: {"党员编号", "成员编号", "台账编号"},
			rules.FieldDecision: {"处理意见", "核查意见", "决定", "核查结果"},
			rules.FieldAnalyst:  {"核查人", "处理人", "经办人"},
		},
		Kinds: map[Kind]KindConfig{
			KindSurvey: {Fields: person, Required: []rules.Field{rules.FieldName}, CommunityFromTitle: true},
			KindRoster: {Fields: person, Required: []rules.Field{rules.FieldName}, BranchFromTitle: true},
			KindActivity: {
				Fields: []rules.Field{
					rules.FieldSerial, rules.FieldName, rules.FieldIDNumber, rules.FieldPhone, rules.FieldCommunity,
					rules.FieldActivityDate, rules.FieldActivityType, rules.FieldContent, rules.FieldHours,
					rules.FieldPlace, rules.FieldSignedBy, rules.FieldRemark,
				},
				Required:           []rules.Field{rules.FieldActivityDate},
				IdentifyBy:         who,
				CommunityFromTitle: true,
			},
			KindCounsellor: {
				Fields: []rules.Field{
					rules.FieldSerial, rules.FieldCounsellor, rules.FieldCounsellorPost, rules.FieldCounsellorPhone,
					rules.FieldName, rules.FieldIDNumber, rules.FieldPhone, rules.FieldCommunity, rules.FieldPairedFrom,
					rules.FieldRemark,
				},
				Required:           []rules.Field{rules.FieldCounsellor},
				IdentifyBy:         who,
				CommunityFromTitle: true,
			},
			KindVisit: {
				Fields: []rules.Field{
					rules.FieldSerial, rules.FieldCounsellor, rules.FieldName, rules.FieldIDNumber, rules.FieldPhone,
					rules.FieldCommunity, rules.FieldVisitDate, rules.FieldNotes,
				},
				Required:           []rules.Field{rules.FieldVisitDate},
				IdentifyBy:         who,
				CommunityFromTitle: true,
			},
			KindDecision: {
				Fields: []rules.Field{
					rules.FieldSerial, rules.FieldRecordID, rules.FieldOtherID, rules.FieldMemberID, rules.FieldName,
					rules.FieldIDNumber, rules.FieldDecision, rules.FieldRemark, rules.FieldAnalyst,
				},
				// A row an analyst left undecided is no error: the report
				// comes back whole, decided rows and others.
				Required: []rules.Field{},
			},
		},
	}
}
