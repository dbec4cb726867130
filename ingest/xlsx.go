package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads every sheet of the workbook at path, hidden ones too, in
// workbook order. Cells are read raw (RawCellValue): the number or date
// serial as stored, not as formatted, which leaves date conversion to the
// cleaning stage.
//
// Our own sheet-XML reader (sheetxml.go) reads the whole workbook first,
// many times faster than excelize's iterator, and gives the same rows and
// cells. It declines a file it is not sure of (strict OOXML, a part missing
// or cut off, XML encoding/xml would reject, a structure Excel never
// writes); excelize then reads the file as before and decides whether it is
// damaged. FileInfo.Reader says which reader it was.
//
// On the excelize path the package is checked before any row is read: that
// it is a workbook at all, that excelize opens it, and that no sheet's XML is
// cut off (the iterator would end quietly at the cut and the rows after it
// would look missing).
func readXLSX(name string, info *FileInfo, sr *sheetReader) error {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return errDamaged("不是完整的 xlsx（zip）文件", err)
	}
	defer zr.Close()
	if q := checkPackage(&zr.Reader); q != nil {
		return q
	}
	book, err := readSheetXMLBookSafe(&zr.Reader)
	if sheetXMLDisabled {
		book, err = nil, fmt.Errorf("%w: disabled", errSheetXML)
	}
	if err == nil {
		info.Reader = ReaderSheetXML
		return readSheetXMLRows(book, info, sr)
	}
	info.Reader, info.ReaderNote = ReaderExcelize, err.Error()
	return readXLSXExcelize(name, &zr.Reader, info, sr)
}

// readSheetXMLBookSafe is readSheetXMLBook with a panic turned into an
// error, so that a bug of ours makes excelize read the file rather than
// quarantining it.
func readSheetXMLBookSafe(zr *zip.Reader) (book *sheetXMLBook, err error) {
	defer func() {
		if r := recover(); r != nil {
			book, err = nil, fmt.Errorf("%w: panic: %v", errSheetXML, r)
		}
	}()
	return readSheetXMLBook(zr)
}

// readSheetXMLRows hands the rows the fast reader read to sr, sheet by
// sheet, the rows the XML skips as rows without cells, as excelize's
// iterator yields them.
func readSheetXMLRows(book *sheetXMLBook, info *FileInfo, sr *sheetReader) error {
	info.Date1904 = book.date1904
	for _, s := range book.sheets {
		info.Sheets = append(info.Sheets, &SheetInfo{Name: s.name, Date1904: info.Date1904})
	}
	for i, si := range info.Sheets {
		sh := &book.sheets[i]
		sr.merges = newMergeFiller(parseMerges(sh.tail))
		k, n := 0, 0
		err := sr.read(si, func() (int, []string, bool, error) {
			if k >= len(sh.rows) {
				return 0, nil, false, nil
			}
			n++
			if sh.rows[k].n > n {
				return n, nil, true, nil
			}
			cells := sh.rows[k].cells
			sh.rows[k].cells = nil
			k++
			return n, cells, true, nil
		})
		sr.merges = nil
		sh.rows = nil
		if err != nil {
			return err
		}
	}
	return nil
}

// readXLSXExcelize reads the workbook with excelize's row iterator, the
// fallback for a file the fast reader declines.
func readXLSXExcelize(name string, zr *zip.Reader, info *FileInfo, sr *sheetReader) error {
	f, err := excelize.OpenFile(name)
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return errDamaged("Excel 工作簿无法打开", fmt.Errorf("open workbook: %w", err))
	}
	defer f.Close()
	tails, q := checkParts(f, zr)
	if q != nil {
		return q
	}
	parts := sheetParts(zr)
	props, err := f.GetWorkbookProps()
	if err != nil {
		return errDamaged("工作簿属性无法读取", fmt.Errorf("read workbook props: %w", err))
	}
	info.Date1904 = props.Date1904 != nil && *props.Date1904
	names := f.GetSheetList()
	if len(names) == 0 {
		return errDamaged("工作簿中没有工作表", nil)
	}
	for _, n := range names {
		// open every sheet before reading any, so that a sheet whose part is
		// missing quarantines the file before fn sees a row
		rows, err := f.Rows(n)
		if err != nil {
			return errDamaged(fmt.Sprintf("工作表「%s」无法读取", n), fmt.Errorf("read sheet %q: %w", n, err))
		}
		if err := rows.Close(); err != nil {
			return errDamaged(fmt.Sprintf("工作表「%s」无法读取", n), fmt.Errorf("read sheet %q: %w", n, err))
		}
		info.Sheets = append(info.Sheets, &SheetInfo{Name: n, Date1904: info.Date1904})
	}
	for _, si := range info.Sheets {
		sr.merges = newMergeFiller(parseMerges(tails[strings.ToLower(parts[si.Name])]))
		err := readXLSXSheet(f, si, sr)
		sr.merges = nil
		if err != nil {
			return err
		}
	}
	return nil
}

// readXLSXSheet streams one sheet through sr.
//
// excelize's iterator yields every row number in turn, also those the XML
// skips (a sparse sheet): Next is true for them and Columns returns nil. So
// counting calls of Next gives the row number Excel shows.
func readXLSXSheet(f *excelize.File, si *SheetInfo, sr *sheetReader) (err error) {
	rows, err := f.Rows(si.Name)
	if err != nil {
		return errDamaged(fmt.Sprintf("工作表「%s」无法读取", si.Name), fmt.Errorf("read sheet %q: %w", si.Name, err))
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = errDamaged(fmt.Sprintf("工作表「%s」无法读取", si.Name), fmt.Errorf("read sheet %q: %w", si.Name, cerr))
		}
	}()
	raw := excelize.Options{RawCellValue: true}
	n := 0
	next := func() (int, []string, bool, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return 0, nil, false, errDamaged(fmt.Sprintf("工作表「%s」第%d行之后无法读取", si.Name, n), fmt.Errorf("read sheet %q: %w", si.Name, err))
			}
			return 0, nil, false, nil
		}
		n++
		cells, err := rows.Columns(raw)
		if err != nil {
			return 0, nil, false, errDamaged(fmt.Sprintf("工作表「%s」第%d行无法读取", si.Name, n), fmt.Errorf("read sheet %q row %d: %w", si.Name, n, err))
		}
		return n, cells, true, nil
	}
	return sr.read(si, next)
}

// Sizes a workbook's zip entries must keep to. Deflate cannot compress
// better than 1032:1, so an entry that claims more has a corrupt directory;
// excelize would allocate the claimed size before finding out.
const (
	maxDeflateRatio = 1032
	maxUnzipped     = 4 << 30 // all parts together; Excel's largest sheet is about 1 GiB of XML
)

// checkPackage says what a zip that is not a workbook is, and finds a zip
// directory whose sizes cannot be true.
func checkPackage(zr *zip.Reader) *QuarantineError {
	var total uint64
	for _, e := range zr.File {
		if e.UncompressedSize64 > e.CompressedSize64*maxDeflateRatio+1<<10 {
			return errDamaged(fmt.Sprintf("压缩包目录中 %s 的大小不可能成立", e.Name), nil)
		}
		total += e.UncompressedSize64
	}
	if total > maxUnzipped {
		return errDamaged(fmt.Sprintf("解压后共 %d MiB，超过 %d MiB 上限", total>>20, maxUnzipped>>20), nil)
	}
	var tables []string
	has := map[string]bool{}
	for _, e := range zr.File {
		low := strings.ToLower(strings.ReplaceAll(e.Name, "\\", "/"))
		has[low] = true
		if strings.HasPrefix(low, "xl/") && path.Base(low) == "workbook.xml" {
			return nil
		}
		switch path.Ext(low) {
		case ".xlsx", ".xls", ".csv", ".et":
			tables = append(tables, path.Base(e.Name))
		}
	}
	xl := false
	for n := range has {
		xl = xl || strings.HasPrefix(n, "xl/worksheets/")
	}
	switch {
	case has["xl/workbook.bin"]:
		return errLegacyXLS("这是 Excel 二进制工作簿（.xlsb），本系统只能读取 .xlsx 和 .csv")
	case xl:
		return errDamaged("缺少工作簿主文件 xl/workbook.xml", nil)
	case has["content.xml"] && has["mimetype"]:
		if odsMimetype(zr) {
			return errLegacyXLS("这是 OpenDocument 表格（.ods），本系统只能读取 .xlsx 和 .csv")
		}
		return errNotSpreadsheet("这是 OpenDocument 文档，不是表格", "")
	case has["word/document.xml"]:
		return errNotSpreadsheet("这是 Word 文档（.docx），不是表格", "")
	case has["ppt/presentation.xml"]:
		return errNotSpreadsheet("这是 PowerPoint 演示文稿（.pptx），不是表格", "")
	case len(tables) > 0:
		return errNotSpreadsheet("这是压缩包，里面有表格文件："+strings.Join(tables, "、"),
			"请先解压，再把其中的 .xlsx 或 .csv 表格逐个放回收件箱")
	}
	return errNotSpreadsheet("这是 zip 压缩包，不是 Excel 表格", "请先解压，再把其中的 .xlsx 或 .csv 表格放回收件箱")
}

func odsMimetype(zr *zip.Reader) bool {
	for _, e := range zr.File {
		if e.Name != "mimetype" {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, 200))
		return bytes.Contains(b, []byte("spreadsheet"))
	}
	return false
}

// checkParts finds a worksheet or the shared-string table cut off mid-XML: a
// complete part ends with its closing root tag. Parts excelize holds in memory
// are checked there; a large part it spilled to a temporary file is
// decompressed again from the zip. It returns the end of every worksheet
// part (lower-case part name → bytes), where the merged ranges are listed.
func checkParts(f *excelize.File, zr *zip.Reader) (map[string][]byte, *QuarantineError) {
	tails := map[string][]byte{}
	for _, e := range zr.File {
		name := strings.ReplaceAll(e.Name, "\\", "/")
		low := strings.ToLower(name)
		var root string
		switch {
		case low == "xl/sharedstrings.xml":
			root, name = "sst>", "xl/sharedStrings.xml" // excelize's key for it
		case strings.HasPrefix(low, "xl/worksheets/") && strings.HasSuffix(low, ".xml") && !strings.Contains(low, "/_rels/"):
			root = "worksheet>"
		default:
			continue
		}
		var tail []byte
		if v, ok := f.Pkg.Load(name); ok {
			b, _ := v.([]byte)
			tail = b[max(0, len(b)-mergeTailBytes):]
			if root == "worksheet>" {
				if i := bytes.LastIndex(b, []byte("sheetData>")); i >= 0 {
					if j := closingSheetData(b[max(0, i-tagCarry):]); j >= 0 {
						tail = b[max(0, i-tagCarry)+j:]
					}
				}
			}
		} else {
			t, err := zipTail(e, mergeTailBytes, root == "worksheet>")
			if err != nil {
				return nil, errDamaged(fmt.Sprintf("%s 无法解压", e.Name), fmt.Errorf("read part %s: %w", e.Name, err))
			}
			tail = t
		}
		if root == "worksheet>" {
			tails[low] = tail
		}
		if !bytes.HasSuffix(bytes.TrimRight(tail, " \t\r\n\x00"), []byte(root)) {
			what := "工作表数据"
			if root == "sst>" {
				what = "共享文本表"
			}
			return nil, errDamaged(fmt.Sprintf("%s（%s）不完整，文件被截断", what, e.Name), nil)
		}
	}
	return tails, nil
}

// mergeTailBytes is how much of the end of a worksheet part is kept when no
// </sheetData> ends its data (a part cut off): enough to see that it is.
// Everything after </sheetData>, where the merged ranges are, is kept whole.
const mergeTailBytes = 256 << 10

// zipTail returns the last n bytes of a zip entry, decompressing all of it;
// of a worksheet, everything from </sheetData> on (tailKeeper).
func zipTail(e *zip.File, n int, sheet bool) ([]byte, error) {
	rc, err := e.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tk := &tailKeeper{r: rc, max: n, sheet: sheet}
	if _, err := io.Copy(io.Discard, tk); err != nil {
		return nil, err
	}
	return tk.last(), nil
}
