package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"handbook/web/auth"
)

// TestTokenLineSignsIn: the line "handbook token" prints, pasted under
// users: of an auth file, lets its token in with the roles and levels given,
// and two runs never print the same token.
func TestTokenLineSignsIn(t *testing.T) {
	mint := func() (token, line string) {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"token", "--name", "ann", "--roles", "reader, trainer", "--levels", "public,members-only"}, noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(out.String(), "\n") {
			if v, ok := strings.CutPrefix(l, "token: "); ok {
				token = v
			}
			if strings.HasPrefix(strings.TrimSpace(l), "- {name: ann") {
				line = l
			}
		}
		if len(token) < 40 || line == "" {
			t.Fatalf("token output:\n%s", out.String())
		}
		return token, line
	}
	token, line := mint()
	if other, _ := mint(); other == token {
		t.Fatal("two runs printed the same token")
	}
	file := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(file, []byte("users:\n"+line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := auth.Open(file, auth.Grant{})
	if err != nil {
		t.Fatalf("the printed line does not load: %v\n%s", err, line)
	}
	r := httptest.NewRequest("GET", "/api/search?q=x", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	id, err := a.Identify(r)
	if err != nil || id.User != "ann" || !slices.Equal(id.Levels, []string{"public", "members-only"}) || !slices.Contains(id.Roles, "trainer") {
		t.Errorf("identity %+v, %v", id, err)
	}
	r.Header.Set("Authorization", "Bearer "+token+"x")
	if _, err := a.Identify(r); err == nil {
		t.Error("a wrong token was accepted")
	}
	if err := run(context.Background(), []string{"token"}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("token without --name succeeded")
	}
}
