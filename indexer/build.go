package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"golang.org/x/sync/errgroup"

	"handbook/content"
)

// Keys of the values kept in the index's internal storage beside the sections.
var (
	keyCatalog     = []byte("handbook:catalog")
	keyFingerprint = []byte("handbook:fingerprint")
	keyMapping     = []byte("handbook:mapping")
	keySource      = []byte("handbook:source")
	keyOriginals   = []byte("handbook:originals")
)

// SourceSample is the source recorded for an index built from the embedded
// sample knowledge base.
const SourceSample = "sample"

// currentFile names the index directory that is served. It is replaced by an
// atomic rename, so a reader sees either the old index or the new one.
const currentFile = "CURRENT"

const indexDirPrefix = "index-"

// batchSize is the number of sections per Bleve batch (1,000–5,000 is the
// measured sweet spot).
const batchSize = 2000

// batchText bounds the text of one batch (see build).
const batchText = 2 << 20

// batchWriters is how many batches are written at once.
const batchWriters = 2

// Stats says what a build did.
type Stats struct {
	Documents int
	Sections  int
	Duration  time.Duration
	Dir       string
}

// Fingerprint identifies a set of loaded documents together with the mapping
// version: equal fingerprints mean an existing index can be served as it is.
func Fingerprint(docs []content.Loaded) string {
	h := sha256.New()
	h.Write([]byte("mapping " + MappingVersion + "\n"))
	enc := json.NewEncoder(h)
	for _, d := range docs {
		_ = enc.Encode(d) // hashing writes never fail
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Build indexes docs into a new index directory under dataDir and, when it is
// complete, makes it the served one. source says where the documents came
// from (SourceSample or a folder). A failure or cancellation at any point
// leaves the previously served index untouched. It takes the build lock of
// dataDir for the duration (waiting DefaultLockWait for another build);
// a caller that holds the lock already uses Lock.Build.
func Build(ctx context.Context, dataDir string, docs []content.Loaded, source string) (*Stats, error) {
	l, err := LockData(ctx, dataDir, LockOptions{})
	if err != nil {
		return nil, err
	}
	defer l.Unlock()
	return l.Build(ctx, docs, source, BuildOptions{})
}

// BuildOptions are the optional parts of a build.
type BuildOptions struct {
	// Originals records, by document id, the file each document was read
	// from (see HashOriginals), so that the server serves an original only
	// while it is still the file that was indexed. Without it no original
	// can be served from the index.
	Originals map[string]content.Original
}

// Build is the package's Build, in the data folder l holds. Only while the
// lock is held are the folder's stale build directories removed, so a build
// never deletes another one that is still running.
func (l *Lock) Build(ctx context.Context, docs []content.Loaded, source string, opts BuildOptions) (*Stats, error) {
	if l == nil || l.f == nil {
		return nil, errors.New("build: the data folder lock is not held")
	}
	start := time.Now()
	dataDir := l.dir
	name := indexDirPrefix + strconv.FormatInt(start.UnixNano(), 36)
	dir := filepath.Join(dataDir, name)
	stats, err := build(ctx, dir, docs, source, opts)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if err := writeCurrent(dataDir, name); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	removeStale(dataDir, name)
	stats.Duration = time.Since(start)
	return stats, nil
}

func build(ctx context.Context, dir string, docs []content.Loaded, source string, opts BuildOptions) (*Stats, error) {
	frequent, err := FrequentWords(docs)
	if err != nil {
		return nil, fmt.Errorf("sample frequent words: %w", err)
	}
	m, err := NewMapping(frequent)
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	stats := &Stats{Dir: dir}
	err = func() error {
		catalog := make([]content.Document, 0, len(docs))
		var rank RankStats
		// Bleve analyses a batch on several goroutines but builds its
		// segment on one: two writers let one batch's segment be built
		// while the next is analysed.
		g, gctx := errgroup.WithContext(ctx)
		batches := make(chan *bleve.Batch)
		for range batchWriters {
			g.Go(func() error {
				for b := range batches {
					if err := idx.Batch(b); err != nil {
						return fmt.Errorf("write batch: %w", err)
					}
				}
				return nil
			})
		}
		g.Go(func() error {
			defer close(batches)
			batch := idx.NewBatch()
			send := func() error {
				select {
				case batches <- batch:
					batch = idx.NewBatch()
					return nil
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			copies := FindCopies(docs)
			textBytes := 0 // in the batch being filled
			for _, d := range docs {
				entry := d.Document
				entry.SameWork = copies.Works[entry.ID]
				catalog = append(catalog, entry)
				for _, s := range d.Sections {
					fields := sectionFields(&d.Document, &s)
					key := SectionKey(d.Document.ID, s.ID)
					if copies.IsCopy[key] {
						fields[FieldCopy] = CopyValue
					} else if others := copies.Others[key]; len(others) > 0 {
						fields[FieldCopies] = EncodeCopies(others)
					}
					rank.count(s.Language(d.Document.Language), fields)
					if err := batch.Index(key, fields); err != nil {
						return fmt.Errorf("index %s#%s: %w", d.Document.ID, s.ID, err)
					}
					stats.Sections++
					// A batch is sent at batchSize sections or batchText
					// bytes of text, whichever comes first: Bleve holds a
					// batch's analysis in memory, and a large file's
					// sections (up to ingest.MaxSectionSize each) would
					// otherwise fill one batch with gigabytes.
					textBytes += len(s.Text)
					if batch.Size() >= batchSize || textBytes >= batchText {
						textBytes = 0
						if err := send(); err != nil {
							return err
						}
					}
				}
				stats.Documents++
			}
			return send()
		})
		if err := g.Wait(); err != nil {
			return err
		}
		cat, err := json.Marshal(catalog)
		if err != nil {
			return err
		}
		if err := rank.countTerms(ctx, idx); err != nil {
			return err
		}
		rs, err := rank.marshal()
		if err != nil {
			return err
		}
		orig, err := json.Marshal(opts.Originals)
		if err != nil {
			return err
		}
		for k, v := range map[string][]byte{
			string(keyCatalog): cat, string(keyFingerprint): []byte(Fingerprint(docs)), string(keyMapping): []byte(MappingVersion),
			string(keySource): []byte(source), string(keyRankStats): rs, string(keyOriginals): orig,
		} {
			if err := idx.SetInternal([]byte(k), v); err != nil {
				return fmt.Errorf("write index metadata: %w", err)
			}
		}
		return ctx.Err()
	}()
	if cerr := idx.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close index: %w", cerr)
	}
	return stats, err
}

// SectionKey is the Bleve document id of a section.
func SectionKey(docID, sectionID string) string { return docID + "#" + sectionID }

func sectionFields(d *content.Document, s *content.Section) map[string]any {
	lang := s.Language(d.Language)
	f := map[string]any{
		FieldDocID:     d.ID,
		FieldSectionID: s.ID,
		FieldTitle:     d.Title,
		FieldPath:      s.Path,
		FieldHeading:   s.Heading,
		FieldNumber:    s.Number,
		FieldOrder:     s.Order,
		FieldOrg:       d.Organizations,
		FieldType:      d.Type,
		FieldTopic:     d.Topics,
		FieldLang:      lang,
		FieldLevel:     d.Level,
		FieldStatus:    d.Status,
		FieldEdition:   d.Edition,

		TextField(FieldTitleText, lang):   d.Title,
		TextField(FieldHeadingText, lang): s.Path,
		TextField(FieldBodyText, lang):    s.Text,
	}
	if d.Format != "" {
		f[FieldFormat] = d.Format
	}
	if d.Year != 0 {
		f[FieldYear] = strconv.Itoa(d.Year)
		f[FieldYearNum] = d.Year
	}
	if s.Page > 0 {
		f[FieldPage] = s.Page
		f[FieldPageEnd] = s.PageEnd
		if len(s.PageBreaks) > 0 {
			f[FieldPageBreaks] = EncodePageBreaks(s.PageBreaks)
		}
	}
	return f
}

// writeCurrent points the data folder at the index directory name, atomically.
func writeCurrent(dataDir, name string) error {
	tmp, err := os.CreateTemp(dataDir, currentFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	_, err = tmp.WriteString(name + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dataDir, currentFile))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("swap index: %w", err)
	}
	if d, err := os.Open(dataDir); err == nil {
		_ = d.Sync() // make the rename durable where the file system allows
		_ = d.Close()
	}
	return nil
}

// removeStale deletes index directories other than the current one: older
// editions, and builds that a crash left half done. Only the holder of the
// data folder's lock may call it: then no other build is running there.
func removeStale(dataDir, current string) {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if n != current && e.IsDir() && strings.HasPrefix(n, indexDirPrefix) {
			_ = os.RemoveAll(filepath.Join(dataDir, n))
		}
		if strings.HasPrefix(n, currentFile+".tmp-") {
			_ = os.Remove(filepath.Join(dataDir, n))
		}
	}
}

// ErrNoIndex means the data folder holds no built index yet.
var ErrNoIndex = errors.New("no index has been built in this data folder")

// EncodePageBreaks writes page breaks as "page:offset" pairs.
func EncodePageBreaks(pb []content.PageBreak) string {
	parts := make([]string, len(pb))
	for i, b := range pb {
		parts[i] = strconv.Itoa(b.Page) + ":" + strconv.Itoa(b.Offset)
	}
	return strings.Join(parts, " ")
}

// DecodePageBreaks reads what EncodePageBreaks wrote; malformed pairs are
// skipped.
func DecodePageBreaks(s string) []content.PageBreak {
	var out []content.PageBreak
	for _, pair := range strings.Fields(s) {
		p, o, ok := strings.Cut(pair, ":")
		page, err1 := strconv.Atoi(p)
		off, err2 := strconv.Atoi(o)
		if ok && err1 == nil && err2 == nil {
			out = append(out, content.PageBreak{Page: page, Offset: off})
		}
	}
	return out
}
