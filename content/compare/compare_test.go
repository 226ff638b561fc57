package compare

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"handbook/content"
)

func sec(number, heading, text string) content.Section {
	return content.Section{ID: content.Slug(number + " " + heading), Number: number, Heading: heading, Text: text}
}

var (
	aed   = "Customs should require advance electronic data on cargo and conveyances lodged by the party best placed to provide it."
	risk  = "Customs should have an automated risk management system that identifies high-risk shipments from advance data and intelligence."
	seals = "Containers are sealed with a high-security seal at stuffing and the seal number is reported electronically to customs."
	train = "Staff who handle targeting and inspection are trained every year and their training is recorded."
)

func run(t *testing.T, old, new []content.Section) *Result {
	t.Helper()
	r, err := Sections(context.Background(), old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func kinds(r *Result) string {
	var out []string
	for _, p := range r.Pairs {
		out = append(out, string(p.Kind))
	}
	return strings.Join(out, " ")
}

func TestSections(t *testing.T) {
	old := []content.Section{sec("1.1", "Advance data", aed), sec("1.2", "Risk management", risk), sec("1.3", "Seals", seals)}
	tests := []struct {
		name  string
		new   []content.Section
		want  Summary
		kinds string
	}{
		{"same", old, Summary{Unchanged: 3}, "unchanged unchanged unchanged"},
		{"one changed", []content.Section{old[0], sec("1.2", "Risk management", risk+" Rules without detections are retired."), old[2]},
			Summary{Changed: 1, Unchanged: 2}, "unchanged changed unchanged"},
		{"added and removed", []content.Section{old[0], old[1], sec("1.4", "Training", train)},
			Summary{Unchanged: 2, Added: 1, Removed: 1}, "unchanged unchanged removed added"},
		{"renumbered", []content.Section{old[0], sec("1.2", "Training", train), sec("1.3", "Risk management", risk), sec("1.4", "Seals", seals)},
			Summary{Unchanged: 1, Moved: 2, Added: 1}, "unchanged added moved moved"},
		{"reordered", []content.Section{old[2], old[0], old[1]}, Summary{Moved: 1, Unchanged: 2}, "moved unchanged unchanged"},
		{"heading changed", []content.Section{sec("1.1", "Advance electronic data", aed), old[1], old[2]},
			Summary{Changed: 1, Unchanged: 2}, "changed unchanged unchanged"},
		{"new edition empty", nil, Summary{Removed: 3}, "removed removed removed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, old, tt.new)
			if r.Summary != tt.want || kinds(r) != tt.kinds {
				t.Errorf("summary %+v, kinds %q; want %+v, %q", r.Summary, kinds(r), tt.want, tt.kinds)
			}
		})
	}
}

func TestSectionsPairs(t *testing.T) {
	old := []content.Section{sec("", "Introduction", "The framework sets standards. "+train), sec("Standard 1.3", "Advance data", aed),
		sec("Annexe I", "Critères", seals), sec("Article premier", "Objet", risk)}
	new := []content.Section{
		sec("", "Introduction", "The framework sets minimum standards. "+train),
		sec("ANNEX I", "Criteria", seals+" Seals are checked at arrival."),
		sec("Article 1", "Objet", "Les États membres veillent à ce que les entités assujetties appliquent des mesures."),
		sec("Standard 1.6", "Advance electronic data", aed+" The data set follows the WCO Data Model."),
	}
	r := run(t, old, new)
	if r.Summary != (Summary{Changed: 4}) {
		t.Fatalf("summary %+v, want 4 changed: %s", r.Summary, kinds(r))
	}
	by := map[string]Pair{}
	for _, p := range r.Pairs {
		by[p.New.Number] = p
	}
	if p := by["Standard 1.6"]; p.Old.Number != "Standard 1.3" || !p.Renumbered || !p.HeadingChanged || p.By != BySimilarity {
		t.Errorf("Standard 1.6 paired as %+v", p)
	}
	if p := by["ANNEX I"]; p.Old.Number != "Annexe I" || p.Renumbered {
		t.Errorf("ANNEX I paired as %+v: Annexe I is the same number", p)
	}
	if p := by["Article 1"]; p.Old.Number != "Article premier" || p.Renumbered || p.Similarity != 0 {
		t.Errorf("Article 1 paired as %+v: Article premier is the same number", p)
	}
	intro := by[""]
	if intro.By != ByHeading || len(intro.Diff) == 0 {
		t.Fatalf("introduction %+v", intro)
	}
	var ins, del []string
	for _, op := range intro.Diff {
		switch op.Kind {
		case OpInsert:
			ins = append(ins, op.Text)
		case OpDelete:
			del = append(del, op.Text)
		}
	}
	if strings.Join(ins, "|") != "minimum" || len(del) != 0 {
		t.Errorf("diff of the introduction: inserted %q, deleted %q", ins, del)
	}
}

// A generic heading does not pair unrelated texts under other numbers.
func TestSectionsGenericHeading(t *testing.T) {
	old := []content.Section{sec("20.1", "Introduction", risk+" "+train)}
	new := []content.Section{sec("8.1", "Introduction", "Debian packages are built from source packages by the buildd network of the project.")}
	r := run(t, old, new)
	if r.Summary != (Summary{Added: 1, Removed: 1}) {
		t.Errorf("summary %+v, want one added and one removed", r.Summary)
	}
}

func TestSectionsLimits(t *testing.T) {
	old := []content.Section{sec("1", "A", aed), sec("2", "B", risk)}
	for _, tt := range []struct {
		opts Options
		what string
	}{
		{Options{MaxSections: 1}, "sections"},
		{Options{MaxBytes: 100}, "bytes"},
		{Options{MaxPairs: 3}, "pairs"},
	} {
		_, err := Sections(context.Background(), old, old, tt.opts)
		var le *LimitError
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &le) || le.What != tt.what {
			t.Errorf("%+v: %v, want a LimitError on %s", tt.opts, err, tt.what)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sections(ctx, old, []content.Section{sec("3", "C", seals)}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestOutOfOrder(t *testing.T) {
	got := outOfOrder([]int{0, 3, 1, 2, -1, 4})
	want := []bool{false, true, false, false, false, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("outOfOrder = %v, want %v", got, want)
		}
	}
}

func TestWords(t *testing.T) {
	ops := Words("Customs should inspect high-risk cargo at export.", "Customs should scan high-risk cargo before loading at export.", time.Second)
	var b strings.Builder
	for _, op := range ops {
		b.WriteString(string(op.Kind)[:1] + "[" + op.Text + "]")
	}
	if got := b.String(); got != "e[Customs should]d[inspect]i[scan]e[high-risk cargo]i[before loading]e[at export.]" {
		t.Errorf("Words = %s", got)
	}
}

func spell(ops []Op, skip OpKind) string {
	var ws []string
	for _, op := range ops {
		if op.Kind != skip {
			ws = append(ws, op.Text)
		}
	}
	return strings.Join(ws, " ")
}

func FuzzWords(f *testing.F) {
	f.Add("a b c", "a c d")
	f.Add(aed, risk)
	f.Add("Article premier — l’objet", "Article 1 - l'objet\u00a0»")
	f.Fuzz(func(t *testing.T, old, new string) {
		ops := Words(old, new, 50*time.Millisecond)
		if got, want := spell(ops, OpInsert), normText(old); got != want {
			t.Errorf("old spelt %q, want %q", got, want)
		}
		if got, want := spell(ops, OpDelete), normText(new); got != want {
			t.Errorf("new spelt %q, want %q", got, want)
		}
	})
}
