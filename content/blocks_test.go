package content

import (
	"reflect"
	"testing"
)

// TestBlocksKeepSourceNumbers: the renderers number a NumberedList 1, 2, 3
// … themselves, so Blocks makes one only where that is the source's
// numbering; an article's paragraphs "1.", "2.", "3." (one block each) and
// points keep their own labels as text.
func TestBlocksKeepSourceNumbers(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Block
	}{
		{"numbered paragraphs", "1. Member States shall A.\n\n2. Member States shall B.\n\n3. The Commission shall C.", []Block{
			{Kind: Paragraph, Lines: []string{"1. Member States shall A."}},
			{Kind: Paragraph, Lines: []string{"2. Member States shall B."}},
			{Kind: Paragraph, Lines: []string{"3. The Commission shall C."}},
		}},
		{"points", "5. access to:\n\n(a) competent authorities;\n\nb) obliged entities;\n\n(iii) any person.", []Block{
			{Kind: Paragraph, Lines: []string{"5. access to:"}},
			{Kind: Paragraph, Lines: []string{"(a) competent authorities;"}},
			{Kind: Paragraph, Lines: []string{"b) obliged entities;"}},
			{Kind: Paragraph, Lines: []string{"(iii) any person."}},
		}},
		{"list from 1", "1. select\n2. inspect\n3. record", []Block{
			{Kind: NumberedList, Lines: []string{"select", "inspect", "record"}},
		}},
		{"list from 1 with wrapped lines", "1. select the\ncontainer\n2. inspect it", []Block{
			{Kind: NumberedList, Lines: []string{"select the container", "inspect it"}},
		}},
		{"list from 3", "3. record\n4. report", []Block{
			{Kind: Paragraph, Lines: []string{"3. record", "4. report"}},
		}},
		{"gap in the numbers", "1. one\n3. three", []Block{
			{Kind: Paragraph, Lines: []string{"1. one", "3. three"}},
		}},
		{"nested items", "1. one\n  - detail\n2. two", []Block{
			{Kind: Paragraph, Lines: []string{"1. one", "  - detail", "2. two"}},
		}},
		{"parenthesis numbers", "1) one\n2) two", []Block{
			{Kind: Paragraph, Lines: []string{"1) one", "2) two"}},
		}},
		{"bullets", "- one\n  - sub\n- two", []Block{
			{Kind: BulletList, Lines: []string{"one", "  sub", "two"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Blocks(tc.text); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Blocks(%q) =\n%+v\nwant\n%+v", tc.text, got, tc.want)
			}
		})
	}
}
