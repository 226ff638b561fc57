package web_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"handbook/search/searchtest"
	"handbook/web"
)

func TestOriginalFiles(t *testing.T) {
	e := newPackEnv(t)
	srv, err := web.New(searchtest.Service(t, os.DirFS(e.docs)), web.Options{Originals: os.DirFS(e.docs)})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	rec := get(t, h, "/docs/port/original")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "command post") || !strings.Contains(rec.Header().Get("Content-Disposition"), "port.md") ||
		!strings.Contains(rec.Header().Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("original: %d %q %q", rec.Code, rec.Header().Get("Content-Disposition"), rec.Body.String()[:min(80, rec.Body.Len())])
	}
	hidden, missing := get(t, h, "/docs/secret/original"), get(t, h, "/docs/nope/original")
	if hidden.Code != http.StatusNotFound || missing.Code != http.StatusNotFound || strings.Contains(hidden.Body.String(), "codename") {
		t.Errorf("restricted original: %d, missing: %d", hidden.Code, missing.Code)
	}
	if doc := get(t, h, "/docs/port").Body.String(); !strings.Contains(doc, `href="/docs/port/original"`) {
		t.Error("the document page does not link its original file")
	}
}
