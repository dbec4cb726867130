package output

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
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
	d.Blocks = append(d.Blocks, pdf.Spacer{Height: 10}, pdf.Heading{Text: l.ListTitle, Size: 14}, pdfTable(l.List, letterColumns))
	return d
}

// ReportDocument lays out an origin branch's status report for PDF.
func ReportDocument(r StatusReport, sender, date string, started time.Time) pdf.Document {
	d := pdf.Document{Title: r.Title, Author: sender, Date: started, Footer: true}
	d.Blocks = append(d.Blocks, pdf.Heading{Text: r.Title, Size: 18}, pdf.Paragraph{Text: r.Summary, Indent: true},
		pdfTable(r.List, []string{"序号", "姓名", "公民身份证号", "联系电话", "所在社区", "在我街道情况", "辅导员", "本年活动次数",
			"本年走访次数", "最近联系日期"}),
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
		"登记情况": 24, "在我街道情况": 18, "辅导员": 14, "本年活动次数": 10, "本年活动时长": 10, "本年走访次数": 10,
		"最近联系日期": 24,
	}
}

// pdfTable turns the columns keep of a workbook table into a PDF table at
// 9 points, widths from pdfWidths (else fitted to header and cells).
func pdfTable(t table, keep []string) pdf.Table {
	out := pdf.Table{Size: 9}
	fitted := columnWidths(t.cols, t.rows, 24)
	mm := pdfWidths()
	var idx []int
	for _, k := range keep {
		i := slices.Index(t.cols, k)
		if i < 0 {
			continue
		}
		idx = append(idx, i)
		w, ok := mm[k]
		if !ok {
			w = fitted[i] * 1.7 // about a millimetre and a half per Latin character at 9 points
		}
		out.Columns = append(out.Columns, pdf.Column{Title: k, Width: w})
	}
	for _, r := range t.rows {
		row := make([]string, 0, len(idx))
		for _, i := range idx {
			var v any
			if i < len(r) {
				v = r[i]
			}
			if s, ok := cellString(v); ok {
				row = append(row, s)
				continue
			}
			switch v := v.(type) {
			case int:
				row = append(row, strconv.Itoa(v))
			case float64:
				row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
			case nil:
				row = append(row, "")
			default:
				row = append(row, fmt.Sprint(v))
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// pdfLayoutVersion is part of every PDF's reuse key: change it when a
// change to the layout code (here or in output/pdf) changes the bytes of an
// unchanged document, so the next run renders every PDF anew.
const pdfLayoutVersion = "pdf-layout-1"

// pdfKey is what a PDF is made from: the documents, the font, the layout.
func pdfKey(font *pdf.Font, docs ...pdf.Document) string {
	return contentKey(pdfLayoutVersion+"\x00"+font.Path(), docs)
}

// pdfJob is one PDF to write: a document under a name.
type pdfJob struct {
	name string
	key  string // its reuse key; "": pdfKey of doc
	doc  pdf.Document
}

// writePDFs writes PDFs into the folder: each is taken from the previous
// folder when its document is unchanged, left out (and returned in missing)
// when the font lacks some of its characters — a name printed with a blank
// box is a wrong name — and otherwise rendered, on every core (a Font is safe for concurrent use) and writing them
// in order. It returns the documents written (reused or rendered), in
// order, and the PDFs left out for characters the font lacks.
func writePDFs(dir *Folder, jobs []pdfJob, font *pdf.Font) (written []pdf.Document, missing []MissingGlyphs, err error) {
	type todo struct {
		i   int
		key string
		b   []byte
		err error
	}
	var queue []*todo
	done := make([]bool, len(jobs))
	for i, j := range jobs {
		key := j.key
		if key == "" {
			key = pdfKey(font, j.doc)
		}
		if dir.Reuse(j.name, key) {
			done[i] = true
			continue
		}
		if m := j.doc.Missing(font); len(m) > 0 {
			missing = append(missing, MissingGlyphs{File: j.name, Chars: string(m)})
			continue
		}
		queue = append(queue, &todo{i: i, key: key})
		done[i] = true
	}
	work := make(chan *todo)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(queue), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				t.b, t.err = pdf.Render(jobs[t.i].doc, font)
			}
		}()
	}
	for _, t := range queue {
		work <- t
	}
	close(work)
	wg.Wait()
	for _, t := range queue {
		if t.err != nil {
			return nil, nil, fmt.Errorf("render %s: %w", jobs[t.i].name, t.err)
		}
		if err := dir.WriteKeyed(jobs[t.i].name, t.key, t.b); err != nil {
			return nil, nil, err
		}
	}
	for i, j := range jobs {
		if done[i] {
			written = append(written, j.doc)
		}
	}
	return written, missing, nil
}
