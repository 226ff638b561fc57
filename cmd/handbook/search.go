package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"handbook/content"
	"handbook/search"
	"handbook/search/engine"
)

func runSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	var (
		c      dataConfig
		asJSON bool
		page   int
		size   int
		levels string
	)
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder for the index (env HANDBOOK_DATA)")
	fs.StringVar(&c.Content, "content", getenv("HANDBOOK_CONTENT"), "folder of documents; used only when there is no index yet (env HANDBOOK_CONTENT)")
	fs.BoolVar(&asJSON, "json", false, "print the result as the JSON of /api/search")
	fs.IntVar(&page, "page", 1, "page of results")
	fs.IntVar(&size, "size", search.DefaultPageSize, fmt.Sprintf("results per page (at most %d)", search.MaxPageSize))
	fs.StringVar(&levels, "levels", content.LevelPublic, "comma-separated handling levels to include")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook search [flags] QUERY\n\nQuery syntax: words, \"exact phrases\", -exclusion, OR, ( ), org:WCO type:handbook lang:fr year:2015..2020, word~ (fuzzy), word* (prefix).\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	log := newLogger(stderr)
	idx, err := c.open(ctx, log)
	if err != nil {
		return err
	}
	defer idx.Close()
	svc, err := engine.New(idx, engine.Options{Glossary: c.glossary(log)})
	if err != nil {
		return err
	}
	res, err := svc.Search(ctx, search.Query{Text: strings.Join(fs.Args(), " "), Page: page, Size: size, Levels: strings.Split(levels, ",")})
	var qe *search.QueryError
	if errors.As(err, &qe) {
		return fmt.Errorf("query: %s", qe.Error())
	}
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printResult(stdout, res)
	return nil
}

func printResult(w io.Writer, r *search.Result) {
	fmt.Fprintf(w, "%d sections (%.2f ms)", r.Total, r.TookMS)
	if r.Relaxed {
		fmt.Fprint(w, " — no section has every word; showing sections with any")
	}
	fmt.Fprintln(w)
	for i, h := range r.Hits {
		fmt.Fprintf(w, "\n%d. %s\n   %s › %s", (r.Page-1)*r.Size+i+1, strings.TrimSpace(h.Number+" "+h.Heading), h.Title, h.Section)
		if h.Page > 0 {
			fmt.Fprintf(w, " (p. %d)", h.Page)
		}
		fmt.Fprintf(w, "\n   %s · %s · %d · %s\n   %s\n", strings.Join(h.Org, ", "), h.Type, h.Year, h.Lang, h.URL)
		fmt.Fprintf(w, "   %s\n", plainSnippet(h.Snippet))
	}
}

// plainSnippet turns a snippet's HTML into terminal text, matches in bold.
func plainSnippet(s string) string {
	r := strings.NewReplacer("<mark>", "\x1b[1m", "</mark>", "\x1b[0m", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`, "\n", " ")
	return r.Replace(s)
}
