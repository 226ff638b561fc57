package web_test

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

// TestQuestionsAreNeverRefused sends 500 questions and queries as people
// type them (search/testdata/questions.txt: punctuation, unbalanced quotes
// and brackets, "file:line", "Note:", "C++", "--purge", emoji, stray * and
// ~, dangling operators): none is answered with a 4xx or 5xx, by the API or
// the page.
func TestQuestionsAreNeverRefused(t *testing.T) {
	f, err := os.Open("../search/testdata/questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := newServer(t)
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		q := sc.Text()
		if strings.HasPrefix(q, "#") || strings.TrimSpace(q) == "" {
			continue
		}
		n++
		for _, target := range []string{"/api/search?", "/search?"} {
			req := httptest.NewRequest(http.MethodGet, target+url.Values{"q": {q}}.Encode(), nil)
			req.RemoteAddr = "127.0.0.1:5000" // a user on this machine: no rate limit
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Errorf("%s q=%q = %d %.200s", target, q, rec.Code, rec.Body)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 500 {
		t.Fatalf("only %d questions read", n)
	}
}
