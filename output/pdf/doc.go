// Package pdf lays out Chinese documents (letters, reports, certificates) as
// A4 PDF files with the glyphs they use embedded from a CJK TrueType font.
package pdf
