package ingest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/baolong/liudong/rules"
)

// testAliases is a small survey vocabulary, spelt the ways offices spell it.
func testAliases() map[rules.Field][]string {
	return map[rules.Field][]string{
		rules.FieldSerial:       {"序号", "编号"},
		rules.FieldName:         {"姓名", "党员姓名"},
		rules.FieldGender:       {"性别"},
		rules.FieldEthnicity:    {"民族"},
		rules.FieldIDNumber:     {"公民身份证号", "身份证号", "身份证号码", "公民身份号码"},
		rules.FieldBirthDate:    {"出生日期", "出生年月"},
		rules.FieldEducation:    {"学历", "文化程度"},
		rules.FieldMemberType:   {"人员类别", "党员类别"},
		rules.FieldOriginBranch: {"流出地党组织", "组织关系所在党组织", "原党组织"},
		rules.FieldJoinDate:     {"入党时间", "入党日期", "加入党组织日期"},
		rules.FieldPhone:        {"联系电话", "手机号码", "手机"},
		rules.FieldLandline:     {"固定电话", "座机", "固话"},
		rules.FieldAddress:      {"现居住地址", "现住址", "居住地址"},
		rules.FieldEmployer:     {"工作单位"},
		rules.FieldCommunity:    {"所在社区", "社区"},
		rules.FieldOutflowDate:  {"外出时间", "流出时间"},
		rules.FieldActivityCard: {"是否持有《流动党员活动证》"},
		rules.FieldRemark:       {"备注"},
	}
}

func testOptions() ReadOptions { return ReadOptions{Aliases: testAliases()} }

func TestNormalizeTitle(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "姓名", "姓名"},
		{"full-width letters and digits", "ＩＤ号１", "id号1"},
		{"inner spaces", "姓  名", "姓名"},
		{"ideographic space", "姓\u3000名", "姓名"},
		{"newline in cell", "公民身份\n证号", "公民身份证号"},
		{"full-width bracket note", "身份证号（18位）", "身份证号"},
		{"half-width bracket note", "身份证号(必填)", "身份证号"},
		{"lenticular note", "联系电话【手机】", "联系电话"},
		{"nested note", "地址（省（市））", "地址"},
		{"unclosed note", "入党时间(年.月", "入党时间"},
		{"leading note", "（必填）姓名", "姓名"},
		{"only a note", "（备注）", "备注"},
		{"trailing full-width colon", "姓名：", "姓名"},
		{"trailing colon", "姓名:", "姓名"},
		{"required star", "*姓名", "姓名"},
		{"full-width star", "姓名＊", "姓名"},
		{"book title marks kept", "是否持有《流动党员活动证》", "是否持有《流动党员活动证》"},
		{"upper-case ascii", "NO.", "no."},
		{"empty", "", ""},
		{"zero-width space", "\u200b姓名", "姓名"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeTitle(tt.in); got != tt.want {
				t.Errorf("NormalizeTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// fieldsOf lists the fields of cols, "" for unmapped ones.
func fieldsOf(cols []Column) []rules.Field {
	out := make([]rules.Field, len(cols))
	for i, c := range cols {
		out[i] = c.Field
	}
	return out
}

func titlesOf(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

func TestDetectHeader(t *testing.T) {
	tests := []struct {
		name       string
		rows       [][]string
		opts       ReadOptions
		wantRows   []int
		wantFields []rules.Field
		wantTitles []string // nil: not checked
		wantNo     bool
	}{
		{
			name:       "header on row 1",
			rows:       [][]string{{"姓名", "身份证号", "联系电话"}, {"张三", "430524198503121234", "13800138000"}},
			wantRows:   []int{1},
			wantFields: []rules.Field{"name", "id_number", "phone"},
		},
		{
			name: "merged title row above header",
			rows: [][]string{
				{"宝龙街道同心社区流动党员摸排登记表"},
				{"序号", "姓名", "性别", "身份证号码", "手机号码"},
				{"1", "张三", "男", "430524198503121234", "13800138000"},
			},
			wantRows:   []int{2},
			wantFields: []rules.Field{"serial", "name", "gender", "id_number", "phone"},
		},
		{
			name: "header on row 3 below title and unit line",
			rows: [][]string{
				{"宝龙街道流动党员摸排表"},
				{"填报单位：同心社区", "", "", "填报日期：2024年3月"},
				{"序号", "党员姓名", "公民身份号码", "联系电话", "现居住地址"},
				{"1", "李四", "430524198503121234", "13800138000", "同心路1号"},
			},
			wantRows:   []int{3},
			wantFields: []rules.Field{"serial", "name", "id_number", "phone", "address"},
		},
		{
			name: "two-row header with merged group",
			rows: [][]string{
				{"序号", "姓名", "身份证号", "联系方式", "", "现住址"},
				{"", "", "", "手机", "固话", ""},
				{"1", "王五", "430524198503121234", "13800138000", "0755-1234567", "宝龙"},
			},
			wantRows:   []int{1, 2},
			wantFields: []rules.Field{"serial", "name", "id_number", "phone", "landline", "address"},
			wantTitles: []string{"序号", "姓名", "身份证号", "联系方式/手机", "联系方式/固话", "现住址"},
		},
		{
			name: "two-row header matched by group and sub together",
			rows: [][]string{
				{"姓名", "出生", "入党", "备注"},
				{"", "日期", "时间", ""},
			},
			wantRows:   []int{1, 2},
			wantFields: []rules.Field{"name", "birth_date", "join_date", "remark"},
			wantTitles: []string{"姓名", "出生/日期", "入党/时间", "备注"},
		},
		{
			name: "single row wins a tie with the two-row reading of header and data",
			rows: [][]string{
				{"姓名", "身份证号", "联系电话"},
				{"手机", "", ""},
			},
			wantRows:   []int{1},
			wantFields: []rules.Field{"name", "id_number", "phone"},
		},
		{
			name: "duplicate field keeps the first",
			rows: [][]string{
				{"姓名", "手机", "联系电话", "备注"},
			},
			wantRows:   []int{1},
			wantFields: []rules.Field{"name", "phone", "", "remark"},
			wantTitles: []string{"姓名", "手机", "联系电话", "备注"},
		},
		{
			name: "columns sized to the widest row",
			rows: [][]string{
				{"姓名", "身份证号"},
				{"张三", "1", "", "多出来的备注"},
			},
			wantRows:   []int{1},
			wantFields: []rules.Field{"name", "id_number", "", ""},
			wantTitles: []string{"姓名", "身份证号", "", ""},
		},
		{
			name: "titles with notes and wrapped lines",
			rows: [][]string{
				{"*姓名", "公民身份证号\n（18位）", "联系电话："},
			},
			wantRows:   []int{1},
			wantFields: []rules.Field{"name", "id_number", "phone"},
			wantTitles: []string{"*姓名", "公民身份证号(18位)", "联系电话:"}, // NFKC: （ → (
		},
		{
			name: "summary sheet of counts",
			rows: [][]string{
				{"宝龙街道流动党员汇总"},
				{"序号", "社区名称", "人数"},
				{"1", "同心社区", "35"},
			},
			wantNo: true,
		},
		{
			name:   "serial does not count towards the minimum",
			rows:   [][]string{{"序号", "姓名", "数量"}},
			wantNo: true,
		},
		{
			name:   "header below the scan window",
			rows:   [][]string{{"说明"}, {""}, {"姓名", "身份证号"}},
			opts:   ReadOptions{HeaderScanRows: 2},
			wantNo: true,
		},
		{
			name:       "min header fields 3",
			rows:       [][]string{{"姓名", "身份证号"}, {"姓名", "身份证号", "手机"}},
			opts:       ReadOptions{MinHeaderFields: 3},
			wantRows:   []int{2},
			wantFields: []rules.Field{"name", "id_number", "phone"},
		},
		{
			name:   "no rows",
			rows:   nil,
			wantNo: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Aliases = testAliases()
			gotRows, cols, ok := DetectHeader(tt.rows, opts)
			if tt.wantNo {
				if ok || gotRows != nil || cols != nil {
					t.Fatalf("DetectHeader = %v, %v, %v; want no header", gotRows, titlesOf(cols), ok)
				}
				return
			}
			if !ok {
				t.Fatalf("DetectHeader found no header")
			}
			if !reflect.DeepEqual(gotRows, tt.wantRows) {
				t.Errorf("header rows = %v, want %v", gotRows, tt.wantRows)
			}
			if got := fieldsOf(cols); !reflect.DeepEqual(got, tt.wantFields) {
				t.Errorf("fields = %q, want %q", got, tt.wantFields)
			}
			if tt.wantTitles != nil && !reflect.DeepEqual(titlesOf(cols), tt.wantTitles) {
				t.Errorf("titles = %q, want %q", titlesOf(cols), tt.wantTitles)
			}
			checkColumns(t, cols)
		})
	}
}

// checkColumns asserts what every result of DetectHeader must hold.
func checkColumns(t *testing.T, cols []Column) {
	t.Helper()
	seen := map[rules.Field]bool{}
	for i, c := range cols {
		if c.Index != i {
			t.Errorf("column %d has Index %d", i, c.Index)
		}
		if c.Letter != columnLetter(i) || c.Letter == "" {
			t.Errorf("column %d has Letter %q", i, c.Letter)
		}
		if c.Field != "" {
			if seen[c.Field] {
				t.Errorf("field %s on two columns", c.Field)
			}
			seen[c.Field] = true
		}
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ", 16383: "XFD", 16384: "C16385"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func FuzzDetectHeader(f *testing.F) {
	f.Add("宝龙街道流动党员摸排表\n序号\t姓名\t身份证号\t联系方式\t\n\t\t\t手机\t固话\n1\t张三\t430524198503121234\t138")
	f.Add("姓名\t手机\t联系电话\n张三")
	f.Add("\n\n\n")
	f.Add("（必填）\t*\t【】\t:")
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		for _, line := range strings.Split(s, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		opts := ReadOptions{Aliases: testAliases(), HeaderScanRows: len(s) % 12}
		hr, cols, ok := DetectHeader(rows, opts)
		if !ok {
			if hr != nil || cols != nil {
				t.Fatalf("no header but rows %v, %d columns", hr, len(cols))
			}
			return
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		if len(cols) != width {
			t.Fatalf("%d columns, widest row %d", len(cols), width)
		}
		if len(hr) < 1 || len(hr) > 2 || hr[0] < 1 || hr[len(hr)-1] > len(rows) || (len(hr) == 2 && hr[1] != hr[0]+1) {
			t.Fatalf("header rows %v of %d rows", hr, len(rows))
		}
		checkColumns(t, cols)
		matched := 0
		for _, c := range cols {
			if c.Field != "" && c.Field != rules.FieldSerial {
				matched++
			}
		}
		if _, min := opts.headerLimits(); matched < min {
			t.Fatalf("header with %d fields, minimum %d", matched, min)
		}
	})
}

func TestAliasIndexLookup(t *testing.T) {
	idx := newAliasIndex(DefaultConfig().AliasesFor(KindSurvey))
	tests := []struct {
		title string
		want  rules.Field
	}{
		{"姓名", rules.FieldName},
		{"本人身份证号码", rules.FieldIDNumber},
		{"流动党员手机号码", rules.FieldPhone},
		{"现居住地址（详细到门牌）", rules.FieldAddress},
		{"党员人数", ""},                    // a 汇总 sheet's column: not a member's name
		{"填报单位：同心社区", ""},               // a line above the header
		{"填报时间：2026年10月20日", ""},        // likewise
		{"紧急联系人电话", rules.FieldContact}, // the longer alias wins
		{"备注说明", rules.FieldRemark},
		{"微信号", ""},
	}
	for _, tt := range tests {
		if got := idx.lookup(NormalizeTitle(tt.title)); got != tt.want {
			t.Errorf("lookup(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
