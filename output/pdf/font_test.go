package pdf

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	testFontOnce sync.Once
	testFontVal  *Font
	testFontErr  error
)

// testFont returns the system's CJK font (fonts-droid-fallback in CI),
// loaded once, or skips the test.
func testFont(tb testing.TB) *Font {
	tb.Helper()
	testFontOnce.Do(func() {
		var path string
		if path, testFontErr = FindFont(""); testFontErr == nil {
			testFontVal, testFontErr = LoadFont(path)
		}
	})
	if errors.Is(testFontErr, ErrNoFont) {
		tb.Skip("no CJK font: apt-get install fonts-droid-fallback (.ci/run does) to run this test")
	}
	if testFontErr != nil {
		tb.Fatal(testFontErr)
	}
	return testFontVal
}

// droidFont is testFont when it is DroidSansFallbackFull, whose coverage
// the tests know; else the test is skipped.
func droidFont(tb testing.TB) *Font {
	tb.Helper()
	f := testFont(tb)
	if filepath.Base(f.Path()) != "DroidSansFallbackFull.ttf" {
		tb.Skipf("the font found is %s, not DroidSansFallbackFull.ttf, whose glyphs this test knows", f.Path())
	}
	return f
}

func TestFindFont(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	configured := write("configured.ttf")
	first := write("first.ttf")
	second := write("second.ttf")
	absent := filepath.Join(dir, "absent.ttf")

	tests := []struct {
		name       string
		configured string
		candidates []string
		want       string
		wantErr    string // substring; ErrNoFont's when "no font"
	}{
		{name: "configured wins", configured: configured, candidates: []string{first}, want: configured},
		{name: "configured missing is an error naming it", configured: absent, candidates: []string{first}, wantErr: absent},
		{name: "configured folder is an error", configured: dir, candidates: []string{first}, wantErr: "is a folder"},
		{name: "first existing candidate", candidates: []string{absent, first, second}, want: first},
		{name: "folders are skipped", candidates: []string{dir, second}, want: second},
		{name: "no font", candidates: []string{absent}, wantErr: "no font"},
		{name: "empty list", wantErr: "no font"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findFont(tt.configured, tt.candidates)
			switch {
			case tt.wantErr == "no font":
				if !errors.Is(err, ErrNoFont) {
					t.Fatalf("err = %v, want ErrNoFont", err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case got != tt.want:
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestErrNoFontTellsTheOperator(t *testing.T) {
	for _, want := range []string{"apt-get install fonts-droid-fallback", "out.pdf_font", "config.yaml"} {
		if !strings.Contains(ErrNoFont.Error(), want) {
			t.Errorf("ErrNoFont does not say %q: %v", want, ErrNoFont)
		}
	}
}

func TestFontPathsAreSingleTrueTypeFiles(t *testing.T) {
	ps := FontPaths()
	if ps[0] != "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf" {
		t.Errorf("first font path is %s", ps[0])
	}
	for _, p := range ps {
		if !strings.HasSuffix(strings.ToLower(p), ".ttf") {
			t.Errorf("%s is not a .ttf file", p)
		}
	}
	ps[0] = "changed"
	if FontPaths()[0] == "changed" {
		t.Error("FontPaths returns shared state")
	}
}

func TestLoadFontRefuses(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, data, wantErr string
	}{
		{"empty", "", "too short"},
		{"text", "this is not a font at all", "not a TrueType font"},
		{"collection", "ttcf\x00\x01\x00\x00\x00\x00\x00\x00", "collection"},
		{"CFF", "OTTO\x00\x01\x00\x00\x00\x00\x00\x00", "CFF"},
		{"truncated", "\x00\x01\x00\x00\x00\x09\x00\x00\x00\x00\x00\x00", "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".ttf")
			if err := os.WriteFile(p, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFont(p)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %v, want one naming %s and containing %q", err, p, tt.wantErr)
			}
		})
	}
	if _, err := LoadFont(filepath.Join(dir, "absent.ttf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: err = %v", err)
	}
}

func TestLoadFontRefusesANonCJKFont(t *testing.T) {
	const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(dejavu); err != nil {
		t.Skip("DejaVuSans.ttf is not installed")
	}
	if _, err := LoadFont(dejavu); err == nil || !strings.Contains(err.Error(), "no Chinese glyphs") {
		t.Fatalf("err = %v", err)
	}
}

func TestMissing(t *testing.T) {
	f := droidFont(t)
	tests := []struct {
		name string
		s    string
		want []rune
	}{
		{"ordinary letter text", "关于流动党员双向共管的结对函：资源共享、组织共建、活动共抓、作用共促。", nil},
		{"numbers, Latin, masks, full-width punctuation", "宝龙认字〔2026〕第0123号 430524********1234 138****5678（盖章）《》“”", nil},
		{"spaces and control characters are not counted", "第 1 页\t共 2 页\n\r　", nil},
		{"Extension B is outside the BMP", "张𠀀三", []rune{0x20000}},
		{"distinct, in order of first appearance", "𪚥李𠀀𪚥王龦𠀀", []rune{0x2A6A5, 0x20000, 0x9FA6}},
		{"a BMP ideograph Droid lacks (U+9FA6)", "龦", []rune{0x9FA6}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.Missing(tt.s); !slices.Equal(got, tt.want) {
				t.Errorf("Missing(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestDocumentMissing(t *testing.T) {
	f := droidFont(t)
	d := Document{
		Title: "结对函",
		Blocks: []Block{
			Heading{Text: "关于𠀀的函"},
			Paragraph{Text: "正文"},
			Table{Columns: []Column{{Title: "姓名"}}, Rows: [][]string{{"王𪚥"}, {"李𠀀"}}},
			Signature{Lines: []string{"宝龙街道龦委员会"}},
			Spacer{Height: 5},
			StampBox{},
		},
	}
	if got, want := d.Missing(f), []rune{0x20000, 0x2A6A5, 0x9FA6}; !slices.Equal(got, want) {
		t.Errorf("Missing = %q, want %q", got, want)
	}
	if got := letter(30).Missing(f); got != nil {
		t.Errorf("the sample letter misses %q", got)
	}
}

// TestFontPathsLoad loads every font of FontPaths this machine has.
func TestFontPathsLoad(t *testing.T) {
	found := false
	for _, p := range FontPaths() {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		found = true
		t.Run(filepath.Base(p), func(t *testing.T) {
			f, err := LoadFont(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Render(letter(3), f); err != nil {
				t.Fatal(err)
			}
		})
	}
	if !found {
		t.Skip("none of FontPaths is installed")
	}
}
