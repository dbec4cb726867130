package cmd

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/baolong/liudong/pipeline"
)

func newCertificatesCmd(e *env) *cobra.Command {
	var (
		cf   configFlags
		year int
	)
	c := &cobra.Command{
		Use:   "certificates",
		Short: "Issue the year's activity certificates (活动认证书) from the registry",
		Long: `Issue one activity certificate (活动认证书) per member with at least one activity in the year, from the
registry as the last run left it, and write them into out/活动认证书-<year>/: per origin branch, each
member's certificate as PDF, all of them in one PDF for mailing and in one workbook, and the branch's
annual report (年度通报). Serial numbers are kept from run to run; a certificate whose activities changed
since it was issued is marked 修订 with the date. The nightly run writes the current year's as well.`,
		Example: `  liudong certificates --year 2026`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cfg, err := loadConfig(c.Flags(), &cf, os.Getenv)
			if err != nil {
				return err
			}
			if _, err := os.Stat(cfg.Database); err != nil {
				return usageError(fmt.Errorf("registry %s: %w", cfg.Database, err), "run `liudong run` first, or pass --db")
			}
			now := inStreetZone(cfg, time.Now())
			if !c.Flags().Changed("year") {
				year = now.Year() // as the nightly run counts it, not the machine's clock zone
			}
			res, err := pipeline.IssueCertificates(c.Context(), cfg, year, now)
			if err != nil {
				return err
			}
			w := res.Written
			fmt.Fprintf(e.stdout, "%d 年活动认证书 %d 份（本次新发 %d 份，修订 %d 份），PDF %d 个：%s\n", year, w.Certificates,
				w.Issued, w.Revised, w.PDFs, res.Dir)
			if res.PDFDisabled != "" {
				fmt.Fprintf(e.stdout, "未生成 PDF：%s\n", res.PDFDisabled)
			}
			for _, m := range w.Missing {
				fmt.Fprintf(e.stdout, "未生成 %s：字体缺少「%s」，请用同名表格打印\n", m.File, m.Chars)
			}
			return nil
		},
	}
	cf.register(c.Flags(), "output folder, overrides out.dir (env LIUDONG_OUT)")
	c.Flags().IntVar(&year, "year", 0, "the year the certificates are for (default this year in the street's time zone)")
	return c
}
