package rules

import "testing"

// benchRecord is one realistic survey row: 20 fields, with the usual mix of
// clean cells and the defects DOMAIN.md lists.
var benchRecord = []struct {
	f   Field
	raw string
}{
	{FieldSerial, "17"},
	{FieldName, "张 伟"},
	{FieldGender, "男"},
	{FieldEthnicity, "汉"},
	{FieldIDNumber, "43052419850312123x"},
	{FieldBirthDate, "1985.03"},
	{FieldEducation, "大专"},
	{FieldMemberType, "正式党员"},
	{FieldOriginBranch, "中共湖南省邵阳市隆回县六都寨镇石门村支部委员会"},
	{FieldJoinDate, "2008年7月1日"},
	{FieldRegularDate, "39995"},
	{FieldPhone, "138 1234 5678"},
	{FieldAddress, "深圳市龙岗区宝龙街道同心社区同心南路１２号３栋５０１"},
	{FieldHomeAddress, "湖南省邵阳市隆回县六都寨镇石门村"},
	{FieldEmployer, "深圳市某某电子科技有限公司"},
	{FieldJob, "技术员"},
	{FieldCommunity, "宝龙街道同心社区"},
	{FieldOutflowDate, "2015-03"},
	{FieldActivityCard, "是"},
	{FieldRemark, "已联系本人，在深务工"},
}

func BenchmarkCleanRecord(b *testing.B) {
	c := newTestCleaner(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, cell := range benchRecord {
			_ = c.Clean(cell.f, cell.raw, false)
		}
	}
}

// BenchmarkCleanRecordParallel shows the Cleaner shared by goroutines, as
// ingest uses it.
func BenchmarkCleanRecordParallel(b *testing.B) {
	c := newTestCleaner(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			for _, cell := range benchRecord {
				_ = c.Clean(cell.f, cell.raw, false)
			}
		}
	})
}

func BenchmarkCrossCheck(b *testing.B) {
	c := newTestCleaner(b)
	vals := map[Field]Value{}
	for _, cell := range benchRecord {
		vals[cell.f] = c.Clean(cell.f, cell.raw, false)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.CrossCheck(vals)
	}
}

func BenchmarkNewCleaner(b *testing.B) {
	for b.Loop() {
		if _, err := NewCleaner(DefaultConfig(), testToday); err != nil {
			b.Fatal(err)
		}
	}
}
