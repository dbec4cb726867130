package ingest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSheetXML feeds arbitrary bytes to the sheet-XML scanner as a
// worksheet part: it must neither panic nor hang, and whatever it accepts it
// must read as excelize's iterator (encoding/xml underneath) does.
func FuzzSheetXML(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>1.5</v></c></row>`,
		`<row><c t="inlineStr"><is><r><t>a</t></r><r><t xml:space="preserve"> b</t></r></is></c><c/><c t="b"><v>1</v></c></row>`,
		"<row r=\"3\"><c r=\"B3\" t=\"str\"><f>A1</f><v>&lt;x&#x4E2D;<![CDATA[&]]>\r\n</v></c></row>",
		`<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c><v>2</v></c></row>`,
		`<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="AA1" t="d"><v>2024-01-01</v></c><!-- c --></row>`,
	} {
		f.Add([]byte(sheetHead + s + sheetFoot))
	}
	f.Add([]byte("<worksheet><sheetData><row"))
	f.Add([]byte{})
	tmpl := sheetXMLTemplate(f)
	sst := []string{"共享一", "共享二 "}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseSheetXML(bytes.NewReader(data), sst)
		if err != nil {
			return
		}
		_ = rows
		if !bytes.HasSuffix(bytes.TrimRight(data, " \t\r\n\x00"), []byte("worksheet>")) {
			return // the whole reader declines it (cut off)
		}
		checkSame(t, withSheetXML(t, tmpl, data), true)
	})
}

// FuzzSheetXMLCells builds well-formed sheets from fuzz data (values
// escaped with encoding/xml): the fast reader must read every one, and as
// excelize does.
func FuzzSheetXMLCells(f *testing.F) {
	f.Add([]byte("\x00A1\x01张三\x02 x \x03<&>\x04_x000D_\x05\x06\x07\n"))
	f.Add([]byte("\x10\x11\x12 1 \x13\x14"))
	tmpl := sheetXMLTemplate(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var b strings.Builder
		b.WriteString(sheetHead)
		row, col := 0, 0
		open := false
		for len(data) > 0 {
			op := data[0]
			data = data[1:]
			n := min(len(data), int(op>>4)+1)
			val := sanitizeXMLText(string(data[:n]))
			data = data[n:]
			switch op & 0x0F {
			case 0, 1: // a new row, with or without r
				if open {
					b.WriteString("</row>")
				}
				row += int(op>>4)%3 + 1
				if op&1 == 0 {
					fmt.Fprintf(&b, `<row r="%d">`, row)
				} else {
					b.WriteString("<row>")
				}
				open, col = true, 0
				continue
			}
			if !open {
				row++
				fmt.Fprintf(&b, `<row r="%d">`, row)
				open, col = true, 0
			}
			col += int(op>>4)%2 + 1
			ref := ""
			if op&0x20 == 0 {
				ref = fmt.Sprintf(` r="%s%d"`, columnLetter(col), row)
			}
			esc := func(s string) string {
				var e bytes.Buffer
				_ = xml.EscapeText(&e, []byte(s))
				return e.String()
			}
			switch op & 0x0F {
			case 2:
				fmt.Fprintf(&b, `<c%s t="s"><v>%d</v></c>`, ref, len(val)%2)
			case 3:
				fmt.Fprintf(&b, `<c%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, esc(val))
			case 4:
				fmt.Fprintf(&b, `<c%s t="inlineStr"><is><r><rPr><b/></rPr><t>%s</t></r><r><t>%s</t></r></is></c>`, ref, esc(val), esc(strings.ToUpper(val)))
			case 5:
				fmt.Fprintf(&b, `<c%s t="str"><f>A1&amp;"x"</f><v>%s</v></c>`, ref, esc(val))
			case 6:
				fmt.Fprintf(&b, `<c%s><f>1+1</f></c>`, ref)
			case 7:
				fmt.Fprintf(&b, `<c%s t="b"><v>%d</v></c>`, ref, len(val)%2)
			case 8:
				fmt.Fprintf(&b, `<c%s/>`, ref)
			case 9:
				fmt.Fprintf(&b, `<c%s t="e"><v>#DIV/0!</v></c>`, ref)
			default:
				fmt.Fprintf(&b, `<c%s><v>%s</v></c>`, ref, esc(val))
			}
		}
		if open {
			b.WriteString("</row>")
		}
		b.WriteString(sheetFoot)
		checkSame(t, withSheetXML(t, tmpl, []byte(b.String())), false)
	})
}

// sanitizeXMLText keeps the characters XML can hold.
func sanitizeXMLText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.Map(func(r rune) rune {
		if r == 0x09 || r == 0x0A || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= utf8.MaxRune {
			return r
		}
		return -1
	}, s)
}
