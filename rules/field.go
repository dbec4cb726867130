package rules

// Field is a canonical field name, the same in config.yaml aliases, the
// source_record table and v_source_record.
type Field string

// Type says how a field's raw text is cleaned.
type Type string

// Field types.
const (
	TypeText       Type = "text"        // NFKC, trimmed, traditional→simplified
	TypeName       Type = "name"        // as text, inner spaces removed, middle dots unified
	TypeIDNumber   Type = "id_number"   // 公民身份证号, GB 11643
	TypePhone      Type = "phone"       // mobile or landline
	TypeDate       Type = "date"        // date cell, serial or text
	TypeGender     Type = "gender"      // 男 / 女
	TypeEthnicity  Type = "ethnicity"   // 汉族, 壮族 …
	TypeEducation  Type = "education"   // canonical levels from config
	TypeMemberType Type = "member_type" // 正式党员 / 预备党员
	TypeCommunity  Type = "community"   // canonical community list from config
	TypeBranch     Type = "branch"      // a Party organisation name; also gets a key
	TypeNumber     Type = "number"      // hours and other quantities
	TypeSerial     Type = "serial"      // 序号: recognised so it is not an unmapped column, not stored
	TypeActivity   Type = "activity"    // activity type, canonical list from config
	TypeDecision   Type = "decision"    // analysts' decision words from config
	TypeBool       Type = "bool"        // 是 / 否
)

// Canonical fields. Which of them a kind of file uses, and the column titles
// that mean each, are configured in config.yaml.
const (
	FieldSerial        Field = "serial"         // 序号
	FieldName          Field = "name"           // 姓名
	FieldGender        Field = "gender"         // 性别
	FieldEthnicity     Field = "ethnicity"      // 民族
	FieldIDNumber      Field = "id_number"      // 公民身份证号
	FieldBirthDate     Field = "birth_date"     // 出生日期
	FieldEducation     Field = "education"      // 学历
	FieldMemberType    Field = "member_type"    // 人员类别 正式/预备
	FieldOriginBranch  Field = "origin_branch"  // 流出地党组织 / 所在党支部
	FieldJoinDate      Field = "join_date"      // 加入党组织日期
	FieldRegularDate   Field = "regular_date"   // 转为正式党员日期
	FieldPhone         Field = "phone"          // 联系电话 / 手机
	FieldLandline      Field = "landline"       // 固定电话
	FieldAddress       Field = "address"        // 现居住地址
	FieldHomeAddress   Field = "home_address"   // 家庭住址 / 户籍地
	FieldEmployer      Field = "employer"       // 工作单位
	FieldJob           Field = "job"            // 工作岗位 / 职业
	FieldCommunity     Field = "community"      // 所在社区
	FieldOutflowDate   Field = "outflow_date"   // 外出时间 / 流出时间
	FieldOutflowReason Field = "outflow_reason" // 外出原因
	FieldInflowDate    Field = "inflow_date"    // 流入时间
	FieldDestination   Field = "destination"    // 外出流向
	FieldActivityCard  Field = "activity_card"  // 是否持有《流动党员活动证》
	FieldContact       Field = "contact"        // 联系人及联系方式
	FieldPartyStatus   Field = "party_status"   // 党籍状态
	FieldPresence      Field = "presence"       // 状态 / 去向 (在深, 已返乡 …)
	FieldRemark        Field = "remark"         // 备注

	FieldActivityDate Field = "activity_date" // 活动日期
	FieldActivityType Field = "activity_type" // 活动类型
	FieldContent      Field = "content"       // 活动内容
	FieldHours        Field = "hours"         // 时长（小时）
	FieldPlace        Field = "place"         // 活动地点
	FieldSignedBy     Field = "signed_by"     // 签字书记

	FieldCounsellor      Field = "counsellor"       // 辅导员姓名
	FieldCounsellorPost  Field = "counsellor_post"  // 辅导员职务
	FieldCounsellorPhone Field = "counsellor_phone" // 辅导员电话
	FieldPairedFrom      Field = "paired_from"      // 结对时间
	FieldVisitDate       Field = "visit_date"       // 走访日期
	FieldNotes           Field = "notes"            // 走访情况

	FieldRecordID Field = "ref_record_id" // 记录编号 (decisions)
	FieldOtherID  Field = "ref_other_id"  // 对方记录编号 (decisions)
	FieldMemberID Field = "ref_member_id" // 党员编号 (decisions)
	FieldDecision Field = "decision"      // 处理意见
	FieldAnalyst  Field = "analyst"       // 核查人
)

// Catalogue lists every canonical field with its type, in the column order of
// source_record.
var catalogue = []struct {
	Field Field
	Type  Type
}{
	{FieldSerial, TypeSerial},
	{FieldName, TypeName},
	{FieldGender, TypeGender},
	{FieldEthnicity, TypeEthnicity},
	{FieldIDNumber, TypeIDNumber},
	{FieldBirthDate, TypeDate},
	{FieldEducation, TypeEducation},
	{FieldMemberType, TypeMemberType},
	{FieldOriginBranch, TypeBranch},
	{FieldJoinDate, TypeDate},
	{FieldRegularDate, TypeDate},
	{FieldPhone, TypePhone},
	{FieldLandline, TypePhone},
	{FieldAddress, TypeText},
	{FieldHomeAddress, TypeText},
	{FieldEmployer, TypeText},
	{FieldJob, TypeText},
	{FieldCommunity, TypeCommunity},
	{FieldOutflowDate, TypeDate},
	{FieldOutflowReason, TypeText},
	{FieldInflowDate, TypeDate},
	{FieldDestination, TypeText},
	{FieldActivityCard, TypeBool},
	{FieldContact, TypeText},
	{FieldPartyStatus, TypeText},
	{FieldPresence, TypeText},
	{FieldRemark, TypeText},
	{FieldActivityDate, TypeDate},
	{FieldActivityType, TypeActivity},
	{FieldContent, TypeText},
	{FieldHours, TypeNumber},
	{FieldPlace, TypeText},
	{FieldSignedBy, TypeName},
	{FieldCounsellor, TypeName},
	{FieldCounsellorPost, TypeText},
	{FieldCounsellorPhone, TypePhone},
	{FieldPairedFrom, TypeDate},
	{FieldVisitDate, TypeDate},
	{FieldNotes, TypeText},
	{FieldRecordID, TypeText},
	{FieldOtherID, TypeText},
	{FieldMemberID, TypeText},
	{FieldDecision, TypeDecision},
	{FieldAnalyst, TypeName},
}

// Fields returns every canonical field in catalogue order.
func Fields() []Field {
	out := make([]Field, len(catalogue))
	for i, c := range catalogue {
		out[i] = c.Field
	}
	return out
}

// TypeOf returns the type of a canonical field and whether it is known.
func TypeOf(f Field) (Type, bool) {
	for _, c := range catalogue {
		if c.Field == f {
			return c.Type, true
		}
	}
	return "", false
}
