package ingest

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// CSV encodings, the values of FileInfo.Encoding.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF8BOM = "utf-8-bom"
	EncodingGBK     = "gbk"
	EncodingGB18030 = "gb18030"
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
)

// detectEncoding names the encoding of a CSV file from data, its start (the
// whole file when whole). bom is the length of the byte-order mark to skip.
// For a whole GBK or GB18030 file, decoded is its text in UTF-8: checking
// that every byte decodes is decoding it, and doing it twice costs a third of
// the read.
//
// A BOM decides; otherwise valid UTF-8 is UTF-8, then GBK if every byte
// sequence is valid GBK, then GB18030. Text that is UTF-8 but for a few bad
// bytes is not decoded as GBK: Chinese in UTF-8 is nearly always valid GBK
// byte by byte, and would come out as mojibake, so it is quarantined instead.
func detectEncoding(data []byte, whole bool) (enc string, bom int, decoded []byte, q *QuarantineError) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return EncodingUTF8BOM, 3, nil, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return EncodingUTF16LE, 2, nil, nil
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return EncodingUTF16BE, 2, nil, nil
	}
	body := data
	if !whole {
		body = cutPartialRune(body)
	}
	if utf8.Valid(body) {
		return EncodingUTF8, 0, nil, nil
	}
	if line, bad, good := brokenUTF8(body); bad*20 <= good {
		return "", 0, nil, errUnknownEncoding(fmt.Sprintf("看起来是 UTF-8，但从第%d行起有%d处无效字节（文件可能被截断或拼接）", line, bad))
	}
	if out, _, ok := decodeStrict(simplifiedchinese.GBK.NewDecoder(), data, whole); ok {
		return EncodingGBK, 0, out, nil
	}
	out, line, ok := decodeStrict(simplifiedchinese.GB18030.NewDecoder(), data, whole)
	if ok {
		return EncodingGB18030, 0, out, nil
	}
	return "", 0, nil, errUnknownEncoding(fmt.Sprintf("按 GB18030 解码时第%d行有无法识别的字节", line))
}

// decoder returns the decoder of a CSV encoding, nil for UTF-8. The BOM has
// been skipped already.
func decoder(enc string) *encoding.Decoder {
	switch enc {
	case EncodingGBK:
		return simplifiedchinese.GBK.NewDecoder()
	case EncodingGB18030:
		return simplifiedchinese.GB18030.NewDecoder()
	case EncodingUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case EncodingUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	}
	return nil
}

// cutPartialRune drops an incomplete UTF-8 sequence at the end of a sample cut
// from a longer file.
func cutPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// brokenUTF8 counts the invalid bytes and the valid multi-byte runes of b,
// and returns the 1-based line of the first invalid byte. It stops early
// once the invalid bytes are too many for text that is UTF-8 but for a few
// bad bytes (the only question the counts answer), so GBK costs nothing here.
func brokenUTF8(b []byte) (line, bad, good int) {
	line = 1
	lines := 1
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if c == '\n' {
				lines++
			}
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			if bad == 0 {
				line = lines
			}
			bad++
			if bad > 16 && bad*20 > good {
				return line, bad, good
			}
		} else {
			good++
		}
		b = b[size:]
	}
	return line, bad, good
}

// decodeStrict decodes src with dec. ok is false, with the 1-based line of
// the first, when a byte sequence does not decode (the decoder writes U+FFFD
// for it). With atEOF false, src is a sample cut from a longer file: an
// incomplete sequence at its end is not an error, and out is nil, as a
// sample's text is not wanted.
func decodeStrict(dec *encoding.Decoder, src []byte, atEOF bool) (out []byte, line int, ok bool) {
	buf := make([]byte, 64<<10)
	if atEOF {
		out = make([]byte, 0, len(src)+len(src)/2) // Chinese: 2 bytes in GBK, 3 in UTF-8
	}
	lines := 1
	for len(src) > 0 {
		nDst, nSrc, err := dec.Transform(buf, src, atEOF)
		chunk := buf[:nDst]
		if i := bytes.IndexRune(chunk, utf8.RuneError); i >= 0 {
			return nil, lines + bytes.Count(chunk[:i], []byte("\n")), false
		}
		lines += bytes.Count(chunk, []byte("\n"))
		if atEOF {
			out = append(out, chunk...)
		}
		src = src[nSrc:]
		switch err {
		case nil, transform.ErrShortDst:
			if nSrc == 0 && nDst == 0 {
				return out, lines, true
			}
		case transform.ErrShortSrc:
			return out, lines, !atEOF
		default:
			return nil, lines, false
		}
	}
	return out, lines, true
}

// detectDelimiter picks the CSV delimiter from the first lines of text: the
// one of , tab ; that occurs the same number of times, outside quotes, on the
// most lines (Excel pads every line of an export to the same width). Ties go
// to the comma, then the tab. With none of them, it is the comma.
func detectDelimiter(text []byte) rune {
	const maxLines = 20
	cands := []rune{',', '\t', ';'}
	counts := make([][]int, len(cands)) // per candidate, its count on each line
	cur := make([]int, len(cands))
	inQuote, lines := false, 0
	endLine := func() {
		nonzero := false
		for _, c := range cur {
			nonzero = nonzero || c > 0
		}
		if nonzero {
			for i := range cands {
				counts[i] = append(counts[i], cur[i])
				cur[i] = 0
			}
			lines++
		}
	}
	for _, r := range string(text) {
		if lines >= maxLines {
			break
		}
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '\n':
			endLine()
		default:
			for i, c := range cands {
				if r == c {
					cur[i]++
				}
			}
		}
	}
	if lines < maxLines {
		endLine()
	}
	best, bestLines, bestMode := ',', 0, 0
	for i, c := range cands {
		freq := map[int]int{}
		for _, n := range counts[i] {
			if n > 0 {
				freq[n]++
			}
		}
		modeLines, mode := 0, 0
		for n, k := range freq {
			if k > modeLines || (k == modeLines && n > mode) {
				modeLines, mode = k, n
			}
		}
		if modeLines > bestLines || (modeLines == bestLines && mode > bestMode) {
			best, bestLines, bestMode = c, modeLines, mode
		}
	}
	return best
}
