package rules_test

import (
	"fmt"
	"time"

	"github.com/baolong/liudong/rules"
)

func ExampleCleaner_Clean() {
	c, err := rules.NewCleaner(rules.DefaultConfig(), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	for _, cell := range []struct {
		f   rules.Field
		raw string
	}{
		{rules.FieldName, "張 偉"},
		{rules.FieldIDNumber, "4.30524E+17"},
		{rules.FieldBirthDate, "1985年3月"},
		{rules.FieldCommunity, "深圳市龙岗区宝龙街道同心社区"},
	} {
		v := c.Clean(cell.f, cell.raw, false)
		fmt.Printf("%s %q → %q", cell.f, cell.raw, v.Clean)
		for _, f := range v.Findings {
			fmt.Printf(" [%s %s]", f.Severity, f.Code)
		}
		fmt.Println()
	}
	// Output:
	// name "張 偉" → "张伟" [info name_spaces_removed] [info traditional_converted]
	// id_number "4.30524E+17" → "" [error id_excel_damaged]
	// birth_date "1985年3月" → "1985-03"
	// community "深圳市龙岗区宝龙街道同心社区" → "同心社区"
}

func ExampleParseIDNumber() {
	id, findings := rules.ParseIDNumber("430524850312123")
	fmt.Println(id.Status, id.Value, id.Birth.Format("2006-01-02"), id.Gender)
	fmt.Println(findings[0].Code, findings[0].Message)
	// Output:
	// converted_15 43052419850312123X 1985-03-12 男
	// id_converted_15 15 位旧身份证号已转换为 18 位：430524********123X
}

func ExampleParsePhone() {
	value, kind, others, findings := rules.ParsePhone("0755-2812 3456 转 8 / 138 1234 5678")
	fmt.Println(value, kind, others, findings[0].Code)
	// Output:
	// 0755-28123456-8 landline [13812345678] phone_multiple
}

func ExampleBranchKey() {
	fmt.Println(rules.BranchKey("中共湖南省邵阳市隆回县六都寨镇石门村支部委员会"))
	fmt.Println(rules.BranchKey("湖南省邵阳市隆回县六都寨镇石门村党支部"))
	// Output:
	// 隆回县六都寨镇石门村支部
	// 隆回县六都寨镇石门村支部
}

func ExampleMaskID() {
	fmt.Println(rules.MaskID("43052419850312123X"), rules.MaskPhone("13812345678"))
	// Output: 430524********123X 138****5678
}
