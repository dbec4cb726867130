package pdf_test

import (
	"fmt"
	"os"
	"time"

	"github.com/baolong/liudong/output/pdf"
)

// A pairing letter: find and load the font once, check the text for
// characters it lacks, then render.
func ExampleRender() {
	path, err := pdf.FindFont("") // or the configured out.pdf_font
	if err != nil {
		fmt.Println(err) // tells the operator to install fonts-droid-fallback
		return
	}
	font, err := pdf.LoadFont(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	letter := pdf.Document{
		Title:  "关于流动党员双向共管的结对函",
		Author: "中共宝龙街道工作委员会",
		Date:   time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Footer: true,
		Blocks: []pdf.Block{
			pdf.Heading{Text: "关于流动党员双向共管的结对函"},
			pdf.Paragraph{Text: "中共湘东村支部委员会："},
			pdf.Paragraph{Indent: true, Text: "双方按照“资源共享、组织共建、活动共抓、作用共促”的原则结成对子。"},
			pdf.Table{
				Columns: []pdf.Column{{Title: "序号", Align: pdf.AlignCenter}, {Title: "姓名", Width: 2}, {Title: "联系电话", Width: 3}},
				Rows:    [][]string{{"1", "王某", "138****5678"}},
			},
			pdf.Signature{Lines: []string{"中共宝龙街道工作委员会", "2026年3月2日"}},
			pdf.StampBox{},
		},
	}
	if missing := letter.Missing(font); len(missing) > 0 {
		fmt.Printf("the font has no glyph for %q\n", missing) // report, then render or not
	}
	b, err := pdf.Render(letter, font)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = os.WriteFile(os.DevNull, b, 0o644)
}
