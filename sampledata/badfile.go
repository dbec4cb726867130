package sampledata

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"unicode/utf16"
)

// Quarantine codes the pipeline must give the bad files.
const (
	quarantineEmpty          = "empty"
	quarantineLegacyXLS      = "legacy_xls"
	quarantineEncrypted      = "encrypted"
	quarantineDamaged        = "damaged"
	quarantineNotSpreadsheet = "not_spreadsheet"
)

// ole2Magic starts every Compound File Binary: legacy .xls and password-protected .xlsx alike.
var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// planBadFiles adds the files an inbox really receives that cannot be read: a 0-byte copy, an old .xls, a
// password-protected workbook, a workbook cut off in transfer, a Word document and a scanned PDF named .xlsx.
// None of them has records.
func (g *generator) planBadFiles() {
	when := g.today.AddDate(0, 0, -3)
	cs := g.communities
	c := func(i int) string { return cs[i%len(cs)].name }
	y, mo, _ := ym(g.latestMonth)
	var legacy *branch
	for _, b := range g.branches {
		if !b.county.xinjiang {
			legacy = b
			break
		}
	}
	bad := []struct {
		rel, kind, code string
		data            func(j *jobCtx) ([]byte, error)
	}{
		{"surveys/" + c(3) + "_" + y + "年" + mo + "月摸排表_副本.xlsx", "survey", quarantineEmpty,
			func(*jobCtx) ([]byte, error) { return nil, nil }},
		{"rosters/" + legacy.county.name + legacy.town + "流出党员名册（2015年）.xls", "roster", quarantineLegacyXLS,
			func(j *jobCtx) ([]byte, error) {
				return ole2File(j.rng, 4096, "Workbook", "\x05SummaryInformation"), nil
			}},
		{"surveys/" + c(4) + "_" + y + "年" + mo + "月摸排表（加密）.xlsx", "survey", quarantineEncrypted,
			func(j *jobCtx) ([]byte, error) {
				return ole2File(j.rng, 8192, "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), nil
			}},
		{"activities/" + c(0) + "_党员活动记录_备份.xlsx", "activity", quarantineDamaged, g.truncatedWorkbook},
		{"counsellors/辅导员结对工作说明.xlsx", "counsellor", quarantineNotSpreadsheet,
			func(*jobCtx) ([]byte, error) { return docxLike() }},
		{"visits/走访记录扫描件.xlsx", "visit", quarantineNotSpreadsheet,
			func(*jobCtx) ([]byte, error) { return pdfLike(), nil }},
	}
	for _, b := range bad {
		b := b
		g.addJob(File{Path: b.rel, Kind: b.kind, Quarantine: b.code}, when, 0, func(j *jobCtx) error {
			data, err := b.data(j)
			if err != nil {
				return err
			}
			return os.WriteFile(j.abs, data, 0o644)
		})
	}
}

// ole2File is a Compound File Binary header, one FAT sector and a directory naming the given streams (UTF-16LE,
// as the format stores them), filled up to size with noise. It is enough for a reader to tell an .xls
// ("Workbook") from an encrypted OOXML package ("EncryptedPackage") without being a readable file.
func ole2File(rng *rand.Rand, size int, streams ...string) []byte {
	b := make([]byte, size)
	le := binary.LittleEndian
	copy(b, ole2Magic)
	le.PutUint16(b[24:], 0x003E) // minor version
	le.PutUint16(b[26:], 0x0003) // major version 3: 512-byte sectors
	le.PutUint16(b[28:], 0xFFFE) // byte order
	le.PutUint16(b[30:], 9)      // sector shift
	le.PutUint16(b[32:], 6)      // mini sector shift
	le.PutUint32(b[44:], 1)      // FAT sectors
	le.PutUint32(b[48:], 1)      // first directory sector
	le.PutUint32(b[56:], 0x1000) // mini stream cutoff
	le.PutUint32(b[60:], 0xFFFFFFFE)
	le.PutUint32(b[68:], 0xFFFFFFFE)
	le.PutUint32(b[76:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(b[76+4*i:], 0xFFFFFFFF)
	}
	fat := b[512:1024]
	for i := 0; i < 128; i++ {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD) // sector 0 is the FAT
	le.PutUint32(fat[4:], 0xFFFFFFFE) // sector 1, the directory, ends its chain
	dir := b[1024:1536]
	names := append([]string{"Root Entry"}, streams...)
	for i, name := range names {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for k, r := range u {
			le.PutUint16(e[2*k:], r)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = 2 // stream
		if i == 0 {
			e[66] = 5 // root storage
			le.PutUint32(e[76:], 1)
		} else {
			le.PutUint32(e[68:], 0xFFFFFFFF)
			le.PutUint32(e[72:], 0xFFFFFFFF)
			if i+1 < len(names) {
				le.PutUint32(e[72:], uint32(i+1))
			}
			le.PutUint32(e[76:], 0xFFFFFFFF)
			le.PutUint64(e[120:], uint64(size-1536))
		}
	}
	for i := 1536; i < size; i++ {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// truncatedWorkbook is a real survey workbook cut in half, as a failed e-mail download leaves it.
func (g *generator) truncatedWorkbook(j *jobCtx) ([]byte, error) {
	wb, err := newWorkbook(j.when, g.officeAuthor(j.rng))
	if err != nil {
		return nil, err
	}
	tb, err := wb.sheet("Sheet1")
	if err != nil {
		return nil, err
	}
	t := activityA1
	if _, err := writeHead(tb, t, g.communities[0].name+"党员联系卡活动登记表（备份）", ""); err != nil {
		return nil, err
	}
	n := 0
	for _, p := range g.persons {
		if p.community != 0 || p.Left {
			continue
		}
		n++
		if n > 60 {
			break
		}
		if _, err := tb.row(styleData, n, p.Name, p.IDNumber, dateCell{t: g.today.AddDate(0, 0, -7*n), form: formCell},
			"主题党日", "主题党日：重温入党誓词", 2.0, g.communities[0].name+"党群服务中心", "（备份）"); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := wb.writeTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes()[:buf.Len()/2], nil
}

// docxLike is a minimal Word document: a valid zip, but not a workbook.
func docxLike() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>关于做好流动党员辅导员结对工作的说明</w:t></w:r></w:p><w:p><w:r><w:t>各社区党委：请于本月底前报送辅导员结对表。</w:t></w:r></w:p></w:body></w:document>`},
	}
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, ModifiedDate: 0x21})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pdfLike is a one-page PDF, what a scanner produces, saved with the wrong extension.
func pdfLike() []byte {
	return []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" +
		"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n" +
		"xref\n0 4\n0000000000 65535 f \n0000000015 00000 n \n0000000064 00000 n \n0000000121 00000 n \n" +
		"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n190\n%%EOF\n")
}
