package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layers lists, for every package of the module, the module's packages it
// may import (tests aside): content → ingest → indexer → search → engine →
// web → cmd, read as "may import only what stands to its left". A package
// missing here fails the test, so a new one is placed on purpose.
var layers = map[string][]string{
	"content":               {},
	"content/compare":       {"content"}, // aligning and diffing two editions' sections
	"content/docx":          {},
	"content/epub":          {},
	"content/html":          {},
	"content/pdf":           {},
	"content/sample":        {},
	"content/ingest":        {"content", "content/docx", "content/epub", "content/html", "content/pdf"},
	"content/packs":         {"content", "content/store"},
	"content/store":         {"content"},
	"content/store/pgtest":  {}, // a throwaway PostgreSQL for tests
	"indexer":               {"content", "content/ingest"},
	"indexer/snapshot":      {"content", "content/ingest", "indexer"},
	"search":                {"content"},
	"search/engine":         {"content", "content/ingest", "indexer", "search"},
	"search/eval":           {"content", "content/ingest", "indexer", "search", "search/engine"},
	"search/searchtest":     {"content", "content/ingest", "indexer", "search", "search/engine"},
	"search/bench":          {"content", "content/ingest", "content/sample", "indexer", "search", "search/engine"},
	"web/auth":              {"content", "content/store"},
	"web":                   {"content", "content/compare", "content/library", "content/packs", "content/store", "search", "web/auth"},
	"web/e2e":               {},
	"cmd/handbook":          nil, // the binary plugs everything together
	"content/library":       {"content"},
	"content/library/shelf": {"content", "content/ingest", "content/library"},

	// A helper of tests: a real S3 server.
	"indexer/snapshot/snapshottest": {},
}

// heavy are outside modules that only the packages beside them may link:
// the web layer builds without Bleve and without the PDF engine.
var heavy = map[string][]string{
	"github.com/blevesearch/":         {"indexer", "indexer/snapshot", "search/engine", "search/bench", "search/eval", "search/searchtest", "cmd/handbook"},
	"github.com/klippa-app/go-pdfium": {"content/pdf", "content/ingest", "content/library/shelf", "indexer", "indexer/snapshot", "search/engine", "search/bench", "search/eval", "search/searchtest", "cmd/handbook"},
}

type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func goList(t *testing.T) []listed {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Imports,Deps", "handbook/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	dec := json.NewDecoder(bufio.NewReader(bytes.NewReader(out)))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < len(layers)-1 {
		t.Fatalf("go list found %d packages, want at least %d", len(pkgs), len(layers)-1)
	}
	return pkgs
}

// TestImportsFollowTheLayers fails when a package imports against the
// layering, or links a heavy dependency it should not (directly or through
// another package).
func TestImportsFollowTheLayers(t *testing.T) {
	for _, p := range goList(t) {
		name := strings.TrimPrefix(p.ImportPath, "handbook/")
		allowed, known := layers[name]
		if !known {
			t.Errorf("%s is not placed in the layers of layers_test.go", p.ImportPath)
			continue
		}
		if name != "cmd/handbook" {
			for _, imp := range p.Imports {
				if dep, ok := strings.CutPrefix(imp, "handbook/"); ok && !slices.Contains(allowed, dep) {
					t.Errorf("%s imports %s, against the layering", p.ImportPath, imp)
				}
			}
		}
		for prefix, may := range heavy {
			if slices.Contains(may, name) {
				continue
			}
			for _, dep := range p.Deps {
				if strings.HasPrefix(dep, prefix) {
					t.Errorf("%s links %s", p.ImportPath, dep)
					break
				}
			}
		}
	}
}

// TestWebBuildsWithoutBleve is the issue's own check: go list -deps ./web
// names no Bleve package and no PDF engine.
func TestWebBuildsWithoutBleve(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "handbook/web").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "handbook/search") {
		t.Fatalf("go list -deps handbook/web did not list handbook/search: %v", deps)
	}
	for _, d := range deps {
		if strings.Contains(d, "bleve") || strings.Contains(d, "pdfium") {
			t.Errorf("handbook/web depends on %s", d)
		}
	}
}
