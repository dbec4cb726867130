package ingest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// benchRows is the size of the benchmark survey: a large street's registry
// in one workbook.
const benchRows = 100_000

// benchDir caches the generated files across runs; generating the workbook
// takes longer than reading it.
func benchDir(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "liudong-ingest-bench-v1")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	return dir
}

var benchHeader = []string{
	"序号", "姓名", "性别", "民族", "公民身份证号", "出生日期", "学历", "人员类别", "流出地党组织",
	"入党时间", "联系电话", "现居住地址", "工作单位", "所在社区", "外出时间", "外出原因", "是否持有《流动党员活动证》", "备注",
}

// benchRecord returns the cells of survey row i, realistic in length and kind.
func benchRecord(i int) []any {
	surnames := []string{"张", "李", "王", "刘", "陈", "杨", "黄", "赵", "吴", "周"}
	given := []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"}
	communities := []string{"同心社区", "宝龙社区", "龙新社区", "南约社区", "新生社区", "浪背社区", "奥斯社区", "吓坑社区"}
	birth := time.Date(1960+i%45, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
	return []any{
		i,
		surnames[i%len(surnames)] + given[(i/10)%len(given)],
		[]string{"男", "女"}[i%2],
		"汉族",
		fmt.Sprintf("430524%s%03d%d", birth.Format("20060102"), i%1000, i%10),
		birth,
		[]string{"大学本科", "大专", "高中", "初中", "研究生"}[i%5],
		[]string{"正式党员", "预备党员"}[i%7/6],
		fmt.Sprintf("中共湖南省邵阳市隆回县第%d村党支部", i%300),
		birth.AddDate(25, 3, 0),
		fmt.Sprintf("13%09d", i*7919%1_000_000_000),
		fmt.Sprintf("深圳市龙岗区宝龙街道%s%d栋%d号", communities[i%len(communities)], i%90+1, i%30+101),
		fmt.Sprintf("深圳市宝龙%d电子有限公司", i%500),
		communities[i%len(communities)],
		time.Date(2015+i%9, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC),
		"务工",
		[]string{"是", "否"}[i%3/2],
		"",
	}
}

// benchXLSX returns the path of a 100,000-row survey workbook written with
// excelize's StreamWriter: a merged title row, the header on row 2, ID numbers
// and phones as text, dates as date cells.
func benchXLSX(b *testing.B) string {
	b.Helper()
	path := filepath.Join(benchDir(b), "survey-100k.xlsx")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		b.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"宝龙街道流动党员摸排登记表"}); err != nil {
		b.Fatal(err)
	}
	if err := sw.MergeCell("A1", "R1"); err != nil {
		b.Fatal(err)
	}
	header := make([]any, len(benchHeader))
	for i, h := range benchHeader {
		header[i] = h
	}
	if err := sw.SetRow("A2", header); err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= benchRows; i++ {
		rec := benchRecord(i)
		for j, v := range rec {
			if t, ok := v.(time.Time); ok {
				rec[j] = excelize.Cell{StyleID: dateStyle, Value: t}
			}
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), rec); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	tmp := strings.TrimSuffix(path, ".xlsx") + ".tmp.xlsx" // SaveAs goes by the extension
	if err := f.SaveAs(tmp); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchCSV returns the path of the same survey as a GBK CSV, as Excel saves "CSV (逗号分隔)".
func benchCSV(b *testing.B) string {
	b.Helper()
	path := filepath.Join(benchDir(b), "survey-100k-gbk.csv")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(simplifiedchinese.GBK.NewEncoder().Writer(out))
	fmt.Fprintf(w, "宝龙街道流动党员摸排登记表%s\r\n%s\r\n", strings.Repeat(",", len(benchHeader)-1), strings.Join(benchHeader, ","))
	for i := 1; i <= benchRows; i++ {
		rec := benchRecord(i)
		cells := make([]string, len(rec))
		for j, v := range rec {
			if t, ok := v.(time.Time); ok {
				cells[j] = t.Format("2006/1/2")
			} else {
				cells[j] = fmt.Sprint(v)
			}
		}
		w.WriteString(strings.Join(cells, ",") + "\r\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchReadFile(b *testing.B, path string) {
	opts := testOptions()
	rows := 0
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		n := 0
		_, err := ReadFile(path, opts, func(_ *SheetInfo, r Row) error {
			if r.Kind == RowData {
				n++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("%d data rows, want %d", n, benchRows)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkReadFileXLSX reads the 100,000-row workbook with ReadFile.
func BenchmarkReadFileXLSX(b *testing.B) { benchReadFile(b, benchXLSX(b)) }

// BenchmarkReadFileCSV reads the 100,000-row GBK CSV with ReadFile.
func BenchmarkReadFileCSV(b *testing.B) { benchReadFile(b, benchCSV(b)) }

// BenchmarkExcelizeRowsDefault is the naive baseline: excelize's iterator
// with formatted cell values, no header detection, no classification.
func BenchmarkExcelizeRowsDefault(b *testing.B) { benchExcelizeRows(b, excelize.Options{}) }

// BenchmarkExcelizeRowsRaw is excelize's iterator with raw values, what
// ReadFile does underneath: the difference to BenchmarkReadFileXLSX is our cost.
func BenchmarkExcelizeRowsRaw(b *testing.B) {
	benchExcelizeRows(b, excelize.Options{RawCellValue: true})
}

func benchExcelizeRows(b *testing.B, opts excelize.Options) {
	path := benchXLSX(b)
	rows := 0
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		it, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for it.Next() {
			if _, err := it.Columns(opts); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := it.Close(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		rows += n - 2 // title and header
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}
