package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handbook/content/ingest"
	"handbook/content/library"
	"handbook/content/library/shelf"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// libraryEnv serves frenchDocs with a library over a content folder of its
// own, to an editor (ed, public and members-only) and a reader (rita). The
// rebuild reads the folder (the served index stays as it was: the real
// rebuild and swap are tested through the router in cmd/handbook).
type libraryEnv struct {
	t      *testing.T
	h      http.Handler
	folder string
}

const (
	edToken   = "tok-library-editor"
	ritaToken = "tok-library-reader"
)

func newLibraryEnv(t *testing.T) *libraryEnv {
	t.Helper()
	docs := t.TempDir()
	for id, text := range frenchDocs {
		if err := os.WriteFile(filepath.Join(docs, id+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	folder := t.TempDir()
	lib, err := shelf.New(shelf.Options{Content: folder, MaxBytes: 64 << 10, Rebuild: func(ctx context.Context) (*ingest.Report, error) {
		return ingest.Load(ctx, ingest.DirFS(folder), ".", ingest.Options{})
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); lib.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	a, err := auth.New(auth.Config{Users: []auth.User{
		{Name: "ed", TokenSHA256: sha(edToken), Roles: []string{auth.RoleEditor}, Levels: []string{"public", "members-only"}},
		{Name: "rita", TokenSHA256: sha(ritaToken), Roles: []string{auth.RoleReader, auth.RoleTrainer}, Levels: []string{"public", "members-only"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(searchtest.Service(t, os.DirFS(docs)), web.Options{Auth: a, Library: lib, Rate: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return &libraryEnv{t: t, h: srv.Handler(), folder: folder}
}

func (e *libraryEnv) do(token, method, target string, body *bytes.Buffer, contentType string) *httptest.ResponseRecorder {
	e.t.Helper()
	if body == nil {
		body = &bytes.Buffer{}
	}
	req := httptest.NewRequest(method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// form builds a multipart body with a file and fields.
func form(name string, data []byte, fields map[string]string) (*bytes.Buffer, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if name != "" {
		f, _ := w.CreateFormFile("file", name)
		_, _ = f.Write(data)
	}
	_ = w.Close()
	return &b, w.FormDataContentType()
}

// TestDocumentsPagesInFrench renders the upload form, the replace form,
// a job's page and a refusal in French: no English of the catalogue, and
// French typography.
func TestDocumentsPagesInFrench(t *testing.T) {
	e := newLibraryEnv(t)
	english := englishFragments(t)
	body, ct := form("controles.md", []byte("# Contrôles\n\n## 1 Scellés\nLes agents comparent les scellés et les manifestes.\n"), map[string]string{"lang": "fr"})
	rec := e.do(edToken, "POST", "/api/documents?ui=fr", body, ct)
	var j struct {
		ID, State string
		DocID     string `json:"doc_id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil || rec.Code != http.StatusCreated || j.State != "done" {
		t.Fatalf("upload = %d %s", rec.Code, rec.Body)
	}
	if !strings.HasPrefix(j.DocID, "uploads-") {
		t.Errorf("doc id %q", j.DocID)
	}
	for _, pg := range []struct{ name, target string }{
		{"upload form", "/admin/documents?ui=fr"},
		{"replace form", "/admin/documents?replace=controle-public&ui=fr"},
		{"job", "/admin/documents/jobs/" + j.ID + "?ui=fr"},
	} {
		rec := e.do(edToken, "GET", pg.target, nil, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<html lang="fr">`) {
			t.Fatalf("GET %s = %d", pg.target, rec.Code)
		}
		checkFrench(t, pg.name, visibleFrench(t, rec.Body.String()), english)
	}
	t.Run("refusal", func(t *testing.T) {
		page := e.do(edToken, "GET", "/admin/documents?ui=fr", nil, "")
		token := csrfField.FindStringSubmatch(page.Body.String())
		body, ct := form("rapport.pdf", []byte("PK\x03\x04 pas un PDF"), map[string]string{"_csrf": token[1], "title": "Rapport"})
		req := httptest.NewRequest("POST", "/admin/documents?ui=fr", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+edToken)
		for _, c := range page.Result().Cookies() {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		text := visibleFrench(t, rec.Body.String())
		if rec.Code != http.StatusUnsupportedMediaType || !strings.Contains(text, "et non un PDF comme l'indique son nom") || !strings.Contains(rec.Body.String(), `value="Rapport"`) {
			t.Fatalf("refused form = %d:\n%s", rec.Code, text)
		}
		checkFrench(t, "refused upload", text, english)
	})
}

// TestDocumentsAccess: only editors see the page and the link, a form
// without its CSRF token changes nothing, a job is its owner's, and a
// refusal over the API says why in English and in French.
func TestDocumentsAccess(t *testing.T) {
	e := newLibraryEnv(t)
	if rec := e.do(ritaToken, "GET", "/admin/documents", nil, ""); rec.Code != http.StatusForbidden {
		t.Errorf("a reader's GET /admin/documents = %d", rec.Code)
	}
	if rec := e.do(ritaToken, "GET", "/", nil, ""); strings.Contains(rec.Body.String(), `href="/admin/documents"`) {
		t.Error("a reader sees the documents link")
	}
	if rec := e.do(edToken, "GET", "/", nil, ""); !strings.Contains(rec.Body.String(), `href="/admin/documents"`) {
		t.Error("an editor does not see the documents link")
	}
	body, ct := form("notes.md", []byte("# Notes\ntext"), nil)
	if rec := e.do(edToken, "POST", "/admin/documents", body, ct); rec.Code != http.StatusForbidden && rec.Code != http.StatusBadRequest {
		t.Errorf("a form without its CSRF token = %d", rec.Code)
	}
	if entries, _ := os.ReadDir(e.folder); len(entries) != 0 {
		t.Errorf("the content folder holds %d entries after refusals", len(entries))
	}
	body, ct = form("notes.md", []byte("# Notes <script>alert(1)</script>\ntext"), map[string]string{"title": `<b>bold</b>`})
	rec := e.do(edToken, "POST", "/api/documents", body, ct)
	var j struct{ ID string }
	_ = json.Unmarshal(rec.Body.Bytes(), &j)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload = %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(ritaToken, "GET", "/api/documents/jobs/"+j.ID, nil, ""); rec.Code != http.StatusForbidden {
		t.Errorf("a reader's GET of the job = %d", rec.Code)
	}
	page := e.do(edToken, "GET", "/admin/documents/jobs/"+j.ID, nil, "")
	if page.Code != http.StatusOK || strings.Contains(page.Body.String(), "<b>bold</b>") || !strings.Contains(page.Body.String(), "&lt;b&gt;bold&lt;/b&gt;") {
		t.Errorf("the job's page does not escape the title: %d\n%s", page.Code, page.Body)
	}
	body, ct = form("big.txt", bytes.Repeat([]byte("frontière "), 130000), nil)
	rec = e.do(edToken, "POST", "/api/documents", body, ct)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "larger than the limit of 64 KB") {
		t.Errorf("a 1.3 MB upload = %d %s", rec.Code, rec.Body)
	}
	if entries, _ := os.ReadDir(filepath.Join(e.folder, library.StagingDir)); len(entries) != 0 {
		t.Errorf("%d uploads left staged after a refusal", len(entries))
	}
	body, ct = form("", nil, map[string]string{"title": "no file"})
	rec = e.do(edToken, "POST", "/api/documents?ui=fr", body, ct)
	var refusal struct{ Error, Message, Code string }
	_ = json.Unmarshal(rec.Body.Bytes(), &refusal)
	if rec.Code != http.StatusUnprocessableEntity || refusal.Code != library.CodeMetadata || !strings.Contains(refusal.Error, "send exactly one file") || !strings.Contains(refusal.Message, "la description n'est pas valide") {
		t.Errorf("an upload without a file = %d %+v", rec.Code, refusal)
	}
}
