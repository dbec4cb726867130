package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/baolong/liudong/rules"
)

// oleFile is a compound file: the OLE2 magic, padding to the first sector,
// and the given stream names in directory entries (128 bytes each).
func oleFile(names ...string) []byte {
	b := make([]byte, 512, 4096)
	copy(b, magicOLE)
	for _, n := range names {
		e := make([]byte, 128)
		copy(e, utf16LE(n))
		b = append(b, e...)
	}
	return append(b, make([]byte, 1024)...)
}

// zipOf writes a zip holding the given entries.
func zipOf(t testing.TB, entries map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range entries {
		fw, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rewriteZip copies a zip, passing each entry's content through edit.
func rewriteZip(t testing.TB, data []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		fw, err := w.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(edit(e.Name, body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func surveyXLSXBytes(t testing.TB) []byte {
	t.Helper()
	rows := map[int][]any{1: surveyHeader}
	for i := 2; i < 200; i++ {
		rows[i] = []any{i - 1, "张三", "男", "430524198503121234", "13800138000", "宝龙街道同心社区同心路1号"}
	}
	data, err := os.ReadFile(writeXLSX(t, []xlsxSheet{{name: "Sheet1", rows: rows}}, false))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadFileQuarantine(t *testing.T) {
	xlsx := surveyXLSXBytes(t)
	noise := make([]byte, 8192)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.UintN(256))
	}
	noise[0], noise[100] = 0x01, 0x00 // no magic number, a NUL early on

	tests := []struct {
		name string
		file string // name of the file, for the extension
		data func(t *testing.T) []byte
		code string
	}{
		{"zero bytes", "a.xlsx", func(*testing.T) []byte { return nil }, CodeEmpty},
		{"whitespace only", "a.csv", func(*testing.T) []byte { return []byte(" \r\n\t\n  ") }, CodeEmpty},
		{"BOM and whitespace", "a.csv", func(*testing.T) []byte { return []byte("\xef\xbb\xbf \r\n") }, CodeEmpty},
		{"utf-16 BOM and ideographic spaces", "a.txt", func(*testing.T) []byte { return []byte{0xFF, 0xFE, 0x00, 0x30, 0x0A, 0x00} }, CodeEmpty},
		{"OLE2 legacy xls", "a.xls", func(*testing.T) []byte { return oleFile("Root Entry", "Workbook", "\x05SummaryInformation") }, CodeLegacyXLS},
		{"OLE2 magic and padding only", "a.xls", func(*testing.T) []byte { return append(append([]byte{}, magicOLE...), make([]byte, 2048)...) }, CodeLegacyXLS},
		{"OLE2 with EncryptedPackage", "a.xlsx", func(*testing.T) []byte {
			return oleFile("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
		}, CodeEncrypted},
		{"OLE2 EncryptedPackage past the first MiB", "a.xlsx", func(*testing.T) []byte {
			b := append(append([]byte{}, magicOLE...), make([]byte, 1<<20+37)...)
			return append(b, utf16LE("EncryptedPackage")...)
		}, CodeEncrypted},
		{"OLE2 Word document", "a.doc", func(*testing.T) []byte { return oleFile("Root Entry", "WordDocument", "1Table") }, CodeNotSpreadsheet},
		{"truncated xlsx", "a.xlsx", func(*testing.T) []byte { return xlsx[:len(xlsx)/2] }, CodeDamaged},
		{"sheet XML cut off inside a sound zip", "a.xlsx", func(t *testing.T) []byte {
			return rewriteZip(t, xlsx, func(name string, body []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					return body[:len(body)*2/3]
				}
				return body
			})
		}, CodeDamaged},
		{"shared strings cut off", "a.xlsx", func(t *testing.T) []byte {
			return rewriteZip(t, xlsx, func(name string, body []byte) []byte {
				if name == "xl/sharedStrings.xml" {
					return body[:len(body)-20]
				}
				return body
			})
		}, CodeDamaged},
		{"corrupt bytes inside the zip", "a.xlsx", func(*testing.T) []byte {
			b := append([]byte{}, xlsx...)
			for i := len(b) / 3; i < len(b)/3+64; i++ {
				b[i] ^= 0x5a
			}
			return b
		}, CodeDamaged},
		{"zip directory claims an impossible size", "a.xlsx", func(*testing.T) []byte {
			// a bit flipped in the central directory: excelize would allocate 2 GiB
			b := append([]byte{}, xlsx...)
			i := bytes.Index(b, []byte("PK\x01\x02"))
			b[i+24+3] = 0x7f // uncompressed size, little-endian, of the first entry
			return b
		}, CodeDamaged},
		{"workbook part missing", "a.xlsx", func(t *testing.T) []byte {
			zr, _ := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
			entries := map[string]string{}
			for _, e := range zr.File {
				if e.Name == "xl/workbook.xml" {
					continue
				}
				rc, _ := e.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				entries[e.Name] = string(b)
			}
			return zipOf(t, entries)
		}, CodeDamaged},
		{"PDF", "a.xlsx", func(*testing.T) []byte { return []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj") }, CodeNotSpreadsheet},
		{"PNG photo of a table", "a.xlsx", func(*testing.T) []byte { return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") }, CodeNotSpreadsheet},
		{"JPEG", "a.csv", func(*testing.T) []byte { return []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'} }, CodeNotSpreadsheet},
		{"docx", "a.xlsx", func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
		}, CodeNotSpreadsheet},
		{"zip of tables", "a.zip", func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"同心社区.xlsx": "x", "宝龙社区.csv": "y"})
		}, CodeNotSpreadsheet},
		{"empty zip", "a.xlsx", func(t *testing.T) []byte { return zipOf(t, nil) }, CodeNotSpreadsheet},
		{"ods", "a.ods", func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office:document-content/>"})
		}, CodeLegacyXLS},
		{"xlsb", "a.xlsb", func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "\x83\x01"})
		}, CodeLegacyXLS},
		{"web page saved as xls", "a.xls", func(*testing.T) []byte {
			return []byte("<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>姓名</td></tr></table>")
		}, CodeLegacyXLS},
		{"Excel 2003 XML", "a.xls", func(*testing.T) []byte {
			return []byte("<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">")
		}, CodeLegacyXLS},
		{"random binary", "a.csv", func(*testing.T) []byte { return noise }, CodeNotSpreadsheet},
		{"csv in no known encoding", "a.csv", func(*testing.T) []byte { return []byte("姓名,身份证号\n\xff\xfe\xfd,1\n") }, CodeUnknownEncoding},
		{"csv with an unclosed quote", "a.csv", func(*testing.T) []byte {
			return []byte("姓名,身份证号\n张三,\"1\n" + strings.Repeat("李四,2\n", 300))
		}, CodeDamaged},
		{"csv without a header", "a.csv", func(*testing.T) []byte { return []byte("社区,人数\n同心,35\n宝龙,12\n") }, CodeNoHeader},
		{"text without a header named .xlsx", "a.xlsx", func(*testing.T) []byte { return []byte("这不是表格，是一段说明文字。\n") }, CodeNotSpreadsheet},
		{"workbook whose only sheet is a summary", "a.xlsx", func(t *testing.T) []byte {
			b, err := os.ReadFile(writeXLSX(t, []xlsxSheet{
				{name: "汇总", rows: map[int][]any{1: {"社区", "人数"}, 2: {"同心", 35}}},
				{name: "空白", rows: nil},
			}, false))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, CodeNoHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.file, tt.data(t))
			res, err := readAll(t, path, testOptions())
			var q *QuarantineError
			if !errors.As(err, &q) {
				t.Fatalf("err = %v, want a QuarantineError %s", err, tt.code)
			}
			if q.Code != tt.code {
				t.Errorf("Code = %q (%s), want %q", q.Code, q.Reason, tt.code)
			}
			if q.Reason == "" || q.Hint == "" {
				t.Errorf("Reason %q, Hint %q: both must be set", q.Reason, q.Hint)
			}
			if !strings.Contains(err.Error(), q.Code) {
				t.Errorf("Error() = %q does not name the code", err.Error())
			}
			if q.Code != CodeNoHeader && len(res.rows) > 0 {
				t.Errorf("rows handed out from a quarantined file: %v", res.rows)
			}
		})
	}
}

func TestNoHeaderReasonNamesSheets(t *testing.T) {
	path := writeXLSX(t, []xlsxSheet{
		{name: "汇总", rows: map[int][]any{1: {"社区", "人数"}}},
		{name: "空白"},
	}, false)
	info, err := ReadFile(path, testOptions(), nil)
	var q *QuarantineError
	if !errors.As(err, &q) || q.Code != CodeNoHeader {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"「汇总」", "「空白」工作表为空"} {
		if !strings.Contains(q.Reason, want) {
			t.Errorf("Reason %q lacks %q", q.Reason, want)
		}
	}
	if len(info.Sheets) != 2 || info.Sheets[1].Skipped != "工作表为空" {
		t.Errorf("sheets %+v", info.Sheets)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(t.TempDir()+"/nope.xlsx", testOptions(), nil)
	var q *QuarantineError
	if errors.As(err, &q) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error that is not a quarantine", err)
	}
	if _, err := ReadFile(t.TempDir(), testOptions(), nil); err == nil || errors.As(err, &q) {
		t.Errorf("directory: err = %v", err)
	}
}

func TestZipTail(t *testing.T) {
	body := strings.Repeat("<row/>", 50000) + "</worksheet>\n"
	data := zipOf(t, map[string]string{"xl/worksheets/sheet1.xml": body})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	tail, err := zipTail(zr.File[0], 64, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := body[len(body)-64:]; string(tail) != want {
		t.Errorf("tail = %q, want %q", tail, want)
	}
}

func ExampleReadFile() {
	opts := ReadOptions{Aliases: map[rules.Field][]string{
		rules.FieldSerial:   {"序号"},
		rules.FieldName:     {"姓名", "党员姓名"},
		rules.FieldIDNumber: {"公民身份证号", "身份证号"},
		rules.FieldPhone:    {"联系电话", "手机"},
	}}
	info, err := ReadFile("testdata/survey.csv", opts, func(s *SheetInfo, r Row) error {
		fmt.Printf("line %d %s %q", r.Number, r.Kind, r.Cells[1])
		if r.Reason != "" {
			fmt.Print(" ", r.Reason)
		}
		fmt.Println()
		return nil
	})
	var q *QuarantineError
	if errors.As(err, &q) {
		fmt.Println(q.Code, q.Reason, q.Hint)
		return
	}
	s := info.Sheets[0]
	fmt.Println(info.Format, info.Encoding, info.Delimiter, s.HeaderRows, s.Counts)
	for _, c := range s.Columns {
		fmt.Printf("%s %s → %q\n", c.Letter, c.Title, c.Field)
	}
	// Output:
	// line 3 data "张三"
	// line 4 data "李四"
	// line 5 blank "" 空行
	// line 6 footer "" 页脚（以“填表人”开头）
	// csv utf-8 , [2] {2 1 1 0 4}
	// A 序号 → "serial"
	// B 姓名 → "name"
	// C 公民身份证号 → "id_number"
	// D 联系电话 → "phone"
}
