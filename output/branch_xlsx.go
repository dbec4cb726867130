package output

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/baolong/liudong/output/pdf"
)

// The letter sheet is laid out on a grid of letterCols columns of
// letterColWidth, which fills an A4 portrait page between its margins.
const (
	letterCols     = 8
	letterColWidth = 11.5
	letterLastCol  = "H"
	// letterLineWidth is how much display width (DisplayWidth) one line of
	// 12-point body text holds across the merged columns.
	letterLineWidth = 84
)

// LetterWorkbook builds a pairing letter as a workbook that prints as it
// is: the letter on A4 portrait (sheet 结对函) and its list of members
// (sheet 附件名单).
func LetterWorkbook(l Letter) (*excelize.File, error) {
	f, st, err := newWorkbook(LetterName)
	if err != nil {
		return nil, err
	}
	body, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Size: 12, Family: "宋体"},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	if err != nil {
		return nil, fmt.Errorf("letter: style: %w", err)
	}
	right, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Size: 12, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"},
	})
	if err != nil {
		return nil, fmt.Errorf("letter: style: %w", err)
	}
	w := letterSheet{f: f, sheet: LetterName}
	w.line(l.Title, st.title, 40)
	w.line("", body, 10)
	w.line(l.To+"：", body, 22)
	for _, p := range l.Paragraphs {
		w.paragraph("　　"+p, body)
	}
	for _, c := range l.Contact {
		w.paragraph("　　"+c, body)
	}
	w.line("", body, 30)
	for _, s := range l.Signature {
		w.line(s+"　　", right, 22)
	}
	if w.err != nil {
		f.Close()
		return nil, fmt.Errorf("letter to %s: %w", l.To, w.err)
	}
	if err := letterPrintSetup(f, LetterName, w.row); err != nil {
		f.Close()
		return nil, err
	}
	if err := writeTable(f, st, l.List); err != nil {
		f.Close()
		return nil, fmt.Errorf("letter to %s: %w", l.To, err)
	}
	return f, nil
}

// letterSheet writes a letter line by line, each line a row merged across
// the page; the first error is kept.
type letterSheet struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (w *letterSheet) line(text string, style int, height float64) {
	if w.err != nil {
		return
	}
	w.row++
	first, last := fmt.Sprintf("A%d", w.row), fmt.Sprintf("%s%d", letterLastCol, w.row)
	if w.row == 1 {
		w.err = w.f.SetColWidth(w.sheet, "A", letterLastCol, letterColWidth)
	}
	for _, err := range []error{
		w.err,
		w.f.MergeCell(w.sheet, first, last),
		w.f.SetCellStr(w.sheet, first, text),
		w.f.SetCellStyle(w.sheet, first, last, style),
		w.f.SetRowHeight(w.sheet, w.row, height),
	} {
		if err != nil && w.err == nil {
			w.err = err
		}
	}
}

// paragraph is a line tall enough for its wrapped text.
func (w *letterSheet) paragraph(text string, style int) {
	lines := max(1, (DisplayWidth(text)+letterLineWidth-1)/letterLineWidth)
	w.line(text, style, float64(lines)*18+4)
}

// letterPrintSetup prints the letter sheet on A4 portrait, one page wide,
// with wider margins than the tables, and no grid lines on screen.
func letterPrintSetup(f *excelize.File, sheet string, rows int) error {
	a4, portrait, wide, tall := 9, "portrait", 1, 0
	fit, grid := true, false
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet %q: fit to page: %w", sheet, err)
	}
	if err := f.SetSheetView(sheet, 0, &excelize.ViewOptions{ShowGridLines: &grid}); err != nil {
		return fmt.Errorf("sheet %q: view: %w", sheet, err)
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &portrait, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return fmt.Errorf("sheet %q: page layout: %w", sheet, err)
	}
	side, top := 0.9, 1.0
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &top, Bottom: &top,
	}); err != nil {
		return fmt.Errorf("sheet %q: margins: %w", sheet, err)
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Area",
		RefersTo: fmt.Sprintf("'%s'!$A$1:$%s$%d", sheet, letterLastCol, rows),
		Scope:    sheet,
	})
}

// key is what the report's workbook is made from.
func (r StatusReport) key() string { return workbookKey(r.Title, r.Summary, r.List.data()) }

// ReportWorkbook builds an origin branch's status report (情况通报): the
// summary line above the table of its members.
func ReportWorkbook(r StatusReport) (*excelize.File, error) {
	f, st, err := newWorkbook(ReportName)
	if err != nil {
		return nil, err
	}
	t := r.List
	t.note = r.Summary
	if err := writeTable(f, st, t); err != nil {
		f.Close()
		return nil, fmt.Errorf("status report %s: %w", r.Title, err)
	}
	return f, nil
}

// Branches is what the origin branches receive after a run.
type Branches struct {
	Street, Date string
	Sender       Sender
	Members      []MemberRow
	// Groups are Members grouped by BranchesOf, when the caller has them
	// already (grouping a city's million members takes a BranchKey of
	// each); nil: WriteBranches groups Members.
	Groups []Branch
	// Font prints the letters and reports as PDF too; nil: workbooks only.
	Font *pdf.Font
	// Started dates the PDFs (their metadata), so a rerun gives the same bytes.
	Started time.Time
}

// BranchesWritten is what WriteBranches wrote.
type BranchesWritten struct {
	Branches []Branch
	Letters  int
	PDFs     int
	// Missing lists the PDFs not written because the font lacks characters.
	Missing []MissingGlyphs
}

// WriteBranches writes, for every origin branch with a member here, its
// status report, and for those with members found here a pairing letter,
// into 流出地党组织/<branch>/, as workbooks and, with a font, as PDF. Two
// branches whose names differ only in characters a file name cannot hold
// would share a folder: an error, not a silent overwrite.
func WriteBranches(dir *Folder, b Branches, opts BranchOptions) (BranchesWritten, error) {
	var w BranchesWritten
	w.Branches = b.Groups
	if w.Branches == nil {
		w.Branches = BranchesOf(b.Members)
	}
	written := map[string]string{}
	var jobs []pdfJob
	// A PDF is laid out only when there is a font to write it with: its
	// document holds the branch's list again as text.
	pdfOut := func(name string, layout func() pdf.Document) {
		if b.Font != nil {
			jobs = append(jobs, pdfJob{name: name, doc: layout()})
		}
	}
	for _, br := range w.Branches {
		p := BranchPath(br.Name, "")
		if other, ok := written[p]; ok {
			return w, fmt.Errorf("origin branches %q and %q would share the folder %s", other, br.Name, p)
		}
		written[p] = br.Name
		if len(br.Found()) > 0 {
			l := PairingLetter(br, b.Sender, b.Street, b.Date, opts)
			key := workbookKey(l.Title, l.To, l.Paragraphs, l.Contact, l.Signature, l.ListTitle, l.List.data())
			dir.writeWorkbookKeyedAsync(BranchPath(br.Name, LetterName+".xlsx"), key, func() (*excelize.File, error) {
				return LetterWorkbook(l)
			})
			w.Letters++
			pdfOut(BranchPath(br.Name, LetterName+".pdf"), func() pdf.Document { return LetterDocument(l, b.Started) })
		}
		r := BranchReport(br, b.Street, b.Date, opts)
		dir.writeWorkbookKeyedAsync(BranchPath(br.Name, ReportName+".xlsx"), r.key(), func() (*excelize.File, error) {
			return ReportWorkbook(r)
		})
		pdfOut(BranchPath(br.Name, ReportName+".pdf"), func() pdf.Document { return ReportDocument(r, b.Sender.Name, b.Date, b.Started) })
	}
	if len(jobs) > 0 {
		docs, missing, err := writePDFs(dir, jobs, b.Font)
		if err != nil {
			return w, err
		}
		w.PDFs, w.Missing = len(docs), missing
	}
	return w, nil
}
