package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
)

// libraryServer is "handbook serve" over a content folder with an editor
// (also a trainer), a reader and an admin.
type libraryServer struct {
	t       *testing.T
	addr    string
	content string
}

const (
	editorToken = "editor-token-0123456789abcdef"
	readerToken = "reader-token-0123456789abcdef"
	adminTok    = "admin-token-0123456789abcdef"
)

func startLibrary(t *testing.T, maxUpload string) *libraryServer {
	t.Helper()
	content := t.TempDir()
	docs := map[string]string{
		"ports.md": "---\ntitle: Joint port operations\norg: [Harbour Office]\ntype: handbook\nlang: en\nyear: 2020\nlevel: public\n---\n" +
			"## 1 Planning\nJoint operations at ports need a shared plan between customs and police.\n\n## 2 Debriefing\nA debriefing closes every operation.\n",
		"timber.md": "---\ntitle: Timber permits\norg: [Forest Service]\ntype: guidelines\nlang: en\nlevel: public\n---\n## 1 Permits\nTimber species need permits.\n",
	}
	for name, text := range docs {
		if err := os.WriteFile(filepath.Join(content, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hash := func(tok string) string { s := sha256.Sum256([]byte(tok)); return hex.EncodeToString(s[:]) }
	authFile := filepath.Join(t.TempDir(), "auth.yaml")
	cfg := fmt.Sprintf("users:\n"+
		"  - {name: ed, token_sha256: %q, roles: [editor, trainer], levels: [public, members-only]}\n"+
		"  - {name: rita, token_sha256: %q, roles: [reader, trainer], levels: [public, members-only]}\n"+
		"  - {name: root, token_sha256: %q, roles: [admin], levels: [public, members-only, law-enforcement-sensitive, restricted]}\n",
		hash(editorToken), hash(readerToken), hash(adminTok))
	if err := os.WriteFile(authFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--content", content, "--auth", authFile,
			"--max-upload", maxUpload, "--rate", "1000", "--burst", "1000"}, noEnv, io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	s := &libraryServer{t: t, addr: addr, content: content}
	for i := 0; ; i++ {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if i > 400 {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// do sends a request as the holder of token ("" for anonymous) and
// decodes a JSON answer into out (when not nil).
func (s *libraryServer) do(token, method, path, contentType string, body io.Reader, out any) int {
	s.t.Helper()
	req, err := http.NewRequest(method, "http://"+s.addr+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s = %d, not JSON: %v\n%s", method, path, resp.StatusCode, err, data)
		}
	}
	return resp.StatusCode
}

type jobAnswer struct {
	ID        string `json:"id"`
	State     string `json:"state"`
	DocID     string `json:"doc_id"`
	Sections  int    `json:"sections"`
	Pages     int    `json:"pages"`
	StatusURL string `json:"status_url"`
	Error     string `json:"error"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Refusal   *struct {
		Code string `json:"code"`
	} `json:"refusal"`
}

// upload posts a file with metadata fields to POST /api/documents.
func (s *libraryServer) upload(token, name string, data []byte, fields map[string]string) (int, jobAnswer) {
	s.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("file", name)
	_, _ = part.Write(data)
	_ = w.Close()
	var j jobAnswer
	code := s.do(token, "POST", "/api/documents", w.FormDataContentType(), &body, &j)
	return code, j
}

// finished follows a job until it ends.
func (s *libraryServer) finished(code int, j jobAnswer) jobAnswer {
	s.t.Helper()
	if code != http.StatusCreated && code != http.StatusAccepted {
		s.t.Fatalf("change answered %d: %+v", code, j)
	}
	for i := 0; j.State != "done" && j.State != "failed"; i++ {
		if i > 600 {
			s.t.Fatalf("job %s never ended: %+v", j.ID, j)
		}
		time.Sleep(50 * time.Millisecond)
		if c := s.do(editorToken, "GET", j.StatusURL, "", nil, &j); c != http.StatusOK {
			s.t.Fatalf("GET %s = %d", j.StatusURL, c)
		}
	}
	if j.State != "done" {
		s.t.Fatalf("job failed: %+v", j)
	}
	return j
}

type searchAnswer struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		DocID     string `json:"doc_id"`
		SectionID string `json:"section_id"`
		Page      int    `json:"page"`
		Status    string `json:"status"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func (s *libraryServer) search(q string) searchAnswer {
	s.t.Helper()
	var res searchAnswer
	if c := s.do(editorToken, "GET", "/api/search?q="+url.QueryEscape(q), "", nil, &res); c != http.StatusOK {
		s.t.Fatalf("search %q = %d", q, c)
	}
	return res
}

// tree lists the content folder's files with their sizes.
func (s *libraryServer) tree() []string {
	var out []string
	_ = filepath.WalkDir(s.content, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			rel, _ := filepath.Rel(s.content, p)
			out = append(out, fmt.Sprintf("%s %d", rel, info.Size()))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// testPDF makes a two-page PDF with a title in its info dictionary.
func testPDF(t *testing.T) []byte {
	t.Helper()
	d := fpdf.New("P", "mm", "A4", "")
	d.SetTitle("Port control manual", true)
	d.AddUTF8FontFromBytes("go", "", goregular.TTF)
	d.AddPage()
	d.SetFont("go", "", 18)
	d.MultiCell(0, 9, "1 Container checks", "", "L", false)
	d.SetFont("go", "", 11)
	d.MultiCell(0, 6, "Officers compare seals and manifests before a container leaves the quay.", "", "L", false)
	d.AddPage()
	d.SetFont("go", "", 18)
	d.MultiCell(0, 9, "2 Cash couriers", "", "L", false)
	d.SetFont("go", "", 11)
	d.MultiCell(0, 6, "Bearer negotiable instruments are declared at the border crossing.", "", "L", false)
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	f, _ := z.Create("notes.txt")
	_, _ = f.Write([]byte("not a PDF"))
	_ = z.Close()
	return b.Bytes()
}

// TestLibraryUploadReplaceWithdraw goes through the router of a real
// server (real index, store and rebuilds): refusals change nothing, an
// uploaded PDF is searchable with its pages, a new edition supersedes the
// old one with links both ways, and a withdrawn document leaves search,
// suggestions and facets while a pack citing it still exports its text.
func TestLibraryUploadReplaceWithdraw(t *testing.T) {
	s := startLibrary(t, "64KB")
	pdf := testPDF(t)
	before := s.tree()
	total := s.search("operations").Total

	t.Run("a reader may not upload", func(t *testing.T) {
		if code, j := s.upload(readerToken, "manual.pdf", pdf, nil); code != http.StatusForbidden {
			t.Fatalf("reader upload = %d %+v, want 403", code, j)
		}
		if code, _ := s.upload("", "manual.pdf", pdf, nil); code != http.StatusForbidden {
			t.Fatalf("anonymous upload = %d, want 403", code)
		}
	})
	t.Run("refusals change nothing", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
			code   string
			says   string
		}{
			{"report.pdf", zipBytes(t), http.StatusUnsupportedMediaType, "mislabelled", "not a PDF as its name says"},
			{"big.txt", bytes.Repeat([]byte("border control "), 6000), http.StatusRequestEntityTooLarge, "too_large", "larger than the limit of 64 KB"},
			{"photo.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), http.StatusUnsupportedMediaType, "mislabelled", "image/png"},
			{"notes.md", []byte("# Notes\nSome text."), http.StatusUnprocessableEntity, "metadata", "level"},
		} {
			fields := map[string]string{"title": "Refused"}
			if tc.code == "metadata" {
				fields["level"] = "restricted" // above the editor's levels
			}
			code, j := s.upload(editorToken, tc.name, tc.data, fields)
			if code != tc.status || j.Code != tc.code || !strings.Contains(j.Error, tc.says) {
				t.Errorf("%s = %d %+v, want %d %s saying %q", tc.name, code, j, tc.status, tc.code, tc.says)
			}
		}
		if after := s.tree(); !slices.Equal(before, after) {
			t.Errorf("the content folder changed:\nbefore %v\nafter  %v", before, after)
		}
		if n := s.search("operations").Total; n != total {
			t.Errorf("the index changed: %d hits, was %d", n, total)
		}
	})

	var manual jobAnswer
	t.Run("an uploaded PDF is searchable with its pages", func(t *testing.T) {
		code, j := s.upload(editorToken, "scan 2024 (final).PDF", pdf, map[string]string{"org": "Harbour Office, Port Police", "type": "handbook", "year": "2024", "edition": "2024 edition"})
		t.Logf("upload answered %d (%s)", code, j.State)
		if code == http.StatusCreated && j.State != "done" || code == http.StatusAccepted && j.State == "done" {
			t.Errorf("answered %d for a job %s", code, j.State)
		}
		manual = s.finished(code, j)
		if manual.Pages != 2 || manual.Sections < 1 || !strings.HasPrefix(manual.DocID, "uploads-") {
			t.Fatalf("job %+v, want 2 pages and an uploads- id", manual)
		}
		res := s.search(`"bearer negotiable instruments"`)
		if len(res.Hits) == 0 || res.Hits[0].DocID != manual.DocID || res.Hits[0].Page != 2 {
			t.Fatalf("search after upload: %+v, want %s on page 2", res, manual.DocID)
		}
		var doc struct {
			Document struct {
				Title, Format, Source string
				Org                   []string
			}
		}
		s.do(editorToken, "GET", "/api/documents/"+manual.DocID, "", nil, &doc)
		if doc.Document.Title != "Port control manual" || doc.Document.Format != "pdf" || len(doc.Document.Org) != 2 {
			t.Errorf("the document's metadata: %+v (want the PDF's own title and the form's organizations)", doc.Document)
		}
		if !strings.HasPrefix(doc.Document.Source, "uploads/") || strings.Contains(doc.Document.Source, "(") || !strings.HasSuffix(doc.Document.Source, ".pdf") {
			t.Errorf("stored as %q: want a generated name under uploads/", doc.Document.Source)
		}
		if _, err := os.Stat(filepath.Join(s.content, filepath.FromSlash(doc.Document.Source)+".meta.yaml")); err != nil {
			t.Errorf("no sidecar beside the upload: %v", err)
		}
	})

	t.Run("a new edition supersedes the old one", func(t *testing.T) {
		if manual.DocID == "" {
			t.Skip("no upload")
		}
		v2 := "## 1 Container checks\nOfficers compare seals, manifests and scanner images before a container leaves the quay.\n"
		next := s.finished(s.upload(editorToken, "v2.md", []byte(v2), map[string]string{"replaces": manual.DocID, "edition": "2025 edition", "year": "2025"}))
		type links struct {
			Document struct {
				Status       string `json:"status"`
				SupersededBy string `json:"superseded_by"`
				Title        string `json:"title"`
			} `json:"document"`
			Editions struct {
				SupersededBy *struct{ ID, URL string }  `json:"superseded_by"`
				Supersedes   []struct{ ID, URL string } `json:"supersedes"`
			} `json:"editions"`
		}
		var old, cur links
		s.do(editorToken, "GET", "/api/documents/"+manual.DocID, "", nil, &old)
		s.do(editorToken, "GET", "/api/documents/"+next.DocID, "", nil, &cur)
		if old.Document.Status != "superseded" || old.Document.SupersededBy != next.DocID || old.Editions.SupersededBy == nil || old.Editions.SupersededBy.ID != next.DocID {
			t.Errorf("old edition: %+v, want superseded by %s", old, next.DocID)
		}
		if len(cur.Editions.Supersedes) != 1 || cur.Editions.Supersedes[0].ID != manual.DocID || cur.Document.Title != "Port control manual" {
			t.Errorf("new edition: %+v, want it to supersede %s with the old title", cur, manual.DocID)
		}
		res := s.search("scanner images")
		if len(res.Hits) == 0 || res.Hits[0].DocID != next.DocID {
			t.Errorf("the new edition is not searchable: %+v", res)
		}
	})

	t.Run("a withdrawn document leaves search but packs keep its text", func(t *testing.T) {
		var doc struct {
			Sections []struct{ ID string } `json:"sections"`
		}
		s.do(editorToken, "GET", "/api/documents/ports", "", nil, &doc)
		var pack struct{ ID string }
		if c := s.do(editorToken, "POST", "/api/packs", "application/json", strings.NewReader(`{"title":"Port pack"}`), &pack); c != http.StatusCreated {
			t.Fatalf("create pack: %d", c)
		}
		if c := s.do(editorToken, "POST", "/api/packs/"+pack.ID+"/items", "application/json", strings.NewReader(`{"doc_id":"ports","section_id":"`+doc.Sections[0].ID+`"}`), nil); c != http.StatusCreated {
			t.Fatalf("add item: %d", c)
		}
		if c := s.do(readerToken, "POST", "/api/documents/ports/withdraw", "", nil, nil); c != http.StatusForbidden {
			t.Errorf("a reader withdrew: %d", c)
		}
		harbour := func() int {
			for _, f := range s.search("").Facets["org"] {
				if f.Value == "Harbour Office" {
					return f.Count
				}
			}
			return 0
		}
		harbourBefore := harbour()
		if harbourBefore < len(doc.Sections) {
			t.Fatalf("the org facet counts %d sections of Harbour Office before the withdrawal", harbourBefore)
		}
		var j jobAnswer
		c := s.do(editorToken, "POST", "/api/documents/ports/withdraw", "", nil, &j)
		s.finished(c, j)
		if res := s.search("joint operations"); slices.ContainsFunc(res.Hits, func(h struct {
			DocID     string `json:"doc_id"`
			SectionID string `json:"section_id"`
			Page      int    `json:"page"`
			Status    string `json:"status"`
		}) bool {
			return h.DocID == "ports"
		}) {
			t.Errorf("a withdrawn document is still found: %+v", res.Hits)
		}
		if after := harbour(); after != harbourBefore-len(doc.Sections) {
			t.Errorf("the org facet counts %d sections of Harbour Office after the withdrawal, %d before: want %d fewer", after, harbourBefore, len(doc.Sections))
		}
		var sug struct {
			Suggestions []struct {
				DocID string `json:"doc_id"`
				Text  string `json:"text"`
			} `json:"suggestions"`
		}
		s.do(editorToken, "GET", "/api/suggest?q=joint+port", "", nil, &sug)
		for _, g := range sug.Suggestions {
			if g.DocID == "ports" {
				t.Errorf("a withdrawn document is suggested: %+v", g)
			}
		}
		if c := s.do(editorToken, "GET", "/api/documents/ports", "", nil, nil); c != http.StatusNotFound {
			t.Errorf("GET /api/documents/ports after withdrawal = %d, want 404", c)
		}
		if _, err := os.Stat(filepath.Join(s.content, "ports.md")); err != nil {
			t.Errorf("the withdrawn file is gone: %v", err)
		}
		req, _ := http.NewRequest("GET", "http://"+s.addr+"/api/packs/"+pack.ID+"/export?format=md", nil)
		req.Header.Set("Authorization", "Bearer "+editorToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		md, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(md), "Joint operations at ports need a shared plan") || !strings.Contains(string(md), "withdrawn from the library") {
			t.Errorf("export of a pack citing the withdrawn document = %d:\n%s", resp.StatusCode, md)
		}
	})

	t.Run("metrics and audit", func(t *testing.T) {
		resp, err := http.Get("http://" + s.addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		m, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{
			`handbook_library_changes_total{kind="upload",outcome="indexed"} 1`,
			`handbook_library_changes_total{kind="upload",outcome="refused"} 4`,
			`handbook_library_changes_total{kind="replace",outcome="indexed"} 1`,
			`handbook_library_changes_total{kind="withdraw",outcome="indexed"} 1`,
		} {
			if !strings.Contains(string(m), want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		var audit struct {
			Entries []struct {
				User   string `json:"user"`
				Action string `json:"action"`
				DocID  string `json:"doc_id"`
			} `json:"entries"`
		}
		s.do(adminTok, "GET", "/api/audit", "", nil, &audit)
		var got []string
		for _, e := range audit.Entries {
			if e.Action == "upload" || e.Action == "replace" || e.Action == "withdraw" {
				got = append(got, e.User+" "+e.Action+" "+e.DocID)
			}
		}
		if !slices.Contains(got, "ed withdraw ports") || !slices.Contains(got, "ed replace "+manual.DocID) || !slices.Contains(got, "ed upload "+manual.DocID) {
			t.Errorf("audit log: %v", got)
		}
	})
}
