package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	neturl "net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/library"
	"handbook/content/store"
	"handbook/web/auth"
)

// Library changes the documents of the content folder: each change is
// checked, written and indexed by a job (content/library/shelf implements
// it; the web layer never sees the loaders or the index).
type Library interface {
	MaxBytes() int64
	Upload(ctx context.Context, up library.Upload) (library.Job, error)
	Replace(ctx context.Context, old content.Document, up library.Upload) (library.Job, error)
	Withdraw(ctx context.Context, doc content.Document, user string) (library.Job, error)
	Job(id string) (library.Job, bool)
	Wait(ctx context.Context, id string) (library.Job, bool)
	// Withdrawn returns a withdrawn document as it was (its level says who
	// may still read what packs cite of it).
	Withdrawn(id string) (content.Document, bool)
}

// Outcomes of a library change, the values of the outcome label of
// handbook_library_changes_total.
const (
	ChangeIndexed = "indexed"
	ChangeRefused = "refused"
	ChangeFailed  = "failed"
)

// multipartSlack is what a multipart body may hold beside the file: the
// metadata fields and the boundaries.
const multipartSlack = 1 << 20

// uploadPaths are the routes whose body is a file, bounded by the upload
// limit instead of MaxBodyBytes.
func isUpload(c echo.Context) bool {
	r := c.Request()
	return r.Method == http.MethodPost && (r.URL.Path == "/api/documents" || r.URL.Path == "/admin/documents")
}

func (s *Server) libraryRoutes(e *echo.Echo) {
	editor := s.requireRole(auth.RoleEditor)
	get := func(path string, h echo.HandlerFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h, editor)
	}
	get("/admin/documents", s.documentsPage)
	e.POST("/admin/documents", s.uploadForm, editor)
	e.POST("/admin/documents/:id/withdraw", s.withdrawForm, editor)
	get("/admin/documents/jobs/:job", s.jobPage)
	e.POST("/api/documents", s.apiUpload, editor)
	e.POST("/api/documents/:id/withdraw", s.apiWithdraw, editor)
	get("/api/documents/jobs/:job", s.apiJob)
}

// RecordChange counts a library job that ended, in
// handbook_library_changes_total.
func (s *Server) RecordChange(j library.Job) {
	outcome := ChangeIndexed
	if j.State == library.StateFailed {
		outcome = ChangeRefused
		if j.Refusal == nil || j.Refusal.Code == library.CodeIndexFailed {
			outcome = ChangeFailed
		}
	}
	s.metrics.changes.WithLabelValues(j.Kind, outcome).Inc()
}

// receive reads an upload (multipart: file, the metadata fields, and
// replaces naming the document it is a new edition of) and hands it to the
// library. A refusal is counted and returned as a *library.Refusal.
// back is where a refused form goes back to: the replace form of a
// document, or the upload form.
func (s *Server) receive(c echo.Context) (j library.Job, back string, err error) {
	j, back, err = s.receiveFile(c)
	var r *library.Refusal
	if errors.As(err, &r) {
		kind := library.KindUpload
		if strings.Contains(back, "replace=") {
			kind = library.KindReplace
		}
		s.metrics.changes.WithLabelValues(kind, ChangeRefused).Inc()
	}
	return j, back, err
}

// uploadBody bounds the body of an upload by the library's limit (the
// global MaxBodyBytes skips those routes) before anything reads it, the
// CSRF check included; an editor's upload announced above the limit is
// refused at once, with the reason.
func (s *Server) uploadBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.opts.Library == nil || !isUpload(c) {
			return next(c)
		}
		req := c.Request()
		limit := s.opts.Library.MaxBytes()
		if req.ContentLength > limit+multipartSlack && s.identify(c).Has(auth.RoleEditor) {
			s.metrics.changes.WithLabelValues(library.KindUpload, ChangeRefused).Inc()
			return s.refuse(c, library.Refuse(library.CodeTooLarge, limit), "")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit+multipartSlack)
		// Read here, with little in memory (the rest in temporary files,
		// removed after), so that the CSRF check reads the form parsed.
		if err := req.ParseMultipartForm(4 << 20); err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) && s.identify(c).Has(auth.RoleEditor) {
				s.metrics.changes.WithLabelValues(library.KindUpload, ChangeRefused).Inc()
				return s.refuse(c, library.Refuse(library.CodeTooLarge, limit), "")
			}
		}
		if req.MultipartForm != nil {
			defer req.MultipartForm.RemoveAll()
		}
		return next(c)
	}
}

func (s *Server) receiveFile(c echo.Context) (library.Job, string, error) {
	req := c.Request()
	limit := s.opts.Library.MaxBytes()
	tooLarge := library.Refuse(library.CodeTooLarge, limit)
	if req.MultipartForm == nil { // uploadBody could not read it
		return library.Job{}, "", &library.Refusal{Code: library.CodeMetadata, Detail: "send the file as multipart/form-data with a field named file"}
	}
	form := req.MultipartForm.Value
	val := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	replaces := val("replaces")
	back := "/admin/documents"
	if replaces != "" {
		back += "?replace=" + neturl.QueryEscape(replaces)
	}
	files := req.MultipartForm.File["file"]
	if len(files) != 1 {
		return library.Job{}, back, &library.Refusal{Code: library.CodeMetadata, Detail: "file: send exactly one file"}
	}
	if files[0].Size > limit {
		return library.Job{}, back, tooLarge
	}
	meta, err := metaFromForm(val)
	if err != nil {
		return library.Job{}, back, err
	}
	f, err := files[0].Open()
	if err != nil {
		return library.Job{}, back, err
	}
	defer f.Close()
	id := s.identify(c)
	up := library.Upload{Name: files[0].Filename, Body: f, Meta: meta, User: id.User, Levels: id.Levels}
	ctx := c.Request().Context()
	if replaces == "" {
		j, err := s.opts.Library.Upload(ctx, up)
		if err == nil {
			s.record(c, store.Entry{Action: store.ActionUpload, DocID: j.DocID, Level: j.Level})
		}
		return j, back, err
	}
	old, err := s.search.Document(ctx, replaces, id.Levels)
	if err != nil {
		return library.Job{}, back, err
	}
	j, err := s.opts.Library.Replace(ctx, old.Document, up)
	if err == nil {
		s.record(c, store.Entry{Action: store.ActionReplace, DocID: old.Document.ID, Level: old.Document.Level},
			store.Entry{Action: store.ActionUpload, DocID: j.DocID, Level: j.Level})
	}
	return j, back, err
}

// metaFromForm reads the front-matter keys of a form: org, topics,
// audience and region as comma-separated lists.
func metaFromForm(val func(string) string) (content.Document, error) {
	list := func(k string) []string {
		var out []string
		for _, v := range strings.Split(val(k), ",") {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	d := content.Document{
		Title: val("title"), Organizations: list("org"), Type: val("type"), Topics: list("topics"), Language: val("lang"),
		Edition: val("edition"), Status: val("status"), Level: val("level"), Summary: val("summary"),
		Audience: list("audience"), Region: list("region"),
	}
	if y := val("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return d, &library.Refusal{Code: library.CodeMetadata, Detail: fmt.Sprintf("year: %q is not a year", y)}
		}
		d.Year = n
	}
	return d, nil
}

// waitFor waits a little for job id to end, so that a small document is
// answered indexed (201) rather than accepted (202).
func (s *Server) waitFor(c echo.Context, id string) library.Job {
	wait := min(s.opts.UploadWait, s.opts.RequestTimeout/2)
	ctx, cancel := context.WithTimeout(c.Request().Context(), wait)
	defer cancel()
	j, _ := s.opts.Library.Wait(ctx, id)
	return j
}

// jobJSON is a job as the API answers it.
type jobJSON struct {
	library.Job
	// StatusURL is where to follow the job; DocumentURL the document
	// once indexed.
	StatusURL   string   `json:"status_url"`
	DocumentURL string   `json:"document_url,omitempty"`
	Message     string   `json:"message,omitempty"` // the refusal in words
	Messages    []string `json:"warning_messages,omitempty"`
}

func (s *Server) jobJSON(c echo.Context, j library.Job) jobJSON {
	lang := s.uiLanguage(c)
	out := jobJSON{Job: j, StatusURL: "/api/documents/jobs/" + j.ID}
	if j.State == library.StateDone && j.Kind != library.KindWithdraw {
		out.DocumentURL = documentURL(j.DocID)
	}
	if j.Refusal != nil {
		out.Message = refusalText(lang, j.Refusal)
	}
	for _, w := range j.Warnings {
		out.Messages = append(out.Messages, warningText(lang, w))
	}
	return out
}

// answerJob answers an accepted change: 201 when it was indexed while the
// request waited, 202 with the job to follow otherwise, 422 when the file
// was refused on reading.
func (s *Server) answerJob(c echo.Context, j library.Job) error {
	j = s.waitFor(c, j.ID)
	status := http.StatusAccepted
	switch j.State {
	case library.StateDone:
		status = http.StatusCreated
	case library.StateFailed:
		status = refusalStatus(j.Refusal)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/documents/jobs/"+j.ID)
	return c.JSON(status, s.jobJSON(c, j))
}

// apiUpload is POST /api/documents.
func (s *Server) apiUpload(c echo.Context) error {
	j, _, err := s.receive(c)
	if err != nil {
		return s.refusalJSON(c, err)
	}
	return s.answerJob(c, j)
}

// apiWithdraw is POST /api/documents/{id}/withdraw.
func (s *Server) apiWithdraw(c echo.Context) error {
	j, err := s.withdraw(c)
	if err != nil {
		return s.refusalJSON(c, err)
	}
	return s.answerJob(c, j)
}

func (s *Server) withdraw(c echo.Context) (library.Job, error) {
	d, err := s.search.Document(c.Request().Context(), c.Param("id"), s.levels(c))
	if err != nil {
		return library.Job{}, err
	}
	j, err := s.opts.Library.Withdraw(c.Request().Context(), d.Document, s.identify(c).User)
	if err != nil {
		return j, err
	}
	s.record(c, store.Entry{Action: store.ActionWithdraw, DocID: d.Document.ID, Level: d.Document.Level})
	return j, nil
}

// refusalJSON answers a refused change; other errors go to the error
// handler.
func (s *Server) refusalJSON(c echo.Context, err error) error {
	var r *library.Refusal
	if !errors.As(err, &r) {
		return err
	}
	body := map[string]any{"error": r.Error(), "code": r.Code, "request_id": requestID(c)}
	if lang := s.uiLanguage(c); lang != "en" {
		body["message"] = refusalText(lang, r)
	}
	return c.JSON(refusalStatus(r), body)
}

func refusalStatus(r *library.Refusal) int {
	if r == nil {
		return http.StatusInternalServerError
	}
	switch r.Code {
	case library.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case library.CodeWrongType, library.CodeMislabelled, library.CodeNotUTF8, library.CodeEmpty:
		return http.StatusUnsupportedMediaType
	case library.CodeNotCurrent:
		return http.StatusConflict
	case library.CodeBusy:
		return http.StatusServiceUnavailable
	case library.CodeIndexFailed:
		return http.StatusInternalServerError
	}
	return http.StatusUnprocessableEntity
}

// apiJob is GET /api/documents/jobs/{job}: a job of the caller's (any job
// for an admin).
func (s *Server) apiJob(c echo.Context) error {
	j, err := s.ownJob(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.jobJSON(c, j))
}

func (s *Server) ownJob(c echo.Context) (library.Job, error) {
	j, ok := s.opts.Library.Job(c.Param("job"))
	id := s.identify(c)
	if !ok || j.User != id.User && !id.Has(auth.RoleAdmin) {
		return library.Job{}, httpError(http.StatusNotFound, "err.nojob")
	}
	return j, nil
}

// refusalText says why a change was refused, in lang; the reader's own
// words, when there are some, follow in English.
func refusalText(lang string, r *library.Refusal) string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		switch v := a.(type) {
		case string:
			args[i] = kindText(lang, v)
		case int64:
			args[i] = sizeText(lang, v)
		default:
			args[i] = a
		}
	}
	key := "refused." + r.Code
	if _, ok := messages[key]; !ok {
		key = "refused.other"
	}
	text := translate(lang, key, args...)
	if r.Detail != "" {
		text += translate(lang, "refused.detail", r.Detail)
	}
	return text
}

// kindText names a format or kind of content in lang (a MIME type or a
// document id as it is).
func kindText(lang, kind string) string {
	if _, ok := messages["kind."+kind]; ok {
		return translate(lang, "kind."+kind)
	}
	return kind
}

func sizeText(lang string, n int64) string {
	s := library.Size(n)
	if lang == "fr" {
		s = strings.NewReplacer("MB", "Mo", "KB", "Ko", "bytes", "octets", ".", ",").Replace(s)
	}
	return strings.Replace(s, " ", "\u00a0", 1)
}

func warningText(lang string, w library.Warning) string {
	args := slices.Clone(w.Args)
	if w.Code == library.WarnLanguageRead && len(args) == 1 {
		args[0] = translate(lang, "lang."+fmt.Sprint(args[0]))
	}
	return translate(lang, "warn."+w.Code, args...)
}

// documentsPage is GET /admin/documents[?replace=ID]: the upload form (the
// replace form of a document, prefilled with its metadata) and the
// documents the editor may see, each to replace or withdraw.
type documentsPage struct {
	page
	Replace  *content.Document
	Form     uploadFields
	Refusal  string
	MaxBytes string
	Docs     []*content.Document
	More     int
	Types    []string
	Langs    []string
	Statuses []string
	Levels   []string
}

// uploadFields are the form's values, kept when a refusal shows it again.
type uploadFields struct {
	Title, Org, Type, Topics, Lang, Year, Edition, Status, Level, Summary string
}

// maxListed bounds the documents the page lists.
const maxListed = 500

func (s *Server) documentsPage(c echo.Context) error {
	v, err := s.documentsView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "documents", v)
}

func (s *Server) documentsView(c echo.Context) (*documentsPage, error) {
	lang := s.uiLanguage(c)
	id := s.identify(c)
	v := &documentsPage{page: s.basePage(c, translate(lang, "docs.title")), MaxBytes: sizeText(lang, s.opts.Library.MaxBytes()),
		Types: content.Types, Langs: content.Languages, Statuses: content.Statuses}
	for _, l := range content.Levels {
		if slices.Contains(id.Levels, l) {
			v.Levels = append(v.Levels, l)
		}
	}
	if r := c.QueryParam("replace"); r != "" {
		d, err := s.search.Document(c.Request().Context(), r, id.Levels)
		if err != nil {
			return nil, err
		}
		old := d.Document
		v.Replace = &old
		v.Title = translate(lang, "docs.replacetitle")
		v.Form = uploadFields{Title: old.Title, Org: strings.Join(old.Organizations, ", "), Type: old.Type, Topics: strings.Join(old.Topics, ", "),
			Lang: old.Language, Level: old.Level, Status: content.StatusCurrent}
	}
	docs := s.search.Catalog(id.Levels)
	sort.SliceStable(docs, func(i, j int) bool { return strings.ToLower(docs[i].Title) < strings.ToLower(docs[j].Title) })
	if len(docs) > maxListed {
		v.More, docs = len(docs)-maxListed, docs[:maxListed]
	}
	v.Docs = docs
	return v, nil
}

// uploadForm is POST /admin/documents: the page's upload (or replace). It
// goes on to the job's page; a refusal shows the form again with the reason.
func (s *Server) uploadForm(c echo.Context) error {
	j, back, err := s.receive(c)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/admin/documents/jobs/"+j.ID)
	}
	return s.refuse(c, err, back)
}

// refuse answers a refused change: JSON on the API, else the form again
// (the upload form, or back's replace form) with the reason and the values
// sent. Other errors go to the error handler.
func (s *Server) refuse(c echo.Context, err error, back string) error {
	var r *library.Refusal
	if !errors.As(err, &r) {
		return err
	}
	if isAPI(c) {
		return s.refusalJSON(c, r)
	}
	if back != "" {
		q := c.Request().URL.Query()
		if _, rest, ok := strings.Cut(back, "?replace="); ok {
			if v, err := neturl.QueryUnescape(rest); err == nil {
				q.Set("replace", v)
			}
		}
		c.Request().URL.RawQuery = q.Encode()
	}
	v, verr := s.documentsView(c)
	if verr != nil {
		return verr
	}
	v.Refusal = refusalText(v.Lang, r)
	if form := c.Request().MultipartForm; form != nil {
		val := func(k string) string {
			if x := form.Value[k]; len(x) > 0 {
				return x[0]
			}
			return ""
		}
		v.Form = uploadFields{Title: val("title"), Org: val("org"), Type: val("type"), Topics: val("topics"), Lang: val("lang"), Year: val("year"),
			Edition: val("edition"), Status: val("status"), Level: val("level"), Summary: val("summary")}
	}
	return s.render(c, refusalStatus(r), "documents", v)
}

// withdrawForm is POST /admin/documents/{id}/withdraw.
func (s *Server) withdrawForm(c echo.Context) error {
	j, err := s.withdraw(c)
	var r *library.Refusal
	if errors.As(err, &r) {
		return httpError(refusalStatus(r), "refused.busy")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/documents/jobs/"+j.ID)
}

// jobPage is GET /admin/documents/jobs/{job}: how a change went; while it
// runs the page reloads itself (a refresh, no script).
type jobPage struct {
	page
	Job      library.Job
	Running  bool
	Refusal  string
	Warnings []string
	DocURL   string
	Took     string
}

func (s *Server) jobPage(c echo.Context) error {
	j, err := s.ownJob(c)
	if err != nil {
		return err
	}
	lang := s.uiLanguage(c)
	v := jobPage{page: s.basePage(c, translate(lang, "job.title")), Job: j, Running: !j.Done()}
	if v.Running {
		v.Refresh = 2
	}
	if j.Refusal != nil {
		v.Refusal = refusalText(lang, j.Refusal)
	}
	for _, w := range j.Warnings {
		v.Warnings = append(v.Warnings, warningText(lang, w))
	}
	if j.State == library.StateDone && j.Kind != library.KindWithdraw {
		v.DocURL = documentURL(j.DocID)
	}
	if !j.Finished.IsZero() {
		v.Took = strconv.FormatFloat(j.Finished.Sub(j.Created).Round(10*time.Millisecond).Seconds(), 'f', -1, 64)
		if lang == "fr" {
			v.Took = strings.Replace(v.Took, ".", ",", 1)
		}
	}
	return s.render(c, http.StatusOK, "job", v)
}
