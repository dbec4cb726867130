package ingest

import "fmt"

// Quarantine codes: the stable values of QuarantineError.Code.
const (
	CodeEmpty           = "empty"            // 0 bytes or only whitespace
	CodeLegacyXLS       = "legacy_xls"       // a spreadsheet to re-save as .xlsx: Excel 97-2003 .xls, .xlsb, .ods, an HTML or 2003 XML table named .xls
	CodeEncrypted       = "encrypted"        // xlsx with an open password (an OLE2 EncryptedPackage)
	CodeDamaged         = "damaged"          // cut off, corrupt, parts missing, a CSV quote never closed, or the reader failed on it
	CodeNotSpreadsheet  = "not_spreadsheet"  // PDF, image, Word document, other binary
	CodeUnknownEncoding = "unknown_encoding" // CSV neither UTF-8, UTF-16 with BOM, GBK nor GB18030
	CodeNoHeader        = "no_header"        // no sheet has a recognisable header
)

// QuarantineError says a whole file cannot be read and what the operator should do.
type QuarantineError struct {
	Code   string // stable: "empty", "legacy_xls", "encrypted", "damaged", "not_spreadsheet", "unknown_encoding", "no_header"
	Reason string // Chinese, what is wrong
	Hint   string // Chinese, what to do (e.g. "请用 Excel 或 WPS 打开后“另存为” .xlsx 格式，再放回收件箱")
	Err    error  // underlying error, may be nil
}

// Error returns "quarantine <code>: <reason>", followed by the underlying error when there is one.
func (e *QuarantineError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("quarantine %s: %s: %v", e.Code, e.Reason, e.Err)
	}
	return fmt.Sprintf("quarantine %s: %s", e.Code, e.Reason)
}

// Unwrap returns the underlying error.
func (e *QuarantineError) Unwrap() error { return e.Err }

// The hints are shared by several reasons; an operator reads them, so they
// say what to click, not what went wrong.
const (
	hintSaveAsXLSX = "请用 Excel 或 WPS 打开后“另存为” .xlsx 格式，再放回收件箱"
	hintResend     = "请向报送单位重新索取原文件；如果还能用 Excel 或 WPS 打开，请“另存为”新的 .xlsx 文件后再放回收件箱"
	hintNotSheet   = "请放入 .xlsx 或 .csv 格式的表格；PDF、图片或 Word 文件需要先整理成 Excel 表格"
)

func errEmpty() *QuarantineError {
	return &QuarantineError{
		Code:   CodeEmpty,
		Reason: "文件是空的（0 字节或只有空白字符）",
		Hint:   "请确认报送的是已填写的表格，重新导出后再放回收件箱",
	}
}

func errLegacyXLS(reason string) *QuarantineError {
	return &QuarantineError{Code: CodeLegacyXLS, Reason: reason, Hint: hintSaveAsXLSX}
}

func errEncrypted() *QuarantineError {
	return &QuarantineError{
		Code:   CodeEncrypted,
		Reason: "文件设置了打开密码，无法读取",
		Hint:   "请向报送单位索取密码，用 Excel 或 WPS 打开后清除密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，删除密码），另存为 .xlsx 后再放回收件箱",
	}
}

func errDamaged(detail string, err error) *QuarantineError {
	return &QuarantineError{
		Code:   CodeDamaged,
		Reason: "文件已损坏或不完整（可能下载或拷贝时中断）：" + detail,
		Hint:   hintResend,
		Err:    err,
	}
}

func errNotSpreadsheet(reason, hint string) *QuarantineError {
	if hint == "" {
		hint = hintNotSheet
	}
	return &QuarantineError{Code: CodeNotSpreadsheet, Reason: reason, Hint: hint}
}

func errUnknownEncoding(detail string) *QuarantineError {
	return &QuarantineError{
		Code:   CodeUnknownEncoding,
		Reason: "无法识别 CSV 文件的文字编码（不是 UTF-8、UTF-16、GBK 或 GB18030）：" + detail,
		Hint:   "请用 Excel 或 WPS 打开，确认中文显示正常后“另存为” .xlsx（或“CSV UTF-8”）格式，再放回收件箱",
	}
}

func errNoHeader(detail string) *QuarantineError {
	return &QuarantineError{
		Code:   CodeNoHeader,
		Reason: "没有一个工作表能找到表头：" + detail,
		Hint:   "请确认表头（列名）在表格前几行，并包含“姓名”“公民身份证号”“联系电话”等列名；如果列名写法特殊，请在 config.yaml 的列名别名（ingest.aliases）中补充",
	}
}
