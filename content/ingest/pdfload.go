package ingest

import (
	"context"
	"errors"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"handbook/content"
	"handbook/content/pdf"
)

// parsePDF reads a PDF: sections from its outline when it has one, else from
// heading-like lines; every section knows its pages. A table of contents
// near the start is kept out of the sections' text (see separateContents).
func parsePDF(ctx context.Context, docID string, data []byte, opts Options) (*parsed, error) {
	engine := opts.PDF
	if engine == nil {
		engine = pdf.Shared()
	}
	doc, err := engine.Extract(ctx, data)
	if err != nil {
		switch {
		case errors.Is(err, pdf.ErrEncrypted):
			return nil, kindError(ErrEncrypted, err)
		case errors.Is(err, pdf.ErrTimeout):
			return nil, kindError(ErrTimeout, err)
		case errors.Is(err, pdf.ErrTooManyPages):
			return nil, kindError(ErrTooLarge, err)
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			return nil, kindError(ErrTimeout, err)
		}
		return nil, kindError(ErrCorrupt, err)
	}
	p := &parsed{format: content.FormatPDF, pages: len(doc.Pages), lang: doc.Info.Language, summary: doc.Info.Subject}
	if t := html.UnescapeString(doc.Info.Title); plausibleTitle(t) {
		p.title = t
	}
	b := NewSectionBuilder(docID, true)
	if usableOutline(doc.Outline) {
		pdfByOutline(b, doc)
	} else {
		pdfByLayout(b, doc)
	}
	p.sections = separateContents(b.Sections())
	if p.title == "" {
		p.title = pdfTitle(doc)
	}
	return p, nil
}

// plausibleTitle rejects the titles that producers put in the document
// information by default.
func plausibleTitle(t string) bool {
	l := strings.ToLower(strings.TrimSpace(t))
	switch {
	case utf8.RuneCountInString(l) < 3, l == "untitled", strings.HasPrefix(l, "microsoft word"),
		strings.HasSuffix(l, ".doc"), strings.HasSuffix(l, ".docx"), strings.HasSuffix(l, ".pdf"), strings.HasSuffix(l, ".indd"):
		return false
	}
	return true
}

// pdfTitle takes the largest text on the first page that has text.
func pdfTitle(doc *pdf.Document) string {
	for _, p := range doc.Pages {
		if len(p.Lines) == 0 {
			continue
		}
		best, size := "", 0.0
		for _, l := range p.Lines {
			if l.Size > size && len([]rune(l.Text)) >= 3 {
				best, size = l.Text, l.Size
			}
		}
		return best
	}
	return ""
}

func usableOutline(items []pdf.OutlineItem) bool {
	n := 0
	for _, it := range items {
		if it.Page > 0 && it.Title != "" {
			n++
		}
	}
	return n >= 3
}

// block is a run of lines of one page that form a paragraph, list item or
// heading.
type block struct {
	lines []pdf.Line
	page  int
}

func (bl block) text() string {
	var sb strings.Builder
	for i, l := range bl.lines {
		sb.WriteString(l.Text)
		if i < len(bl.lines)-1 && !l.Hyphen {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

func (bl block) hyphen() bool { return bl.lines[len(bl.lines)-1].Hyphen }

func blocks(p pdf.Page) []block {
	var out []block
	for _, l := range p.Lines {
		if l.NewBlock || len(out) == 0 {
			out = append(out, block{page: p.Number})
		}
		out[len(out)-1].lines = append(out[len(out)-1].lines, l)
	}
	return out
}

// paragraphs writes blocks as paragraphs, joining a block to the one before
// when that one stopped mid-sentence and this one goes on in lower case (a
// paragraph that runs on into the next column or page).
type paragraphs struct {
	b       *SectionBuilder
	open    bool // a paragraph is open and may be continued
	ended   bool // the open paragraph ends a sentence
	hyphen  bool // the open paragraph ends with a hyphen at a line break
	after   bool // the open paragraph ends with "; and" or "; or" before a last point
	pageNow int
}

func (w *paragraphs) page(p int) {
	if p != w.pageNow {
		w.b.Page(p)
		w.pageNow = p
	}
}

func (w *paragraphs) text(t string, hyphen bool) {
	t = strings.TrimSpace(dotLeader.ReplaceAllString(t, " … "))
	if t == "" {
		return
	}
	first, _ := utf8.DecodeRuneInString(t)
	switch {
	case w.open && !w.ended && (w.hyphen || unicode.IsLower(first)) && !(w.after && point.MatchString(t)):
		sep := " "
		if w.hyphen {
			sep = ""
		}
		w.b.cont(t, sep)
	default:
		w.b.text(t)
	}
	w.open, w.hyphen = true, hyphen
	w.ended = strings.ContainsAny(lastRune(t), ".:;!?»”)")
	w.after = andOr.MatchString(t)
}

var (
	// point is the label a point of a legal text starts with: "d)",
	// "(d)", "(iv)".
	point = regexp.MustCompile(`^(?:\(?[a-z]{1,2}\)|\([ivxlc]{1,6}\))\s`)
	// andOr is the word that ends the point before the last of a list
	// ("…; et", "…; and", "…; or"): the next point is not its continuation.
	andOr = regexp.MustCompile(`[;,]\s*(?:et|ou|and|or|und|oder|y|o|e)$`)
)

func (w *paragraphs) heading(level int, raw string) {
	w.b.heading(level, raw, "")
	w.open = false
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return string(r)
}

// pdfByOutline places each bookmark as a heading where it points, and drops
// the printed heading lines it matches.
func pdfByOutline(b *SectionBuilder, doc *pdf.Document) {
	w := &paragraphs{b: b, pageNow: 1}
	byPage := map[int][]pdf.OutlineItem{}
	for _, it := range doc.Outline {
		if it.Page > 0 && it.Title != "" {
			byPage[it.Page] = append(byPage[it.Page], it)
		}
	}
	for _, p := range doc.Pages {
		w.page(p.Number)
		items := byPage[p.Number]
		bls := blocks(p)
		for i := 0; i < len(bls); i++ {
			bl := bls[i]
			for len(items) > 0 && (!items[0].HasY || bl.lines[0].Y1 <= items[0].Y+2) {
				it := items[0]
				items = items[1:]
				raw, skip := matchHeading(it.Title, bls[i:])
				w.heading(it.Level, raw)
				i += skip
				if i >= len(bls) {
					break
				}
				bl = bls[i]
			}
			if i >= len(bls) {
				break
			}
			w.text(bl.text(), bl.hyphen())
		}
		for _, it := range items { // bookmarks below the last line
			w.heading(it.Level, it.Title)
		}
	}
}

// matchHeading looks for a bookmark's printed heading among the next few
// blocks. It returns the heading to use (the printed one when it carries a
// number, else the bookmark's title) and how many blocks it consumed.
func matchHeading(title string, next []block) (string, int) {
	want := fold(title)
	for j := 0; j < len(next) && j < 4; j++ {
		got := fold(next[j].text())
		if want == "" || got == "" {
			continue
		}
		if strings.HasSuffix(got, want) || (len(got) >= 8 && strings.HasPrefix(want, got)) {
			printed := next[j].text()
			if number, _ := SplitHeading(printed); number != "" {
				return printed, j + 1
			}
			// Short lines before the match ("CHAPTER", "TWO") belong to it.
			return title, j + 1
		}
		if len(strings.Fields(next[j].text())) > 3 {
			break
		}
	}
	return title, 0
}

// fold keeps the letters and digits of s, folded, for comparing headings.
func fold(s string) string { return strings.Join(content.Words(s), "") }

// keywordRank orders the citation keywords of legal and standards texts from
// the outermost (a part) to the innermost (an article).
var keywordRank = map[string]int{
	"part": 1, "partie": 1, "title": 1, "titre": 1, "book": 1, "livre": 1, "volume": 1,
	"chapter": 2, "chapitre": 2, "pillar": 2, "pilier": 2, "module": 2,
	"section": 3,
	"article": 5, "art.": 5, "annex": 5, "annexe": 5, "appendix": 5, "appendice": 5, "standard": 5, "norme": 5,
	"schedule": 5, "rule": 5, "règle": 5, "recommendation": 5, "recommandation": 5,
}

var (
	dotted = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3})*\.?$`)
	// leader is the dotted line of a table of contents: its entries are not
	// headings.
	leader = regexp.MustCompile(`(\.\s?){4,}|…{2,}|_{4,}`)
	// dotLeader is a run of leader dots, shortened in the text.
	dotLeader = regexp.MustCompile(`\s*(\.\s?){4,}(\s*\.)*\s*`)
)

// headingLevel says whether a block is a heading and at which level. body is
// the size of body text.
func headingLevel(bl block, body float64) (int, bool) {
	t := bl.text()
	words := strings.Fields(t)
	if len(bl.lines) > 3 || len(words) == 0 || len(words) > 20 || leader.MatchString(t) {
		return 0, false
	}
	first, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return 0, false
	}
	l := bl.lines[0]
	larger := l.Size >= body+1.2
	styled := l.Bold || larger
	endsSentence := strings.ContainsAny(lastRune(t), ",;")
	number, rest := SplitHeading(t)
	if number != "" {
		kw := strings.ToLower(strings.Fields(number)[0])
		if rank, ok := keywordRank[kw]; ok {
			restWords := len(strings.Fields(rest))
			if rest == "" || styled || l.Italic || (restWords <= 12 && !strings.HasSuffix(t, ".") && !endsSentence && len(bl.lines) <= 2) {
				if !endsSentence && unicode.IsUpper([]rune(number)[0]) {
					return rank, true
				}
			}
			return 0, false
		}
		if dotted.MatchString(number) && styled && !endsSentence && len(words) <= 15 {
			return 5 + strings.Count(strings.TrimSuffix(number, "."), ".") + 1, true
		}
		if styled && !endsSentence && len(words) <= 12 && rest != "" {
			return 9, true
		}
		return 0, false
	}
	if !styled || len(words) > 12 || len(bl.lines) > 2 || strings.HasSuffix(t, ".") || endsSentence {
		return 0, false
	}
	switch {
	case l.Size >= body+4:
		return 1, true
	case larger:
		return 4, true
	}
	return 10, true
}

// bodySize is the font size of most of the text.
func bodySize(doc *pdf.Document) float64 {
	count := map[float64]int{}
	for _, p := range doc.Pages {
		for _, l := range p.Lines {
			count[l.Size] += len(l.Text)
		}
	}
	best, n := 0.0, -1
	for s, c := range count {
		if c > n || (c == n && s < best) {
			best, n = s, c
		}
	}
	return best
}

// pdfByLayout finds headings from the text itself: numbered headings
// ("Article 12", "CHAPITRE IV", bold "3.2 Scope") and short bold or large
// lines. A number alone on its line takes the title that follows it.
func pdfByLayout(b *SectionBuilder, doc *pdf.Document) {
	body := bodySize(doc)
	w := &paragraphs{b: b, pageNow: 1}
	var all []block
	for _, p := range doc.Pages {
		all = append(all, blocks(p)...)
	}
	// A page of contents lists headings with their page numbers: none of
	// its lines is a heading.
	toc := map[int]bool{}
	for _, p := range doc.Pages {
		n := 0
		for _, l := range p.Lines {
			if leader.MatchString(l.Text) {
				n++
			}
		}
		toc[p.Number] = n >= 5 && float64(n) >= 0.2*float64(len(p.Lines))
	}
	for i := 0; i < len(all); i++ {
		bl := all[i]
		w.page(bl.page)
		level, ok := headingLevel(bl, body)
		ok = ok && !toc[bl.page]
		if !ok {
			w.text(bl.text(), bl.hyphen())
			continue
		}
		raw := bl.text()
		if number, rest := SplitHeading(raw); number != "" && rest == "" && i+1 < len(all) {
			next := all[i+1]
			if _, isHeading := headingLevel(next, body); isHeading || next.lines[0].Bold {
				if n, _ := SplitHeading(next.text()); n == "" && next.page == bl.page {
					raw += " " + next.text()
					i++
				}
			}
		}
		w.heading(level, raw)
	}
}
