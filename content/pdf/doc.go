// Package pdf extracts the text of PDFs, laid out for reading: pages in
// order, each with its lines in reading order (two-column pages read column
// by column, rows of a table left to right), running headers, footers and
// page numbers removed, letter-spaced words rejoined, hyphens at line breaks
// marked, and the font size and weight of each line kept so that a caller
// can find headings. It also returns the document information and the
// outline (bookmarks). It knows nothing of sections or search; package
// content turns its lines into sections.
//
// The text comes from PDFium compiled to WebAssembly and run by wazero
// (github.com/klippa-app/go-pdfium/webassembly): no cgo, no shared library.
// README.md in this folder records why, with the comparison of extractors.
package pdf
