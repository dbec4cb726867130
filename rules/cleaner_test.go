package rules

import (
	"testing"
	"time"
)

func TestClean(t *testing.T) {
	c := newTestCleaner(t)
	tests := []struct {
		name  string
		field Field
		raw   string
		clean string
		key   string
		codes []string
	}{
		// Text.
		{name: "text trimmed", field: FieldAddress, raw: "  深圳市龙岗区宝龙街道同心南路 12 号 ", clean: "深圳市龙岗区宝龙街道同心南路 12 号"},
		{name: "text full-width", field: FieldAddress, raw: "同心南路１２号", clean: "同心南路12号"},
		{name: "text traditional", field: FieldAddress, raw: "廣東省深圳市龍崗區", clean: "广东省深圳市龙岗区", codes: []string{CodeTraditionalConverted}},
		{name: "text ascii", field: FieldJob, raw: "IT engineer", clean: "IT engineer"},
		{name: "text empty", field: FieldRemark, raw: "   ", clean: ""},
		{name: "serial", field: FieldSerial, raw: " １ ", clean: "1"},
		// Names.
		{name: "name plain", field: FieldName, raw: "张伟", clean: "张伟"},
		{name: "name inner space", field: FieldName, raw: "张 伟", clean: "张伟", codes: []string{CodeNameSpacesRemoved}},
		{name: "name ideographic space", field: FieldName, raw: "李\u3000娜", clean: "李娜", codes: []string{CodeNameSpacesRemoved}},
		{name: "name traditional 張偉", field: FieldName, raw: "張偉", clean: "张伟", codes: []string{CodeTraditionalConverted}},
		{name: "name traditional 陳", field: FieldName, raw: "陳小紅", clean: "陈小红", codes: []string{CodeTraditionalConverted}},
		{name: "name spaces and traditional", field: FieldName, raw: "陳 國強", clean: "陈国强",
			codes: []string{CodeNameSpacesRemoved, CodeTraditionalConverted}},
		{name: "name homophone untouched", field: FieldName, raw: "张玮", clean: "张玮"},
		{name: "name homophone 炜 untouched", field: FieldName, raw: "张炜", clean: "张炜"},
		{name: "name surname 於 kept", field: FieldName, raw: "於丹", clean: "於丹"},
		{name: "name surname 甯 kept", field: FieldName, raw: "甯浩", clean: "甯浩"},
		{name: "name 沈 kept in a phrase", field: FieldName, raw: "沈積", clean: "沈积", codes: []string{CodeTraditionalConverted}},
		{name: "name surname 沈 untouched", field: FieldName, raw: "沈从文", clean: "沈从文"},
		{name: "name middle dot bullet", field: FieldName, raw: "阿卜杜•热合曼", clean: "阿卜杜·热合曼"},
		{name: "name middle dot katakana", field: FieldName, raw: "阿卜杜・热合曼", clean: "阿卜杜·热合曼"},
		{name: "name middle dot half-width", field: FieldName, raw: "阿卜杜･热合曼", clean: "阿卜杜·热合曼"},
		{name: "name middle dot hyphenation point", field: FieldName, raw: "阿卜杜‧热合曼", clean: "阿卜杜·热合曼"},
		{name: "name with digit", field: FieldName, raw: "张伟2", clean: "张伟2", codes: []string{CodeNameSuspicious}},
		{name: "name with a note in full-width brackets", field: FieldName, raw: "张伟（女）", clean: "张伟", codes: []string{CodeNameNote}},
		{name: "name with a note in ASCII brackets", field: FieldName, raw: "李娜(已转出)", clean: "李娜", codes: []string{CodeNameNote}},
		{name: "name with a former name in 【】", field: FieldName, raw: "王 芳【曾用名王方】", clean: "王芳", codes: []string{CodeNameNote, CodeNameSpacesRemoved}},
		{name: "brackets only", field: FieldName, raw: "（空）", clean: "(空)", codes: []string{CodeNameSuspicious}},
		{name: "name with latin", field: FieldName, raw: "张A伟", clean: "张A伟", codes: []string{CodeNameSuspicious}},
		{name: "name with remark", field: FieldName, raw: "张伟（退休）", clean: "张伟", codes: []string{CodeNameNote}},
		{name: "latin-only name not suspicious", field: FieldName, raw: "John", clean: "John"},
		{name: "signed_by is a name", field: FieldSignedBy, raw: "王 芳", clean: "王芳", codes: []string{CodeNameSpacesRemoved}},
		// ID numbers through Clean.
		{name: "id valid", field: FieldIDNumber, raw: "440307199001010029", clean: "440307199001010029"},
		{name: "id bad check keeps value", field: FieldIDNumber, raw: "430524198503121234", clean: "430524198503121234",
			codes: []string{CodeIDCheckDigit}},
		{name: "id damaged", field: FieldIDNumber, raw: "4.30524E+17", clean: "", codes: []string{CodeIDExcelDamaged}},
		{name: "id 15", field: FieldIDNumber, raw: "430524850312123", clean: "43052419850312123X", codes: []string{CodeIDConverted15}},
		{name: "id format", field: FieldIDNumber, raw: "12345", clean: "", codes: []string{CodeIDFormat}},
		{name: "id region", field: FieldIDNumber, raw: "930524198503121234", clean: "930524198503121234",
			codes: []string{CodeIDRegion, CodeIDCheckDigit}},
		{name: "id birth date", field: FieldIDNumber, raw: "430524198502301234", clean: "430524198502301234",
			codes: []string{CodeIDBirthDate, CodeIDCheckDigit}},
		// Phones through Clean.
		{name: "phone mobile", field: FieldPhone, raw: "138-1234-5678", clean: "13812345678"},
		{name: "phone landline field", field: FieldLandline, raw: "0755 28123456", clean: "0755-28123456"},
		{name: "phone counsellor", field: FieldCounsellorPhone, raw: "+86 13812345678", clean: "13812345678"},
		{name: "phone bad", field: FieldPhone, raw: "138123", clean: "", codes: []string{CodePhoneFormat}},
		// Dates through Clean.
		{name: "date day", field: FieldBirthDate, raw: "1985/3/12", clean: "1985-03-12"},
		{name: "date month", field: FieldJoinDate, raw: "2010.07", clean: "2010-07"},
		{name: "date year", field: FieldOutflowDate, raw: "2019年", clean: "2019"},
		{name: "date serial", field: FieldActivityDate, raw: "45658", clean: "2025-01-01"},
		{name: "date future", field: FieldJoinDate, raw: "2030-01-01", clean: "2030-01-01", codes: []string{CodeDateFuture}},
		{name: "date future month", field: FieldVisitDate, raw: "2025.07", clean: "2025-07", codes: []string{CodeDateFuture}},
		{name: "date this month not future", field: FieldVisitDate, raw: "2025.06", clean: "2025-06"},
		{name: "date today not future", field: FieldVisitDate, raw: "2025-06-01", clean: "2025-06-01"},
		{name: "date invalid", field: FieldBirthDate, raw: "1985-02-30", clean: "", codes: []string{CodeDateInvalid}},
		// Gender.
		{name: "gender 男", field: FieldGender, raw: "男", clean: "男"},
		{name: "gender 男性", field: FieldGender, raw: "男性", clean: "男"},
		{name: "gender M", field: FieldGender, raw: "M", clean: "男"},
		{name: "gender male", field: FieldGender, raw: "Male", clean: "男"},
		{name: "gender 女", field: FieldGender, raw: " 女 ", clean: "女"},
		{name: "gender 女性", field: FieldGender, raw: "女性", clean: "女"},
		{name: "gender F", field: FieldGender, raw: "f", clean: "女"},
		{name: "gender female", field: FieldGender, raw: "FEMALE", clean: "女"},
		{name: "gender unknown", field: FieldGender, raw: "未知", clean: "", codes: []string{CodeGenderUnknown}},
		// Ethnicity.
		{name: "ethnicity 汉族", field: FieldEthnicity, raw: "汉族", clean: "汉族"},
		{name: "ethnicity 汉", field: FieldEthnicity, raw: "汉", clean: "汉族"},
		{name: "ethnicity 壮", field: FieldEthnicity, raw: "壮", clean: "壮族"},
		{name: "ethnicity 维吾尔", field: FieldEthnicity, raw: "维吾尔", clean: "维吾尔族"},
		{name: "ethnicity 维族", field: FieldEthnicity, raw: "维族", clean: "维吾尔族"},
		{name: "ethnicity traditional", field: FieldEthnicity, raw: "漢族", clean: "汉族"},
		{name: "ethnicity spaced", field: FieldEthnicity, raw: "土家 族", clean: "土家族"},
		{name: "ethnicity unknown", field: FieldEthnicity, raw: "火星族", clean: "火星族", codes: []string{CodeEthnicityUnknown}},
		// Education.
		{name: "education 本科", field: FieldEducation, raw: "本科", clean: "大学本科"},
		{name: "education 大专", field: FieldEducation, raw: "大专", clean: "大学专科"},
		{name: "education 高职", field: FieldEducation, raw: "高职", clean: "大学专科"},
		{name: "education 硕士研究生", field: FieldEducation, raw: "硕士研究生", clean: "研究生"},
		{name: "education 技校", field: FieldEducation, raw: "技校", clean: "中专"},
		{name: "education 高中毕业", field: FieldEducation, raw: "高中毕业", clean: "高中"},
		{name: "education 大专学历", field: FieldEducation, raw: "大专学历", clean: "大学专科"},
		{name: "education bracket remark", field: FieldEducation, raw: "本科（函授）", clean: "大学本科"},
		{name: "education unknown keeps text", field: FieldEducation, raw: "扫盲班", clean: "扫盲班", codes: []string{CodeEducationUnknown}},
		// Member type.
		{name: "member 正式", field: FieldMemberType, raw: "正式", clean: "正式党员"},
		{name: "member 预备", field: FieldMemberType, raw: "预备党员", clean: "预备党员"},
		{name: "member sentence", field: FieldMemberType, raw: "正式党员（已转正）", clean: "正式党员"},
		{name: "member contains", field: FieldMemberType, raw: "系预备党员", clean: "预备党员"},
		{name: "member traditional", field: FieldMemberType, raw: "預備黨員", clean: "预备党员"},
		{name: "member unknown", field: FieldMemberType, raw: "群众", clean: "", codes: []string{CodeMemberTypeUnknown}},
		// Community.
		{name: "community short", field: FieldCommunity, raw: "同心", clean: "同心社区"},
		{name: "community name", field: FieldCommunity, raw: "同心社区", clean: "同心社区"},
		{name: "community with street", field: FieldCommunity, raw: "宝龙街道同心社区", clean: "同心社区"},
		{name: "community full address", field: FieldCommunity, raw: "深圳市龙岗区宝龙街道同心社区", clean: "同心社区"},
		{name: "community province first", field: FieldCommunity, raw: "广东省深圳市龙岗区宝龙街道龙新社区", clean: "龙新社区"},
		{name: "community 党委", field: FieldCommunity, raw: "同心社区党委", clean: "同心社区"},
		{name: "community 居委会", field: FieldCommunity, raw: "南约社区居委会", clean: "南约社区"},
		{name: "community 工作站", field: FieldCommunity, raw: "同乐社区工作站", clean: "同乐社区"},
		{name: "community 宝龙 not the street", field: FieldCommunity, raw: "宝龙社区", clean: "宝龙社区"},
		{name: "community traditional", field: FieldCommunity, raw: "龍東社區", clean: "龙东社区"},
		{name: "community spaced", field: FieldCommunity, raw: "宝龙街道 龙东", clean: "龙东社区"},
		{name: "community inside a longer name", field: FieldCommunity, raw: "同心社区流动党员临时党支部", clean: "同心社区"},
		{name: "community street alone", field: FieldCommunity, raw: "宝龙街道", clean: "", codes: []string{CodeCommunityUnknown}},
		{name: "community unknown", field: FieldCommunity, raw: "坪山社区", clean: "", codes: []string{CodeCommunityUnknown}},
		// Branch.
		{name: "branch key", field: FieldOriginBranch, raw: "中共湖南省邵阳市隆回县六都寨镇石门村支部委员会",
			clean: "中共湖南省邵阳市隆回县六都寨镇石门村支部委员会", key: "隆回县六都寨镇石门村支部"},
		{name: "branch traditional", field: FieldOriginBranch, raw: "湖南省邵陽市隆回縣六都寨鎮石門村黨支部",
			clean: "湖南省邵阳市隆回县六都寨镇石门村党支部", key: "隆回县六都寨镇石门村支部", codes: []string{CodeTraditionalConverted}},
		// Activity types.
		{name: "activity canonical", field: FieldActivityType, raw: "主题党日", clean: "主题党日"},
		{name: "activity 义工", field: FieldActivityType, raw: "义工", clean: "志愿服务"},
		{name: "activity 爱心存折", field: FieldActivityType, raw: "爱心存折", clean: "志愿服务"},
		{name: "activity 志愿活动", field: FieldActivityType, raw: "志愿活动", clean: "志愿服务"},
		{name: "activity 党员大会", field: FieldActivityType, raw: "党员大会", clean: "支部党员大会"},
		{name: "activity 其它", field: FieldActivityType, raw: "其它", clean: "其他"},
		{name: "activity unknown keeps text", field: FieldActivityType, raw: "篮球赛", clean: "篮球赛", codes: []string{CodeActivityTypeUnknown}},
		// Decisions.
		{name: "decision canonical", field: FieldDecision, raw: "同一人", clean: "同一人"},
		{name: "decision alias", field: FieldDecision, raw: "不是同一人", clean: "非同一人"},
		{name: "decision 已返乡", field: FieldDecision, raw: "已返乡", clean: "已离开"},
		{name: "decision unknown", field: FieldDecision, raw: "再看看", clean: "", codes: []string{CodeDecisionUnknown}},
		// Hours.
		{name: "hours integer", field: FieldHours, raw: "2", clean: "2"},
		{name: "hours decimal", field: FieldHours, raw: "2.5", clean: "2.5"},
		{name: "hours 小时", field: FieldHours, raw: "2小时", clean: "2"},
		{name: "hours h", field: FieldHours, raw: "2h", clean: "2"},
		{name: "hours spaced", field: FieldHours, raw: "1.5 小时", clean: "1.5"},
		{name: "hours 半天", field: FieldHours, raw: "半天", clean: "4", codes: []string{CodeHoursApproximate}},
		{name: "hours 半小时", field: FieldHours, raw: "半小时", clean: "0.5"},
		{name: "hours 两个半小时", field: FieldHours, raw: "两个半小时", clean: "2.5"},
		{name: "hours minutes", field: FieldHours, raw: "90分钟", clean: "1.5"},
		{name: "hours full-width", field: FieldHours, raw: "３．５", clean: "3.5"},
		{name: "hours negative", field: FieldHours, raw: "-2", clean: "-2", codes: []string{CodeHoursImplausible}},
		{name: "hours too many", field: FieldHours, raw: "30", clean: "30", codes: []string{CodeHoursImplausible}},
		{name: "hours not a number", field: FieldHours, raw: "若干", clean: "", codes: []string{CodeNumberFormat}},
		{name: "hours inf rejected", field: FieldHours, raw: "inf", clean: "", codes: []string{CodeNumberFormat}},
		{name: "hours exponent rejected", field: FieldHours, raw: "1e3", clean: "", codes: []string{CodeNumberFormat}},
		// Bool.
		{name: "bool 是", field: FieldActivityCard, raw: "是", clean: "是"},
		{name: "bool 有", field: FieldActivityCard, raw: "有", clean: "是"},
		{name: "bool Y", field: FieldActivityCard, raw: "Y", clean: "是"},
		{name: "bool yes", field: FieldActivityCard, raw: "Yes", clean: "是"},
		{name: "bool tick", field: FieldActivityCard, raw: "√", clean: "是"},
		{name: "bool 1", field: FieldActivityCard, raw: "1", clean: "是"},
		{name: "bool 否", field: FieldActivityCard, raw: "否", clean: "否"},
		{name: "bool 无", field: FieldActivityCard, raw: "无", clean: "否"},
		{name: "bool N", field: FieldActivityCard, raw: "n", clean: "否"},
		{name: "bool no", field: FieldActivityCard, raw: "NO", clean: "否"},
		{name: "bool cross", field: FieldActivityCard, raw: "×", clean: "否"},
		{name: "bool 0", field: FieldActivityCard, raw: "0", clean: "否"},
		{name: "bool unknown", field: FieldActivityCard, raw: "不清楚", clean: "", codes: []string{CodeBoolUnknown}},
		// Unknown field.
		{name: "unknown field", field: "no_such_field", raw: " 張偉 ", clean: "張偉"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Clean(tt.field, tt.raw, false)
			if v.Raw != tt.raw {
				t.Errorf("Raw = %q, want %q", v.Raw, tt.raw)
			}
			if v.Clean != tt.clean {
				t.Errorf("Clean(%s, %q) = %q, want %q", tt.field, tt.raw, v.Clean, tt.clean)
			}
			if v.Key != tt.key {
				t.Errorf("Key = %q, want %q", v.Key, tt.key)
			}
			checkCodes(t, v.Findings, tt.codes...)
			for _, f := range v.Findings {
				if f.Field != tt.field {
					t.Errorf("finding %s has field %q, want %q", f.Code, f.Field, tt.field)
				}
			}
		})
	}
}

func TestCleanDetails(t *testing.T) {
	c := newTestCleaner(t)
	t.Run("id sets ID", func(t *testing.T) {
		v := c.Clean(FieldIDNumber, "43052419850312123x", false)
		if v.ID == nil || v.ID.Status != IDValid || v.Clean != v.ID.Value {
			t.Fatalf("got %+v", v)
		}
	})
	t.Run("empty id is missing", func(t *testing.T) {
		v := c.Clean(FieldIDNumber, "", false)
		if v.ID == nil || v.ID.Status != IDMissing || len(v.Findings) != 0 {
			t.Fatalf("got %+v", v)
		}
	})
	t.Run("id birth uses today", func(t *testing.T) {
		// Born 2025-06-02, after the reference date 2025-06-01.
		v := c.Clean(FieldIDNumber, "440307202506020000", false)
		if v.ID.Status == IDValid {
			t.Fatalf("birth after today accepted: %+v", v.ID)
		}
	})
	t.Run("phone others", func(t *testing.T) {
		v := c.Clean(FieldPhone, "13812345678、13987654321", false)
		if v.Clean != "13812345678" || len(v.Others) != 1 || v.Others[0] != "13987654321" {
			t.Fatalf("got %+v", v)
		}
	})
	t.Run("date fields", func(t *testing.T) {
		v := c.Clean(FieldBirthDate, "1985年3月", false)
		if !v.Date.Equal(day(1985, 3, 1)) || v.Precision != PrecisionMonth {
			t.Fatalf("got %+v", v)
		}
	})
	t.Run("date 1904", func(t *testing.T) {
		v := c.Clean(FieldBirthDate, "29656", true)
		if v.Clean != "1985-03-12" {
			t.Fatalf("got %+v", v)
		}
	})
	t.Run("hours number", func(t *testing.T) {
		v := c.Clean(FieldHours, "2.5小时", false)
		if v.Number != 2.5 {
			t.Fatalf("got %+v", v)
		}
	})
	t.Run("every catalogue field with empty input", func(t *testing.T) {
		for _, f := range Fields() {
			v := c.Clean(f, "", false)
			if v.Clean != "" || len(v.Findings) != 0 {
				t.Errorf("%s: got %+v", f, v)
			}
		}
	})
	t.Run("today is a calendar day", func(t *testing.T) {
		c2, err := NewCleaner(DefaultConfig(), time.Date(2025, 6, 1, 23, 59, 0, 0, time.FixedZone("CST", 8*3600)))
		if err != nil {
			t.Fatal(err)
		}
		if !c2.Today().Equal(day(2025, 6, 1)) {
			t.Fatalf("Today() = %v", c2.Today())
		}
	})
}

// TestEveryCodeHasAnExample checks that each finding code the package
// defines is produced by some input, so none is dead and none undocumented.
func TestEveryCodeHasAnExample(t *testing.T) {
	c := newTestCleaner(t)
	seen := map[string]bool{}
	cells := []struct {
		f   Field
		raw string
	}{
		{FieldAddress, "龍崗區"}, {FieldName, "张 伟"}, {FieldName, "张伟2"}, {FieldName, "张伟（女）"},
		{FieldIDNumber, "12345"}, {FieldIDNumber, "930524198503121234"}, {FieldIDNumber, "430524198502301234"},
		{FieldIDNumber, "430524198503121234"}, {FieldIDNumber, "430524850312123"}, {FieldIDNumber, "4.30524E+17"}, {FieldIDNumber, "440307199001013000"},
		{FieldPhone, "abc"}, {FieldPhone, "1.38123E+10"}, {FieldPhone, "28123456"},
		{FieldPhone, "13812345678/13987654321"}, {FieldPhone, "13812345678 123"},
		{FieldBirthDate, "abc"}, {FieldBirthDate, "1985-02-30"}, {FieldBirthDate, "12/03/1985"}, {FieldBirthDate, "2030"},
		{FieldGender, "?"}, {FieldEthnicity, "?"}, {FieldEducation, "?"}, {FieldMemberType, "?"},
		{FieldCommunity, "?"}, {FieldActivityType, "?"}, {FieldDecision, "?"}, {FieldActivityCard, "?"},
		{FieldHours, "?"}, {FieldHours, "99"}, {FieldHours, "2-3小时"}, {FieldName, "张伟同志"}, {FieldName, "李娜、刘洋"},
		{FieldActivityDate, "2026年3月上旬"}, {FieldVisitDate, "3月5日"},
	}
	for _, cell := range cells {
		for _, f := range c.Clean(cell.f, cell.raw, false).Findings {
			seen[f.Code] = true
		}
	}
	for _, tt := range crossCheckTests() {
		for _, f := range c.CrossCheck(tt.vals(c)) {
			seen[f.Code] = true
		}
	}
	for code := range codeSeverities {
		if !seen[code] {
			t.Errorf("no example produces %s", code)
		}
	}
}

// TestCleanerConcurrent shares one Cleaner between goroutines, as ingest
// does; run with -race.
func TestCleanerConcurrent(t *testing.T) {
	c := newTestCleaner(t)
	want := map[Field]string{}
	for _, cell := range benchRecord {
		want[cell.f] = c.Clean(cell.f, cell.raw, false).Clean
	}
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 200 {
				for _, cell := range benchRecord {
					if got := c.Clean(cell.f, cell.raw, false).Clean; got != want[cell.f] {
						t.Errorf("%s: %q, want %q", cell.f, got, want[cell.f])
						return
					}
				}
				_ = c.Clean(FieldName, "張偉", false) // through OpenCC
			}
		}()
	}
	for range 4 {
		<-done
	}
}
