package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// Readers of an xlsx file, as FileInfo.Reader names them.
const (
	ReaderSheetXML = "sheetxml" // our own streaming reader of the sheet XML
	ReaderExcelize = "excelize" // excelize's row iterator, the fallback
)

// sheetXMLDisabled makes every xlsx file go to excelize, for tests that
// compare the two readers.
var sheetXMLDisabled = false

// sheetXMLBook is a workbook as the fast reader read it: every sheet's rows,
// in workbook order, before any of them is handed on.
type sheetXMLBook struct {
	date1904 bool
	sheets   []sheetXMLSheet
}

type sheetXMLSheet struct {
	name   string
	hidden bool
	rows   []sheetXMLRow // only the rows the XML has; the gaps are filled when read
	tail   []byte        // the last mergeTailBytes of the part, where the merged ranges are
}

type sheetXMLRow struct {
	n     int
	cells []string
}

// Namespaces the fast reader accepts. Strict OOXML (purl.oclc.org) is left
// to excelize, which translates it.
const (
	nsMain  = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	maxRows = 1048576
)

// readSheetXMLBook reads a workbook with the fast reader. Any error means
// only that this reader does not vouch for the file: the caller reads it
// again with excelize, which decides whether it is damaged. So the checks
// here are a superset of what makes excelize's path quarantine a file or
// read it differently: a part cut off or failing its checksum, XML that
// encoding/xml would reject, a sheet or shared string it cannot find.
func readSheetXMLBook(zr *zip.Reader) (*sheetXMLBook, error) {
	files := map[string]*zip.File{}
	for _, e := range zr.File {
		name := strings.ReplaceAll(e.Name, "\\", "/")
		if _, dup := files[name]; dup {
			return nil, fmt.Errorf("%w: %s twice in the package", errSheetXML, name)
		}
		files[name] = e
	}
	wbPath, err := officeDocument(files)
	if err != nil {
		return nil, err
	}
	if wbPath != "xl/workbook.xml" {
		return nil, fmt.Errorf("%w: workbook at %q", errSheetXML, wbPath)
	}
	wb, err := readWorkbookXML(files)
	if err != nil {
		return nil, err
	}
	book := &sheetXMLBook{date1904: wb.date1904}
	read := map[string]bool{wbPath: true, "_rels/.rels": true, "xl/_rels/workbook.xml.rels": true}

	var sst []string
	sstRead := false
	for name, e := range files {
		if strings.EqualFold(name, "xl/sharedStrings.xml") {
			if sstRead {
				return nil, fmt.Errorf("%w: two shared string parts", errSheetXML)
			}
			if sst, err = readSharedStrings(e); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			read[name], sstRead = true, true
		}
	}
	for _, ws := range wb.sheets {
		e := files[ws.part]
		rc, err := e.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errSheetXML, ws.part, err)
		}
		var src io.Reader = rc
		var pf *prefetchReader
		if e.UncompressedSize64 > 1<<20 {
			pf = newPrefetchReader(rc)
			src = pf
		}
		tk := &tailKeeper{r: src, max: mergeTailBytes, sheet: true}
		rows, err := parseSheetXML(tk, sst)
		if err == nil {
			_, err = io.Copy(io.Discard, tk) // to the end, where the checksum is
		}
		if pf != nil {
			pf.stop()
		}
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ws.part, err)
		}
		tail := tk.last()
		if !bytes.HasSuffix(bytes.TrimRight(tail, " \t\r\n\x00"), []byte("worksheet>")) {
			return nil, fmt.Errorf("%w: %s cut off", errSheetXML, ws.part)
		}
		read[ws.part] = true
		book.sheets = append(book.sheets, sheetXMLSheet{name: ws.name, hidden: ws.hidden, rows: rows, tail: tail})
	}
	// The rest of the package: excelize unzips every part when it opens a
	// workbook and fails on one that is corrupt, and parses a few of them.
	for name, e := range files {
		if read[name] {
			continue
		}
		if err := checkOtherPart(name, e); err != nil {
			return nil, err
		}
	}
	return book, nil
}

// officeDocument returns the workbook part _rels/.rels points to.
func officeDocument(files map[string]*zip.File) (string, error) {
	var rels relsXML
	if err := decodePart(files, "_rels/.rels", &rels); err != nil {
		return "", err
	}
	for _, r := range rels.Rels {
		if r.Type == relDoc {
			return strings.TrimPrefix(r.Target, "/"), nil
		}
	}
	return "", fmt.Errorf("%w: no officeDocument relationship", errSheetXML)
}

type relsXML struct {
	XMLName xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/relationships Relationships"`
	Rels    []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:",attr"`
		Type   string `xml:",attr"`
	} `xml:"Relationship"`
}

type workbookSheet struct {
	name, part string
	hidden     bool
}

type workbookInfo struct {
	date1904 bool
	sheets   []workbookSheet
}

// readWorkbookXML reads the sheets of xl/workbook.xml, their parts from its
// relationships, and the date system.
func readWorkbookXML(files map[string]*zip.File) (*workbookInfo, error) {
	var wb struct {
		XMLName    xml.Name `xml:"http://schemas.openxmlformats.org/spreadsheetml/2006/main workbook"`
		WorkbookPr *struct {
			Date1904 bool `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			ID    string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			State string `xml:"state,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(files, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	var rels relsXML
	if err := decodePart(files, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	info := &workbookInfo{date1904: wb.WorkbookPr != nil && wb.WorkbookPr.Date1904}
	if len(wb.Sheets) == 0 {
		return nil, fmt.Errorf("%w: no sheets", errSheetXML)
	}
	seen := map[string]bool{}
	for _, s := range wb.Sheets {
		low := strings.ToLower(s.Name)
		if seen[low] || !validSheetName(s.Name) {
			return nil, fmt.Errorf("%w: sheet %d: name excelize would not open", errSheetXML, len(info.sheets)+1)
		}
		seen[low] = true
		part := ""
		for _, r := range rels.Rels {
			if r.ID != s.ID {
				continue
			}
			p := path.Clean("xl/" + r.Target)
			if strings.HasPrefix(r.Target, "/") {
				p = path.Clean(r.Target)[1:]
			}
			if files[p] != nil {
				part = p
			}
		}
		if part == "" {
			return nil, fmt.Errorf("%w: sheet %d has no part", errSheetXML, len(info.sheets)+1)
		}
		info.sheets = append(info.sheets, workbookSheet{name: s.Name, part: part, hidden: s.State == "hidden" || s.State == "veryHidden"})
	}
	return info, nil
}

// validSheetName is excelize's check of a sheet name before it reads the sheet.
func validSheetName(name string) bool {
	return name != "" && len(utf16.Encode([]rune(name))) <= excelize.MaxSheetNameLength &&
		!strings.HasPrefix(name, "'") && !strings.HasSuffix(name, "'") && !strings.ContainsAny(name, ":\\/?*[]")
}

// decodePart decodes a small part with encoding/xml. Strict OOXML and other
// encodings are refused.
func decodePart(files map[string]*zip.File, name string, v any) error {
	e := files[name]
	if e == nil {
		return fmt.Errorf("%w: %s missing", errSheetXML, name)
	}
	b, err := readPart(e, 32<<20)
	if err != nil {
		return err
	}
	if bytes.Contains(b, []byte("purl.oclc.org")) {
		return fmt.Errorf("%w: %s: strict OOXML", errSheetXML, name)
	}
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("%w: %s: %v", errSheetXML, name, err)
	}
	return nil
}

func readPart(e *zip.File, limit int64) ([]byte, error) {
	if e.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: %s too large", errSheetXML, e.Name)
	}
	rc, err := e.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errSheetXML, e.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errSheetXML, e.Name, err)
	}
	return b, nil
}

// checkOtherPart unzips a part the fast reader does not read, to its
// checksum, and checks those excelize parses when it opens a workbook (or
// checks for damage) the way they could fail there.
func checkOtherPart(name string, e *zip.File) error {
	low := strings.ToLower(name)
	switch {
	case strings.HasPrefix(low, "xl/worksheets/") && strings.HasSuffix(low, ".xml") && !strings.Contains(low, "/_rels/"):
		// a sheet part no sheet uses: excelize's path still checks it is whole
		return fmt.Errorf("%w: %s is no sheet's part", errSheetXML, name)
	case rootOf[name] != "", strings.HasPrefix(low, "xl/") && strings.HasSuffix(low, ".rels"):
		b, err := readPart(e, 64<<20)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("purl.oclc.org")) {
			return fmt.Errorf("%w: %s: strict OOXML", errSheetXML, name)
		}
		d := xml.NewDecoder(bytes.NewReader(b))
		root := true
		for {
			tok, err := d.Token()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%w: %s: %v", errSheetXML, name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && root {
				root = false
				if want := rootOf[name]; want != "" && se.Name.Space+" "+se.Name.Local != want {
					return fmt.Errorf("%w: %s: root element %s", errSheetXML, name, se.Name.Local)
				}
			}
		}
	}
	rc, err := e.Open()
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errSheetXML, name, err)
	}
	defer rc.Close()
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return fmt.Errorf("%w: %s: %v", errSheetXML, name, err)
	}
	return nil
}

// rootOf is the root element, namespace and name, of the parts excelize
// decodes as it opens a workbook or reads its first row.
var rootOf = map[string]string{
	"xl/styles.xml":       nsMain + " styleSheet",
	"xl/calcChain.xml":    nsMain + " calcChain",
	"xl/theme/theme1.xml": "http://schemas.openxmlformats.org/drawingml/2006/main theme",
	"[Content_Types].xml": "http://schemas.openxmlformats.org/package/2006/content-types Types",
}

// prefetchReader unzips a large part in a goroutine, a chunk ahead of the
// scanner, so that a second core does the decompression.
type prefetchReader struct {
	full chan prefetchChunk
	free chan []byte
	done chan struct{}
	// exited is closed when the goroutine has stopped reading
	exited chan struct{}
	cur    []byte
	buf    []byte
	err    error
}

type prefetchChunk struct {
	b   []byte
	err error
}

func newPrefetchReader(r io.Reader) *prefetchReader {
	p := &prefetchReader{full: make(chan prefetchChunk, 2), free: make(chan []byte, 3), done: make(chan struct{}), exited: make(chan struct{})}
	for range 3 {
		p.free <- make([]byte, 256<<10)
	}
	go func() {
		defer close(p.exited)
		for {
			var b []byte
			select {
			case b = <-p.free:
			case <-p.done:
				return
			}
			n, err := io.ReadFull(r, b)
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			select {
			case p.full <- prefetchChunk{b[:n], err}:
			case <-p.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *prefetchReader) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		if p.buf != nil {
			p.free <- p.buf[:cap(p.buf)]
			p.buf = nil
		}
		c := <-p.full
		p.cur, p.buf, p.err = c.b, c.b, c.err
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// stop ends the goroutine and waits for it; the part's reader may be
// closed after it.
func (p *prefetchReader) stop() {
	close(p.done)
	<-p.exited
}

// tailKeeper passes a stream through and keeps its last max bytes. With
// sheet set it keeps, once a worksheet's </sheetData> has passed, all that
// follows, however long: the merged ranges are there, and an office's sheet
// of a counsellor per ten members has tens of thousands of them (keeping
// only the last max bytes lost the earlier ranges silently).
type tailKeeper struct {
	r     io.Reader
	max   int
	sheet bool
	tail  []byte
	carry []byte // the stream's last bytes before this read, to find a tag cut by a read
	after bool   // </sheetData> has passed: tail is everything from it
}

func (t *tailKeeper) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n == 0 {
		return n, err
	}
	b := p[:n]
	switch {
	case t.after:
		t.tail = append(t.tail, b...)
		return n, err
	case t.sheet:
		probe := append(t.carry, b...)
		if i := closingSheetData(probe); i >= 0 {
			t.tail = append(t.tail[:0], probe[i:]...)
			t.after = true
			return n, err
		}
		t.carry = append(t.carry[:0], probe[max(0, len(probe)-tagCarry):]...)
	}
	if len(t.tail)+n > 2*t.max { // keep the last max bytes: a copy per max bytes read
		keep := max(0, t.max-n)
		t.tail = append(t.tail[:0], t.tail[len(t.tail)-keep:]...)
		if len(b) > t.max {
			b = b[len(b)-t.max:]
		}
	}
	t.tail = append(t.tail, b...)
	return n, err
}

// last returns the last max bytes read, or with sheet everything from
// </sheetData> on.
func (t *tailKeeper) last() []byte {
	if t.after {
		return t.tail
	}
	return t.tail[max(0, len(t.tail)-t.max):]
}

// tagCarry is how many bytes of a stream are carried into the next read to
// find a closing </…:sheetData> cut by the read: the tag with a long prefix.
const tagCarry = 64

// closingSheetData is the index in b of the first closing sheetData tag
// (</sheetData>, or with a namespace prefix, </x:sheetData>), or -1.
func closingSheetData(b []byte) int {
	const name = "sheetData>"
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(name))
		if i < 0 {
			return -1
		}
		i += off
		j := i - 1
		for j >= 0 && b[j] != '/' && b[j] != '<' && i-j < tagCarry-len(name) {
			j--
		}
		if j >= 1 && b[j] == '/' && b[j-1] == '<' && (j == i-1 || b[i-1] == ':') {
			return j - 1
		}
		off = i + len(name)
	}
}

// readSharedStrings reads xl/sharedStrings.xml: each <si>'s text, its rich
// text runs concatenated, phonetic runs left out, _xHHHH_ escapes decoded,
// as excelize's xlsxSI.String gives it.
func readSharedStrings(e *zip.File) ([]string, error) {
	rc, err := e.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errSheetXML, err)
	}
	defer rc.Close()
	tk := &tailKeeper{r: rc, max: 64}
	s := newXMLScanner(tk, 64<<10)
	var out []string
	var item []byte
	root := false
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokEOF:
			if !root {
				return nil, fmt.Errorf("%w: no sst element", errSheetXML)
			}
			if !bytes.HasSuffix(bytes.TrimRight(tk.last(), " \t\r\n\x00"), []byte("sst>")) {
				return nil, fmt.Errorf("%w: cut off", errSheetXML)
			}
			return out, nil
		case tokStart:
			switch s.depth() {
			case 1:
				if root || string(s.local) != "sst" || namespaceOf(s) != nsMain {
					return nil, s.fail("root is not the main namespace's sst")
				}
				root = true
				for _, a := range s.attrs {
					if (string(a.local) == "count" || string(a.local) == "uniqueCount") && !intAttr(a.value) {
						return nil, s.fail("bad count")
					}
				}
			case 2:
				if string(s.local) != "si" {
					return nil, s.fail("%s in the shared strings", s.local)
				}
				v, err := readStringItem(s, item[:0])
				if err != nil {
					return nil, err
				}
				item = v
				out = append(out, string(v))
			}
		}
	}
}

// namespaceOf resolves the current start tag's namespace from its own
// declarations only (enough for a root element).
func namespaceOf(s *xmlScanner) string {
	prefix := ""
	if len(s.local) != len(s.name) {
		prefix = string(s.name[:len(s.name)-len(s.local)-1])
	}
	for _, a := range s.attrs {
		if prefix == "" && !a.prefixed && string(a.local) == "xmlns" {
			return string(a.value)
		}
		if prefix != "" && a.prefixed && string(a.local) == prefix {
			return string(a.value)
		}
	}
	return ""
}

func intAttr(v []byte) bool {
	t := strings.TrimSpace(string(v))
	if t == "" {
		return true
	}
	_, err := strconv.ParseInt(t, 10, 64)
	return err == nil
}

func uintAttr(v []byte, bits int) bool {
	t := strings.TrimSpace(string(v))
	if t == "" {
		return true
	}
	_, err := strconv.ParseUint(t, 10, bits)
	return err == nil
}

func boolAttr(v []byte) bool {
	t := strings.TrimSpace(string(v))
	if t == "" {
		return true
	}
	_, err := strconv.ParseBool(t)
	return err == nil
}

func floatAttr(v []byte) bool {
	t := strings.TrimSpace(string(v))
	if t == "" {
		return true
	}
	_, err := strconv.ParseFloat(t, 64)
	return err == nil
}

// skipElement skips the rest of the element whose start tag was just read.
func skipElement(s *xmlScanner) error {
	d := s.depth()
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokEOF:
			return s.fail("unexpected end of input")
		case tokEnd:
			if s.depth() < d {
				return nil
			}
		}
	}
}

// elementText returns the text directly inside the element whose start tag
// was just read, nested elements skipped, as encoding/xml decodes a string.
func elementText(s *xmlScanner, into []byte) ([]byte, error) {
	d := s.depth()
	out := into[:0]
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokEOF:
			return nil, s.fail("unexpected end of input")
		case tokText:
			if s.depth() == d {
				out = append(out, s.text...)
			}
		case tokStart:
			if err := checkRunAttrs(s); err != nil {
				return nil, err
			}
		case tokEnd:
			if s.depth() < d {
				return out, nil
			}
		}
	}
}

// readStringItem reads an <si> or <is> whose start tag was just read, as
// excelize decodes it into xlsxSI and turns it into text: the last direct
// <t>, then each run's last <t>; <rPh> runs are not part of the text. The
// text is appended to out.
func readStringItem(s *xmlScanner, out []byte) ([]byte, error) {
	d := s.depth()
	start := len(out)
	t := s.itemT[:0] // string items do not nest: one buffer serves them all
	var runs []byte
	defer func() { s.itemT = t }()
	for {
		if err := s.next(); err != nil {
			return out, err
		}
		switch s.kind {
		case tokEOF:
			return out, s.fail("unexpected end of input")
		case tokStart:
			if err := checkRunAttrs(s); err != nil {
				return out, err
			}
			switch {
			case s.depth() == d+1 && string(s.local) == "t":
				v, err := elementText(s, t)
				if err != nil {
					return out, err
				}
				t = v
			case s.depth() == d+1 && string(s.local) == "r":
				rt, err := readRun(s)
				if err != nil {
					return out, err
				}
				runs = append(runs, rt...)
			}
		case tokEnd:
			if s.depth() < d {
				out = append(out, t...)
				out = append(out, runs...)
				if bytes.Contains(out[start:], []byte("_x")) {
					u := unescapeBSTR(string(out[start:]))
					out = append(out[:start], u...)
				}
				return out, nil
			}
		}
	}
}

// readRun reads a rich text run <r> whose start tag was just read: the text
// of its last direct <t>.
func readRun(s *xmlScanner) ([]byte, error) {
	d := s.depth()
	var t []byte
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokEOF:
			return nil, s.fail("unexpected end of input")
		case tokStart:
			if err := checkRunAttrs(s); err != nil {
				return nil, err
			}
			if s.depth() == d+1 && string(s.local) == "t" {
				v, err := elementText(s, nil)
				if err != nil {
					return nil, err
				}
				t = v
			}
		case tokEnd:
			if s.depth() < d {
				return t, nil
			}
		}
	}
}

// checkRunAttrs refuses the attribute values inside a string item that
// encoding/xml could not convert to excelize's typed fields (run fonts,
// colours, phonetic runs): excelize would drop the text there.
func checkRunAttrs(s *xmlScanner) error {
	for _, a := range s.attrs {
		ok := true
		switch string(s.local) {
		case "charset", "family":
			ok = string(a.local) != "val" || intAttr(a.value)
		case "b", "i", "strike", "outline", "shadow", "condense", "extend":
			ok = string(a.local) != "val" || boolAttr(a.value)
		case "sz":
			ok = string(a.local) != "val" || floatAttr(a.value)
		case "color":
			switch string(a.local) {
			case "auto":
				ok = boolAttr(a.value)
			case "indexed", "theme":
				ok = intAttr(a.value)
			case "tint":
				ok = floatAttr(a.value)
			}
		case "rPh":
			if string(a.local) == "sb" || string(a.local) == "eb" {
				ok = uintAttr(a.value, 32)
			}
		case "phoneticPr":
			ok = string(a.local) != "fontId" || intAttr(a.value)
		}
		if !ok {
			return s.fail("attribute value excelize cannot read")
		}
	}
	return nil
}

// unescapeBSTR decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold, as excelize does: _x005F_ is "_", a UTF-16 surrogate is
// dropped.
func unescapeBSTR(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' && isHex4(s[i+2:i+6]) {
			if s[i+2:i+6] == "005F" {
				b.WriteByte('_')
			} else if v, err := strconv.Unquote(`"\u` + s[i+2:i+6] + `"`); err == nil {
				b.WriteString(v)
			}
			i += 7
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// parseSheetXML reads the rows of a worksheet part as excelize's iterator
// with raw values gives them: a row's number from its r attribute or one more
// than the last; a cell's column from its r or one more than the last cell's;
// a cell kept when it has a value or a formula, the cells before it padded
// with ""; shared strings looked up, inline strings' text, every other type's
// <v> as stored. Reading stops at </sheetData>; the rest of the part is not
// parsed (the caller keeps its tail for the merged ranges).
func parseSheetXML(r io.Reader, sst []string) ([]sheetXMLRow, error) {
	s := newXMLScanner(r, 256<<10)
	var rows []sheetXMLRow
	last := 0 // number of the last row
	open := false
	col := 0
	var arena []byte // the current row's cell texts, one string per row
	var spans [][2]int
	flush := func() {
		if !open {
			return
		}
		if len(spans) > 0 { // else nil, as excelize gives a row without values
			text := string(arena)
			out := make([]string, len(spans))
			for i, sp := range spans {
				out[i] = text[sp[0]:sp[1]]
			}
			rows[len(rows)-1].cells = out
		}
		arena, spans = arena[:0], spans[:0]
	}
	var cr cellReader
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokEOF:
			flush()
			return rows, nil
		case tokEnd:
			if string(s.local) == "sheetData" {
				flush()
				// excelize's iterator goes on to the end looking for another
				// <row>; there is none in a part Excel writes
				rest, err := s.rest()
				if err != nil {
					return nil, err
				}
				if hasRowElement(rest) {
					return nil, fmt.Errorf("%w: row element after sheetData", errSheetXML)
				}
				return rows, nil
			}
		case tokStart:
			switch string(s.local) {
			case "row":
				n := 0
				for _, a := range s.attrs {
					if string(a.local) == "r" {
						k, ok := atoi(a.value)
						if !ok {
							return nil, s.fail("row number %q", a.value)
						}
						n = k
					}
				}
				if n == 0 {
					n = last + 1
				}
				if n <= last || n > maxRows {
					return nil, s.fail("row %d after row %d", n, last)
				}
				flush()
				rows = append(rows, sheetXMLRow{n: n})
				last, open, col = n, true, 0
			case "c":
				if !open {
					if err := skipElement(s); err != nil {
						return nil, err
					}
					continue
				}
				typ, ref, refCol := cellOther, false, 0
				for _, a := range s.attrs {
					switch string(a.local) {
					case "r":
						ref = len(a.value) > 0
						if ref {
							c, ok := cellColumn(a.value)
							if !ok {
								return nil, s.fail("cell reference")
							}
							refCol = c
						}
					case "s":
						if _, ok := atoi(a.value); !ok {
							return nil, s.fail("cell style %q", a.value)
						}
					case "t":
						switch string(a.value) {
						case "s":
							typ = cellShared
						case "inlineStr":
							typ = cellInline
						default:
							typ = cellOther
						}
					}
				}
				col++
				if ref {
					col = refCol
				}
				if err := cr.read(s); err != nil {
					return nil, err
				}
				val := cr.v
				switch {
				case typ == cellShared && len(cr.v) > 0:
					k, err := strconv.Atoi(strings.TrimSpace(string(cr.v)))
					if err != nil {
						k = 0
					}
					if k < 0 || k >= len(sst) {
						return nil, s.fail("shared string %d of %d", k, len(sst))
					}
					val = append(cr.scratch[:0], sst[k]...)
					cr.scratch = val
				case typ == cellInline && cr.hasIS:
					val = cr.is
				}
				if len(val) > 0 || cr.hasF {
					// a column at or left of the last cell's is appended all the
					// same, as excelize does
					for len(spans) < col-1 {
						spans = append(spans, [2]int{len(arena), len(arena)})
					}
					st := len(arena)
					arena = append(arena, val...)
					spans = append(spans, [2]int{st, len(arena)})
				}
			}
		}
	}
}

// atoi is strconv.Atoi on bytes, without allocating for plain digits.
func atoi(b []byte) (int, bool) {
	if len(b) > 0 && len(b) <= 18 {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				k, err := strconv.Atoi(string(b))
				return k, err == nil
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	k, err := strconv.Atoi(string(b))
	return k, err == nil
}

// Cell types as the fast reader tells them apart.
const (
	cellOther  = iota // n, b, e, str, d, none: the <v> as stored
	cellShared        // s: an index into the shared strings
	cellInline        // inlineStr: the <is> text
)

// cellReader reads the inside of a <c>, reusing its buffers.
type cellReader struct {
	v, is, scratch []byte
	hasF, hasIS    bool
}

// read reads a <c> whose start tag was just read: its last <v>'s text,
// whether it has a formula, and its inline string.
func (c *cellReader) read(s *xmlScanner) error {
	d := s.depth()
	c.v, c.is, c.hasF, c.hasIS = c.v[:0], c.is[:0], false, false
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokEOF:
			return s.fail("unexpected end of input")
		case tokStart:
			switch string(s.local) {
			case "v":
				t, err := elementText(s, c.v)
				if err != nil {
					return err
				}
				c.v = t
			case "f":
				for _, a := range s.attrs {
					ok := true
					switch string(a.local) {
					case "aca", "dt2D", "dtr", "del1", "del2", "ca", "bx":
						ok = boolAttr(a.value)
					case "si":
						ok = intAttr(a.value)
					}
					if !ok {
						return s.fail("formula attribute")
					}
				}
				c.hasF = true
				if err := skipElement(s); err != nil {
					return err
				}
			case "is":
				t, err := readStringItem(s, c.is[:0])
				if err != nil {
					return err
				}
				c.is, c.hasIS = t, true
			case "c", "row", "sheetData":
				return s.fail("%s inside a cell", s.local)
			}
		case tokEnd:
			if s.depth() < d {
				return nil
			}
		}
	}
}

// cellColumn returns the 1-based column of a cell reference as excelize's
// CellNameToCoordinates reads it.
func cellColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for i < len(ref) && i < 3 && 'A' <= ref[i] && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	j := i
	row := 0
	for j < len(ref) && j-i < 7 && '0' <= ref[j] && ref[j] <= '9' {
		row = row*10 + int(ref[j]-'0')
		j++
	}
	if i > 0 && j == len(ref) && j > i && ref[i] != '0' && row <= maxRows && col <= excelize.MaxColumns {
		return col, true
	}
	c, _, err := excelize.CellNameToCoordinates(string(ref))
	return c, err == nil
}

// hasRowElement reports whether XML after </sheetData> has a <row> start tag,
// prefixed or not.
func hasRowElement(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("row"))
		if i < 0 {
			return false
		}
		if i > 0 && (b[i-1] == '<' || b[i-1] == ':') && i+3 < len(b) && (isSpace(b[i+3]) || b[i+3] == '>' || b[i+3] == '/') {
			return true
		}
		b = b[i+3:]
	}
}

// errorsIsSheetXML reports whether err is the fast reader declining a file.
func errorsIsSheetXML(err error) bool { return errors.Is(err, errSheetXML) }
