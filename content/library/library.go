package library

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"handbook/content"
)

// Where the library keeps things, relative to the content folder.
const (
	// UploadsDir holds the uploaded documents, one folder each.
	UploadsDir = "uploads"
	// StateFile records replaced and withdrawn documents (see Apply).
	StateFile = ".library.json"
	// StagingDir holds uploads being checked; hidden, so never indexed.
	StagingDir = ".uploading"
)

// DefaultMaxBytes is the default bound on an upload (50 MiB); no bound may
// be above the largest file the loaders read (ingest.MaxFileSize).
const DefaultMaxBytes = 50 << 20

// Kinds of change, as Job.Kind.
const (
	KindUpload   = "upload"
	KindReplace  = "replace"
	KindWithdraw = "withdraw"
)

// States of a job, as Job.State.
const (
	StateQueued   = "queued"
	StateIndexing = "indexing"
	StateDone     = "done"
	StateFailed   = "failed"
)

// Refusal codes, as Refusal.Code.
const (
	CodeTooLarge    = "too_large"   // Args: the limit in bytes
	CodeEmpty       = "empty"       // the file has no bytes
	CodeWrongType   = "wrong_type"  // Args: the kind found (a MIME type or Kind…)
	CodeMislabelled = "mislabelled" // Args: the kind found, the format the name says
	CodeNotUTF8     = "not_utf8"    // text that is not UTF-8
	CodeMetadata    = "metadata"    // Detail: the field and what is wrong
	CodeUnreadable  = "unreadable"  // Detail: the loader's reason
	CodeNotCurrent  = "not_current" // Args: the document id (a replace of a superseded edition)
	CodeIndexFailed = "index_failed"
	CodeBusy        = "busy" // too many changes waiting
)

// Refusal says why a change was refused. Nothing was changed.
type Refusal struct {
	Code   string `json:"code"`
	Args   []any  `json:"args,omitempty"`
	Detail string `json:"detail,omitempty"` // a reader's or validator's own words (English)
}

func refuse(code string, args []any) *Refusal { return &Refusal{Code: code, Args: args} }

// Refuse returns the Refusal of code with args.
func Refuse(code string, args ...any) *Refusal { return refuse(code, args) }

func (r *Refusal) Error() string {
	arg := func(i int) string {
		if i < len(r.Args) {
			return fmt.Sprint(r.Args[i])
		}
		return ""
	}
	var msg string
	switch r.Code {
	case CodeTooLarge:
		msg = fmt.Sprintf("the file is larger than the limit of %s", Size(toInt64(r.Args[0])))
	case CodeEmpty:
		msg = "the file is empty"
	case CodeWrongType:
		msg = fmt.Sprintf("the file is %s: upload a PDF, a Word document (DOCX), an HTML page, Markdown or plain text", Describe(arg(0)))
	case CodeMislabelled:
		msg = fmt.Sprintf("the file is %s, not %s as its name says", Describe(arg(0)), Describe(arg(1)))
	case CodeNotUTF8:
		msg = "the text is not UTF-8: save it as UTF-8 and upload it again"
	case CodeMetadata:
		msg = "the metadata is not valid"
	case CodeUnreadable:
		msg = "the file cannot be read"
	case CodeNotCurrent:
		msg = fmt.Sprintf("document %s is not the current edition: replace its successor instead", arg(0))
	case CodeIndexFailed:
		msg = "the index could not be rebuilt; nothing was changed"
	case CodeBusy:
		msg = "too many changes are waiting to be indexed; try again in a minute"
	default:
		msg = r.Code
	}
	if r.Detail != "" {
		msg += ": " + r.Detail
	}
	return msg
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// Size writes a number of bytes as people read it, in the units it was
// most likely given in: 50 MB (50<<20 or 50,000,000), 64 KB, 1.5 MB.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1e6 && n%1e6 == 0:
		return fmt.Sprintf("%d MB", n/1e6)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	case n >= 1e3 && n%1e3 == 0:
		return fmt.Sprintf("%d KB", n/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Upload is a file to add to the library.
type Upload struct {
	// Name is the name the client gave the file: only its extension (to
	// choose among the text formats) and its stem (a title of last resort)
	// are read; the file is stored under a generated name.
	Name string
	Body io.Reader
	// Meta holds the metadata given with the file (title, org, type,
	// topics, lang, year, edition, status, level, summary); an empty key
	// takes the file's own value (a PDF's title, a DOCX's core
	// properties, an HTML title, Markdown front matter), else the
	// loaders' default.
	Meta content.Document
	User string
	// Levels, when not nil, are the handling levels the uploader may see:
	// a document above them is refused.
	Levels []string
}

// Job is one change of the library and its indexing.
type Job struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	State string `json:"state"`
	DocID string `json:"doc_id"`
	Title string `json:"title,omitempty"`
	Level string `json:"level"`
	// Replaces is, for a new edition, the document it supersedes.
	Replaces string    `json:"replaces,omitempty"`
	Format   string    `json:"format,omitempty"`
	Sections int       `json:"sections"`
	Pages    int       `json:"pages"`
	Warnings []Warning `json:"warnings,omitempty"`
	Refusal  *Refusal  `json:"refusal,omitempty"`
	User     string    `json:"user"`
	Created  time.Time `json:"created"`
	Finished time.Time `json:"finished,omitzero"`
}

// Warning codes, as Warning.Code.
const (
	WarnTitleFromName = "title_from_name" // Args: the title
	WarnLanguageRead  = "language_read"   // Args: the language code
	WarnNoPages       = "no_pages"        // a PDF whose sections carry no page
)

// Warning is something an editor may want to correct in an indexed change.
type Warning struct {
	Code string `json:"code"`
	Args []any  `json:"args,omitempty"`
}

// Done reports whether the job ended, indexed or failed.
func (j *Job) Done() bool { return j.State == StateDone || j.State == StateFailed }

// Withdrawal is what StateFile keeps of a withdrawn document.
type Withdrawal struct {
	Document content.Document `json:"document"`
	User     string           `json:"user"`
	At       time.Time        `json:"at"`
}

// State is the content of StateFile.
type State struct {
	// Superseded maps a replaced document's id to its successor's.
	Superseded map[string]string `json:"superseded,omitempty"`
	// Withdrawn holds the withdrawn documents by id.
	Withdrawn map[string]Withdrawal `json:"withdrawn,omitempty"`
}

// ReadState reads the StateFile of the content folder dir (empty when there
// is none).
func ReadState(dir string) (State, error) {
	var st State
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: %w", StateFile, err)
	}
	return st, nil
}

// Apply lays st over documents loaded from the content folder: a replaced
// document becomes superseded by its successor, a withdrawn one is left
// out. docs is not changed.
func (st State) Apply(docs []content.Loaded) []content.Loaded {
	if len(st.Superseded) == 0 && len(st.Withdrawn) == 0 {
		return docs
	}
	out := make([]content.Loaded, 0, len(docs))
	for _, d := range docs {
		if _, ok := st.Withdrawn[d.Document.ID]; ok {
			continue
		}
		if next, ok := st.Superseded[d.Document.ID]; ok {
			d.Document.Status, d.Document.SupersededBy = content.StatusSuperseded, next
		}
		out = append(out, d)
	}
	return out
}

// JSONIndent is v as indented JSON with a final newline.
func JSONIndent(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	return append(data, '\n'), err
}
