package web

import (
	"errors"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"handbook/content"
	"handbook/web/auth"
)

const identityKey = "identity"

// DemoGrant is what everyone gets when no --auth file is given: the
// single-user demo on a laptop can read public documents and build course
// packs without signing in.
var DemoGrant = auth.Grant{Roles: []string{auth.RoleReader, auth.RoleTrainer}, Levels: []string{content.LevelPublic}}

// authenticate establishes the caller's identity once per request. A wrong
// bearer token is a 401; a session cookie that no longer verifies (expired,
// or signed before a restart) is dropped and the caller continues as
// anonymous.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		bearer := c.Request().Header.Get("Authorization") != ""
		if bearer && s.failures.blocked(c.RealIP()) {
			return s.tooManyFailures(c)
		}
		id, err := s.auth.Identify(c.Request())
		if errors.Is(err, auth.ErrBadToken) {
			if bearer {
				s.authFailed(c, "token")
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="handbook"`)
				return httpError(http.StatusUnauthorized, "err.token")
			}
			s.clearSession(c)
			c.Request().Header.Del("Cookie")
			id, err = s.auth.Identify(c.Request())
		}
		if err != nil {
			return err
		}
		c.Set(identityKey, id)
		return next(c)
	}
}

// identify is the one place handlers learn who is asking.
func (s *Server) identify(c echo.Context) auth.Identity {
	if id, ok := c.Get(identityKey).(auth.Identity); ok {
		return id
	}
	return auth.Identity{User: "anonymous", Levels: []string{content.LevelPublic}, Via: "anonymous"}
}

// levels returns the handling levels the caller may see.
func (s *Server) levels(c echo.Context) []string { return s.identify(c).Levels }

// requireRole refuses callers without role with a 403 that says what is
// needed.
func (s *Server) requireRole(role string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !s.identify(c).Has(role) {
				if s.identify(c).Anonymous() {
					return httpError(http.StatusForbidden, "err.role.signin", role)
				}
				return httpError(http.StatusForbidden, "err.role", role)
			}
			return next(c)
		}
	}
}

// rateLimit allows each client (a signed-in user, else an address) Rate
// requests per second with bursts of Burst, and answers 429 with
// Retry-After beyond that.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(s.opts.Rate), Burst: s.opts.Burst, ExpiresIn: 3 * time.Minute,
	})
	retry := max(1, int(math.Ceil(1/s.opts.Rate)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			if p == "/healthz" || p == "/readyz" || p == "/metrics" || strings.HasPrefix(p, "/static/") {
				return true
			}
			// A user (or a script) on this machine is not limited: the
			// limit protects a shared server from its network. Behind a
			// proxy on this machine, make it the trusted proxy, so that
			// clients are limited by their own address.
			ip := net.ParseIP(c.RealIP())
			return ip != nil && ip.IsLoopback()
		},
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			if id := s.identify(c); !id.Anonymous() {
				return "user:" + id.User, nil
			}
			return "ip:" + c.RealIP(), nil
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			s.rejected(c, "rate_limit")
			c.Response().Header().Set("Retry-After", itoa(retry))
			return httpError(http.StatusTooManyRequests, "err.ratelimit")
		},
	})
}

// rejected logs a refused request by reason.
func (s *Server) rejected(c echo.Context, reason string) {
	s.log.Warn("request_rejected", "reason", reason, "request_id", requestID(c))
}

// --- sign-in and sign-out ---

type signInPage struct {
	page
	Error string
	Next  string
}

func (s *Server) signInForm(c echo.Context) error {
	return s.render(c, http.StatusOK, "signin", signInPage{page: s.basePage(c, translate(s.uiLanguage(c), "signin.title")), Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) signIn(c echo.Context) error {
	if s.failures.blocked(c.RealIP()) {
		return s.tooManyFailures(c)
	}
	id, value, err := s.auth.SignIn(c.FormValue("token"))
	if err != nil {
		s.rejected(c, "bad_sign_in")
		s.authFailed(c, "sign_in")
		return s.render(c, http.StatusUnauthorized, "signin", signInPage{page: s.basePage(c, translate(s.uiLanguage(c), "signin.title")), Error: "That token is not valid.", Next: safeNext(c.FormValue("next"))})
	}
	c.SetCookie(&http.Cookie{
		Name: auth.SessionCookie, Value: value, Path: "/", HttpOnly: true, Secure: c.Scheme() == "https",
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.auth.SessionTTL().Seconds()),
	})
	s.log.Info("signed_in", "user", id.User, "request_id", requestID(c))
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

func (s *Server) signOut(c echo.Context) error {
	s.clearSession(c)
	return c.Redirect(http.StatusSeeOther, "/")
}

func (s *Server) clearSession(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// safeNext keeps a redirect after sign-in on this site: a path of this site
// only. Browsers drop tabs and newlines from URLs and read a backslash as a
// slash, so "/\t/evil.example" or "/\\evil.example" would leave the site;
// anything with a control character, a backslash, a scheme or a host, or
// that could become one once decoded, goes to the start page instead.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.ContainsAny(next, "\\") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	if dec, err := url.PathUnescape(u.EscapedPath()); err != nil || strings.HasPrefix(dec, "//") || strings.ContainsAny(dec, "\\") {
		return "/"
	}
	if u.Fragment != "" {
		return u.RequestURI() + "#" + u.EscapedFragment()
	}
	return u.RequestURI()
}
