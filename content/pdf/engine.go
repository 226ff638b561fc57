package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Errors a caller can branch on. Extract wraps them with details.
var (
	// ErrEncrypted is a PDF that needs a password.
	ErrEncrypted = errors.New("the PDF is encrypted (password protected)")
	// ErrCorrupt is a file PDFium cannot parse: damaged or truncated.
	ErrCorrupt = errors.New("the PDF is damaged or truncated")
	// ErrTooManyPages is a PDF with more pages than Options.MaxPages.
	ErrTooManyPages = errors.New("the PDF has too many pages")
	// ErrTimeout is an extraction that ran past its deadline; it is stopped.
	ErrTimeout = errors.New("reading the PDF took too long")
)

// Options configures an Engine. Zero fields take the defaults below.
type Options struct {
	// MaxPages is the most pages a PDF may have (default 10,000).
	MaxPages int
	// MaxMemory bounds the memory of one PDFium instance, which holds the
	// file and its parsed pages (default 1 GiB, at most 4 GiB).
	MaxMemory int64
	// Workers is the number of PDFium instances that may run at once
	// (default GOMAXPROCS). Extract blocks while all are busy.
	Workers int
	// CacheDir keeps PDFium compiled to machine code between runs, which
	// turns a start-up of several seconds into a fraction of one. Default:
	// the user's cache folder + "/handbook/pdfium"; "off" disables it.
	CacheDir string
}

func (o Options) withDefaults() Options {
	if o.MaxPages <= 0 {
		o.MaxPages = 10000
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = 1 << 30
	}
	o.MaxMemory = min(o.MaxMemory, 4<<30)
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.CacheDir == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			o.CacheDir = filepath.Join(dir, "handbook", "pdfium")
		}
	}
	return o
}

// Engine extracts text from PDFs with PDFium, compiled to WebAssembly and run
// by wazero: no cgo, no shared library, one self-contained binary. Each
// document gets a fresh PDFium instance with bounded memory, so a hostile
// file cannot disturb the next one. An Engine is safe for concurrent use.
type Engine struct {
	opts Options
	once sync.Once
	pool pdfium.Pool
	err  error
}

// NewEngine returns an engine. PDFium is compiled on the first Extract, not
// here.
func NewEngine(opts Options) *Engine {
	return &Engine{opts: opts.withDefaults()}
}

var (
	sharedOnce   sync.Once
	sharedEngine *Engine
)

// Shared returns a process-wide engine with default options, so PDFium is
// compiled at most once per process.
func Shared() *Engine {
	sharedOnce.Do(func() { sharedEngine = NewEngine(Options{}) })
	return sharedEngine
}

func (e *Engine) init() error {
	e.once.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithMemoryLimitPages(uint32(e.opts.MaxMemory / 65536))
		if e.opts.CacheDir != "" && e.opts.CacheDir != "off" {
			if cache, err := wazero.NewCompilationCacheWithDir(e.opts.CacheDir); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		e.pool, e.err = webassembly.Init(webassembly.Config{
			MinIdle:       0,
			MaxIdle:       e.opts.Workers,
			MaxTotal:      e.opts.Workers,
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // no file system: documents are passed as bytes
			Stdout:        io.Discard,
			Stderr:        io.Discard,
		})
		if e.err != nil {
			e.err = fmt.Errorf("start PDFium: %w", e.err)
		}
	})
	return e.err
}

// Close releases PDFium. Extract must not be called after.
func (e *Engine) Close() error {
	if e.pool == nil {
		return nil
	}
	return e.pool.Close()
}

// Document is the text of a PDF, laid out: pages in order, each with its
// lines in reading order, running headers and footers removed.
type Document struct {
	Info    Info
	Pages   []Page
	Outline []OutlineItem // bookmarks in document order, flattened
}

// Info is the document information dictionary and catalog language.
type Info struct {
	Title, Author, Subject, Keywords, Language string
}

// OutlineItem is one bookmark.
type OutlineItem struct {
	Title string
	Level int // 1 for a top-level bookmark
	Page  int // 1-based; 0 when the bookmark points nowhere
	Y     float64
	HasY  bool // whether Y (PDF units from the bottom of the page) is known
}

// Page is one page's text.
type Page struct {
	Number        int // 1-based
	Width, Height float64
	Lines         []Line
}

// Extract reads a PDF held in memory. The context bounds the time it takes:
// when it is done, Extract returns ErrTimeout at once, and the extraction
// stops at its next check (between two characters or pages) and frees its
// PDFium instance. A single PDFium call is not interrupted: wazero can only
// do that by watching the context in a goroutine per call, which made
// extraction ten times slower.
func (e *Engine) Extract(ctx context.Context, data []byte) (*Document, error) {
	if err := e.init(); err != nil {
		return nil, err
	}
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: waiting for a PDFium instance: %w", ErrTimeout, ctx.Err())
		}
		return nil, fmt.Errorf("get a PDFium instance: %w", err)
	}
	type result struct {
		doc *Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := e.extract(ctx, inst, data)
		_ = inst.Close()
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (stopped after %s)", ErrTimeout, deadlineText(ctx))
		}
		return r.doc, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w (stopped after %s)", ErrTimeout, deadlineText(ctx))
	}
}

func deadlineText(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "the time limit"
	}
	return "cancellation"
}

func (e *Engine) extract(ctx context.Context, inst pdfium.Pdfium, data []byte) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%w: PDFium failed: %v", ErrCorrupt, r)
		}
	}()
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, openError(err)
	}
	d := opened.Document
	defer func() { _, _ = inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d}) }()
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if pc.PageCount > e.opts.MaxPages {
		return nil, fmt.Errorf("%w: %d pages, more than the limit of %d", ErrTooManyPages, pc.PageCount, e.opts.MaxPages)
	}
	if pc.PageCount == 0 {
		return nil, fmt.Errorf("%w: it has no pages", ErrCorrupt)
	}
	out := &Document{Info: info(inst, d), Outline: outline(inst, d, pc.PageCount)}
	for i := range pc.PageCount {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := readPage(ctx, inst, d, i)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		out.Pages = append(out.Pages, p)
	}
	removeRunningLines(out.Pages)
	for i := range out.Pages {
		markBlocks(out.Pages[i].Lines)
	}
	return out, nil
}

func openError(err error) error {
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
		return ErrEncrypted
	case errors.Is(err, pdfiumerrors.ErrFormat), errors.Is(err, pdfiumerrors.ErrFile), errors.Is(err, pdfiumerrors.ErrUnknown):
		return ErrCorrupt
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}

func info(inst pdfium.Pdfium, d references.FPDF_DOCUMENT) Info {
	get := func(tag string) string {
		r, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: d, Tag: tag})
		if err != nil {
			return ""
		}
		return cleanMeta(r.Value)
	}
	in := Info{Title: get("Title"), Author: get("Author"), Subject: get("Subject"), Keywords: get("Keywords")}
	if r, err := inst.FPDFCatalog_GetLanguage(&requests.FPDFCatalog_GetLanguage{Document: d}); err == nil {
		in.Language = cleanMeta(r.Language)
	}
	return in
}

func cleanMeta(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0xfffd {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// outline flattens the bookmarks, guarding against cycles and huge trees.
func outline(inst pdfium.Pdfium, d references.FPDF_DOCUMENT, pages int) []OutlineItem {
	var items []OutlineItem
	seen := map[references.FPDF_BOOKMARK]bool{}
	var walk func(parent *references.FPDF_BOOKMARK, level int)
	walk = func(parent *references.FPDF_BOOKMARK, level int) {
		if level > 16 {
			return
		}
		first, err := inst.FPDFBookmark_GetFirstChild(&requests.FPDFBookmark_GetFirstChild{Document: d, Bookmark: parent})
		if err != nil || first.Bookmark == nil {
			return
		}
		for bm := first.Bookmark; bm != nil && len(items) < 20000; {
			if seen[*bm] {
				return
			}
			seen[*bm] = true
			item := OutlineItem{Level: level}
			if t, err := inst.FPDFBookmark_GetTitle(&requests.FPDFBookmark_GetTitle{Bookmark: *bm}); err == nil {
				item.Title = cleanMeta(t.Title)
			}
			if dest, err := inst.FPDFBookmark_GetDest(&requests.FPDFBookmark_GetDest{Document: d, Bookmark: *bm}); err == nil && dest.Dest != nil {
				if pi, err := inst.FPDFDest_GetDestPageIndex(&requests.FPDFDest_GetDestPageIndex{Document: d, Dest: *dest.Dest}); err == nil && pi.Index >= 0 && pi.Index < pages {
					item.Page = pi.Index + 1
				}
				if loc, err := inst.FPDFDest_GetLocationInPage(&requests.FPDFDest_GetLocationInPage{Dest: *dest.Dest}); err == nil && loc.Y != nil {
					item.Y, item.HasY = float64(*loc.Y), true
				}
			}
			items = append(items, item)
			walk(bm, level+1)
			next, err := inst.FPDFBookmark_GetNextSibling(&requests.FPDFBookmark_GetNextSibling{Document: d, Bookmark: *bm})
			if err != nil {
				return
			}
			bm = next.Bookmark
		}
	}
	walk(nil, 1)
	return items
}

// readPage reads the characters of one page with their boxes and lays them
// out in lines.
func readPage(ctx context.Context, inst pdfium.Pdfium, d references.FPDF_DOCUMENT, index int) (Page, error) {
	p := Page{Number: index + 1}
	if size, err := inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: d, Index: index}); err == nil {
		p.Width, p.Height = size.Width, size.Height
	}
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: d, Index: index}}})
	if err != nil {
		return p, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	defer func() { _, _ = inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage}) }()
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return p, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	chars := make([]Char, 0, n.Count)
	for i := range n.Count {
		if i%512 == 0 && ctx.Err() != nil {
			return p, ctx.Err()
		}
		u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: i})
		if err != nil {
			return p, err
		}
		c := Char{Rune: rune(u.Unicode), Index: i}
		if box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: i}); err == nil {
			r := box.Rect
			c.X0, c.X1 = float64(min(r.Left, r.Right)), float64(max(r.Left, r.Right))
			c.Y0, c.Y1 = float64(min(r.Top, r.Bottom)), float64(max(r.Top, r.Bottom))
		}
		chars = append(chars, c)
	}
	p.Lines = Lines(chars)
	for i := range p.Lines {
		l := &p.Lines[i]
		st := style(inst, tp.TextPage, l.SampleChar())
		l.sample = nil
		l.Size, l.Bold, l.Italic, l.Mono = st.size, st.bold, st.italic, st.mono
	}
	p.Lines = Order(p.Lines, p.Width)
	return p, nil
}

type fontStyle struct {
	size               float64
	bold, italic, mono bool
}

// style reads the font of the character at index: its size as rendered
// (font size times the text matrix scale) and whether it is bold, italic or
// fixed-pitch.
func style(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, index int) fontStyle {
	var st fontStyle
	if fs, err := inst.FPDFText_GetFontSize(&requests.FPDFText_GetFontSize{TextPage: tp, Index: index}); err == nil {
		st.size = fs.FontSize
	}
	if m, err := inst.FPDFText_GetMatrix(&requests.FPDFText_GetMatrix{TextPage: tp, Index: index}); err == nil {
		if scale := math.Hypot(float64(m.Matrix.C), float64(m.Matrix.D)); scale > 0 && !math.IsInf(scale, 0) {
			st.size *= scale
		}
	}
	st.size = math.Round(st.size*10) / 10
	if w, err := inst.FPDFText_GetFontWeight(&requests.FPDFText_GetFontWeight{TextPage: tp, Index: index}); err == nil && w.FontWeight >= 600 {
		st.bold = true
	}
	if fi, err := inst.FPDFText_GetFontInfo(&requests.FPDFText_GetFontInfo{TextPage: tp, Index: index}); err == nil {
		name := strings.ToLower(fi.FontName)
		if _, after, ok := strings.Cut(name, "+"); ok {
			name = after
		}
		st.bold = st.bold || fi.Flags&(1<<18) != 0 || strings.Contains(name, "bold") || strings.Contains(name, "black") || strings.Contains(name, "heavy")
		st.italic = fi.Flags&(1<<6) != 0 || strings.Contains(name, "italic") || strings.Contains(name, "oblique") || strings.Contains(name, "ital")
		st.mono = fi.Flags&1 != 0 || strings.Contains(name, "mono") || strings.Contains(name, "courier")
	}
	return st
}
