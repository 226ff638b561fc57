package shelf

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	"handbook/content/library"
)

// Options configures a Library.
type Options struct {
	// Content is the content folder (required).
	Content string
	// MaxBytes bounds an upload (default library.DefaultMaxBytes, at most
	// ingest.MaxFileSize).
	MaxBytes int64
	// Rebuild builds the index from the content folder (loaded with
	// library.ReadState(Content).Apply) beside the served one and swaps it
	// in; it returns what the load read. Required.
	Rebuild func(ctx context.Context) (*ingest.Report, error)
	// Done, when set, is told of every job that ends (for metrics).
	Done   func(library.Job)
	Logger *slog.Logger
	// Queue bounds the changes waiting (default 32); KeepJobs the finished
	// jobs remembered (default 500).
	Queue    int
	KeepJobs int
}

// Library changes the documents of a content folder, one job at a time.
type Library struct {
	opts  Options
	queue chan *task

	mu    sync.Mutex // guards the jobs, order and the StateFile
	tasks map[string]*task
	order []string
}

// task is a job with what running it needs.
type task struct {
	job    library.Job
	dir    string               // the staged upload's folder, under library.StagingDir
	folder string               // the folder it goes to, under library.UploadsDir
	given  content.Document     // the metadata the change came with
	change func(*library.State) // the job's change of the StateFile
	done   chan struct{}
}

// New returns a library over opts.Content; Run indexes its jobs.
func New(opts Options) (*Library, error) {
	if opts.Content == "" || opts.Rebuild == nil {
		return nil, errors.New("library: a content folder and a rebuild are required")
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = library.DefaultMaxBytes
	}
	if opts.MaxBytes > ingest.MaxFileSize {
		return nil, fmt.Errorf("an upload limit of %s is above the largest file the loaders read (%s)", library.Size(opts.MaxBytes), library.Size(ingest.MaxFileSize))
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
	if _, err := library.ReadState(opts.Content); err != nil {
		return nil, err
	}
	// What an earlier run left half checked is dropped.
	if err := os.RemoveAll(filepath.Join(opts.Content, library.StagingDir)); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	return &Library{opts: opts, queue: make(chan *task, opts.Queue), tasks: map[string]*task{}}, nil
}

// MaxBytes is the bound on an upload.
func (l *Library) MaxBytes() int64 { return l.opts.MaxBytes }

// Run indexes the jobs, one after the other, until ctx ends.
func (l *Library) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-l.queue:
			l.process(ctx, t)
		}
	}
}

// Job returns job id as it now is.
func (l *Library) Job(id string) (library.Job, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.tasks[id]
	if !ok {
		return library.Job{}, false
	}
	j := t.job
	j.Warnings = slices.Clone(j.Warnings)
	return j, true
}

// Wait waits until job id ends or ctx does, and returns it as it then is.
func (l *Library) Wait(ctx context.Context, id string) (library.Job, bool) {
	l.mu.Lock()
	t, ok := l.tasks[id]
	l.mu.Unlock()
	if !ok {
		return library.Job{}, false
	}
	select {
	case <-t.done:
	case <-ctx.Done():
	}
	return l.Job(id)
}

// Withdrawn returns document id as it was when withdrawn.
func (l *Library) Withdrawn(id string) (content.Document, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, err := library.ReadState(l.opts.Content)
	if err != nil {
		return content.Document{}, false
	}
	w, ok := st.Withdrawn[id]
	return w.Document, ok
}

// Upload checks up (its size, its type by content, its metadata), stages
// it and queues its indexing. A library.Refusal means nothing was kept.
func (l *Library) Upload(ctx context.Context, up library.Upload) (library.Job, error) {
	return l.stage(ctx, up, nil)
}

// Replace adds up as the new edition of old (a document the caller may
// see): once indexed, old is superseded by it. Keys of up.Meta left empty
// take old's values (title, organizations, type, topics, language, level,
// audience, region), except year, edition and summary.
func (l *Library) Replace(ctx context.Context, old content.Document, up library.Upload) (library.Job, error) {
	if old.Status == content.StatusSuperseded {
		return library.Job{}, library.Refuse(library.CodeNotCurrent, old.ID)
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
	for _, l := range []struct{ dst, v *[]string }{{&m.Organizations, &old.Organizations}, {&m.Topics, &old.Topics}, {&m.Audience, &old.Audience}, {&m.Region, &old.Region}} {
		if len(*l.dst) == 0 {
			*l.dst = *l.v
		}
	}
	return l.stage(ctx, up, &old)
}

// Withdraw takes doc (a document the caller may see) out of the index; its
// file and its metadata stay for the audit trail and the packs citing it.
func (l *Library) Withdraw(_ context.Context, doc content.Document, user string) (library.Job, error) {
	t := l.newTask(library.KindWithdraw, user)
	t.job.DocID, t.job.Title, t.job.Level, t.job.Format = doc.ID, doc.Title, doc.Level, doc.Format
	w := library.Withdrawal{Document: doc, User: user, At: time.Now().UTC()}
	t.change = func(st *library.State) {
		if st.Withdrawn == nil {
			st.Withdrawn = map[string]library.Withdrawal{}
		}
		st.Withdrawn[doc.ID] = w
	}
	job := t.job // before the worker may change it
	return job, l.enqueue(t)
}

func (l *Library) newTask(kind, user string) *task {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &task{job: library.Job{ID: hex.EncodeToString(b[:]), Kind: kind, State: library.StateQueued, User: user, Created: time.Now().UTC()}, done: make(chan struct{})}
}

// stage checks up and writes it with its sidecar into a staging folder,
// then queues the job that reads, places and indexes it.
func (l *Library) stage(_ context.Context, up library.Upload, old *content.Document) (_ library.Job, err error) {
	if err := checkMeta(up.Meta); err != nil {
		return library.Job{}, err
	}
	kind := library.KindUpload
	if old != nil {
		kind = library.KindReplace
	}
	t := l.newTask(kind, up.User)
	t.dir = filepath.Join(l.opts.Content, library.StagingDir, t.job.ID)
	if err := os.MkdirAll(t.dir, 0o750); err != nil {
		return library.Job{}, err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(t.dir)
		}
	}()
	raw := filepath.Join(t.dir, "upload")
	f, err := os.OpenFile(raw, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return library.Job{}, err
	}
	n, err := io.Copy(f, io.LimitReader(up.Body, l.opts.MaxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return library.Job{}, err
	}
	if n > l.opts.MaxBytes {
		return library.Job{}, library.Refuse(library.CodeTooLarge, l.opts.MaxBytes)
	}
	format, err := library.Detect(raw, up.Name)
	if err != nil {
		return library.Job{}, err
	}
	meta := up.Meta
	if format == content.FormatMarkdown {
		// Front matter moves to the sidecar, the form's keys over its
		// own, so that the metadata stands in one place.
		data, err := os.ReadFile(raw)
		if err != nil {
			return library.Job{}, err
		}
		front, body, has, err := ingest.FrontMatter("the front matter", data)
		if err != nil {
			return library.Job{}, &library.Refusal{Code: library.CodeMetadata, Detail: err.Error()}
		}
		if has {
			meta = overlay(*front, meta)
			if err := os.WriteFile(raw, body, 0o640); err != nil {
				return library.Job{}, err
			}
		}
	}
	if meta.Status == "" {
		meta.Status = content.StatusCurrent
	}
	base := path.Base(strings.ReplaceAll(up.Name, "\\", "/"))
	name := clip(content.Slug(strings.TrimSuffix(base, path.Ext(base))))
	if name == "" {
		name = "document"
	}
	name += library.Extensions[format]
	if err := os.Rename(raw, filepath.Join(t.dir, name)); err != nil {
		return library.Job{}, err
	}
	if err := writeSidecar(filepath.Join(t.dir, name+ingest.SidecarSuffix), meta); err != nil {
		return library.Job{}, err
	}
	if meta.Level == "" {
		meta.Level = content.LevelPublic
	}
	if up.Levels != nil && !slices.Contains(up.Levels, meta.Level) {
		return library.Job{}, &library.Refusal{Code: library.CodeMetadata, Detail: fmt.Sprintf("level: %q is above the levels you may see", meta.Level)}
	}
	// The id is fixed now, so the caller has it at once: the folder the
	// upload goes to, which no other upload shares, and the file's name.
	t.folder = time.Now().UTC().Format("20060102") + "-" + t.job.ID[:8]
	t.job.DocID = content.DocumentID(path.Join(library.UploadsDir, t.folder, name))
	t.job.Format, t.job.Title, t.job.Level, t.given = format, meta.Title, meta.Level, up.Meta
	if old != nil {
		t.job.Replaces = old.ID
	}
	job := t.job // before the worker may change it
	return job, l.enqueue(t)
}

// enqueue remembers t and queues it.
func (l *Library) enqueue(t *task) error {
	l.mu.Lock()
	l.tasks[t.job.ID] = t
	l.order = append(l.order, t.job.ID)
	for len(l.order) > l.opts.KeepJobs {
		if old := l.tasks[l.order[0]]; old != nil && !old.job.Done() {
			break
		}
		delete(l.tasks, l.order[0])
		l.order = l.order[1:]
	}
	l.mu.Unlock()
	select {
	case l.queue <- t:
		return nil
	default:
		l.mu.Lock()
		delete(l.tasks, t.job.ID)
		l.mu.Unlock()
		return library.Refuse(library.CodeBusy)
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
			return &library.Refusal{Code: library.CodeMetadata, Detail: fmt.Sprintf("%s: %s", me.Field, me.Msg)}
		}
		return &library.Refusal{Code: library.CodeMetadata, Detail: err.Error()}
	}
	long := len(m.Title) > 300 || len(m.Edition) > 100 || len(m.Summary) > 2000
	for _, list := range [][]string{m.Organizations, m.Topics, m.Audience, m.Region} {
		long = long || len(list) > 20 || slices.ContainsFunc(list, func(v string) bool { return len(v) > 100 })
	}
	if long {
		return &library.Refusal{Code: library.CodeMetadata, Detail: "a value is too long (title 300 characters, edition 100, summary 2000; at most 20 values of 100 characters per list)"}
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
