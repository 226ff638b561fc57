package pdf

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDump prints the laid-out lines of pages of a PDF, for checking the
// layout by eye: HANDBOOK_PDF_DUMP=file.pdf:3,4 go test -run TestDump -v
func TestDump(t *testing.T) {
	spec := os.Getenv("HANDBOOK_PDF_DUMP")
	if spec == "" {
		t.Skip("set HANDBOOK_PDF_DUMP=file.pdf:page,page to print pages")
	}
	file, pages, _ := strings.Cut(spec, ":")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Shared().Extract(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("info %+v\noutline %d items\n", doc.Info, len(doc.Outline))
	for i, o := range doc.Outline {
		if i < 15 {
			fmt.Printf("  %+v\n", o)
		}
	}
	for _, s := range strings.Split(pages, ",") {
		n, _ := strconv.Atoi(s)
		if n < 1 || n > len(doc.Pages) {
			continue
		}
		p := doc.Pages[n-1]
		fmt.Printf("=== page %d (%.0fx%.0f)\n", p.Number, p.Width, p.Height)
		for _, l := range p.Lines {
			mark := " "
			if l.NewBlock {
				mark = "¶"
			}
			fmt.Printf("%s x=%5.1f-%5.1f y=%5.1f sz=%4.1f b=%-5v i=%-5v h=%-5v %q\n", mark, l.X0, l.X1, l.Y0, l.Size, l.Bold, l.Italic, l.Hyphen, l.Text)
		}
	}
}
