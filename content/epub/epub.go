// Package epub reads the parts of an EPUB publication (EPUB 2 or 3): the
// package metadata and the XHTML documents of its spine, in reading order.
// It knows nothing of HTML or sections: package content reads each part
// with package html and turns the blocks into sections.
//
// An EPUB is a zip: META-INF/container.xml names the package document (the
// OPF), whose manifest lists the parts and whose spine orders them. The zip
// is read defensively (see Limits), since a publication may come from
// anyone.
package epub

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"
)

// Errors a caller can branch on.
var (
	// ErrNotEPUB is a zip archive without an EPUB package in it.
	ErrNotEPUB = errors.New("the archive is not an EPUB (no META-INF/container.xml naming a package document)")
	// ErrTooLarge is a publication that unpacks beyond Limits: a zip bomb,
	// or simply too big.
	ErrTooLarge = errors.New("the publication unpacks to more than the limit")
	// ErrCorrupt is a damaged archive or malformed XML.
	ErrCorrupt = errors.New("the EPUB is damaged")
)

// Limits bound what Read unpacks.
type Limits struct {
	MaxUncompressed int64 // bytes unpacked from all parts together
	MaxEntries      int   // entries in the zip
	MaxPart         int64 // bytes of one part (0: no bound but MaxUncompressed)
}

// Metadata is the package's Dublin Core metadata (the first of each).
type Metadata struct {
	Title, Language, Creator, Publisher, Date, Description string
}

// maxPackage bounds container.xml and the package document.
const maxPackage = 4 << 20

// Read opens an EPUB held in memory, reads its metadata and hands each
// XHTML document of the spine, in order (less the navigation document and
// the guide's table of contents), to part with its path in the
// archive, unpacked whole (within the limits). It stops when ctx ends (the
// error is then ctx's) or when part returns an error.
func Read(ctx context.Context, data []byte, lim Limits, part func(name string, xhtml []byte) error) (Metadata, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Metadata{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if lim.MaxEntries > 0 && len(zr.File) > lim.MaxEntries {
		return Metadata{}, fmt.Errorf("%w: %d entries in the archive, more than the limit of %d", ErrTooLarge, len(zr.File), lim.MaxEntries)
	}
	var declared uint64
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	if lim.MaxUncompressed > 0 && declared > uint64(lim.MaxUncompressed) {
		return Metadata{}, fmt.Errorf("%w: it declares %d bytes uncompressed, more than the limit of %d (a zip bomb?)", ErrTooLarge, declared, lim.MaxUncompressed)
	}
	budget := lim.MaxUncompressed
	if budget <= 0 {
		budget = 1 << 62
	}
	unpack := func(name string, max int64) ([]byte, error) {
		f := parts[name]
		if f == nil {
			return nil, fmt.Errorf("%w: %s is missing", ErrCorrupt, name)
		}
		if max > 0 && f.UncompressedSize64 > uint64(max) {
			return nil, fmt.Errorf("%w: %s declares %d bytes, more than the limit of %d for one part", ErrTooLarge, name, f.UncompressedSize64, max)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, name, err)
		}
		defer rc.Close()
		limit := budget
		if max > 0 {
			limit = min(limit, max)
		}
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(&ctxReader{ctx: ctx, r: rc}, limit+1))
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, name, err)
		}
		if n > limit {
			if max > 0 && limit == max {
				return nil, fmt.Errorf("%w: %s unpacks beyond the limit of %d bytes for one part", ErrTooLarge, name, max)
			}
			return nil, fmt.Errorf("%w: %s unpacks beyond the limit of %d bytes (a zip bomb?)", ErrTooLarge, name, lim.MaxUncompressed)
		}
		budget -= n
		return buf.Bytes(), nil
	}
	if parts["META-INF/container.xml"] == nil {
		return Metadata{}, ErrNotEPUB
	}
	cdata, err := unpack("META-INF/container.xml", maxPackage)
	if err != nil {
		return Metadata{}, err
	}
	var container struct {
		Rootfiles []struct {
			FullPath  string `xml:"full-path,attr"`
			MediaType string `xml:"media-type,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := xml.Unmarshal(cdata, &container); err != nil {
		return Metadata{}, fmt.Errorf("%w: META-INF/container.xml: %w", ErrCorrupt, err)
	}
	opfName := ""
	for _, rf := range container.Rootfiles {
		if rf.MediaType == "" || rf.MediaType == "application/oebps-package+xml" {
			opfName = strings.TrimPrefix(rf.FullPath, "/")
			break
		}
	}
	if opfName == "" {
		return Metadata{}, ErrNotEPUB
	}
	if parts[opfName] == nil {
		return Metadata{}, fmt.Errorf("%w: the package document %s named by META-INF/container.xml is missing", ErrCorrupt, opfName)
	}
	odata, err := unpack(opfName, maxPackage)
	if err != nil {
		return Metadata{}, err
	}
	var opf struct {
		Metadata struct {
			Title       []string `xml:"http://purl.org/dc/elements/1.1/ title"`
			Language    []string `xml:"http://purl.org/dc/elements/1.1/ language"`
			Creator     []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Publisher   []string `xml:"http://purl.org/dc/elements/1.1/ publisher"`
			Date        []string `xml:"http://purl.org/dc/elements/1.1/ date"`
			Description []string `xml:"http://purl.org/dc/elements/1.1/ description"`
		} `xml:"metadata"`
		Items []struct {
			ID         string `xml:"id,attr"`
			Href       string `xml:"href,attr"`
			MediaType  string `xml:"media-type,attr"`
			Properties string `xml:"properties,attr"`
		} `xml:"manifest>item"`
		Guide []struct {
			Type string `xml:"type,attr"`
			Href string `xml:"href,attr"`
		} `xml:"guide>reference"`
		Spine []struct {
			IDRef  string `xml:"idref,attr"`
			Linear string `xml:"linear,attr"`
		} `xml:"spine>itemref"`
	}
	if err := xml.Unmarshal(odata, &opf); err != nil {
		return Metadata{}, fmt.Errorf("%w: %s: %w", ErrCorrupt, opfName, err)
	}
	first := func(v []string) string {
		for _, s := range v {
			if s = strings.Join(strings.Fields(s), " "); s != "" {
				return s
			}
		}
		return ""
	}
	m := opf.Metadata
	meta := Metadata{Title: first(m.Title), Language: first(m.Language), Creator: first(m.Creator),
		Publisher: first(m.Publisher), Date: first(m.Date), Description: first(m.Description)}
	base := path.Dir(opfName)
	resolve := func(href string) string {
		if u, err := url.PathUnescape(href); err == nil {
			href = u
		}
		if i := strings.IndexByte(href, '#'); i >= 0 {
			href = href[:i]
		}
		return path.Clean(path.Join(base, href))
	}
	// The navigation document (EPUB 3) and the table of contents the guide
	// names (EPUB 2) repeat the headings: they are not read.
	toc := map[string]bool{}
	for _, g := range opf.Guide {
		if strings.EqualFold(g.Type, "toc") {
			toc[resolve(g.Href)] = true
		}
	}
	hrefs := map[string]string{}
	for _, it := range opf.Items {
		switch it.MediaType {
		case "application/xhtml+xml", "text/html", "application/x-dtbook+xml":
		default:
			continue
		}
		if slices.Contains(strings.Fields(it.Properties), "nav") {
			continue
		}
		hrefs[it.ID] = it.Href
	}
	seen := map[string]bool{}
	for _, ref := range opf.Spine {
		href, ok := hrefs[ref.IDRef]
		if !ok {
			continue // an image or other non-text item in the spine
		}
		name := resolve(href)
		if seen[name] || toc[name] {
			continue
		}
		seen[name] = true
		if parts[name] == nil {
			return meta, fmt.Errorf("%w: the spine's %s is missing", ErrCorrupt, name)
		}
		x, err := unpack(name, lim.MaxPart)
		if err != nil {
			return meta, err
		}
		if err := part(name, x); err != nil {
			return meta, err
		}
	}
	if len(seen) == 0 {
		return meta, fmt.Errorf("%w: the spine lists no XHTML document", ErrCorrupt)
	}
	return meta, nil
}

// ctxReader stops reading when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}
