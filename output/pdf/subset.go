package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// fpdf parses the whole TrueType file it is given, twice per document (when
// the font is added and again when it cuts the subset it embeds): for
// DroidSansFallbackFull.ttf that is most of the time a document takes. So a
// document hands fpdf a small font of its own made here, with only the glyphs
// it uses, renumbered from 0; fpdf then parses and cuts that again, cheaply.

// subsetter holds the parsed tables of a font, to cut per document.
type subsetter struct {
	copied      map[string][]byte // tables copied as they are
	head        []byte
	hhea        []byte
	maxp        []byte
	hmtx        []byte
	numHMetrics int
	glyf        []byte
	loca        []uint32 // numGlyphs+1 offsets into glyf
}

// readTables splits a single TrueType font into its tables.
func readTables(data []byte) (map[string][]byte, error) {
	if len(data) < 12 {
		return nil, errors.New("truncated table directory")
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errors.New("truncated table directory")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := uint64(binary.BigEndian.Uint32(rec[8:])), uint64(binary.BigEndian.Uint32(rec[12:]))
		if off+length > uint64(len(data)) {
			return nil, fmt.Errorf("table %q lies outside the file", tag)
		}
		tables[tag] = data[off : off+length : off+length]
	}
	return tables, nil
}

// hmetrics returns the advance widths of the font's glyphs in font units
// and the font's units per em.
func hmetrics(tables map[string][]byte) (adv []uint16, unitsPerEm int, err error) {
	head, hhea, maxp, hmtx := tables["head"], tables["hhea"], tables["maxp"], tables["hmtx"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || hmtx == nil {
		return nil, 0, errors.New("missing or short head, hhea, maxp or hmtx table")
	}
	unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	numHMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	if unitsPerEm == 0 || numHMetrics == 0 || numHMetrics > numGlyphs || len(hmtx) < 4*numHMetrics {
		return nil, 0, errors.New("inconsistent hhea, maxp or hmtx table")
	}
	adv = make([]uint16, numGlyphs)
	for g := range adv {
		// Glyphs past numHMetrics repeat the last advance.
		adv[g] = binary.BigEndian.Uint16(hmtx[4*min(g, numHMetrics-1):])
	}
	return adv, unitsPerEm, nil
}

func newSubsetter(tables map[string][]byte) (*subsetter, error) {
	head, maxp, glyf, loca := tables["head"], tables["maxp"], tables["glyf"], tables["loca"]
	if len(head) < 54 || len(maxp) < 6 || glyf == nil || loca == nil {
		return nil, errors.New("no TrueType outlines")
	}
	if _, _, err := hmetrics(tables); err != nil {
		return nil, err
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	s := &subsetter{
		copied: map[string][]byte{}, head: head, hhea: tables["hhea"], maxp: maxp, hmtx: tables["hmtx"],
		numHMetrics: int(binary.BigEndian.Uint16(tables["hhea"][34:])),
		glyf:        glyf, loca: make([]uint32, numGlyphs+1),
	}
	if len(s.hmtx) < 4*s.numHMetrics+2*(numGlyphs-s.numHMetrics) {
		return nil, errors.New("short hmtx table")
	}
	long := binary.BigEndian.Uint16(head[50:]) == 1
	for i := range s.loca {
		switch {
		case long && len(loca) >= 4*(i+1):
			s.loca[i] = binary.BigEndian.Uint32(loca[4*i:])
		case !long && len(loca) >= 2*(i+1):
			s.loca[i] = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		default:
			return nil, errors.New("short loca table")
		}
		if s.loca[i] > uint32(len(glyf)) || i > 0 && s.loca[i] < s.loca[i-1] {
			return nil, errors.New("bad loca table")
		}
	}
	// What fpdf reads or embeds; layout tables (GSUB, vmtx …) are dropped.
	for _, tag := range []string{"OS/2", "name", "cvt ", "fpgm", "prep", "gasp"} {
		if t, ok := tables[tag]; ok {
			s.copied[tag] = t
		}
	}
	post := tables["post"]
	if len(post) < 32 || tables["name"] == nil {
		return nil, errors.New("missing post or name table")
	}
	// post version 3: the same metrics, no glyph names.
	p := append([]byte(nil), post[:32]...)
	binary.BigEndian.PutUint32(p, 0x00030000)
	s.copied["post"] = p
	return s, nil
}

// glyph returns the outline data of glyph g.
func (s *subsetter) glyph(g uint16) []byte {
	if int(g)+1 >= len(s.loca) {
		return nil
	}
	return s.glyf[s.loca[g]:s.loca[g+1]]
}

// components returns where a composite glyph's data names the glyphs it is
// made of (nothing for a simple glyph).
func components(data []byte) (offsets []int) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return nil
	}
	for p := 10; p+4 <= len(data); {
		flags := binary.BigEndian.Uint16(data[p:])
		offsets = append(offsets, p+2)
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return offsets
}

// metric returns glyph g's advance width and left side bearing as stored.
func (s *subsetter) metric(g uint16) []byte {
	if int(g) < s.numHMetrics {
		return s.hmtx[4*int(g) : 4*int(g)+4]
	}
	m := make([]byte, 4)
	copy(m, s.hmtx[4*(s.numHMetrics-1):][:2])
	copy(m[2:], s.hmtx[4*s.numHMetrics+2*(int(g)-s.numHMetrics):][:2])
	return m
}

// subset returns a TrueType font mapping exactly the runes of cmap (rune to
// glyph of this font) with those glyphs (and their components), renumbered
// in their order from 0 (.notdef).
func (s *subsetter) subset(cmap map[rune]uint16) []byte {
	be := binary.BigEndian
	keep := map[uint16]bool{}
	todo := []uint16{0}
	for _, g := range cmap {
		todo = append(todo, g)
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if keep[g] || int(g)+1 >= len(s.loca) {
			continue
		}
		keep[g] = true
		data := s.glyph(g)
		for _, off := range components(data) {
			todo = append(todo, be.Uint16(data[off:]))
		}
	}
	old := make([]uint16, 0, len(keep))
	for g := range keep {
		old = append(old, g)
	}
	sort.Slice(old, func(i, j int) bool { return old[i] < old[j] })
	renum := make(map[uint16]uint16, len(old))
	for i, g := range old {
		renum[g] = uint16(i)
	}

	var glyf, hmtx []byte
	loca := make([]byte, 4*(len(old)+1))
	for i, g := range old {
		be.PutUint32(loca[4*i:], uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, s.glyph(g)...)
		for _, off := range components(glyf[start:]) {
			c := glyf[start+off:]
			be.PutUint16(c, renum[be.Uint16(c)]) // components are kept, so found
		}
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = append(hmtx, s.metric(g)...)
	}
	be.PutUint32(loca[4*len(old):], uint32(len(glyf)))

	head := append([]byte(nil), s.head...)
	be.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	be.PutUint16(head[50:], 1) // long loca
	hhea := append([]byte(nil), s.hhea...)
	be.PutUint16(hhea[34:], uint16(len(old)))
	maxp := append([]byte(nil), s.maxp...)
	be.PutUint16(maxp[4:], uint16(len(old)))
	sub := make(map[rune]uint16, len(cmap))
	for r, g := range cmap {
		sub[r] = renum[g]
	}

	tables := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx,
		"glyf": glyf, "loca": loca, "cmap": cmap4(sub),
	}
	for tag, t := range s.copied {
		tables[tag] = t
	}
	font := assemble(tables)
	be.PutUint32(font[headOffset(font)+8:], 0xB1B0AFBA-checksum(font))
	return font
}

// cmap4 returns a cmap table with one Windows Unicode BMP (3,1) format 4
// subtable: a segment per rune, then the closing 0xFFFF segment.
func cmap4(m map[rune]uint16) []byte {
	runes := make([]rune, 0, len(m))
	for r := range m {
		if r > 0 && r < 0xFFFF {
			runes = append(runes, r)
		}
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	segs := len(runes) + 1
	sub := make([]byte, 16+8*segs)
	be := binary.BigEndian
	be.PutUint16(sub[0:], 4)
	be.PutUint16(sub[2:], uint16(len(sub)))
	be.PutUint16(sub[6:], uint16(2*segs))
	searchRange, selector := 2, 0
	for searchRange*2 <= 2*segs {
		searchRange *= 2
		selector++
	}
	be.PutUint16(sub[8:], uint16(searchRange))
	be.PutUint16(sub[10:], uint16(selector))
	be.PutUint16(sub[12:], uint16(2*segs-searchRange))
	ends, starts, deltas := 14, 16+2*segs, 16+4*segs // idRangeOffsets stay 0
	for i := range segs {
		r, g := uint16(0xFFFF), uint16(0)
		if i < len(runes) {
			r, g = uint16(runes[i]), m[runes[i]]
		}
		be.PutUint16(sub[ends+2*i:], r)
		be.PutUint16(sub[starts+2*i:], r)
		be.PutUint16(sub[deltas+2*i:], g-r) // modulo 65536; 0xFFFF maps to 0
		if i == len(runes) {
			be.PutUint16(sub[deltas+2*i:], 1)
		}
	}
	t := make([]byte, 12, 12+len(sub))
	be.PutUint16(t[2:], 1) // one subtable
	be.PutUint16(t[4:], 3)
	be.PutUint16(t[6:], 1)
	be.PutUint32(t[8:], 12)
	return append(t, sub...)
}

// assemble writes a TrueType file of tables, in tag order.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	n := len(tags)
	searchRange, selector := 1, 0
	for searchRange*2 <= n {
		searchRange *= 2
		selector++
	}
	be := binary.BigEndian
	out := make([]byte, 12+16*n)
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], uint16(16*searchRange))
	be.PutUint16(out[8:], uint16(selector))
	be.PutUint16(out[10:], uint16(16*(n-searchRange)))
	for i, tag := range tags {
		t := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[4:], checksum(t))
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(t)))
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// headOffset is where the head table starts in a font made by assemble.
func headOffset(font []byte) int {
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := range n {
		rec := font[12+16*i:]
		if string(rec[:4]) == "head" {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return 0
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
