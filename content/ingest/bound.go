package ingest

import (
	"context"
	"errors"
	"handbook/content"
	"io"
	"io/fs"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Bounds on what one file may make the loaders hold, besides Options.
const (
	// MaxSectionSize bounds the text of one section, in bytes. A longer
	// section goes on in continuation sections with the same heading,
	// number and path (and ids ending -2, -3, …), so all of its text stays
	// searchable while no section costs more than this to index or show.
	MaxSectionSize = 256 << 10
	// maxHeadingSize bounds a heading; the rest of a longer one becomes the
	// first text of its section.
	maxHeadingSize = 512
	// maxIndent bounds the nesting shown by indentation (list items in
	// Markdown, HTML and DOCX): deeper items are indented as much as this.
	maxIndent = 8
	// maxNesting bounds the containers (block quotes, list items) a
	// Markdown line may open; the markers beyond are dropped, their text
	// kept.
	maxNesting = 32
	// maxMetaSize bounds a metadata file (a sidecar or catalog.yaml); a
	// larger one is reported and not read.
	maxMetaSize = 4 << 20
	// checkEvery is how many steps a loader's loop takes between two looks
	// at its context.
	checkEvery = 1024
)

// stopper tells a loader's loop, every checkEvery calls, whether its
// context has ended.
type stopper struct {
	ctx context.Context
	n   int
}

func (s *stopper) stop() bool {
	s.n++
	return s.n%checkEvery == 0 && s.ctx.Err() != nil
}

// text appends a block of text, as Text does, within MaxSectionSize: when
// the current section is full, the text goes on in a continuation section.
func (b *SectionBuilder) text(t string) { b.bounded(t, "\n\n") }

// cont is Continue within MaxSectionSize.
func (b *SectionBuilder) cont(t, sep string) { b.bounded(t, sep) }

func (b *SectionBuilder) bounded(t, sep string) {
	for {
		t = strings.TrimSpace(t)
		if t == "" {
			return
		}
		used := b.buf.Len()
		switch {
		case b.cur != nil && used > 0 && used+len(sep)+len(t) > MaxSectionSize:
			room := MaxSectionSize - used - len(sep)
			if room < MaxSectionSize/8 {
				b.spill()
				continue
			}
			cut := splitPoint(t, room)
			b.write(t[:cut], sep)
			t = t[cut:]
			b.spill()
		case len(t) > MaxSectionSize:
			cut := splitPoint(t, MaxSectionSize)
			b.write(t[:cut], sep)
			t = t[cut:]
			b.spill()
		default:
			b.write(t, sep)
			return
		}
	}
}

// spill closes the current section and opens its continuation.
func (b *SectionBuilder) spill() {
	if b.cur == nil {
		return
	}
	next := content.Section{DocID: b.docID, Number: b.cur.Number, Heading: b.cur.Heading, Path: b.cur.Path, Level: b.cur.Level, Page: b.pageNow, PageEnd: b.pageNow}
	b.flush()
	b.cur = &next
	b.lastPage = b.pageNow
}

// heading is HeadingID with the heading bounded by maxHeadingSize: the rest
// of a longer one starts its section's text.
func (b *SectionBuilder) heading(level int, raw, anchor string) {
	raw = strings.TrimSpace(raw)
	if len(raw) <= maxHeadingSize {
		b.HeadingID(level, raw, anchor)
		return
	}
	cut := splitPoint(raw, maxHeadingSize)
	b.HeadingID(level, raw[:cut], anchor)
	b.text(raw[cut:])
}

// splitPoint is where to cut t to at most n bytes: at the last white space
// in the second half, else at a rune boundary.
func splitPoint(t string, n int) int {
	if n >= len(t) {
		return len(t)
	}
	if i := strings.LastIndexAny(t[:n], " \t\n"); i > n/2 {
		return i
	}
	for n > 0 && !utf8.RuneStart(t[n]) {
		n--
	}
	if n == 0 {
		_, size := utf8.DecodeRuneInString(t)
		return size
	}
	return n
}

// indent is the indentation of a list item at nesting level (from 0).
func indent(level int) string {
	return strings.Repeat("  ", min(max(level, 0), maxIndent))
}

// isMetaName says whether a file name is a metadata file's.
func isMetaName(name string) bool {
	return name == CatalogName || strings.HasSuffix(name, SidecarSuffix)
}

// checkEntry says why a folder entry that is not a regular file is not
// read: a link to something other than a regular file, a link loop, a link
// out of the folder (DirFS tells), a pipe, device or socket.
func checkEntry(fsys fs.FS, p string, d fs.DirEntry) error {
	if d.Type()&fs.ModeSymlink == 0 {
		return notRegular(d.Type())
	}
	info, err := fs.Stat(fsys, p)
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == p {
		err = pe.Err // the report names the file already
	}
	switch {
	case errors.Is(err, ErrOutside), errors.Is(err, ErrLinkLoop), errors.Is(err, ErrNotRegular):
		return err
	case errors.Is(err, syscall.ELOOP):
		return kindf(ErrLinkLoop, "a symlink loop (the link leads back to itself)")
	case errors.Is(err, fs.ErrNotExist):
		return kindf(ErrNotRegular, "a broken symbolic link (its target does not exist)")
	case err != nil:
		return err
	case !info.Mode().IsRegular():
		return kindf(ErrNotRegular, "a symbolic link to %v", notRegular(info.Mode()))
	}
	return nil
}

// readLimited reads a file of the given size (as stat said) into a buffer of
// that size, never more than limit bytes: a file that grew beyond the limit
// is an error.
func readLimited(r io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(max(size, 0), limit)+1)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				break
			}
			buf = append(buf, 0)[:len(buf)] // grow: the file grew since stat
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if int64(len(buf)) > limit {
			break
		}
	}
	if int64(len(buf)) > limit {
		return nil, kindf(ErrTooLarge, "the file is larger than the limit of %s", byteSize(limit))
	}
	return buf, nil
}
