package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"handbook/content"
	"handbook/content/compare"
	"handbook/content/store"
	"handbook/search"
	"handbook/web/auth"
)

// Searcher is what the web layer needs from the search service.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	Document(ctx context.Context, id string, levels []string) (*search.DocumentView, error)
	Related(ctx context.Context, docID, sectionID string, levels []string, n int) ([]search.Hit, error)
	Catalog(levels []string) []*content.Document
	// Original returns document id as a caller at levels sees it (nil when
	// it does not exist or is hidden) with what the index recorded of its
	// file (ok false when there is no record). Both come from one index, so
	// a swap in between never pairs one index's handling level with
	// another's file.
	Original(id string, levels []string) (doc *content.Document, file content.Original, ok bool)
	Ready() error
}

// Suggester completes what a user is typing.
type Suggester interface {
	Suggest(q string, levels []string, n int) []search.Suggestion
}

// Options configures a Server. Zero values take the documented defaults.
type Options struct {
	Logger *slog.Logger
	// RequestTimeout bounds the handling of one request (default 10s).
	RequestTimeout time.Duration
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes string
	// Suggest completes queries as they are typed; without it /api/suggest
	// answers with no suggestions.
	Suggest Suggester
	// Packs stores course packs; without it the pack routes are absent.
	Packs PackStore
	// BaseURL is the site's public address for permalinks in exports; the
	// request's scheme and host when empty.
	BaseURL string
	// Originals is the content folder, to serve the original files (a PDF
	// opened at a hit's page); nil when the documents are the embedded sample.
	Originals fs.FS
	// Auth establishes identities; without it everyone gets DemoGrant.
	Auth *auth.Authenticator
	// Audit records reads and exports of documents above public; optional.
	Audit *store.Audit
	// Rate and Burst limit requests per client: Rate per second on average,
	// Burst at once (defaults 20 and 40).
	Rate  float64
	Burst int
	// IndexStats reports the served index's size and sections, asked for at
	// each scrape of /metrics; without it those gauges are absent.
	IndexStats func() (IndexStats, error)
	// IndexCollectors are more metrics about the served index (a replica's
	// snapshot id and pulls), shown, like the index gauges, only to a caller
	// who may see every document.
	IndexCollectors []prometheus.Collector
	// Compare bounds the comparison of two documents (sections, text,
	// pairs); zero values take content/compare's defaults.
	Compare compare.Options
	// Analytics counts the searches of the results page (analytics.go);
	// without it nothing is counted and /admin/analytics is absent.
	Analytics *store.Analytics
	// AnalyticsMinCount is the least count a query needs to be shown in
	// the analytics (default and minimum store.MinCount, 3).
	AnalyticsMinCount int
	// Saved keeps saved searches (saved.go); without it their routes are
	// absent.
	Saved *store.Store
	// Library lets editors upload, replace and withdraw documents; without
	// it those routes are absent.
	Library Library
	// UploadWait is how long an upload's request waits for its indexing
	// before it answers 202 with the job to follow (default 5s, at most
	// half of RequestTimeout).
	UploadWait time.Duration
}

// Server holds the handlers' dependencies.
type Server struct {
	metrics  *metrics
	failures *failureLimiter
	opts     Options
	auth     *auth.Authenticator
	audit    *store.Audit
	packs    PackStore
	search   Searcher
	// analytics, clicks: the search analytics and the click numbers of
	// recent results pages; saved: saved searches; indexID: the index
	// last announced to IndexSwapped.
	analytics *store.Analytics
	clicks    *clicks
	saved     *store.Store
	indexID   atomic.Value
	log       *slog.Logger
	pages     map[string]*template.Template
	echo      *echo.Echo
}

// New builds the server and its routes. It fails only if the embedded
// templates do not parse, which is a build defect.
func New(s Searcher, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 10 * time.Second
	}
	if opts.MaxBodyBytes == "" {
		opts.MaxBodyBytes = "1M"
	}
	if opts.Rate <= 0 {
		opts.Rate = 20
	}
	if opts.Burst <= 0 {
		opts.Burst = 40
	}
	if opts.UploadWait <= 0 {
		opts.UploadWait = 5 * time.Second
	}
	if opts.Auth == nil {
		a, err := auth.New(auth.Config{Anonymous: DemoGrant})
		if err != nil {
			return nil, err
		}
		opts.Auth = a
	}
	opts.AnalyticsMinCount = max(opts.AnalyticsMinCount, store.MinCount)
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	srv := &Server{opts: opts, auth: opts.Auth, audit: opts.Audit, packs: opts.Packs, search: s, log: opts.Logger, pages: pages, failures: newFailureLimiter(),
		analytics: opts.Analytics, clicks: &clicks{pending: map[string]clickKey{}}, saved: opts.Saved}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = srv.handleError
	// A client's address is the connection's, unless the connection comes
	// from a trusted proxy; X-Forwarded-For from anyone else is ignored, so
	// it cannot dodge the rate limit.
	// Likewise the scheme (for links and the Secure flag of cookies): TLS,
	// or X-Forwarded-Proto from the trusted proxy only; Echo's default
	// would trust it from any private address.
	e.IPExtractor = echo.ExtractIPDirect()
	e.SchemeExtractor = echo.ExtractSchemeDirect()
	if nets := opts.Auth.TrustedProxies(); len(nets) > 0 {
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range nets {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
		e.SchemeExtractor = echo.ExtractSchemeFromHeaders(trust...)
	}
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	srv.metrics = newMetrics(s, opts.IndexStats, opts.Logger)
	srv.metrics.index.MustRegister(opts.IndexCollectors...)
	e.Use(srv.assignRequestID)
	e.Use(srv.logRequests)
	e.Use(srv.metrics.observe)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		srv.log.Error("panic", "request_id", requestID(c), "err", err, "stack", string(stack))
		return err
	}}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ReferrerPolicy:        "same-origin",
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
	}))
	e.Use(srv.crossOrigin())
	// An upload's body is bounded by the library's limit (see receive).
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: opts.MaxBodyBytes, Skipper: func(c echo.Context) bool { return opts.Library != nil && isUpload(c) }}))
	e.Use(middleware.ContextTimeout(opts.RequestTimeout))
	e.Use(srv.authenticate)
	e.Use(srv.rateLimit())
	e.Use(srv.uploadBody)
	// Forms that change state carry a token that a cross-site page cannot
	// read; the JSON API instead only accepts application/json bodies.
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper:        func(c echo.Context) bool { return isAPI(c) },
		TokenLookup:    "form:_csrf",
		CookieName:     "_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		CookieMaxAge:   12 * 3600,
	}))

	get := func(path string, h echo.HandlerFunc) { e.Match([]string{http.MethodGet, http.MethodHead}, path, h) }
	get("/", srv.home)
	get("/search", srv.searchPage)
	get("/docs/:id", srv.documentPage)
	get("/api/search", srv.apiSearch)
	get("/api/documents/:id", srv.apiDocument)
	if opts.Originals != nil {
		get("/docs/:id/original", srv.original)
	}
	get("/api/documents/:id/sections/:section/related", srv.apiRelated)
	get("/docs/:id/compare/:other", srv.comparePage)
	get("/api/documents/:id/compare/:other", srv.apiCompare)
	get("/healthz", srv.healthz)
	get("/readyz", srv.readyz)
	get("/metrics", srv.metricsPage)
	get("/api/search/export", srv.apiSearchExport)
	get("/api/suggest", srv.apiSuggest)
	get("/opensearch.xml", srv.openSearch)
	get("/favicon.ico", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg") })
	get("/signin", srv.signInForm)
	e.POST("/signin", srv.signIn)
	e.POST("/signout", srv.signOut)
	if srv.packs != nil {
		srv.packRoutes(e, srv.requireRole(auth.RoleTrainer))
	}
	if opts.Library != nil {
		srv.libraryRoutes(e)
	}
	if srv.audit != nil {
		admin := srv.requireRole(auth.RoleAdmin)
		e.Match([]string{http.MethodGet, http.MethodHead}, "/admin/audit", srv.auditPage, admin)
		e.Match([]string{http.MethodGet, http.MethodHead}, "/api/audit", srv.apiAudit, admin)
	}
	if srv.analytics != nil {
		e.Match([]string{http.MethodGet, http.MethodHead}, "/admin/analytics", srv.analyticsPage, srv.requireAnalytics)
		e.Match([]string{http.MethodGet, http.MethodHead}, "/api/analytics", srv.apiAnalytics, srv.requireAnalytics)
	}
	if srv.saved != nil {
		srv.savedRoutes(e)
	}
	static, _ := fs.Sub(assets, "static")
	get("/static/*", echo.WrapHandler(http.StripPrefix("/static/", cacheFor(24*time.Hour, http.FileServerFS(noDirs{static})))))
	srv.echo = e
	return srv, nil
}

// Handler returns the HTTP handler with every route and middleware.
func (s *Server) Handler() http.Handler { return s.echo }

// NewHTTPServer wraps h in an http.Server with all four timeouts set.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// runSearch runs q for the request and records its duration by query class.
func (s *Server) runSearch(c echo.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	res, err := s.search.Search(c.Request().Context(), q)
	s.metrics.observeSearch(c, q, res, err, time.Since(start))
	if err != nil {
		return nil, err
	}
	res.Hits = linkHits(res.Hits)
	return res, nil
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// logRequests logs one line per request. Query strings may hold names or
// plate numbers, so only their length and a short hash are logged.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		attrs := []any{
			"method", req.Method, "path", req.URL.Path, "status", c.Response().Status,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "request_id", requestID(c),
		}
		if q := req.URL.RawQuery; q != "" {
			sum := sha256.Sum256([]byte(q))
			attrs = append(attrs, "query_len", len(q), "query_hash", hex.EncodeToString(sum[:4]))
		}
		s.log.Info("request", attrs...)
		return nil
	}
}

// handleError is the one place errors become responses: a bad query is a 400
// that says what is wrong, a missing or forbidden document a 404, a timeout
// a 503, anything else a 500 with the request id and nothing internal.
// Pages say it in the interface language; the JSON API keeps "error" in
// English and adds "message" in French when that is the caller's language.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	lang := s.uiLanguage(c)
	status, key := http.StatusInternalServerError, "err.server"
	msg, local := "", ""
	var he *echo.HTTPError
	var qe *search.QueryError
	var um *uiMessage
	switch {
	case errors.As(err, &qe):
		status, msg, local = http.StatusBadRequest, qe.Error(), queryErrorText(lang, qe)
	case errors.Is(err, search.ErrNotFound):
		status, key = http.StatusNotFound, "err.notfound"
	case errors.Is(err, search.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		status, key = http.StatusServiceUnavailable, "err.timeout"
	case errors.Is(err, search.ErrNotReady):
		status, key = http.StatusServiceUnavailable, "err.notready"
		c.Response().Header().Set("Retry-After", "5")
	case isPackError(err):
		status, msg, _ = packError(err)
		key = packErrorKey(err)
	case errors.As(err, &he) && errors.As(err, &um) && he.Code < 500:
		status, key = he.Code, um.key
		msg, local = translate("en", key, um.args...), translate(lang, key, um.args...)
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok && status < 500 {
			// Echo's own errors: their English text, a French one by status.
			msg, key = m, "error.msg."+strconv.Itoa(status)
		} else {
			msg = http.StatusText(status)
			key = "error.title." + strconv.Itoa(status)
		}
	}
	_, known := messages[key]
	if msg == "" {
		msg = translate("en", key)
	}
	switch {
	case lang == "en":
		local = msg
	case local == "" && known:
		local = translate(lang, key)
	case local == "":
		local = msg
	}
	if status >= 500 {
		s.log.Error("request_failed", "request_id", requestID(c), "status", status, "err", err)
	}
	if isAPI(c) {
		body := map[string]string{"error": msg, "request_id": requestID(c)}
		if lang != "en" && local != msg {
			body["message"] = local
		}
		err = c.JSON(status, body)
	} else {
		title := http.StatusText(status)
		if _, ok := messages["error.title."+strconv.Itoa(status)]; ok {
			title = translate(lang, "error.title."+strconv.Itoa(status))
		}
		err = s.render(c, status, "error", errorPage{page: s.basePage(c, title), Status: status, Message: local, RequestID: requestID(c)})
	}
	if err != nil {
		s.log.Error("write_error_response", "request_id", requestID(c), "err", err)
	}
}

func isPackError(err error) bool {
	_, _, ok := packError(err)
	return ok
}

func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return len(p) >= 5 && p[:5] == "/api/" || p == "/healthz" || p == "/readyz" || p == "/metrics"
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if err := s.search.Ready(); err != nil {
		s.log.Warn("not_ready", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// noDirs hides directory listings from a file system.
type noDirs struct{ fs.FS }

func (n noDirs) Open(name string) (fs.File, error) {
	f, err := n.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		_ = f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	v := "public, max-age=" + itoa(int(d.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", v)
		h.ServeHTTP(w, r)
	})
}

// openSearch is GET /opensearch.xml: lets a browser add the site as a search
// engine, with suggestions.
func (s *Server) openSearch(c echo.Context) error {
	base := s.baseURL(c)
	esc := func(v string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(v))
		return b.String()
	}
	body := `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>Handbook</ShortName>
  <Description>Guidance for customs and police officers</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Url type="text/html" method="get" template="` + esc(base) + `/search?q={searchTerms}"/>
  <Url type="application/x-suggestions+json" method="get" template="` + esc(base) + `/api/suggest?format=opensearch&amp;q={searchTerms}"/>
</OpenSearchDescription>
`
	return c.Blob(http.StatusOK, "application/opensearchdescription+xml", []byte(body))
}
