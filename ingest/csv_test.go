package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// writeFile writes data to name in a fresh temporary directory.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// encode encodes UTF-8 text with enc, failing the test on a character enc lacks.
func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

const surveyCSV = "序号,姓名,公民身份证号,联系电话\n1,张三,430524198503121234,13800138000\n2,李四,43052419850312125X,13900139000\n"

func TestReadFileCSV(t *testing.T) {
	tests := []struct {
		name      string
		data      func(t *testing.T) []byte
		encoding  string
		delimiter string
		header    []int
		lines     []rowLine
		cells     map[int][]string // row number → expected cells
	}{
		{
			name:      "utf-8",
			data:      func(*testing.T) []byte { return []byte(surveyCSV) },
			encoding:  "utf-8",
			delimiter: ",",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "1"}, {3, RowData, "2"}},
			cells:     map[int][]string{2: {"1", "张三", "430524198503121234", "13800138000"}},
		},
		{
			name:      "utf-8 with BOM and CRLF",
			data:      func(*testing.T) []byte { return []byte("\xef\xbb\xbf" + strings.ReplaceAll(surveyCSV, "\n", "\r\n")) },
			encoding:  "utf-8-bom",
			delimiter: ",",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "1"}, {3, RowData, "2"}},
			cells:     map[int][]string{3: {"2", "李四", "43052419850312125X", "13900139000"}},
		},
		{
			name: "gbk from Excel with a title line and a footer",
			data: func(t *testing.T) []byte {
				return encode(t, simplifiedchinese.GBK,
					"宝龙街道同心社区流动党员摸排登记表,,,\r\n"+surveyCSV+",,,\r\n填表人：王五,,审核人：赵六,\r\n")
			},
			encoding:  "gbk",
			delimiter: ",",
			header:    []int{2},
			lines:     []rowLine{{3, RowData, "1"}, {4, RowData, "2"}, {5, RowBlank, ""}, {6, RowFooter, "填表人：王五"}},
			cells:     map[int][]string{3: {"1", "张三", "430524198503121234", "13800138000"}},
		},
		{
			name: "gb18030 with characters GBK lacks",
			data: func(t *testing.T) []byte {
				return encode(t, simplifiedchinese.GB18030, "姓名,身份证号\n刘䶮,430524198503121234\n𠮷野,430524198503121242\n")
			},
			encoding:  "gb18030",
			delimiter: ",",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "刘䶮"}, {3, RowData, "𠮷野"}},
		},
		{
			name: "utf-16le tab-separated (Excel Unicode text)",
			data: func(t *testing.T) []byte {
				enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
				return encode(t, enc, "姓名\t身份证号\t现住址\r\n张三\t430524198503121234\t同心路1号, 2栋\r\n")
			},
			encoding:  "utf-16le",
			delimiter: "\t",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "张三"}},
			cells:     map[int][]string{2: {"张三", "430524198503121234", "同心路1号, 2栋"}},
		},
		{
			name: "utf-16be",
			data: func(t *testing.T) []byte {
				return encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "姓名\t身份证号\n张三\t1\n")
			},
			encoding:  "utf-16be",
			delimiter: "\t",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "张三"}},
		},
		{
			name: "semicolon-separated",
			data: func(*testing.T) []byte {
				return []byte("姓名;身份证号;联系电话\n张三;430524198503121234;138 0013 8000\n")
			},
			encoding:  "utf-8",
			delimiter: ";",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "张三"}},
		},
		{
			name: "quoted newline keeps the starting line",
			data: func(*testing.T) []byte {
				return []byte("姓名,身份证号,现住址\n张三,430524198503121234,\"同心路\n1号\"\n李四,430524198503121242,\"他说\"\"在深\"\"\"\n")
			},
			encoding:  "utf-8",
			delimiter: ",",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "张三"}, {4, RowData, "李四"}},
			cells:     map[int][]string{2: {"张三", "430524198503121234", "同心路\n1号"}, 4: {"李四", "430524198503121242", "他说\"在深\""}},
		},
		{
			name: "lazy quotes and ragged rows",
			data: func(*testing.T) []byte {
				return []byte("姓名,身份证号,备注\n张\"三,1\n李四,2,x\"y,多余\n")
			},
			encoding:  "utf-8",
			delimiter: ",",
			header:    []int{1},
			lines:     []rowLine{{2, RowData, "张\"三"}, {3, RowData, "李四"}},
			cells:     map[int][]string{2: {"张\"三", "1", "", ""}, 3: {"李四", "2", "x\"y", "多余"}},
		},
		{
			name:      "empty lines are skipped but numbered",
			data:      func(*testing.T) []byte { return []byte("\n\n姓名,身份证号\n\n张三,1\n") },
			encoding:  "utf-8",
			delimiter: ",",
			header:    []int{3},
			lines:     []rowLine{{5, RowData, "张三"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "survey.csv", tt.data(t))
			res, err := readAll(t, path, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			info := res.info
			if info.Format != FormatCSV || info.Encoding != tt.encoding || info.Delimiter != tt.delimiter {
				t.Errorf("format %q, encoding %q, delimiter %q; want csv, %q, %q", info.Format, info.Encoding, info.Delimiter, tt.encoding, tt.delimiter)
			}
			if len(info.Sheets) != 1 || info.Sheets[0].Name != "" {
				t.Fatalf("sheets = %+v", info.Sheets)
			}
			si := info.Sheets[0]
			if !reflect.DeepEqual(si.HeaderRows, tt.header) {
				t.Errorf("HeaderRows = %v, want %v", si.HeaderRows, tt.header)
			}
			rows := res.rows[""]
			if got := linesOf(rows); !reflect.DeepEqual(got, tt.lines) {
				t.Errorf("rows\n got %v\nwant %v", got, tt.lines)
			}
			for n, want := range tt.cells {
				for _, r := range rows {
					if r.Number == n && !reflect.DeepEqual(r.Cells, want) {
						t.Errorf("row %d cells = %q, want %q", n, r.Cells, want)
					}
				}
			}
		})
	}
}

// TestReadCSVStreamed reads a file larger than the whole-file limit: the
// encoding is decided on a sample and the rest is streamed.
func TestReadCSVStreamed(t *testing.T) {
	var b strings.Builder
	b.WriteString("序号,姓名,身份证号\n")
	for i := range 500 {
		b.WriteString(strings.Repeat("9", i%7+1) + ",张三,430524198503121234\n")
	}
	data := encode(t, simplifiedchinese.GBK, b.String())
	path := writeFile(t, "big.csv", data)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info := &FileInfo{}
	n := 0
	sr := newTestSheetReader(func(_ *SheetInfo, r Row) error {
		n++
		if r.Cells[1] != "张三" {
			t.Fatalf("row %d: %q", r.Number, r.Cells)
		}
		return nil
	})
	if err := readCSVLimit(f, int64(len(data)), 1000, info, sr); err != nil {
		t.Fatal(err)
	}
	if info.Encoding != "gbk" || n != 500 {
		t.Errorf("encoding %q, %d rows; want gbk, 500", info.Encoding, n)
	}
}

// TestReadFileByContent: the content decides the format, not the extension.
func TestReadFileByContent(t *testing.T) {
	xlsx := writeXLSX(t, []xlsxSheet{{name: "Sheet1", rows: map[int][]any{1: surveyHeader, 2: {1, "张三"}}}}, false)
	data, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want Format
	}{
		{"xlsx named .csv", data, FormatXLSX},
		{"csv named .xlsx", []byte(surveyCSV), FormatCSV},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ext := ".csv"
			if tt.want == FormatCSV {
				ext = ".xlsx"
			}
			res, err := readAll(t, writeFile(t, "file"+ext, tt.data), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if res.info.Format != tt.want {
				t.Errorf("format %q, want %q", res.info.Format, tt.want)
			}
		})
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(surveyCSV))
	f.Add([]byte("\xef\xbb\xbf姓名;身份证号\n张三;1\n"))
	f.Add([]byte("\xff\xfe\x53\x59\x0d\x54\x09\x00"))
	f.Add([]byte("姓名,身份证号\n\"张三,1\n"))
	f.Add([]byte("\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5\n\xd5\xc5\xc8\xfd,1\n")) // GBK 姓名,身份证号 / 张三,1
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Add([]byte("<html><table>"))
	small, err := os.ReadFile(writeXLSX(f, []xlsxSheet{{name: "S", rows: map[int][]any{1: {"姓名", "身份证号"}, 2: {"张三", 1}}}}, false))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small) // lets the fuzzer reach the xlsx path with bytes excelize nearly accepts
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := ReadFile(path, testOptions(), func(s *SheetInfo, r Row) error {
			if len(r.Cells) < len(s.Columns) {
				t.Fatalf("row %d: %d cells for %d columns", r.Number, len(r.Cells), len(s.Columns))
			}
			return nil
		})
		if info == nil {
			t.Fatal("nil FileInfo")
		}
		if err != nil {
			var q *QuarantineError
			if !errors.As(err, &q) {
				t.Fatalf("error is not a QuarantineError: %v", err)
			}
			if q.Code == "" || q.Reason == "" || q.Hint == "" {
				t.Fatalf("incomplete QuarantineError %+v", q)
			}
			return
		}
		if info.Format == "" || len(info.Sheets) == 0 {
			t.Fatalf("info %+v", info)
		}
		if info.Format == FormatCSV && (info.Encoding == "" || info.Delimiter == "") {
			t.Fatalf("csv info %+v", info)
		}
	})
}
