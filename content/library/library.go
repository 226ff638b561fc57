package library

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"handbook/content"
	"handbook/content/ingest"
)

// Where the library keeps things, relative to the content folder.
const (
	// UploadsDir holds the uploaded documents, one folder each.
	UploadsDir = "uploads"
	// StateFile records replaced and withdrawn documents (see Apply).
	StateFile = ".library.json"
	// stagingDir holds uploads being checked; hidden, so never indexed.
	stagingDir = ".uploading"
)

// DefaultMaxBytes is the default bound on an upload (50 MiB); no bound may
// be above ingest.MaxFileSize, which the loaders refuse.
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

// Size writes a number of bytes as people read it: 50 MB, 512 KB.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
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

	dir    string           // the staged upload's folder, under stagingDir
	given  content.Document // the metadata the change came with
	change func(*State)     // the job's change of the StateFile
	done   chan struct{}
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

// Options configures a Library.
type Options struct {
	// Content is the content folder (required).
	Content string
	// MaxBytes bounds an upload (default DefaultMaxBytes).
	MaxBytes int64
	// Rebuild builds the index from the content folder (loading it with
	// ReadState(Content).Apply) and serves it; it returns what the load
	// read. Required.
	Rebuild func(ctx context.Context) (*ingest.Report, error)
	Logger  *slog.Logger
	// Queue bounds the changes waiting (default 32); KeepJobs the finished
	// jobs remembered (default 500).
	Queue    int
	KeepJobs int
}

// Library changes the documents of a content folder, one job at a time.
type Library struct {
	opts  Options
	queue chan *Job

	mu    sync.Mutex // guards jobs, order and the StateFile
	jobs  map[string]*Job
	order []string
}

// New returns a library over opts.Content; Run indexes its jobs.
func New(opts Options) (*Library, error) {
	if opts.Content == "" || opts.Rebuild == nil {
		return nil, errors.New("library: a content folder and a rebuild are required")
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxBytes > ingest.MaxFileSize {
		return nil, fmt.Errorf("library: an upload limit of %s is above the largest file the loaders read (%s)", Size(opts.MaxBytes), Size(ingest.MaxFileSize))
	}
	if opts.Queue <= 0 {
		opts.Queue = 32
	}
	if opts.KeepJobs <= 0 {
		opts.KeepJobs = 500
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if _, err := ReadState(opts.Content); err != nil {
		return nil, err
	}
	// What an earlier run left half checked is dropped.
	if err := os.RemoveAll(filepath.Join(opts.Content, stagingDir)); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	return &Library{opts: opts, queue: make(chan *Job, opts.Queue), jobs: map[string]*Job{}}, nil
}

// MaxBytes is the bound on an upload.
func (l *Library) MaxBytes() int64 { return l.opts.MaxBytes }

// Run indexes the jobs, one after the other, until ctx ends.
func (l *Library) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-l.queue:
			l.process(ctx, j)
		}
	}
}

// Job returns a copy of job id.
func (l *Library) Job(id string) (Job, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	j, ok := l.jobs[id]
	if !ok {
		return Job{}, false
	}
	return *j, true
}

// Wait waits until job id ends or ctx does, and returns it as it then is.
func (l *Library) Wait(ctx context.Context, id string) (Job, bool) {
	l.mu.Lock()
	j, ok := l.jobs[id]
	l.mu.Unlock()
	if !ok {
		return Job{}, false
	}
	select {
	case <-j.done:
	case <-ctx.Done():
	}
	return l.Job(id)
}

// Withdrawn returns the document id as it was when withdrawn.
func (l *Library) Withdrawn(id string) (content.Document, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, err := ReadState(l.opts.Content)
	if err != nil {
		return content.Document{}, false
	}
	w, ok := st.Withdrawn[id]
	return w.Document, ok
}

// Upload checks up (its size, its type by content, its metadata), stages
// it and queues its indexing. A Refusal means nothing was kept.
func (l *Library) Upload(ctx context.Context, up Upload) (*Job, error) {
	return l.stage(ctx, up, nil)
}

// Replace adds up as the new edition of old (a document the caller may
// see): once indexed, old is superseded by it. Keys of up.Meta left empty
// take old's values (title, organizations, type, topics, language, level,
// summary), except year and edition.
func (l *Library) Replace(ctx context.Context, old content.Document, up Upload) (*Job, error) {
	if old.Status == content.StatusSuperseded {
		return nil, refuse(CodeNotCurrent, []any{old.ID})
	}
	m := &up.Meta
	str := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	str(&m.Title, old.Title)
	str(&m.Type, old.Type)
	str(&m.Language, old.Language)
	str(&m.Level, old.Level)
	if len(m.Organizations) == 0 {
		m.Organizations = old.Organizations
	}
	if len(m.Topics) == 0 {
		m.Topics = old.Topics
	}
	if len(m.Audience) == 0 {
		m.Audience = old.Audience
	}
	if len(m.Region) == 0 {
		m.Region = old.Region
	}
	return l.stage(ctx, up, &old)
}

// Withdraw takes doc (a document the caller may see) out of the index; its
// file and its metadata stay for the audit trail and the packs citing it.
func (l *Library) Withdraw(_ context.Context, doc content.Document, user string) (*Job, error) {
	j := l.newJob(KindWithdraw, user)
	j.DocID, j.Title, j.Level, j.Format = doc.ID, doc.Title, doc.Level, doc.Format
	w := Withdrawal{Document: doc, User: user, At: time.Now().UTC()}
	return j, l.enqueue(j, func(st *State) {
		if st.Withdrawn == nil {
			st.Withdrawn = map[string]Withdrawal{}
		}
		st.Withdrawn[doc.ID] = w
	})
}

func (l *Library) newJob(kind, user string) *Job {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Job{ID: hex.EncodeToString(b[:]), Kind: kind, State: StateQueued, User: user, Created: time.Now().UTC(), done: make(chan struct{})}
}

// stage checks up and writes it with its sidecar into a staging folder,
// then queues the job that reads, places and indexes it.
func (l *Library) stage(_ context.Context, up Upload, old *content.Document) (_ *Job, err error) {
	if err := checkMeta(up.Meta); err != nil {
		return nil, err
	}
	kind := KindUpload
	if old != nil {
		kind = KindReplace
	}
	j := l.newJob(kind, up.User)
	j.dir = filepath.Join(l.opts.Content, stagingDir, j.ID)
	if err := os.MkdirAll(j.dir, 0o750); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(j.dir)
		}
	}()
	raw := filepath.Join(j.dir, "upload")
	f, err := os.OpenFile(raw, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(f, io.LimitReader(up.Body, l.opts.MaxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if n > l.opts.MaxBytes {
		return nil, refuse(CodeTooLarge, []any{l.opts.MaxBytes})
	}
	format, err := Detect(raw, up.Name)
	if err != nil {
		return nil, err
	}
	meta := up.Meta
	if format == content.FormatMarkdown {
		// Front matter moves to the sidecar, the form's keys over its
		// own, so that the metadata stands in one place.
		data, err := os.ReadFile(raw)
		if err != nil {
			return nil, err
		}
		front, body, has, err := ingest.FrontMatter(up.Name, data)
		if err != nil {
			return nil, &Refusal{Code: CodeMetadata, Detail: err.Error()}
		}
		if has {
			meta = overlay(*front, meta)
			if err := os.WriteFile(raw, body, 0o640); err != nil {
				return nil, err
			}
		}
	}
	if meta.Status == "" {
		meta.Status = content.StatusCurrent
	}
	stem := content.Slug(strings.TrimSuffix(path.Base(strings.ReplaceAll(up.Name, "\\", "/")), path.Ext(up.Name)))
	name := clip(stem) + Extensions[format]
	if stem == "" {
		name = "document" + Extensions[format]
	}
	if err := os.Rename(raw, filepath.Join(j.dir, name)); err != nil {
		return nil, err
	}
	if err := writeSidecar(filepath.Join(j.dir, name+ingest.SidecarSuffix), meta); err != nil {
		return nil, err
	}
	j.Format, j.Title, j.Level, j.given = format, meta.Title, meta.Level, up.Meta
	if old != nil {
		j.Replaces = old.ID
	}
	return j, l.enqueue(j, nil)
}

// enqueue remembers j and queues it; change, when set, is the job's change
// of the StateFile, made when the job runs.
func (l *Library) enqueue(j *Job, change func(*State)) error {
	l.mu.Lock()
	l.jobs[j.ID] = j
	l.order = append(l.order, j.ID)
	for len(l.order) > l.opts.KeepJobs {
		if old := l.jobs[l.order[0]]; old != nil && !old.Done() {
			break
		}
		delete(l.jobs, l.order[0])
		l.order = l.order[1:]
	}
	l.mu.Unlock()
	j.change = change
	select {
	case l.queue <- j:
		return nil
	default:
		l.mu.Lock()
		delete(l.jobs, j.ID)
		l.mu.Unlock()
		return refuse(CodeBusy, nil)
	}
}

// checkMeta validates the metadata given with a change, as the loaders
// would (a missing title or language is found in the file later).
func checkMeta(m content.Document) error {
	d := m
	if d.Title == "" {
		d.Title = "-"
	}
	if d.Language == "" {
		d.Language = content.LanguageEnglish
	}
	if err := d.Validate("the form"); err != nil {
		var me *content.MetaError
		if errors.As(err, &me) {
			return &Refusal{Code: CodeMetadata, Detail: fmt.Sprintf("%s: %s", me.Field, me.Msg)}
		}
		return &Refusal{Code: CodeMetadata, Detail: err.Error()}
	}
	long := len(m.Title) > 300 || len(m.Edition) > 100 || len(m.Summary) > 2000
	for _, list := range [][]string{m.Organizations, m.Topics, m.Audience, m.Region} {
		long = long || len(list) > 20 || slices.ContainsFunc(list, func(v string) bool { return len(v) > 100 })
	}
	if long {
		return &Refusal{Code: CodeMetadata, Detail: "a value is too long (title 300 characters, edition 100, summary 2000; at most 20 values of 100 characters per list)"}
	}
	return nil
}

// overlay returns base with every key top sets.
func overlay(base, top content.Document) content.Document {
	str := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	strs := func(dst *[]string, v []string) {
		if len(v) > 0 {
			*dst = v
		}
	}
	str(&base.Title, top.Title)
	str(&base.Type, top.Type)
	str(&base.Language, top.Language)
	str(&base.Edition, top.Edition)
	str(&base.Status, top.Status)
	str(&base.Level, top.Level)
	str(&base.Summary, top.Summary)
	strs(&base.Organizations, top.Organizations)
	strs(&base.Topics, top.Topics)
	strs(&base.Audience, top.Audience)
	strs(&base.Region, top.Region)
	if top.Year != 0 {
		base.Year = top.Year
	}
	return base
}

// clip bounds a slug to 60 bytes, at a hyphen when there is one.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	s = s[:60]
	if i := strings.LastIndexByte(s, '-'); i > 20 {
		s = s[:i]
	}
	return strings.Trim(s, "-")
}

// sidecar is the YAML of a sidecar metadata file, keys as in front matter.
type sidecar struct {
	Title         string   `yaml:"title,omitempty"`
	Organizations []string `yaml:"org,omitempty,flow"`
	Type          string   `yaml:"type,omitempty"`
	Topics        []string `yaml:"topics,omitempty,flow"`
	Language      string   `yaml:"lang,omitempty"`
	Year          int      `yaml:"year,omitempty"`
	Edition       string   `yaml:"edition,omitempty"`
	Status        string   `yaml:"status,omitempty"`
	Level         string   `yaml:"level,omitempty"`
	Summary       string   `yaml:"summary,omitempty"`
	Audience      []string `yaml:"audience,omitempty,flow"`
	Region        []string `yaml:"region,omitempty,flow"`
}

func writeSidecar(p string, d content.Document) error {
	data, err := yaml.Marshal(sidecar{
		Title: d.Title, Organizations: d.Organizations, Type: d.Type, Topics: d.Topics, Language: d.Language, Year: d.Year,
		Edition: d.Edition, Status: d.Status, Level: d.Level, Summary: d.Summary, Audience: d.Audience, Region: d.Region,
	})
	if err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o640)
}

func jsonIndent(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	return append(data, '\n'), err
}
