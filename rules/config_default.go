package rules

// DefaultConfig returns the built-in rules configuration for 宝龙街道: its six
// communities, the education levels of the national Party member
// information system, 正式 / 预备, the activity types of the contact card,
// the analysts' decision words, and plausible ages 16..110. config.yaml
// overrides it field by field.
func DefaultConfig() Config {
	return Config{
		Communities: []Canonical{
			community("同心"),
			community("宝龙"),
			community("龙东"),
			community("南约"),
			community("同乐"),
			community("龙新"),
		},
		StreetPrefixes: []string{"广东省", "深圳市", "龙岗区", "宝龙街道"},
		Education: []Canonical{
			{Name: "研究生", Aliases: []string{"博士", "硕士", "研究生", "博士研究生", "硕士研究生", "博士生", "硕士生", "研究生学历"}},
			{Name: "大学本科", Aliases: []string{"本科", "大学", "大学本科", "本科学历", "大本"}},
			{Name: "大学专科", Aliases: []string{"大专", "专科", "大学专科", "高职", "大专学历"}},
			{Name: "中专", Aliases: []string{"中专", "中等专科", "中技", "技校", "职高", "中等专业学校", "中师"}},
			{Name: "高中", Aliases: []string{"高中", "普通高中"}},
			{Name: "初中", Aliases: []string{"初中"}},
			{Name: "小学", Aliases: []string{"小学"}},
		},
		MemberTypes: []Canonical{
			{Name: "正式党员", Aliases: []string{"正式", "正式党员", "已转正"}},
			{Name: "预备党员", Aliases: []string{"预备", "预备党员"}},
		},
		ActivityTypes: []Canonical{
			{Name: "支部党员大会", Aliases: []string{"党员大会", "支部大会", "支部党员大会", "支部党员会议", "全体党员大会", "全体党员会议", "党员大会会议"}},
			{Name: "支委会", Aliases: []string{"支部委员会", "支委会议", "支部委员会会议", "支委会会议", "支部委员会议", "支委扩大会", "支部委员会扩大会议"}},
			{Name: "党小组会", Aliases: []string{"党小组会议", "小组会", "党小组学习", "党小组活动", "党小组学习会"}},
			{Name: "党课", Aliases: []string{"上党课", "讲党课", "听党课", "党课学习", "专题党课", "微党课", "廉政党课", "书记讲党课", "党课教育", "党课辅导"}},
			{Name: "主题党日", Aliases: []string{"主题党日活动", "党日活动", "固定党日", "党员活动日", "主题党日+", "支部主题党日", "党日"}},
			{Name: "理论学习", Aliases: []string{"学习", "集中学习", "政治学习", "学习强国", "参观学习", "专题学习", "学习会", "集体学习", "学习教育", "线上学习", "网上学习", "现场教学", "读书会"}},
			{Name: "志愿服务", Aliases: []string{"义工", "爱心存折", "志愿活动", "志愿者服务", "志愿者活动", "义工服务", "义务劳动", "志愿服务活动", "党员志愿服务", "志愿者", "公益活动", "公益服务", "义务服务", "爱心服务"}},
			{Name: "技能培训", Aliases: []string{"培训", "职业技能培训", "技术培训", "职业培训", "就业培训", "技能提升培训", "业务培训"}},
			{Name: "疫情防控", Aliases: []string{"防疫", "抗疫"}},
			{Name: "治安巡防", Aliases: []string{"巡防", "治安巡逻", "巡逻", "平安巡逻", "治安巡查"}},
			{Name: "组织生活会", Aliases: []string{"组织生活会议", "专题组织生活会", "民主评议党员", "民主评议"}},
			{Name: "其他", Aliases: []string{"其它"}},
		},
		Decisions: []Canonical{
			{Name: "同一人", Aliases: []string{"是同一人", "同一个人", "相同", "是"}},
			{Name: "非同一人", Aliases: []string{"不是同一人", "不同人", "非同一个人", "不是", "否"}},
			{Name: "已核实去向", Aliases: []string{"已核实", "已找到", "核实去向", "已联系"}},
			{Name: "已离开", Aliases: []string{"已离深", "已返乡", "离开", "已离开深圳"}},
			{Name: "忽略", Aliases: []string{"不处理", "跳过", "暂不处理"}},
		},
		MinAge:   16,
		MaxAge:   110,
		Match:    DefaultMatchConfig(),
		Contacts: DefaultContactConfig(),
	}
}

// community builds a community entry with the spellings the survey sheets
// use. The key match also strips StreetPrefixes and 社区 / 居委会 endings,
// so these aliases are documentation as much as necessity.
func community(short string) Canonical {
	name := short + "社区"
	return Canonical{Name: name, Aliases: []string{
		short, name, "宝龙街道" + name, name + "党委", name + "居委会", name + "工作站", name + "居民委员会",
	}}
}
