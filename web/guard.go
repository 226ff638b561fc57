package web

import (
	"crypto/rand"
	"handbook/content/store"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// Credential guessing: each client (by address) may present this many
// credentials that are not valid at once, then one more every
// authFailureEvery. While it has none left, every request of that client
// that carries credentials (a bearer token, a sign-in) is a 429 before the
// credentials are even looked at, so a right guess is not learnt either.
const (
	authFailureBurst = 10
	authFailureEvery = 6 * time.Second
)

// failureLimiter counts failed authentications per client.
type failureLimiter struct {
	mu      sync.Mutex
	clients map[string]*failureBucket
}

type failureBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newFailureLimiter() *failureLimiter {
	return &failureLimiter{clients: map[string]*failureBucket{}}
}

// blocked reports whether key has no failures left.
func (f *failureLimiter) blocked(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.clients[key]
	return ok && b.lim.Tokens() < 1
}

// fail records one failure of key.
func (f *failureLimiter) fail(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	b, ok := f.clients[key]
	if !ok {
		if len(f.clients) >= 10000 { // forget clients whose bucket is full again
			for k, c := range f.clients {
				if now.Sub(c.seen) > authFailureEvery*authFailureBurst {
					delete(f.clients, k)
				}
			}
		}
		b = &failureBucket{lim: rate.NewLimiter(rate.Every(authFailureEvery), authFailureBurst)}
		f.clients[key] = b
	}
	b.seen = now
	b.lim.AllowN(now, 1)
}

// authFailed counts, audits and logs a credential that is not valid (kind:
// "token" or "sign_in") and takes one of the client's allowed failures.
func (s *Server) authFailed(c echo.Context, kind string) {
	s.failures.fail(c.RealIP())
	s.metrics.authFailures.WithLabelValues(kind).Inc()
	s.log.Warn("auth_failed", "kind", kind, "client", c.RealIP(), "request_id", requestID(c))
	if s.audit != nil {
		e := store.Entry{User: "unknown", Via: kind, Action: store.ActionAuthFailure, Time: time.Now(), RequestID: requestID(c)}
		if err := s.audit.Record(c.Request().Context(), e); err != nil {
			s.log.Error("audit_failed", "request_id", requestID(c), "err", err)
		}
	}
}

// tooManyFailures is the answer to a client that has used up its failures.
func (s *Server) tooManyFailures(c echo.Context) error {
	s.rejected(c, "auth_failures")
	c.Response().Header().Set("Retry-After", itoa(int(authFailureEvery.Seconds())))
	return httpError(http.StatusTooManyRequests, "err.failures")
}

// safeRequestID is the form of a request id accepted from a trusted proxy.
var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// assignRequestID gives every request an id for the logs, the audit log and
// error pages. A client's X-Request-ID is not trusted (it could be forged,
// unbounded, or a spreadsheet formula in an audit export): it is kept only
// from a trusted proxy and only in a short, safe form.
func (s *Server) assignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		rid := req.Header.Get(echo.HeaderXRequestID)
		if !s.auth.FromTrustedProxy(req) || !safeRequestID.MatchString(rid) {
			rid = newRequestID()
		}
		req.Header.Set(echo.HeaderXRequestID, rid)
		c.Response().Header().Set(echo.HeaderXRequestID, rid)
		return next(c)
	}
}

func newRequestID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// crossOrigin refuses every request that changes state (POST, PUT, PATCH,
// DELETE) sent by a browser from another site, in every mode and on every
// route, forms and JSON alike: the browser's Sec-Fetch-Site, else its
// Origin compared with the Host (the standard library's
// CrossOriginProtection). Requests without either header (curl, scripts)
// are not from a browser and pass; they still need credentials.
func (s *Server) crossOrigin() echo.MiddlewareFunc {
	p := http.NewCrossOriginProtection()
	if s.opts.BaseURL != "" {
		_ = p.AddTrustedOrigin(strings.TrimRight(s.opts.BaseURL, "/"))
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := p.Check(c.Request()); err != nil {
				s.rejected(c, "cross_origin")
				return httpError(http.StatusForbidden, "err.crossorigin")
			}
			return next(c)
		}
	}
}
