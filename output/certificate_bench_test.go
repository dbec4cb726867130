package output

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkWriteCertificates writes one branch's certificates workbook (all
// on one sheet, a page each) for n members, without PDFs: the part of the output
// stage that grows with the largest branch.
func BenchmarkWriteCertificates(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var certs []Certificate
			var members []MemberRow
			for i := range n {
				id := fmt.Sprintf("M%07d", i+1)
				certs = append(certs, Certificate{Year: 2026, Serial: fmt.Sprintf("宝龙认字〔2026〕第%04d号", i+1), Number: i + 1, MemberID: id,
					Name: "党员" + fmt.Sprint(i), Branch: "中共石门村支部委员会", Community: "同心社区", Issuer: "中共宝龙街道流动党员临时党支部",
					IssuedOn: "2026-11-25", Activities: []CertActivity{{Date: "2026-03-01", Type: "党课", Content: "专题党课", Hours: 2}}})
				members = append(members, MemberRow{MemberID: id, Name: "党员" + fmt.Sprint(i), OriginBranch: "中共石门村支部委员会",
					MemberClass: &MemberClass{Community: "同心社区", Status: "dual"}})
			}
			for b.Loop() {
				sum := &Summary{RunID: 1, Started: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
				if _, err := WriteRun(b.TempDir(), sum, func(f *Folder) error {
					_, err := WriteCertificates(f, Certificates{Year: 2026, Date: "2026-11-25", Certs: certs, Members: members},
						CertOptions{Street: "宝龙街道", Volunteer: "志愿服务"})
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "certificates/s")
		})
	}
}
