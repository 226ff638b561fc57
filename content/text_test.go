package content

import (
	"slices"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"3.2 Joint operations":           "3-2-joint-operations",
		"Article 18 — Contrôle douanier": "article-18-controle-douanier",
		"nested/Port checks (A&B)":       "nested-port-checks-a-b",
		"  --  ":                         "",
		"Œuvres d'art":                   "œuvres-d-art",
	}
	for in, want := range tests {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldAndWords(t *testing.T) {
	if got := Fold("Contrôle œuvre Straße"); got != "Controle oeuvre Strasse" {
		t.Errorf("Fold = %q", got)
	}
	if got, want := Words("Contrôle a posteriori (PCA) — art. 18"), []string{"controle", "a", "posteriori", "pca", "art", "18"}; !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if got := Words(" — "); len(got) != 0 {
		t.Errorf("Words of punctuation = %q", got)
	}
}
