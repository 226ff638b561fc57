package ingest

import (
	"fmt"
	"handbook/content"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// CatalogName is the file that gives metadata to the documents of its
// folder: a map from file name to the same keys as front matter.
const CatalogName = "catalog.yaml"

// SidecarSuffix ends the name of a sidecar metadata file: "report.pdf" takes
// its metadata from "report.pdf.meta.yaml" or "report.meta.yaml".
const SidecarSuffix = ".meta.yaml"

// parsed is what a format loader found in a file, before metadata.
type parsed struct {
	format   string
	sections []content.Section
	title    string            // the document's own title, if it has one
	lang     string            // the language it declares, if any
	summary  string            // a description it carries, if any
	pages    int               // printed pages, if known
	meta     *content.Document // metadata from front matter, already validated
}

// metaSource finds the metadata of files that carry none: sidecars, then the
// folder's catalog. It is safe for concurrent use.
type metaSource struct {
	fsys  fs.FS
	root  string
	files map[string]bool // every file under root, relative to it

	mu       sync.Mutex
	catalogs map[string]*catalog // by folder
}

type catalog struct {
	path    string
	entries map[string]yaml.Node
	err     error
}

func (m *metaSource) full(rel string) string {
	if m.root == "." || m.root == "" {
		return rel
	}
	return path.Join(m.root, rel)
}

// sidecarFor returns the sidecar of rel, if one exists.
func (m *metaSource) sidecarFor(rel string) string {
	for _, cand := range []string{rel + SidecarSuffix, strings.TrimSuffix(rel, path.Ext(rel)) + SidecarSuffix} {
		if m.files[cand] {
			return cand
		}
	}
	return ""
}

func (m *metaSource) catalog(dir string) *catalog {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.catalogs[dir]; ok {
		return c
	}
	rel := path.Join(dir, CatalogName)
	var c *catalog
	if m.files[rel] {
		c = &catalog{path: rel}
		data, err := fs.ReadFile(m.fsys, m.full(rel))
		switch {
		case err != nil:
			c.err = err
		default:
			if err := yaml.Unmarshal(data, &c.entries); err != nil {
				c.err = &content.MetaError{Path: rel, Msg: "not valid YAML (a map from file name to metadata): " + yamlMessage(err)}
			}
		}
	}
	m.catalogs[dir] = c
	return c
}

// lookup returns the metadata for rel from its sidecar or its folder's
// catalog, or nil when there is none, and the path that names it in errors.
func (m *metaSource) lookup(rel string) (*content.Document, string, error) {
	if sc := m.sidecarFor(rel); sc != "" {
		data, err := fs.ReadFile(m.fsys, m.full(sc))
		if err != nil {
			return nil, sc, err
		}
		d, err := decodeFrontMatter(sc, data)
		return d, sc, err
	}
	c := m.catalog(path.Dir(rel))
	if c == nil {
		return nil, "", nil
	}
	if c.err != nil {
		return nil, c.path, fmt.Errorf("its metadata comes from %s, which cannot be read (see that file's error)", c.path)
	}
	node, ok := c.entries[path.Base(rel)]
	if !ok {
		return nil, "", nil
	}
	where := fmt.Sprintf("%s (entry %q)", c.path, path.Base(rel))
	data, err := yaml.Marshal(&node)
	if err != nil {
		return nil, where, &content.MetaError{Path: where, Msg: yamlMessage(err)}
	}
	d, err := decodeFrontMatter(where, data)
	return d, where, err
}

// problems reports sidecars without a document and catalog entries without
// a file: a typo there would silently drop a document's metadata, including
// its handling level.
func (m *metaSource) problems(docs map[string]bool) []*FileError {
	var out []*FileError
	names := make([]string, 0, len(m.files))
	for f := range m.files {
		names = append(names, f)
	}
	sort.Strings(names)
	stems := map[string]bool{}
	for d := range docs {
		stems[strings.TrimSuffix(d, path.Ext(d))] = true
	}
	for _, f := range names {
		switch {
		case strings.HasSuffix(f, SidecarSuffix):
			stem := strings.TrimSuffix(f, SidecarSuffix)
			if !docs[stem] && !stems[stem] {
				out = append(out, &FileError{Path: f, Err: fmt.Errorf("sidecar metadata for %s, but there is no such document beside it", path.Base(stem)+".*")})
			}
		case path.Base(f) == CatalogName:
			c := m.catalog(path.Dir(f))
			if c.err != nil {
				out = append(out, &FileError{Path: f, Err: c.err})
				continue
			}
			var missing []string
			for name := range c.entries {
				if !docs[path.Join(path.Dir(f), name)] {
					missing = append(missing, name)
				}
			}
			slices.Sort(missing)
			if len(missing) > 0 {
				out = append(out, &FileError{Path: f, Err: fmt.Errorf("entries for files that are not documents in this folder: %s", strings.Join(missing, ", "))})
			}
		}
	}
	return out
}

// resolve gives a parsed file its metadata: its own front matter, else a
// sidecar, else the catalog, else defaults (the title from the document or
// its file name, the language it declares or the one its text is in). Keys
// a sidecar or catalog leaves out take the same defaults.
func (m *metaSource) resolve(rel, id string, p *parsed) (*content.Loaded, error) {
	if len(p.sections) == 0 {
		if p.format == content.FormatPDF {
			return nil, kindf(ErrNoText, "the PDF has no text layer (a scanned document? run OCR on it first)")
		}
		return nil, kindf(ErrNoText, "the document has no text")
	}
	doc, where := p.meta, rel
	if doc != nil {
		// Front matter and a sidecar or catalog entry for the same file: a
		// handling level set in either holds (the most restrictive wins),
		// and any other key they disagree on is an error naming both.
		other, otherWhere, err := m.lookup(rel)
		if err != nil {
			return nil, err
		}
		if other != nil {
			if err := mergeMeta(doc, rel, other, otherWhere); err != nil {
				return nil, err
			}
		}
	}
	if doc == nil {
		var err error
		doc, where, err = m.lookup(rel)
		if err != nil {
			return nil, err
		}
		if doc == nil {
			doc, where = &content.Document{}, rel
		}
		if doc.Title == "" {
			doc.Title = p.title
		}
		if doc.Title == "" {
			doc.Title = titleFromName(rel)
		}
		if doc.Summary == "" {
			doc.Summary = p.summary
		}
		if doc.Language == "" {
			doc.Language = content.LanguageCode(p.lang)
		}
		if doc.Language == "" {
			var sb strings.Builder
			for _, s := range p.sections {
				if sb.Len() > 200000 {
					break
				}
				sb.WriteString(s.Heading)
				sb.WriteByte('\n')
				sb.WriteString(s.Text)
				sb.WriteByte('\n')
			}
			doc.Language = DetectLanguage(sb.String())
		}
		if err := doc.Validate(where); err != nil {
			return nil, err
		}
	}
	markSectionLanguages(doc.Language, p.sections)
	doc.ID = id
	doc.Source = rel
	doc.Format = p.format
	doc.Pages = p.pages
	doc.Title = strings.Join(strings.Fields(doc.Title), " ")
	return &content.Loaded{Document: *doc, Sections: p.sections}, nil
}

// mergeMeta completes front (a file's own front matter, validated) with
// other (its sidecar or catalog entry): keys front leaves out are taken
// from other, the handling level is the more restrictive of the two, and a
// key both set differently is an error that names both files.
func mergeMeta(front *content.Document, frontWhere string, other *content.Document, otherWhere string) error {
	if l := content.LanguageCode(other.Language); l != "" { // "es-ES" beside "es" is no conflict
		other.Language = l
	}
	if other.Level != "" {
		if !slices.Contains(content.Levels, other.Level) {
			return &content.MetaError{Path: otherWhere, Field: "level", Msg: fmt.Sprintf("%q is not a handling level (one of %s)", other.Level, strings.Join(content.Levels, ", "))}
		}
		if slices.Index(content.Levels, other.Level) > slices.Index(content.Levels, front.Level) {
			front.Level = other.Level
		}
	}
	conflict := func(key, a, b string) error {
		return &content.MetaError{Path: frontWhere, Field: key, Msg: fmt.Sprintf("the front matter says %q but %s says %q; keep the metadata in one place", a, otherWhere, b)}
	}
	str := func(key string, dst *string, v string) error {
		switch {
		case v == "" || *dst == v:
		case *dst == "":
			*dst = v
		default:
			return conflict(key, *dst, v)
		}
		return nil
	}
	strs := func(key string, dst *[]string, v []string) error {
		switch {
		case len(v) == 0 || slices.Equal(*dst, v):
		case len(*dst) == 0:
			*dst = v
		default:
			return conflict(key, strings.Join(*dst, ", "), strings.Join(v, ", "))
		}
		return nil
	}
	year := func() error {
		switch {
		case other.Year == 0 || front.Year == other.Year:
		case front.Year == 0:
			front.Year = other.Year
		default:
			return conflict("year", fmt.Sprint(front.Year), fmt.Sprint(other.Year))
		}
		return nil
	}
	for _, err := range []error{
		str("title", &front.Title, other.Title), str("type", &front.Type, other.Type),
		str("lang", &front.Language, other.Language), str("edition", &front.Edition, other.Edition),
		str("status", &front.Status, other.Status), str("summary", &front.Summary, other.Summary),
		str("translation_of", &front.TranslationOf, other.TranslationOf), str("superseded_by", &front.SupersededBy, other.SupersededBy),
		strs("org", &front.Organizations, other.Organizations), strs("topics", &front.Topics, other.Topics),
		strs("audience", &front.Audience, other.Audience), strs("region", &front.Region, other.Region), year(),
	} {
		if err != nil {
			return err // the first: an editor fixes it by keeping one source
		}
	}
	return nil
}

// titleFromName turns a file name into a title: "eu_ucc-fr.pdf" gives
// "eu ucc-fr".
func titleFromName(rel string) string {
	base := path.Base(rel)
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.NewReplacer("_", " ", "\u00a0", " ").Replace(base)
	return strings.Join(strings.Fields(base), " ")
}

// markSectionLanguages sets the language of each section long enough to
// tell whose text is in another language than the document's (a manual's
// French pages that were never translated from English): its words are
// then stemmed and its lang facet counted as that language.
func markSectionLanguages(doc string, sections []content.Section) {
	for i := range sections {
		s := &sections[i]
		letters := 0
		for _, r := range s.Text {
			if unicode.IsLetter(r) {
				if letters++; letters >= content.SectionLanguageMin {
					break
				}
			}
		}
		if letters < content.SectionLanguageMin {
			continue
		}
		if l := DetectLanguage(s.Heading + "\n" + s.Text); l != doc {
			s.Lang = l
		}
	}
}
