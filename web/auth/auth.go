package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"handbook/content"
)

// Roles.
const (
	RoleReader  = "reader"  // search and read
	RoleTrainer = "trainer" // course packs
	RoleEditor  = "editor"  // upload, replace and withdraw documents
	RoleAdmin   = "admin"   // re-index, audit log; holds every role
)

var roles = []string{RoleReader, RoleTrainer, RoleEditor, RoleAdmin}

// ErrBadToken means a bearer token or session was presented and is not valid:
// the request is refused rather than served as anonymous.
var ErrBadToken = errors.New("invalid or expired credentials")

// Identity is who is asking.
type Identity struct {
	User   string   `json:"user"`
	Roles  []string `json:"roles"`
	Levels []string `json:"levels"`
	// Via says how the identity was established: "anonymous", "token",
	// "session" or "proxy".
	Via string `json:"via"`
}

// Has reports whether the identity holds role; an admin holds every role.
func (i Identity) Has(role string) bool {
	return slices.Contains(i.Roles, role) || slices.Contains(i.Roles, RoleAdmin)
}

// Anonymous reports whether nobody signed in.
func (i Identity) Anonymous() bool { return i.Via == "anonymous" }

// Config is the --auth file.
type Config struct {
	// Levels lists the handling levels in use, from least to most protected
	// (default: public, members-only, law-enforcement-sensitive, restricted).
	Levels []string `yaml:"levels"`
	// Anonymous is what a caller who does not sign in gets (default: the
	// reader role and public documents).
	Anonymous Grant  `yaml:"anonymous"`
	Users     []User `yaml:"users"`
	Proxy     *Proxy `yaml:"proxy"`
	// SessionHours is how long a web sign-in lasts (default 12).
	SessionHours int `yaml:"session_hours"`
	// SessionKey signs session cookies (hex, at least 32 bytes). When empty a
	// random key is made at start, and sessions end when the server restarts.
	SessionKey string `yaml:"session_key"`
}

// Grant is a set of roles and handling levels.
type Grant struct {
	Roles  []string `yaml:"roles"`
	Levels []string `yaml:"levels"`
}

// User is a token user.
type User struct {
	Name        string   `yaml:"name"`
	TokenSHA256 string   `yaml:"token_sha256"`
	Roles       []string `yaml:"roles"`
	Levels      []string `yaml:"levels"`
}

// Proxy configures the trusted reverse-proxy mode: a single sign-on proxy
// puts the user and their groups in headers, and those headers are believed
// only from the listed addresses.
type Proxy struct {
	UserHeader   string           `yaml:"user_header"`   // e.g. X-Forwarded-User
	GroupsHeader string           `yaml:"groups_header"` // e.g. X-Forwarded-Groups, comma-separated
	Trusted      []string         `yaml:"trusted"`       // proxy addresses or CIDR ranges
	Groups       map[string]Grant `yaml:"groups"`        // what each group grants
	trusted      []*net.IPNet
}

// Authenticator establishes identities from requests.
type Authenticator struct {
	cfg    Config
	tokens map[[32]byte]*User // by token hash
	users  map[string]*User
	key    []byte
	ttl    time.Duration
	now    func() time.Time
}

// Open returns the default authenticator when path is empty: everyone is
// anonymous with the given grant. Otherwise it reads and checks the file.
func Open(path string, defaultAnonymous Grant) (*Authenticator, error) {
	var cfg Config
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--auth: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil {
			return nil, fmt.Errorf("--auth %s: %w", path, err)
		}
	} else {
		cfg.Anonymous = defaultAnonymous
	}
	a, err := New(cfg)
	if err != nil && path != "" {
		return nil, fmt.Errorf("--auth %s: %w", path, err)
	}
	return a, err
}

// New checks cfg and returns an authenticator.
func New(cfg Config) (*Authenticator, error) {
	if len(cfg.Levels) == 0 {
		cfg.Levels = slices.Clone(content.Levels)
	}
	if cfg.Anonymous.Roles == nil {
		cfg.Anonymous.Roles = []string{RoleReader}
	}
	if cfg.Anonymous.Levels == nil {
		cfg.Anonymous.Levels = []string{content.LevelPublic}
	}
	a := &Authenticator{cfg: cfg, tokens: map[[32]byte]*User{}, users: map[string]*User{}, now: time.Now}
	if err := a.checkGrant("anonymous", cfg.Anonymous); err != nil {
		return nil, err
	}
	for i := range cfg.Users {
		u := &cfg.Users[i]
		where := fmt.Sprintf("users[%d]", i)
		if strings.TrimSpace(u.Name) == "" || strings.ContainsAny(u.Name, "|\n") {
			return nil, fmt.Errorf("%s: name is required and may not hold | or a line break", where)
		}
		if _, dup := a.users[u.Name]; dup {
			return nil, fmt.Errorf("%s: user %q appears twice", where, u.Name)
		}
		h, err := hex.DecodeString(u.TokenSHA256)
		if err != nil || len(h) != sha256.Size {
			return nil, fmt.Errorf("%s (%s): token_sha256 must be 64 hex digits, the SHA-256 of the token (for example: printf %%s TOKEN | sha256sum)", where, u.Name)
		}
		if err := a.checkGrant(where+" ("+u.Name+")", Grant{Roles: u.Roles, Levels: u.Levels}); err != nil {
			return nil, err
		}
		var key [32]byte
		copy(key[:], h)
		if _, dup := a.tokens[key]; dup {
			return nil, fmt.Errorf("%s (%s): the same token is given to another user", where, u.Name)
		}
		a.tokens[key], a.users[u.Name] = u, u
	}
	if p := cfg.Proxy; p != nil {
		if p.UserHeader == "" || len(p.Trusted) == 0 {
			return nil, errors.New("proxy: user_header and trusted (the proxy's addresses) are required")
		}
		for _, t := range p.Trusted {
			if !strings.Contains(t, "/") {
				if ip := net.ParseIP(t); ip != nil && ip.To4() != nil {
					t += "/32"
				} else {
					t += "/128"
				}
			}
			_, n, err := net.ParseCIDR(t)
			if err != nil {
				return nil, fmt.Errorf("proxy: trusted %q is not an address or CIDR range", t)
			}
			p.trusted = append(p.trusted, n)
		}
		for g, grant := range p.Groups {
			if err := a.checkGrant("proxy group "+g, grant); err != nil {
				return nil, err
			}
		}
	}
	if cfg.SessionHours <= 0 {
		cfg.SessionHours = 12
	}
	a.ttl = time.Duration(cfg.SessionHours) * time.Hour
	if cfg.SessionKey != "" {
		k, err := hex.DecodeString(cfg.SessionKey)
		if err != nil || len(k) < 32 {
			return nil, errors.New("session_key must be at least 64 hex digits")
		}
		a.key = k
	} else {
		a.key = make([]byte, 32)
		_, _ = rand.Read(a.key)
	}
	a.cfg = cfg
	return a, nil
}

func (a *Authenticator) checkGrant(where string, g Grant) error {
	for _, r := range g.Roles {
		if !slices.Contains(roles, r) {
			return fmt.Errorf("%s: unknown role %q (roles are %s)", where, r, strings.Join(roles, ", "))
		}
	}
	for _, l := range g.Levels {
		if !slices.Contains(a.cfg.Levels, l) {
			return fmt.Errorf("%s: unknown handling level %q (levels are %s)", where, l, strings.Join(a.cfg.Levels, ", "))
		}
	}
	return nil
}

// Levels returns the configured handling levels.
func (a *Authenticator) Levels() []string { return a.cfg.Levels }

// SessionCookie is the name of the web session cookie.
const SessionCookie = "handbook_session"

// Identify establishes who sent r: a bearer token, else a session cookie,
// else the trusted proxy's headers, else anonymous. A token or session that is
// presented but not valid is ErrBadToken.
func (a *Authenticator) Identify(r *http.Request) (Identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			return Identity{}, ErrBadToken
		}
		u := a.lookup(strings.TrimSpace(tok))
		if u == nil {
			return Identity{}, ErrBadToken
		}
		return a.identity(u, "token"), nil
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		name, err := a.verify(c.Value)
		if err != nil {
			return Identity{}, ErrBadToken
		}
		u := a.users[name]
		if u == nil { // removed from the file since sign-in
			return Identity{}, ErrBadToken
		}
		return a.identity(u, "session"), nil
	}
	if p := a.cfg.Proxy; p != nil && a.fromTrustedProxy(r) {
		if user := strings.TrimSpace(r.Header.Get(p.UserHeader)); user != "" {
			id := Identity{User: user, Via: "proxy"}
			var groups []string
			if p.GroupsHeader != "" {
				for _, g := range strings.Split(r.Header.Get(p.GroupsHeader), ",") {
					if g = strings.TrimSpace(g); g != "" {
						groups = append(groups, g)
					}
				}
			}
			grant := a.cfg.Anonymous
			id.Roles, id.Levels = slices.Clone(grant.Roles), slices.Clone(grant.Levels)
			for _, g := range groups {
				if gr, ok := p.Groups[g]; ok {
					id.Roles = union(id.Roles, gr.Roles)
					id.Levels = union(id.Levels, gr.Levels)
				}
			}
			return id, nil
		}
	}
	return Identity{User: "anonymous", Roles: slices.Clone(a.cfg.Anonymous.Roles), Levels: slices.Clone(a.cfg.Anonymous.Levels), Via: "anonymous"}, nil
}

func union(a, b []string) []string {
	for _, v := range b {
		if !slices.Contains(a, v) {
			a = append(a, v)
		}
	}
	return a
}

func (a *Authenticator) identity(u *User, via string) Identity {
	return Identity{User: u.Name, Roles: slices.Clone(u.Roles), Levels: slices.Clone(u.Levels), Via: via}
}

// lookup finds the user of a token by its hash, in constant time over the
// hash comparison.
func (a *Authenticator) lookup(token string) *User {
	sum := sha256.Sum256([]byte(token))
	var found *User
	for h, u := range a.tokens {
		if subtle.ConstantTimeCompare(h[:], sum[:]) == 1 {
			found = u
		}
	}
	return found
}

// FromTrustedProxy reports whether r comes from one of the trusted proxies
// of the proxy configuration (false when there is none).
func (a *Authenticator) FromTrustedProxy(r *http.Request) bool {
	return a.cfg.Proxy != nil && a.fromTrustedProxy(r)
}

func (a *Authenticator) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range a.cfg.Proxy.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// SignIn checks a token typed into the sign-in form and returns the session
// cookie value for its user.
func (a *Authenticator) SignIn(token string) (Identity, string, error) {
	u := a.lookup(strings.TrimSpace(token))
	if u == nil {
		return Identity{}, "", ErrBadToken
	}
	exp := a.now().Add(a.ttl).Unix()
	payload := u.Name + "|" + strconv.FormatInt(exp, 10)
	return a.identity(u, "session"), base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + a.sign(payload), nil
}

// UseSessionKey makes sessions signed with key (at least 32 bytes) instead
// of the auth file's session_key or a key of this process: replicas given
// the same key (serve --secret-file) accept each other's sessions. Call it
// before serving.
func (a *Authenticator) UseSessionKey(key []byte) error {
	if len(key) < 32 {
		return errors.New("a session key must be at least 32 bytes (64 hex digits)")
	}
	if a.cfg.SessionKey != "" {
		if k, _ := hex.DecodeString(a.cfg.SessionKey); !hmac.Equal(k, key) {
			return errors.New("the auth file's session_key and the secret file differ: keep one")
		}
	}
	a.key = slices.Clone(key)
	return nil
}

// SessionTTL is how long a session cookie lasts.
func (a *Authenticator) SessionTTL() time.Duration { return a.ttl }

func (a *Authenticator) sign(payload string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (a *Authenticator) verify(v string) (string, error) {
	enc, sig, ok := strings.Cut(v, ".")
	if !ok {
		return "", ErrBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", ErrBadToken
	}
	payload := string(raw)
	if !hmac.Equal([]byte(sig), []byte(a.sign(payload))) {
		return "", ErrBadToken
	}
	name, expStr, ok := strings.Cut(payload, "|")
	exp, err := strconv.ParseInt(expStr, 10, 64)
	if !ok || err != nil || a.now().Unix() > exp {
		return "", ErrBadToken
	}
	return name, nil
}

// HasUsers reports whether any token user is configured, so that signing in
// is possible.
func (a *Authenticator) HasUsers() bool { return len(a.users) > 0 }

// TrustedProxies returns the address ranges whose forwarding headers are
// believed: the proxy's, when proxy mode is configured.
func (a *Authenticator) TrustedProxies() []*net.IPNet {
	if a.cfg.Proxy == nil {
		return nil
	}
	return a.cfg.Proxy.trusted
}

// UserGrant returns what the auth file grants the token user name now;
// ok is false when it lists no such user (a proxy's user, or one removed).
func (a *Authenticator) UserGrant(name string) (g Grant, ok bool) {
	u := a.users[name]
	if u == nil {
		return Grant{}, false
	}
	return Grant{Roles: slices.Clone(u.Roles), Levels: slices.Clone(u.Levels)}, true
}

// HasProxy reports whether a single sign-on proxy is configured.
func (a *Authenticator) HasProxy() bool { return a.cfg.Proxy != nil }
