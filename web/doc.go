// Package web serves the product over HTTP with Echo: the server-rendered
// pages (which work without JavaScript), the JSON API, health and readiness,
// middleware and the one error handler. It depends on the small Searcher
// interface, never on Bleve.
package web
