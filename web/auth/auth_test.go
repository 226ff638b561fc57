package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestOpenReadsAndChecksTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "auth.yaml")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := "users:\n  - {name: officer1, token_sha256: \"" + hash("s3cret") + "\", roles: [reader], levels: [public, restricted]}\n"
	a, err := Open(write(good), Grant{})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	id, err := a.Identify(req)
	if err != nil || id.User != "officer1" || strings.Join(id.Levels, ",") != "public,restricted" || id.Via != "token" || !id.Has(RoleReader) || id.Has(RoleTrainer) {
		t.Errorf("identity %+v, %v", id, err)
	}
	anon, _ := a.Identify(httptest.NewRequest("GET", "/", nil))
	if !anon.Anonymous() || strings.Join(anon.Levels, ",") != "public" || strings.Join(anon.Roles, ",") != "reader" {
		t.Errorf("anonymous with a file: %+v", anon)
	}
	bad := []struct{ text, want string }{
		{"users:\n  - {name: a, token_sha256: abc}\n", "64 hex digits"},
		{"users:\n  - {name: a, token_sha256: \"" + hash("x") + "\", roles: [boss]}\n", `unknown role "boss"`},
		{"users:\n  - {name: a, token_sha256: \"" + hash("x") + "\", levels: [secret]}\n", `unknown handling level "secret"`},
		{"users:\n  - {name: a, token_sha256: \"" + hash("x") + "\"}\n  - {name: a, token_sha256: \"" + hash("y") + "\"}\n", "appears twice"},
		{"users:\n  - {name: a, token_sha256: \"" + hash("x") + "\"}\n  - {name: b, token_sha256: \"" + hash("x") + "\"}\n", "same token"},
		{"proxy: {user_header: X-User}\n", "trusted"},
		{"proxy: {user_header: X-User, trusted: [not-an-ip]}\n", "not an address"},
		{"userz: []\n", "not found in type"},
		{"session_key: abcd\n", "session_key"},
	}
	for _, tc := range bad {
		if _, err := Open(write(tc.text), Grant{}); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "auth.yaml") {
			t.Errorf("%q: error %v, want one naming the file and %q", tc.text, err, tc.want)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing.yaml"), Grant{}); err == nil {
		t.Error("a missing file is not an error")
	}
}

func TestSessions(t *testing.T) {
	a, err := New(Config{Users: []User{{Name: "ann", TokenSHA256: hash("tok"), Roles: []string{RoleTrainer}, Levels: []string{"public"}}}, SessionHours: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.SignIn("wrong"); !errors.Is(err, ErrBadToken) {
		t.Errorf("sign in with a wrong token: %v", err)
	}
	id, cookie, err := a.SignIn("tok")
	if err != nil || id.User != "ann" {
		t.Fatal(id, err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", SessionCookie+"="+cookie)
	if got, err := a.Identify(req); err != nil || got.User != "ann" || got.Via != "session" {
		t.Errorf("session identity %+v %v", got, err)
	}
	// Expired, tampered or signed with another key: refused.
	a.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := a.Identify(req); !errors.Is(err, ErrBadToken) {
		t.Errorf("expired session: %v", err)
	}
	a.now = time.Now
	other, _ := New(Config{Users: a.cfg.Users})
	if _, err := other.Identify(req); !errors.Is(err, ErrBadToken) {
		t.Errorf("a session signed with another key: %v", err)
	}
	payload, _, _ := strings.Cut(cookie, ".")
	req.Header.Set("Cookie", SessionCookie+"="+payload+".AAAA")
	if _, err := a.Identify(req); !errors.Is(err, ErrBadToken) {
		t.Errorf("tampered session: %v", err)
	}
}

// TestSharedSessionKey: two replicas given one key (serve --secret-file)
// accept each other's sessions; without it they do not; a short key or one
// that contradicts the auth file's session_key is refused.
func TestSharedSessionKey(t *testing.T) {
	users := []User{{Name: "ann", TokenSHA256: hash("tok"), Roles: []string{RoleReader}, Levels: []string{"public"}}}
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i + 1)
	}
	replica := func(shared bool) *Authenticator {
		t.Helper()
		a, err := New(Config{Users: users})
		if err != nil {
			t.Fatal(err)
		}
		if shared {
			if err := a.UseSessionKey(key); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	a, b, alone := replica(true), replica(true), replica(false)
	_, cookie, err := a.SignIn("tok")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", SessionCookie+"="+cookie)
	if id, err := b.Identify(req); err != nil || id.User != "ann" {
		t.Errorf("replica B refuses replica A's session: %+v %v", id, err)
	}
	if _, err := alone.Identify(req); !errors.Is(err, ErrBadToken) {
		t.Errorf("a replica without the key accepts the session: %v", err)
	}
	if err := alone.UseSessionKey(key[:16]); err == nil {
		t.Error("a 16-byte key was accepted")
	}
	withFileKey, err := New(Config{Users: users, SessionKey: strings.Repeat("ab", 32)})
	if err != nil {
		t.Fatal(err)
	}
	if err := withFileKey.UseSessionKey(key); err == nil {
		t.Error("a secret file that contradicts the auth file's session_key was accepted")
	}
}
