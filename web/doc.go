// Package web serves the product over HTTP with Echo: the server-rendered
// pages (which work without JavaScript), the JSON API, health and readiness,
// middleware and the one error handler. It depends on small interfaces
// (Searcher, Suggester, PackStore, Library for the editors' uploads), never
// on Bleve or the loaders.
package web
