package sampledata

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// sortedZip is the zip writer excelize saves through. excelize writes the parts of streamed sheets in map order,
// which differs from run to run; sortedZip compresses each part into memory and writes them sorted on Close, so
// the same workbook always has the same bytes. Only the compressed parts are held, never the raw sheet XML.
type sortedZip struct {
	w       io.Writer
	entries []*zipEntry
	cur     *zipEntry
	fw      *flate.Writer
}

type zipEntry struct {
	name string
	data bytes.Buffer
	crc  hash.Hash32
	size uint64
}

func newSortedZip(w io.Writer) *sortedZip { return &sortedZip{w: w} }

// Create starts a part; the previous one is complete.
func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	e := &zipEntry{name: name, crc: crc32.NewIEEE()}
	var err error
	if z.fw == nil {
		// BestSpeed: the inbox of a million-person benchmark is mostly compression time otherwise.
		z.fw, err = flate.NewWriter(&e.data, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
	} else {
		z.fw.Reset(&e.data)
	}
	z.cur = e
	z.entries = append(z.entries, e)
	return entryWriter{z: z}, nil
}

type entryWriter struct{ z *sortedZip }

func (w entryWriter) Write(p []byte) (int, error) {
	e := w.z.cur
	e.crc.Write(p)
	e.size += uint64(len(p))
	return w.z.fw.Write(p)
}

func (z *sortedZip) finish() error {
	if z.cur == nil {
		return nil
	}
	z.cur = nil
	return z.fw.Close()
}

// AddFS is not used by excelize when saving.
func (z *sortedZip) AddFS(fs.FS) error { return errors.New("sortedZip: AddFS not supported") }

// Close writes all parts, [Content_Types].xml first as Office does, the rest by name.
func (z *sortedZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	sort.SliceStable(z.entries, func(i, j int) bool {
		a, b := z.entries[i].name, z.entries[j].name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return strings.Compare(a, b) < 0
	})
	zw := zip.NewWriter(z.w)
	for _, e := range z.entries {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               e.name,
			Method:             zip.Deflate,
			ModifiedDate:       0x21, // 1980-01-01, what Office writes
			CRC32:              e.crc.Sum32(),
			CompressedSize64:   uint64(e.data.Len()),
			UncompressedSize64: e.size,
		})
		if err != nil {
			return err
		}
		if _, err := w.Write(e.data.Bytes()); err != nil {
			return err
		}
	}
	z.entries = nil
	return zw.Close()
}
