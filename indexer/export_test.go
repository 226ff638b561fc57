package indexer

import "context"

// VisitStoredByID is VisitStored's reading of another index type, for
// comparing the two.
func VisitStoredByID(ctx context.Context, idx *Index, fields []string, visit func([][]byte)) error {
	r, err := idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	return visitByID(ctx, r, newStoredVisitor(fields, visit))
}
