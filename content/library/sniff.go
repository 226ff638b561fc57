package library

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"handbook/content"
)

// Extensions lists, by format, the extension an upload of that format is
// stored with.
var Extensions = map[string]string{
	content.FormatPDF: ".pdf", content.FormatDOCX: ".docx", content.FormatEPUB: ".epub",
	content.FormatHTML: ".html", content.FormatMarkdown: ".md", content.FormatText: ".txt",
}

// claimed is the format a file name's extension says, or "".
func claimed(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf":
		return content.FormatPDF
	case ".docx":
		return content.FormatDOCX
	case ".epub":
		return content.FormatEPUB
	case ".html", ".htm", ".xhtml":
		return content.FormatHTML
	case ".md", ".markdown":
		return content.FormatMarkdown
	case ".txt", ".text":
		return content.FormatText
	}
	return ""
}

// Kinds of content that is no format a loader reads, beside MIME types
// (as net/http sniffs them), in a Refusal's Args.
const (
	KindZip        = "zip"         // a zip archive that is no Word document or EPUB
	KindDamagedZip = "damaged-zip" // a zip archive that cannot be read
)

// Describe names a format or kind of content (a Refusal's Args) in English.
func Describe(kind string) string {
	switch kind {
	case KindZip:
		return "a zip archive (not a Word document)"
	case KindDamagedZip:
		return "a damaged zip archive"
	case content.FormatText:
		return "plain text"
	case content.FormatPDF:
		return "a PDF"
	case content.FormatDOCX:
		return "a Word document (DOCX)"
	case content.FormatEPUB:
		return "an EPUB book"
	case content.FormatHTML:
		return "an HTML page"
	case content.FormatMarkdown:
		return "Markdown text"
	}
	return "data of type " + kind
}

func textual(format string) bool {
	return format == content.FormatHTML || format == content.FormatMarkdown || format == content.FormatText
}

// Detect tells the format of the file at p from its bytes: %PDF- for a
// PDF, a zip holding word/document.xml for a Word document (or an EPUB's
// mimetype entry), else HTML or UTF-8 text as net/http sniffs them. name is
// the name the client gave: its extension only chooses among the text
// formats, and one that claims another format than the content is a
// refusal (a .pdf that is a zip archive is not read as anything).
func Detect(p, name string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if n == 0 {
		return "", refuse(CodeEmpty, nil)
	}
	claim := claimed(name)
	var got, kind string
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		got = content.FormatPDF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		got, kind = zipFormat(f, st.Size())
	default:
		ct := http.DetectContentType(head)
		switch {
		case strings.HasPrefix(ct, "text/html"):
			got = content.FormatHTML
		case strings.HasPrefix(ct, "text/plain"):
			data, err := io.ReadAll(io.NewSectionReader(f, 0, st.Size()))
			if err != nil {
				return "", err
			}
			if !utf8.Valid(bytes.TrimPrefix(data, []byte("\ufeff"))) {
				return "", refuse(CodeNotUTF8, nil)
			}
			got = content.FormatText
			if bytes.HasPrefix(data, []byte("---\n")) || bytes.HasPrefix(data, []byte("---\r\n")) || bytes.HasPrefix(data, []byte("# ")) || bytes.Contains(data, []byte("\n# ")) {
				got = content.FormatMarkdown
			}
		default:
			kind = strings.TrimSpace(strings.Split(ct, ";")[0]) // a MIME type
		}
	}
	switch {
	case got == "" && claim != "":
		return "", refuse(CodeMislabelled, []any{kind, claim})
	case got == "":
		return "", refuse(CodeWrongType, []any{kind})
	case claim == "" || claim == got:
		return got, nil
	case textual(claim) && textual(got):
		// Markdown, text and HTML are all text: the name chooses how it
		// is read, as the loaders do.
		return claim, nil
	}
	return "", refuse(CodeMislabelled, []any{got, claim})
}

// zipFormat tells a Word document or an EPUB from another zip archive; kind
// names what it is when neither.
func zipFormat(r io.ReaderAt, size int64) (format, kind string) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "", KindDamagedZip
	}
	for _, f := range z.File {
		switch f.Name {
		case "word/document.xml":
			return content.FormatDOCX, ""
		case "mimetype":
			if rc, err := f.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 64))
				_ = rc.Close()
				if string(bytes.TrimSpace(b)) == "application/epub+zip" {
					return content.FormatEPUB, ""
				}
			}
		}
	}
	return "", KindZip
}
