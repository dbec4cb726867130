package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/transform"
)

// Limits of CSV reading.
const (
	// csvWholeLimit: a CSV file up to this size is read into memory, so its
	// encoding is checked on every byte. A larger one is checked on its first
	// csvSampleSize bytes and streamed.
	csvWholeLimit = 64 << 20
	csvSampleSize = 1 << 20
	// csvDelimiterSample is how much decoded text the delimiter is guessed from.
	csvDelimiterSample = 64 << 10
	// csvMaxRecordLines: a record spanning more lines than this has an
	// unclosed quote that swallowed the rows after it. Excel caps a cell at
	// 32,767 characters; nobody types 200 line breaks into one.
	csvMaxRecordLines = 200
)

// readCSV reads the CSV file f of the given size as one sheet. Empty lines
// are skipped (encoding/csv does), but the line numbers of the rows stay
// those of the file. In a file larger than csvWholeLimit, a byte after the
// sample that does not decode becomes U+FFFD in its cell instead of
// quarantining the file.
func readCSV(f *os.File, size int64, info *FileInfo, sr *sheetReader) error {
	return readCSVLimit(f, size, csvWholeLimit, info, sr)
}

// readCSVLimit is readCSV with the size up to which a file is read whole.
func readCSVLimit(f *os.File, size, wholeLimit int64, info *FileInfo, sr *sheetReader) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read csv: %w", err)
	}
	whole := size <= wholeLimit
	var data []byte
	var err error
	if whole {
		data, err = io.ReadAll(f)
	} else {
		data = make([]byte, min(csvSampleSize, wholeLimit))
		var n int
		n, err = io.ReadFull(f, data)
		data = data[:n]
	}
	if err != nil {
		return fmt.Errorf("read csv: %w", err)
	}
	enc, bom, decoded, q := detectEncoding(data, whole)
	if q != nil {
		return q
	}
	info.Encoding = enc
	dec := decoder(enc)
	if decoded != nil {
		data, bom, dec = decoded, 0, nil // already UTF-8
	}

	sample := data[bom:min(len(data), bom+csvDelimiterSample)]
	if dec != nil {
		// a cut multi-byte character at the end decodes to U+FFFD: harmless here
		sample, _, _ = transform.Bytes(dec, sample)
		dec.Reset()
	}
	if whole && len(data)-bom <= csvDelimiterSample && isBlank(string(sample)) {
		return errEmpty()
	}
	comma := detectDelimiter(sample)
	info.Delimiter = string(comma)

	var r io.Reader
	if whole {
		r = bytes.NewReader(data[bom:])
	} else {
		if _, err := f.Seek(int64(bom), io.SeekStart); err != nil {
			return fmt.Errorf("read csv: %w", err)
		}
		r = bufio.NewReaderSize(f, 1<<16)
	}
	if dec != nil {
		r = transform.NewReader(r, dec)
	}
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1

	si := &SheetInfo{}
	info.Sheets = []*SheetInfo{si}
	next := func() (int, []string, bool, error) {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return 0, nil, false, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return 0, nil, false, errDamaged(fmt.Sprintf("CSV 第%d行无法解析", pe.StartLine), err)
			}
			return 0, nil, false, fmt.Errorf("read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if span := lineBreaks(rec); span > csvMaxRecordLines {
			return 0, nil, false, errDamaged(fmt.Sprintf("CSV 第%d行的引号没有配对，其后%d行被读成了一个单元格", line, span), nil)
		}
		return line, rec, true, nil
	}
	return sr.read(si, next)
}

// lineBreaks counts the line breaks inside the fields of a record.
func lineBreaks(rec []string) int {
	n := 0
	for _, f := range rec {
		if strings.IndexByte(f, '\n') >= 0 {
			n += strings.Count(f, "\n")
		}
	}
	return n
}
