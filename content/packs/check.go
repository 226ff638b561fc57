package packs

import (
	"context"
	"errors"
	"fmt"
	"handbook/content/store"
	"strings"
)

// Item statuses, set by Check.
const (
	StatusCurrent     = "current"     // the indexed section says what was cited
	StatusChanged     = "changed"     // the section's text changed since it was cited
	StatusRemoved     = "removed"     // the document is there, the section is gone
	StatusUnavailable = "unavailable" // the document is gone or the viewer may not see it
	StatusWithdrawn   = "withdrawn"   // an editor withdrew the document; the text cited is kept
)

// Errors a Sections source returns.
var (
	// ErrNoDocument means the document does not exist or the viewer may not
	// see it; the two are deliberately the same.
	ErrNoDocument = errors.New("document not available")
	ErrNoSection  = errors.New("section not found")
	// ErrWithdrawn means an editor withdrew the document from the library
	// and the viewer may see its level: it is no longer searched, but the
	// packs that cite it keep the cited text.
	ErrWithdrawn = errors.New("document withdrawn")
)

// Sections tells what a section says now, as the viewer may see it.
type Sections interface {
	Section(ctx context.Context, docID, sectionID string) (store.Section, error)
}

// Check compares every item with the indexed section and sets its status. A
// changed or removed item keeps the text it was cited with, so nothing
// silently changes under a trainer. An unavailable item loses its title and
// text in p, so nothing of a document the viewer may not see is shown. An
// item's cited level is raised to its document's current level when that is
// higher, never lowered.
func Check(ctx context.Context, p *store.Pack, src Sections) error {
	for i := range p.Items {
		it := &p.Items[i]
		cur, err := src.Section(ctx, it.DocID, it.SectionID)
		switch {
		case errors.Is(err, ErrNoDocument):
			it.Status, it.Cited, it.Current = StatusUnavailable, store.Section{}, nil
		case errors.Is(err, ErrNoSection):
			it.Status = StatusRemoved
		case errors.Is(err, ErrWithdrawn):
			it.Status, it.Current = StatusWithdrawn, nil
		case err != nil:
			return fmt.Errorf("check item %s: %w", it.ID, err)
		case same(it.Cited, cur):
			it.Status = StatusCurrent
		default:
			it.Status, it.Current = StatusChanged, &cur
		}
		if err == nil && Rank(cur.Level) > Rank(it.Cited.Level) {
			// The document is now marked higher than when it was cited:
			// the cited copy is marked and audited as the source is now.
			it.Cited.Level = cur.Level
		}
	}
	return nil
}

func same(a, b store.Section) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return norm(a.Text) == norm(b.Text) && a.Number == b.Number && a.Heading == b.Heading
}
