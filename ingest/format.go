package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/baolong/liudong/rules"
)

// Format is how a file is read: "xlsx" or "csv".
type Format string

// Formats.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// FileInfo describes one file as read.
type FileInfo struct {
	Format    Format
	Encoding  string       // CSV: "utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16le", "utf-16be"; xlsx: ""
	Delimiter string       // CSV: ",", "\t", ";" ; xlsx: ""
	Date1904  bool         // xlsx workbook date system (from workbook props)
	Sheets    []*SheetInfo // every sheet in workbook order (CSV: one, Name "")

	// Reader is the xlsx reader that produced the rows: ReaderSheetXML, or
	// ReaderExcelize when ours declined the file, and ReaderNote says why
	// (a part name and what was unexpected, never cell text). CSV: "".
	Reader     string
	ReaderNote string
}

// ReadOptions says how to find the header and the footer.
type ReadOptions struct {
	Aliases         map[rules.Field][]string // canonical field → column titles that mean it (already restricted to this file's kind)
	HeaderScanRows  int                      // rows scanned for a header; 0 means 10
	MinHeaderFields int                      // distinct fields a header row must match (序号 not counted); 0 means 2
	// FooterMarkers start the lines below the data (填表人, 审核人, 合计 …);
	// nil means the built-in list. The first non-empty cell of a row, NFKC-folded
	// and with inner spaces ignored, must start with a marker followed by a colon,
	// a space, a bracket or the end of the cell; a marker ending in a colon or in
	// 计 (合计, 总计, 小计) matches as a plain prefix.
	FooterMarkers []string
}

// headerLimits returns HeaderScanRows and MinHeaderFields with their defaults.
func (o ReadOptions) headerLimits() (scan, minFields int) {
	scan, minFields = o.HeaderScanRows, o.MinHeaderFields
	if scan <= 0 {
		scan = defaultHeaderScanRows
	}
	if minFields <= 0 {
		minFields = defaultMinHeaderFields
	}
	return scan, minFields
}

// ReadFile reads every sheet of the file at path and calls fn for every row below each detected header, in
// order. It returns a *QuarantineError (use errors.As) when the file cannot be read at all, including when no
// sheet has a header (Code "no_header"); an error from fn is returned as is. Sheets without a header are skipped
// (SheetInfo.Skipped says why) and the file is still read when another sheet has one. It never panics on any input.
//
// The format is decided by the content, not the extension. The returned
// FileInfo is never nil: with an error it holds what was learnt before it.
// Damage is looked for before the first call of fn, but a file damaged in a
// way only the row parser finds (or that makes it panic) is quarantined after
// fn has seen some of its rows: discard them. A panic inside fn is not
// recovered. An error opening the file (missing, no permission) is returned
// wrapped, not as a QuarantineError.
func ReadFile(path string, opts ReadOptions, fn func(sheet *SheetInfo, row Row) error) (info *FileInfo, err error) {
	info = &FileInfo{}
	f, err := os.Open(path)
	if err != nil {
		return info, fmt.Errorf("read file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return info, fmt.Errorf("read file: %w", err)
	}
	if st.IsDir() {
		return info, fmt.Errorf("read file %s: is a directory", path)
	}

	cb := &callback{fn: fn}
	defer func() {
		if r := recover(); r != nil {
			if cb.inFn {
				panic(r)
			}
			err = errDamaged("读取程序无法解析此文件", fmt.Errorf("panic: %v", r))
		}
	}()

	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return info, fmt.Errorf("read file: %w", err)
	}
	head = head[:n]
	format, qerr := sniff(head, f)
	if qerr != nil {
		return info, qerr
	}
	info.Format = format
	scan, minFields := opts.headerLimits()
	markers := opts.FooterMarkers
	if markers == nil {
		markers = defaultFooterMarkers()
	}
	sr := &sheetReader{
		idx:       newAliasIndex(opts.Aliases),
		scan:      scan,
		minFields: minFields,
		footers:   newFooterMarkers(markers),
		emit:      cb.call,
	}
	switch format {
	case FormatXLSX:
		err = readXLSX(path, info, sr)
	default:
		err = readCSV(f, st.Size(), info, sr)
	}
	if err != nil {
		return info, err
	}
	if err := noHeaderError(info); err != nil {
		return info, textNamedExcel(path, format, err)
	}
	return info, nil
}

// textNamedExcel says "not an Excel workbook" of a text file with an Excel
// name and no header: a CSV renamed .xlsx is read as CSV, but a text file
// with no table in it is not a workbook whose header was missed.
func textNamedExcel(path string, format Format, noHeader error) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xls":
		if format == FormatCSV {
			return errNotSpreadsheet("这不是 Excel 表格：文件名是 "+filepath.Ext(path)+"，内容却是纯文本，其中也找不到表头",
				"请向报送单位索取原表格，或用 Excel 或 WPS 打开原表格“另存为” .xlsx 后再放回收件箱")
		}
	}
	return noHeader
}

// callback calls fn and remembers whether a panic came from inside it, so
// that ReadFile turns only the reader's own panics into a quarantine.
type callback struct {
	fn   func(*SheetInfo, Row) error
	inFn bool
}

func (c *callback) call(si *SheetInfo, row Row) error {
	if c.fn == nil {
		return nil
	}
	c.inFn = true
	err := c.fn(si, row)
	c.inFn = false
	return err
}

// noHeaderError returns a no_header QuarantineError when every sheet was skipped.
func noHeaderError(info *FileInfo) error {
	var why []string
	for _, s := range info.Sheets {
		if s.Skipped == "" {
			return nil
		}
		if s.Name == "" {
			why = append(why, s.Skipped)
		} else {
			why = append(why, "「"+s.Name+"」"+s.Skipped)
		}
	}
	return errNoHeader(strings.Join(why, "；"))
}

// sniffSize is how much of a file's start decides its format; a text file
// with a NUL byte in it is binary.
const sniffSize = 4096

// Magic numbers.
var (
	magicZip      = []byte("PK\x03\x04")
	magicZipEmpty = []byte("PK\x05\x06")
	magicOLE      = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// sniff decides the format from the first bytes of the file; f is read
// further only for an OLE2 file, whose stream names say what it holds.
func sniff(head []byte, f io.ReaderAt) (Format, *QuarantineError) {
	if len(head) == 0 {
		return "", errEmpty()
	}
	switch {
	case bytes.HasPrefix(head, magicZip):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, magicZipEmpty):
		return "", errNotSpreadsheet("这是一个空的 zip 压缩包，不是 Excel 表格", "")
	case bytes.HasPrefix(head, magicOLE):
		return "", sniffOLE(f)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return FormatCSV, nil // UTF-16 text: Excel's "Unicode 文本"
	}
	if what, hint := binaryKind(head); what != "" {
		return "", errNotSpreadsheet(what, hint)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", errNotSpreadsheet("这是二进制文件，不是表格", "")
	}
	if q := sniffMarkup(head); q != nil {
		return "", q
	}
	return FormatCSV, nil
}

// binaryKind names well-known non-spreadsheet formats by their magic number.
func binaryKind(head []byte) (what, hint string) {
	const unzip = "请先解压，再把其中的 .xlsx 或 .csv 表格放回收件箱"
	switch {
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "这是 PDF 文档，不是表格", ""
	case bytes.HasPrefix(head, []byte("\x89PNG")),
		bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}),
		bytes.HasPrefix(head, []byte("GIF8")),
		bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")),
		len(head) >= 12 && bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "WEBP":
		return "这是图片（可能是表格的照片或截图），不是表格", ""
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return "这是 RTF 文档，不是表格", ""
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07")), bytes.HasPrefix(head, []byte("7z\xbc\xaf\x27\x1c")),
		bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "这是压缩包，不是表格", unzip
	}
	return "", ""
}

// sniffMarkup catches the web pages and Excel 2003 XML that systems export
// with an .xls name: text, but not CSV.
func sniffMarkup(head []byte) *QuarantineError {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return nil
	}
	low := bytes.ToLower(head)
	switch {
	case bytes.Contains(low, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return errLegacyXLS("这是 Excel 2003 XML 表格，本系统只能读取 .xlsx 和 .csv")
	case bytes.Contains(low, []byte("<table")), bytes.Contains(low, []byte("<html")):
		return errLegacyXLS("这是网页（HTML）格式的表格（业务系统导出的 .xls 常是这种），本系统只能读取 .xlsx 和 .csv")
	}
	return errNotSpreadsheet("这是 XML 或网页文件，不是表格", "")
}

// sniffOLE reads the stream names of an OLE2 compound file. They are stored
// NUL-terminated in UTF-16LE at the start of 128-byte directory entries, in
// directory sectors that may be anywhere in the file; looking only at aligned
// offsets keeps a "Book" in a document's own text from counting. An xlsx with
// an open password is an OLE2 file with an EncryptedPackage stream; an Excel
// 97-2003 file has a Workbook (or, before Excel 97, Book) stream.
func sniffOLE(f io.ReaderAt) *QuarantineError {
	const entrySize = 128
	found := map[string]bool{}
	pats := map[string][]byte{}
	overlap := 0
	for _, n := range []string{"EncryptedPackage", "Workbook", "Book", "WordDocument", "PowerPoint Document"} {
		pats[n] = append(utf16LE(n), 0, 0)
		overlap = max(overlap, len(pats[n]))
	}
	// EncryptedPackage is too specific to occur by chance: match it anywhere.
	pats["EncryptedPackage"] = utf16LE("EncryptedPackage")
	buf := make([]byte, 1<<20)
	var off int64 // file offset of the next read
	carry := 0    // bytes of the previous chunk kept at the start of buf
	for {
		n, err := f.ReadAt(buf[carry:], off)
		chunk, start := buf[:carry+n], off-int64(carry)
		for name, p := range pats {
			for i := 0; ; {
				j := bytes.Index(chunk[i:], p)
				if j < 0 {
					break
				}
				if name == "EncryptedPackage" || (start+int64(i+j))%entrySize == 0 {
					found[name] = true
					break
				}
				i += j + 1
			}
		}
		if err != nil || n == 0 {
			break
		}
		off += int64(n)
		carry = min(overlap, len(chunk))
		copy(buf, chunk[len(chunk)-carry:])
	}
	switch {
	case found["EncryptedPackage"]:
		return errEncrypted()
	case found["Workbook"] || found["Book"]:
		return errLegacyXLS("这是旧版 Excel 97-2003 格式（.xls），本系统只能读取 .xlsx 和 .csv")
	case found["WordDocument"]:
		return errNotSpreadsheet("这是旧版 Word 文档（.doc），不是表格", "")
	case found["PowerPoint Document"]:
		return errNotSpreadsheet("这是旧版 PowerPoint 演示文稿（.ppt），不是表格", "")
	}
	return errLegacyXLS("这是旧版 Office 97-2003 格式的文件（按 .xls 处理），本系统只能读取 .xlsx 和 .csv")
}

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
