package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"handbook/search/searchtest"
	"handbook/web"
)

// FuzzAPISearch sends arbitrary parameters to /api/search: the answer is
// always a 200 with a result or a 400 that says why, never a 500.
func FuzzAPISearch(f *testing.F) {
	seeds, err := os.ReadFile("../search/testdata/fuzz/queries.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, q := range strings.Split(string(seeds), "\n") {
		f.Add(q, "1", "10", "WCO", "2020")
	}
	f.Add("", "-1", "0", "", "x")
	f.Add("port", "99999999999999999999", "50", "\x00", "")
	srv, err := web.New(searchtest.Service(f, os.DirFS("../search/testdata/behaviour/docs")), web.Options{Rate: 1e9, Burst: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, q, page, size, org, year string) {
		v := url.Values{"q": {q}, "page": {page}, "size": {size}, "org": {org}, "year": {year}}
		rec := get(t, h, "/api/search?"+v.Encode())
		switch rec.Code {
		case http.StatusOK:
			var res map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("200 with invalid JSON: %v", err)
			}
		case http.StatusBadRequest:
			if !strings.Contains(rec.Body.String(), `"error"`) {
				t.Fatalf("400 without a message: %s", rec.Body)
			}
		default:
			t.Fatalf("%s: %d %s", v.Encode(), rec.Code, rec.Body)
		}
	})
}
