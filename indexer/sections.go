package indexer

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// What the search engine may rely on of Bleve's internals, stated once here
// and checked by TestSectionNumbers and TestVisitStored:
//
//   - An Index is opened read-only (Open), so the snapshot its readers see
//     never changes while it is open, and nothing is ever merged under them.
//   - Scorch gives each section an internal id that is its number in that
//     snapshot: 8 bytes, big-endian, dense from 0 (deleted sections leave
//     gaps only in an index that was updated, which a built index is not).
//     SectionNumber decodes it, so per-section tables (the engine's facet
//     table) can be plain arrays indexed by it.
//   - A scorch reader exposes its segments, whose stored fields can be read
//     by number in parallel (VisitStored), without looking every section up
//     by its id.

// SectionNumber is a section's number in the open snapshot, decoded from
// its internal id; ok is false for an id that is not scorch's.
func SectionNumber(id index.IndexInternalID) (n uint32, ok bool) {
	if len(id) != 8 {
		return 0, false
	}
	v := binary.BigEndian.Uint64(id)
	if v >= 1<<32-1 {
		return 0, false
	}
	return uint32(v), true
}

// InternalID is the internal id of the section numbered n in the open
// snapshot: SectionNumber's inverse.
func InternalID(n uint32) index.IndexInternalID {
	return binary.BigEndian.AppendUint64(make(index.IndexInternalID, 0, 8), uint64(n))
}

// Reader opens a reader of the index's snapshot; the caller closes it.
func (idx *Index) Reader() (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	return r, nil
}

// segmented is a scorch index reader, which gives its segments.
type segmented interface {
	Segments() []*scorch.SegmentSnapshot
}

// VisitStored passes the first stored value of each of fields (nil when a
// section has none) of every section, in no particular order, with up to
// workers goroutines: each calls visitor once and then gives its sections to
// the function it returned; values is reused between calls. From a scorch
// index it reads the live sections of every segment by number, in ranges
// shared among the workers; from another, one section after another by id.
func (idx *Index) VisitStored(ctx context.Context, fields []string, workers int, visitor func() func(values [][]byte)) error {
	r, err := idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(segmented)
	if !ok {
		return visitByID(ctx, r, newStoredVisitor(fields, visitor()))
	}
	const span = 4096
	type task struct {
		seg    *scorch.SegmentSnapshot
		live   interface{ Contains(uint32) bool }
		lo, hi uint64
	}
	var tasks []task
	for _, seg := range snap.Segments() {
		n, live := uint64(seg.FullSize()), seg.DocNumbersLive()
		for lo := uint64(0); lo < n; lo += span {
			tasks = append(tasks, task{seg, live, lo, min(lo+span, n)})
		}
	}
	workers = max(1, min(workers, len(tasks)))
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errs = make([]error, workers)
	)
	for w := range workers {
		v := newStoredVisitor(fields, visitor())
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tasks) || ctx.Err() != nil {
					return
				}
				t := tasks[i]
				for n := t.lo; n < t.hi; n++ {
					if t.live != nil && !t.live.Contains(uint32(n)) {
						continue
					}
					if err := t.seg.VisitDocument(n, v.visit); err != nil {
						errs[w] = err
						next.Store(int64(len(tasks))) // stop the others
						return
					}
					v.emit()
				}
			}
		})
	}
	wg.Wait()
	return cmp.Or(errors.Join(errs...), ctx.Err())
}

// storedVisitor collects the first value of each wanted stored field of one
// section, as a search's stored fields give.
type storedVisitor struct {
	fields      []string
	values, out [][]byte
	seen        []bool
	emitTo      func([][]byte)
}

func newStoredVisitor(fields []string, emit func([][]byte)) *storedVisitor {
	return &storedVisitor{fields: fields, values: make([][]byte, len(fields)), out: make([][]byte, len(fields)), seen: make([]bool, len(fields)), emitTo: emit}
}

func (v *storedVisitor) visit(field string, _ byte, val []byte, _ []uint64) bool {
	if k := slices.Index(v.fields, field); k >= 0 && !v.seen[k] {
		v.seen[k] = true
		v.values[k] = append(v.values[k][:0], val...)
	}
	return true
}

// emit passes the section visited on and makes ready for the next.
func (v *storedVisitor) emit() {
	any := false
	for k := range v.values {
		v.out[k] = nil
		if v.seen[k] {
			v.out[k], any = v.values[k], true
		}
	}
	if any {
		v.emitTo(v.out)
	}
	clear(v.seen)
	for k := range v.values {
		v.values[k] = v.values[k][:0]
	}
}

// visitByID reads the stored fields of another index type, looking every
// section up by its id.
func visitByID(ctx context.Context, r index.IndexReader, v *storedVisitor) error {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	for n := 0; ; n++ {
		id, err := ids.Next()
		if err != nil || id == nil {
			return err
		}
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return err
		}
		d, err := r.Document(ext)
		if err != nil {
			return err
		}
		if d != nil {
			d.VisitFields(func(f index.Field) { v.visit(f.Name(), 0, f.Value(), nil) })
			v.emit()
		}
	}
}
