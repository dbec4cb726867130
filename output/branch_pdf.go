package output

import (
	"fmt"
	"strconv"
	"time"

	"github.com/baolong/liudong/output/pdf"
)

// MissingGlyphs is text a PDF could not print: characters the font has no
// glyph for, in the file that needed them. The PDF is not written.
type MissingGlyphs struct {
	File  string `json:"file"`
	Chars string `json:"chars"`
}

// LetterDocument lays out a pairing letter for PDF: the letter, the
// signature and a space for the stamp, then the list of members.
func LetterDocument(l Letter, date time.Time) pdf.Document {
	d := pdf.Document{Title: l.Title, Author: l.Signature[0], Date: date, Footer: true}
	d.Blocks = append(d.Blocks, pdf.Heading{Text: l.Title}, pdf.Paragraph{Text: l.To + "："})
	for _, p := range l.Paragraphs {
		d.Blocks = append(d.Blocks, pdf.Paragraph{Text: p, Indent: true})
	}
	for _, c := range l.Contact {
		d.Blocks = append(d.Blocks, pdf.Paragraph{Text: c, Indent: true})
	}
	d.Blocks = append(d.Blocks, pdf.Spacer{Height: 8}, pdf.Signature{Lines: l.Signature}, pdf.StampBox{})
	d.Blocks = append(d.Blocks, pdf.Spacer{Height: 10}, pdf.Heading{Text: l.ListTitle, Size: 14}, pdfTable(l.List, pdfWidths()))
	return d
}

// ReportDocument lays out an origin branch's status report for PDF.
func ReportDocument(r StatusReport, sender, date string, started time.Time) pdf.Document {
	d := pdf.Document{Title: r.Title, Author: sender, Date: started, Footer: true}
	d.Blocks = append(d.Blocks, pdf.Heading{Text: r.Title, Size: 18}, pdf.Paragraph{Text: r.Summary, Indent: true},
		pdfTable(r.List, pdfWidths()),
		pdf.Spacer{Height: 6}, pdf.Signature{Lines: []string{sender, chineseDate(date)}})
	return d
}

// pdfWidths are the widths of the usual columns on an A4 portrait page
// (166 mm between the margins), in millimetres at 9 points: a masked ID
// number, a phone and a three-character name fit on one line; addresses and
// employers wrap. The letter's list and the report each add up to the page.
func pdfWidths() map[string]float64 {
	return map[string]float64{
		"序号": 7, "姓名": 14, "性别": 7, "公民身份证号": 38, "联系电话": 24, "所在社区": 15, "现居住地址": 23, "工作单位": 20,
		"登记情况": 24, "在我街道情况": 18,
	}
}

// pdfTable turns a workbook table into a PDF table, columns as wide as the
// workbook's (fitted to header and cells) unless weights says otherwise.
func pdfTable(t table, weights map[string]float64) pdf.Table {
	out := pdf.Table{Size: 9}
	widths := columnWidths(t.cols, t.rows, 24)
	for i, c := range t.cols {
		w, ok := weights[c]
		if !ok {
			w = widths[i]
		}
		out.Columns = append(out.Columns, pdf.Column{Title: c, Width: w})
	}
	for _, r := range t.rows {
		row := make([]string, len(r))
		for i, v := range r {
			switch v := v.(type) {
			case string:
				row[i] = v
			case int:
				row[i] = strconv.Itoa(v)
			case float64:
				row[i] = strconv.FormatFloat(v, 'f', -1, 64)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// writePDF renders d into the folder unless the font lacks some of its
// characters, which are returned instead (a name printed with a blank box
// is a wrong name).
func writePDF(dir *Folder, name string, d pdf.Document, font *pdf.Font) (*MissingGlyphs, error) {
	if missing := d.Missing(font); len(missing) > 0 {
		return &MissingGlyphs{File: name, Chars: string(missing)}, nil
	}
	b, err := pdf.Render(d, font)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return nil, dir.Write(name, b)
}
