// Package search is the contract of the search service: the query a user
// asks (Query), what comes back (Result, Hit, facets, a document's
// sections, suggestions), the errors a caller branches on (ErrBadQuery and
// QueryError, ErrNotFound, ErrTimeout) and the limits that bound a request.
// It has no dependency beyond the content domain, so the web layer builds
// without Bleve; search/engine answers it from a Bleve index.
package search
