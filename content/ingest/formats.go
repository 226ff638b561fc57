package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"handbook/content"
	"handbook/content/pdf"
)

// Reasons a file is skipped. A FileError's Err matches one of them with
// errors.Is (and, for PDFs, the pdf package's own error as well); its text
// says more.
var (
	ErrEmpty       = errors.New("the file is empty")
	ErrTooLarge    = errors.New("the file is too large")
	ErrWrongFormat = errors.New("the file is not what its extension says")
	ErrNotUTF8     = errors.New("the text is not valid UTF-8")
	ErrEncrypted   = errors.New("the file is encrypted")
	ErrCorrupt     = errors.New("the file is damaged or truncated")
	ErrTimeout     = errors.New("reading the file took too long")
	ErrNoText      = errors.New("the file has no text")
)

// kindErr is an error of one of the kinds above with its own message.
type kindErr struct{ kind, err error }

func (e *kindErr) Error() string   { return e.err.Error() }
func (e *kindErr) Unwrap() []error { return []error{e.kind, e.err} }

func kindError(kind, err error) error { return &kindErr{kind: kind, err: err} }

func kindf(kind error, format string, args ...any) error {
	return &kindErr{kind: kind, err: fmt.Errorf(format, args...)}
}

// Defaults of Options.
const (
	DefaultMaxFileSize     = MaxFileSize
	DefaultTimeout         = 2 * time.Minute
	DefaultMaxUncompressed = 256 << 20
	DefaultMaxZipEntries   = 10000
)

// Options bounds what loading reads. Zero fields take the defaults.
type Options struct {
	// MaxFileSize is the largest file read, in bytes (default 64 MiB). A
	// larger file is reported without being read.
	MaxFileSize int64
	// Timeout bounds the time spent on one file (default 2 minutes).
	Timeout time.Duration
	// MaxUncompressed bounds the bytes a DOCX or EPUB may unpack to, all
	// parts together (default 256 MiB), and MaxZipEntries the number of
	// parts (default 10,000): a zip bomb is reported, not unpacked. One
	// part of an EPUB may not unpack to more than MaxFileSize.
	MaxUncompressed int64
	MaxZipEntries   int
	// Workers is the number of files read at once (default 2). PDFs are
	// also bounded by the PDF engine's own Workers.
	Workers int
	// PDF reads PDFs; nil uses pdf.Shared(), with its default limits
	// (10,000 pages, 1 GiB of memory per document).
	PDF *pdf.Engine
	// Progress, when set, is called after each file, from one goroutine at
	// a time.
	Progress func(Progress)
	// Select, when set, chooses the documents to read by their path
	// relative to the root; the others are neither read nor reported. An
	// incremental index passes the files whose content hash changed (a
	// change to a sidecar or catalog.yaml changes its documents too). Ids
	// and metadata still take every file into account.
	Select func(path string) bool
}

// Progress reports one file read.
type Progress struct {
	Done, Total int    // files done so far, files to read
	Path        string // the file just read, relative to the root
	Err         error  // why it was skipped, or nil
	Pages       int    // its pages, when it has any
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxUncompressed <= 0 {
		o.MaxUncompressed = DefaultMaxUncompressed
	}
	if o.MaxZipEntries <= 0 {
		o.MaxZipEntries = DefaultMaxZipEntries
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	return o
}

// formatOf maps a file name to the format its extension claims, or "".
func formatOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return content.FormatMarkdown
	case ".txt", ".text":
		return content.FormatText
	case ".html", ".htm", ".xhtml":
		return content.FormatHTML
	case ".pdf":
		return content.FormatPDF
	case ".docx":
		return content.FormatDOCX
	case ".epub":
		return content.FormatEPUB
	}
	return ""
}

// sniff names what the bytes look like, for messages about a file that is
// not what its extension says.
func sniff(data []byte) string {
	head := data[:min(len(data), 1024)]
	lower := bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\ufeff"))
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return "a PDF"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return "a zip archive"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "an old-style (or password-protected) Office file"
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		return "a PNG image"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "a JPEG image"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "a GIF image"
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return "an RTF document"
	case bytes.HasPrefix(data, []byte("\x1f\x8b")):
		return "a gzip archive"
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")):
		return "an HTML page"
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		return "UTF-16 text"
	case bytes.IndexByte(head, 0) >= 0:
		return "binary data"
	}
	return "text"
}

// checkKind reports a file whose content does not match its format.
func checkKind(format string, data []byte) error {
	kind := sniff(data)
	ok := false
	switch format {
	case content.FormatPDF:
		ok = kind == "a PDF"
	case content.FormatDOCX:
		if kind == "an old-style (or password-protected) Office file" {
			return kindf(ErrEncrypted, "this is an old-style .doc or a password-protected Word file, not a .docx: save it as .docx without a password")
		}
		ok = kind == "a zip archive"
	case content.FormatEPUB:
		ok = kind == "a zip archive"
	case content.FormatText, content.FormatMarkdown, content.FormatHTML:
		ok = kind == "text" || kind == "an HTML page" || kind == "UTF-16 text"
	}
	if !ok {
		return kindf(ErrWrongFormat, "the file is %s, not %s as its extension says", kind, formatName(format))
	}
	return nil
}

func formatName(format string) string {
	switch format {
	case content.FormatPDF:
		return "a PDF"
	case content.FormatDOCX:
		return "a Word document"
	case content.FormatEPUB:
		return "an EPUB"
	case content.FormatHTML:
		return "an HTML page"
	case content.FormatMarkdown:
		return "Markdown text"
	}
	return "plain text"
}

// decodeText returns text as UTF-8: a byte-order mark is dropped, UTF-16 is
// converted, and invalid UTF-8 is an error that says where.
func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, kindf(ErrNotUTF8, "the UTF-16 text cannot be decoded: %v", err)
		}
		return out, nil
	}
	if utf8.Valid(data) {
		return data, nil
	}
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	line := bytes.Count(data[:off], []byte("\n")) + 1
	return nil, kindf(ErrNotUTF8, "the text is not valid UTF-8 (first bad byte 0x%02x at line %d, byte %d): save the file as UTF-8", data[off], line, off)
}
