package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"unicode"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// ErrNoFont is returned by FindFont when no CJK font is configured and none
// of FontPaths exists.
var ErrNoFont = errors.New("no CJK TrueType font for PDF output: " +
	"install one (apt-get install fonts-droid-fallback) or set out.pdf_font in config.yaml to a .ttf file")

// FontPaths returns the places a CJK TrueType font is looked for, in order:
// Debian's fonts-droid-fallback first, then other single-font .ttf files
// with Chinese glyphs on Debian/Ubuntu, Windows and macOS. Font collections
// (.ttc) and CFF-based OpenType (.otf, e.g. Noto CJK) are left out: fpdf
// cannot embed them.
func FontPaths() []string {
	return []string{
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", // fonts-droid-fallback
		"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",    // fonts-arphic-gbsn00lp (宋体)
		"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",    // fonts-arphic-gkai00mp (楷体)
		`C:\Windows\Fonts\simfang.ttf`,                              // 仿宋
		`C:\Windows\Fonts\simhei.ttf`,                               // 黑体
		`C:\Windows\Fonts\simkai.ttf`,                               // 楷体
		"/Library/Fonts/Arial Unicode.ttf",
		"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
	}
}

// FindFont returns the font file PDF output should use: configured when it
// is not empty (an error naming it when it cannot be read), else the first of
// FontPaths that exists, else ErrNoFont.
func FindFont(configured string) (string, error) {
	return findFont(configured, FontPaths())
}

func findFont(configured string, candidates []string) (string, error) {
	if configured != "" {
		f, err := os.Open(configured)
		if err != nil {
			return "", fmt.Errorf("PDF font %s (out.pdf_font): %w", configured, err)
		}
		st, err := f.Stat()
		f.Close()
		if err != nil {
			return "", fmt.Errorf("PDF font %s (out.pdf_font): %w", configured, err)
		}
		if st.IsDir() {
			return "", fmt.Errorf("PDF font %s (out.pdf_font): is a folder, not a .ttf file", configured)
		}
		return configured, nil
	}
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", ErrNoFont
}

// Font is a TrueType font with Chinese glyphs, read and checked once and
// shared by any number of Render calls, also concurrent ones. Characters it
// has no glyph for are drawn with Go Regular (golang.org/x/image/font/gofont)
// when that has them: DroidSansFallbackFull.ttf, made to back up another
// font, has no Latin letters, digits or “”‘’—… of its own.
type Font struct {
	path  string
	faces []*face // the font read, then Go Regular
}

// face is one TrueType font prepared for fpdf.
type face struct {
	data   []byte          // the whole file, handed to fpdf when no subset can be made
	sub    *subsetter      // nil when the font's tables do not allow our subsetting
	gid    [1 << 16]uint16 // glyph of each BMP rune, 0 when none (fpdf reaches only the BMP)
	width  [1 << 16]uint16 // advance of each BMP rune in 1/1000 em, rounded as fpdf does
	notdef int             // the advance fpdf gives a rune without a glyph
}

// LoadFont reads the TrueType file at path and checks that it can be used:
// it parses (golang.org/x/image/font/sfnt), is a single TrueType font (not a
// collection, not CFF), has Chinese glyphs, allows embedding, and fpdf can
// embed it.
func LoadFont(path string) (*Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read PDF font: %w", err)
	}
	f, err := newFont(data)
	if err != nil {
		return nil, fmt.Errorf("PDF font %s: %w", path, err)
	}
	f.path = path
	return f, nil
}

func newFont(data []byte) (*Font, error) {
	cjk, err := newFace(data)
	if err != nil {
		return nil, err
	}
	if cjk.gid['中'] == 0 {
		return nil, errors.New("has no Chinese glyphs")
	}
	latin, err := newFace(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("go regular: %w", err)
	}
	f := &Font{faces: []*face{cjk, latin}}
	if err := f.check(); err != nil {
		return nil, err
	}
	return f, nil
}

func newFace(data []byte) (*face, error) {
	if len(data) < 12 {
		return nil, errors.New("not a TrueType font: too short")
	}
	// fpdf prints to standard output instead of returning an error for these,
	// so they are refused here.
	switch string(data[:4]) {
	case "ttcf":
		return nil, errors.New("a font collection (.ttc): fpdf can embed only a single .ttf font")
	case "OTTO":
		return nil, errors.New("an OpenType font with CFF outlines (.otf): fpdf can embed only TrueType outlines")
	case "\x00\x01\x00\x00", "true":
	default:
		return nil, errors.New("not a TrueType font")
	}
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	tables, err := readTables(data)
	if err != nil {
		return nil, err
	}
	if os2, ok := tables["OS/2"]; ok && len(os2) >= 10 {
		// fsType: 0x0002 restricted licence, 0x0100 no subsetting, 0x0200 bitmap only.
		if fs := binary.BigEndian.Uint16(os2[8:]); fs&0x0302 != 0 {
			return nil, fmt.Errorf("its licence does not allow embedding it in a PDF (OS/2 fsType %#04x)", fs)
		}
	}
	if name := tables["name"]; len(name) < 6 || binary.BigEndian.Uint16(name) != 0 {
		return nil, errors.New("no name table of format 0, which fpdf needs")
	}
	adv, upem, err := hmetrics(tables)
	if err != nil {
		return nil, err
	}
	units := func(g sfnt.GlyphIndex) int {
		if int(g) >= len(adv) {
			return 0
		}
		return int(math.Round(1000 * float64(adv[g]) / float64(upem)))
	}
	fc := &face{data: data, notdef: units(0)}
	if fc.notdef == 0 {
		fc.notdef = 500
	}
	var buf sfnt.Buffer
	for r := rune(0); r < 1<<16; r++ {
		if g, err := sf.GlyphIndex(&buf, r); err == nil && g != 0 && int(g) < len(adv) {
			fc.gid[r], fc.width[r] = uint16(g), uint16(units(g))
		}
	}
	fc.sub, _ = newSubsetter(tables) // nil: fpdf gets the whole font
	if fc.sub == nil && !hasCmap4(tables["cmap"]) {
		return nil, errors.New("no Unicode cmap of format 4, which fpdf needs")
	}
	return fc, nil
}

// Path is the file the font was read from.
func (f *Font) Path() string { return f.path }

// Missing returns the distinct runes of s the font has no glyph for (nor Go
// Regular), in the order they first appear; spaces and control characters
// are not counted. Runes outside the Basic Multilingual Plane (CJK Extension
// B and later, e.g. 𠀀 U+20000) are always missing: fpdf can only address
// the BMP.
func (f *Font) Missing(s string) []rune {
	var missing []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || seen[r] {
			continue
		}
		seen[r] = true
		if _, ok := f.face(r); !ok {
			missing = append(missing, r)
		}
	}
	return missing
}

// face returns the index of the face that draws r: the first that has it,
// else the first (which draws its empty .notdef glyph).
func (f *Font) face(r rune) (int, bool) {
	if r >= 0 && r < 1<<16 {
		for i, fc := range f.faces {
			if fc.gid[r] != 0 {
				return i, true
			}
		}
	}
	return 0, false
}

// advance is the width of r in 1/1000 em, as fpdf will place it.
func (f *Font) advance(r rune) int {
	i, ok := f.face(r)
	if !ok {
		return f.faces[0].notdef
	}
	return int(f.faces[i].width[r])
}

// hasCmap4 reports whether a cmap table has the Unicode BMP subtable
// (format 4) that fpdf reads.
func hasCmap4(cmap []byte) bool {
	be := binary.BigEndian
	if len(cmap) < 4 {
		return false
	}
	for i := range int(be.Uint16(cmap[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return false
		}
		platform, encoding, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if (platform == 3 && encoding == 1 || platform == 0) && off+2 <= len(cmap) && be.Uint16(cmap[off:]) == 4 {
			return true
		}
	}
	return false
}
