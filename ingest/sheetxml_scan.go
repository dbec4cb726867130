package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a hand-rolled, pull-style XML tokenizer for the parts of an
// xlsx package: start tags with their attributes, end tags and text, with
// entities decoded and line ends normalised as encoding/xml does.
//
// It is strict where encoding/xml is strict (mismatched tags, bad entities,
// invalid UTF-8, characters XML forbids, unquoted attributes), because
// excelize's iterator ends a sheet quietly at the first such error: a file
// the scanner rejects is read by excelize instead, so the two never disagree.
// It rejects, rather than interprets, what a sheet part never holds: a
// DOCTYPE, a declared encoding other than UTF-8, names outside ASCII.
type xmlScanner struct {
	rd      io.Reader
	buf     []byte
	pos     int // next unread byte in buf
	end     int // end of the valid bytes in buf
	eof     bool
	readErr error
	offset  int64 // file offset of buf[0], for error messages

	// the current token
	kind      tokenKind
	name      []byte // raw qualified name of a start or end tag
	local     []byte // name after the prefix
	attrs     []xmlAttr
	text      []byte // decoded text of a text token
	tbuf      []byte // where decoded text is assembled
	abuf      []byte // where decoded attribute values are assembled
	itemT     []byte // the <t> text of the string item being read
	pendEnd   bool   // a self-closing tag owes its end token
	stack     []byte // names of the open elements, each followed by a 0
	stackEnds []int
	sawRoot   bool
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokStart
	tokEnd
	tokText
)

// xmlAttr is one attribute of the current start tag; value is decoded.
type xmlAttr struct {
	local, value []byte
	prefixed     bool
}

// errSheetXML marks what the scanner cannot or will not read; the caller
// falls back to excelize.
var errSheetXML = errors.New("sheetxml")

func (s *xmlScanner) fail(format string, args ...any) error {
	return fmt.Errorf("%w: byte %d: %s", errSheetXML, s.offset+int64(s.pos), fmt.Sprintf(format, args...))
}

func newXMLScanner(r io.Reader, size int) *xmlScanner {
	return &xmlScanner{rd: r, buf: make([]byte, size)}
}

// more reads more input, keeping buf[pos:end]; it reports false at the end
// of input (or on a read error, kept in readErr).
func (s *xmlScanner) more() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.offset += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.rd.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.readErr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// next reads the next token. Comments and processing instructions are
// skipped; CDATA is text.
func (s *xmlScanner) next() error {
	if s.pendEnd {
		s.pendEnd = false
		s.kind = tokEnd
		return s.pop()
	}
	for {
		if s.pos >= s.end && !s.more() {
			if s.readErr != nil {
				return s.readErr
			}
			if len(s.stackEnds) > 0 {
				return s.fail("unexpected end of input")
			}
			s.kind = tokEOF
			return nil
		}
		if s.buf[s.pos] != '<' {
			return s.scanText()
		}
		if !s.ensure(2) {
			return s.fail("unexpected end of input")
		}
		switch s.buf[s.pos+1] {
		case '/':
			return s.scanEnd()
		case '?':
			if err := s.skipPI(); err != nil {
				return err
			}
		case '!':
			if !s.ensure(9) {
				return s.fail("unexpected end of input")
			}
			switch {
			case bytes.HasPrefix(s.buf[s.pos:], []byte("<!--")):
				if err := s.skipPast(4, "-->"); err != nil {
					return err
				}
			case bytes.HasPrefix(s.buf[s.pos:], []byte("<![CDATA[")):
				return s.scanCDATA()
			default:
				return s.fail("directive not supported")
			}
		default:
			return s.scanStart()
		}
	}
}

// ensure makes n bytes from pos available.
func (s *xmlScanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.more() {
			return false
		}
	}
	return true
}

// index finds sep at or after pos+from, reading more as needed; it returns
// the offset from pos, or -1 at the end of input.
func (s *xmlScanner) index(from int, sep string) int {
	for {
		var i int
		if len(sep) == 1 {
			i = bytes.IndexByte(s.buf[s.pos+from:s.end], sep[0])
		} else {
			i = indexString(s.buf[s.pos+from:s.end], sep)
		}
		if i >= 0 {
			return from + i
		}
		from = max(from, s.end-s.pos-len(sep)+1)
		if !s.more() {
			return -1
		}
	}
}

func (s *xmlScanner) skipPast(from int, sep string) error {
	i := s.index(from, sep)
	if i < 0 {
		return s.fail("unexpected end of input")
	}
	s.pos += i + len(sep)
	return nil
}

// skipPI skips a processing instruction; the XML declaration must declare
// version 1.0 and UTF-8, if any encoding.
func (s *xmlScanner) skipPI() error {
	i := s.index(2, "?>")
	if i < 0 {
		return s.fail("unexpected end of input")
	}
	pi := s.buf[s.pos+2 : s.pos+i]
	s.pos += i + 2
	target, rest, _ := bytes.Cut(pi, []byte(" "))
	if len(target) == 0 || !validName(target) {
		return s.fail("bad processing instruction")
	}
	if string(target) != "xml" {
		return nil
	}
	if v := piAttr(rest, "version"); v != nil && string(v) != "1.0" {
		return s.fail("xml version %q", v)
	}
	if e := piAttr(rest, "encoding"); e != nil && !bytes.EqualFold(e, []byte("utf-8")) {
		return s.fail("encoding %q", e)
	}
	return nil
}

// piAttr finds name="value" in the XML declaration.
func piAttr(b []byte, name string) []byte {
	i := bytes.Index(b, []byte(name))
	if i < 0 {
		return nil
	}
	b = bytes.TrimLeft(b[i+len(name):], " \t\r\n")
	if len(b) == 0 || b[0] != '=' {
		return nil
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
		return nil
	}
	q := b[0]
	j := bytes.IndexByte(b[1:], q)
	if j < 0 {
		return nil
	}
	return b[1 : 1+j]
}

// scanText reads text up to the next '<'.
func (s *xmlScanner) scanText() error {
	i := s.index(0, "<")
	if i < 0 {
		i = s.end - s.pos // text at the end of input
	}
	raw := s.buf[s.pos : s.pos+i]
	s.pos += i
	if bytes.Contains(raw, []byte("]]>")) {
		return s.fail("]]> in text")
	}
	t, err := s.decode(raw, &s.tbuf, true)
	if err != nil {
		return err
	}
	s.kind, s.text = tokText, t
	return nil
}

func (s *xmlScanner) scanCDATA() error {
	i := s.index(9, "]]>")
	if i < 0 {
		return s.fail("unexpected end of input in CDATA")
	}
	raw := s.buf[s.pos+9 : s.pos+i]
	s.pos += i + 3
	t, err := s.decode(raw, &s.tbuf, false)
	if err != nil {
		return err
	}
	s.kind, s.text = tokText, t
	return nil
}

// decode returns raw with entities decoded (when entities is true) and line
// ends normalised, after checking that every character is one XML allows.
// The result is raw itself when nothing needed changing.
func (s *xmlScanner) decode(raw []byte, into *[]byte, entities bool) ([]byte, error) {
	plain, ascii := true, true
	for i, b := range raw {
		if b >= 0x20 && b < 0x80 {
			if b == '&' && entities {
				plain = false
			}
			continue
		}
		switch {
		case b == '\r':
			plain = false
		case b < 0x20 && b != '\t' && b != '\n':
			return nil, s.fail("illegal character code %U", rune(b))
		case b >= 0x80:
			ascii = false
			if b == 0xEF && i+2 < len(raw) && raw[i+1] == 0xBF && (raw[i+2] == 0xBE || raw[i+2] == 0xBF) {
				return nil, s.fail("illegal character code U+FFFE or U+FFFF")
			}
		}
	}
	if !ascii && !utf8.Valid(raw) {
		return nil, s.fail("invalid UTF-8")
	}
	if plain {
		return raw, nil
	}
	out := (*into)[:0]
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		switch {
		case b == '\r':
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case b == '&' && entities:
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return nil, s.fail("invalid character entity (no semicolon)")
			}
			r, ok := entityRune(raw[i+1 : i+j])
			if !ok {
				return nil, s.fail("invalid character entity")
			}
			out = utf8.AppendRune(out, r)
			i += j
		default:
			out = append(out, b)
		}
	}
	*into = out
	return out, nil
}

// entityRune decodes the name between & and ; as encoding/xml does, and
// refuses what it would refuse, characters XML forbids included.
func entityRune(e []byte) (rune, bool) {
	switch string(e) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	base, digits := 10, e[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	r := rune(n)
	if 0xD800 <= r && r <= 0xDFFF {
		r = utf8.RuneError // as string(rune(n)) gives it
	}
	if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
		return 0, false
	}
	return r, true
}

// nameByte marks the bytes of an ASCII XML name.
var nameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
	}
	return t
}()

func (s *xmlScanner) scanStart() error {
	for {
		n, self, err := s.parseStart()
		if err != nil {
			return err
		}
		if n > 0 {
			s.pos += n
			s.stackEnds = append(s.stackEnds, len(s.stack))
			s.stack = append(s.stack, s.name...)
			s.kind = tokStart
			s.sawRoot = true
			s.pendEnd = self
			return nil
		}
		if !s.more() {
			return s.fail("unexpected end of input in a tag")
		}
	}
}

// parseStart parses the start tag at pos in one pass: its length, or 0 when
// the buffer ends first.
func (s *xmlScanner) parseStart() (n int, self bool, err error) {
	b := s.buf[s.pos:s.end]
	i := 1
	for i < len(b) && nameByte[b[i]] {
		i++
	}
	if i == len(b) {
		return 0, false, nil
	}
	name := b[1:i]
	if !validName(name) {
		return 0, false, s.fail("invalid element name")
	}
	s.name, s.local = name, localName(name)
	s.attrs = s.attrs[:0]
	for {
		sp := i
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, false, nil
		}
		switch b[i] {
		case '>':
			return i + 1, false, nil
		case '/':
			if i+1 == len(b) {
				return 0, false, nil
			}
			if b[i+1] != '>' {
				return 0, false, s.fail("expected /> in element")
			}
			return i + 2, true, nil
		}
		if i == sp && len(s.attrs) == 0 {
			return 0, false, s.fail("invalid element name")
		}
		st := i
		for i < len(b) && nameByte[b[i]] {
			i++
		}
		an := b[st:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, false, nil
		}
		if !validName(an) {
			return 0, false, s.fail("invalid attribute name")
		}
		if b[i] != '=' {
			return 0, false, s.fail("attribute without a value")
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return 0, false, nil
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, false, s.fail("unquoted attribute value")
		}
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			return 0, false, nil
		}
		v := b[i+1 : i+1+j]
		i += j + 2
		if !plainASCII(v) {
			if bytes.IndexByte(v, '<') >= 0 {
				return 0, false, s.fail("unescaped < inside quoted string")
			}
			var tmp []byte
			d, err := s.decode(v, &tmp, true)
			if err != nil {
				return 0, false, err
			}
			v = d
		}
		l := localName(an)
		s.attrs = append(s.attrs, xmlAttr{local: l, value: v, prefixed: len(l) != len(an)})
	}
}

func (s *xmlScanner) scanEnd() error {
	for {
		b := s.buf[s.pos:s.end]
		i := 2
		for i < len(b) && nameByte[b[i]] {
			i++
		}
		name := b[2:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			if !s.more() {
				return s.fail("unexpected end of input in a tag")
			}
			continue
		}
		if b[i] != '>' {
			return s.fail("invalid end tag")
		}
		s.pos += i + 1
		if len(s.stackEnds) == 0 {
			return s.fail("unexpected end element")
		}
		top := s.stack[s.stackEnds[len(s.stackEnds)-1]:]
		if !bytes.Equal(top, name) {
			return s.fail("element closed by another")
		}
		s.name, s.local = name, localName(name)
		s.kind = tokEnd
		s.stackEnds = s.stackEnds[:len(s.stackEnds)-1]
		s.stack = s.stack[:len(s.stack)-len(name)]
		return nil
	}
}

// pop ends the self-closed element on top of the stack.
func (s *xmlScanner) pop() error {
	i := s.stackEnds[len(s.stackEnds)-1]
	s.name = s.stack[i:]
	s.local = localName(s.name)
	s.stackEnds = s.stackEnds[:len(s.stackEnds)-1]
	s.stack = s.stack[:i]
	return nil
}

// depth is the number of open elements; the current start tag counts.
func (s *xmlScanner) depth() int { return len(s.stackEnds) }

// rest returns the input not yet read, all of it.
func (s *xmlScanner) rest() ([]byte, error) {
	var out []byte
	out = append(out, s.buf[s.pos:s.end]...)
	s.pos = s.end
	for s.more() {
		out = append(out, s.buf[s.pos:s.end]...)
		s.pos = s.end
	}
	return out, s.readErr
}

func (s *xmlScanner) attr(local string) ([]byte, bool) {
	var v []byte
	ok := false
	for _, a := range s.attrs {
		if string(a.local) == local {
			v, ok = a.value, true
		}
	}
	return v, ok
}

func localName(name []byte) []byte {
	for i, c := range name {
		if c == ':' {
			return name[i+1:]
		}
	}
	return name
}

// validName accepts ASCII XML names with at most one colon.
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	colons := 0
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case c == ':':
			colons++
			if i == 0 || i == len(b)-1 {
				return false
			}
		case '0' <= c && c <= '9', c == '.', c == '-':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return colons <= 1
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return trimRightSpace(b)
}

func trimRightSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// plainASCII reports whether b is printable ASCII without '&' or '<': text
// that needs neither decoding nor checking.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7E || c == '&' || c == '<' {
			return false
		}
	}
	return true
}

// indexString is bytes.Index with a string separator, without converting it.
func indexString(b []byte, sep string) int {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], sep[0])
		if j < 0 || i+j+len(sep) > len(b) {
			return -1
		}
		if string(b[i+j:i+j+len(sep)]) == sep {
			return i + j
		}
		i += j + 1
	}
}
