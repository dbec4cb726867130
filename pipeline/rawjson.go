package pipeline

import (
	"slices"
	"unicode/utf8"
)

// rawJSON encodes a record's cells (Record.Raw, Record.Extra) as a JSON
// object, byte for byte as encoding/json.Marshal does: keys sorted, HTML
// characters and U+2028/U+2029 escaped, invalid UTF-8 as U+FFFD. Handed a
// map for a JSON column, the appender marshals it through reflection (at
// 1M persons 30 of ingest's 418 CPU s); handed json.RawMessage, it
// validates and compacts it at about the same cost. The record appender
// hands this text to DuckDB as VARCHAR, which casts it to JSON.
type rawJSON struct {
	buf  []byte
	keys []string
}

// encode returns the JSON of m ("null" for a nil map); the string is a copy
// the caller may keep.
func (e *rawJSON) encode(m map[string]string) string {
	if m == nil {
		return "null"
	}
	e.keys = e.keys[:0]
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys)
	b := append(e.buf[:0], '{')
	for i, k := range e.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	b = append(b, '}')
	e.buf = b
	return string(b)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping on.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
