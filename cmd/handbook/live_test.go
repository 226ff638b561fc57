package main

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"handbook/indexer"
	"handbook/search"
	"handbook/search/engine"
)

func newTestLive(t *testing.T) (*live, func() *indexer.Index) {
	t.Helper()
	data := t.TempDir()
	if err := run(context.Background(), []string{"index", "--data", data, "--content", testContent}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	l := &live{make: func(idx *indexer.Index) (*generation, error) {
		svc, err := engine.New(idx, engine.Options{})
		if err != nil {
			return nil, err
		}
		sug, err := engine.NewSuggester(context.Background(), idx, engine.DefaultGlossary())
		if err != nil {
			return nil, err
		}
		return &generation{idx: idx, svc: svc, suggest: sug}, nil
	}}
	open := func() *indexer.Index {
		t.Helper()
		idx, err := indexer.Open(data)
		if err != nil {
			t.Fatal(err)
		}
		return idx
	}
	return l, open
}

// isClosed reports whether a Bleve index was closed: it then refuses to
// count its documents.
func isClosed(idx *indexer.Index) bool {
	_, err := idx.DocCount()
	return err != nil
}

// TestSwapClosesTheOldIndexPromptly: an index swapped out with no search in
// flight is closed at once, not kept open for a grace period.
func TestSwapClosesTheOldIndexPromptly(t *testing.T) {
	l, open := newTestLive(t)
	first := open()
	if err := l.swap(first); err != nil {
		t.Fatal(err)
	}
	if res, err := l.Search(context.Background(), search.Query{Text: "ivory"}); err != nil || res.Total != 1 {
		t.Fatalf("search: %v %+v", err, res)
	}
	second := open()
	if err := l.swap(second); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !isClosed(first) {
		if time.Now().After(deadline) {
			t.Fatal("the swapped-out index is still open 2s after the swap, with no search in flight")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if res, err := l.Search(context.Background(), search.Query{Text: "ivory"}); err != nil || res.Total != 1 {
		t.Errorf("search on the new index: %v %+v", err, res)
	}
	l.close()
	if !isClosed(second) {
		t.Error("close left the served index open")
	}
	if _, err := l.Search(context.Background(), search.Query{Text: "ivory"}); !errors.Is(err, errClosed) {
		t.Errorf("a search after close: %v, want errClosed", err)
	}
}

// TestSwapKeepsTheOldIndexForSearchesInFlight: a call that started on an
// index keeps it open across a swap, and the index closes when that call
// ends; searches running through many swaps never meet a closed index.
func TestSwapKeepsTheOldIndexForSearchesInFlight(t *testing.T) {
	l, open := newTestLive(t)
	first := open()
	if err := l.swap(first); err != nil {
		t.Fatal(err)
	}
	inFlight := l.acquire() // what every call holds while it runs
	if err := l.swap(open()); err != nil {
		t.Fatal(err)
	}
	if isClosed(first) {
		t.Fatal("the swapped-out index was closed under a search in flight")
	}
	if res, err := inFlight.svc.Search(context.Background(), search.Query{Text: "ivory"}); err != nil || res.Total != 1 {
		t.Fatalf("the search in flight after the swap: %v %+v", err, res)
	}
	inFlight.release()
	if !isClosed(first) {
		t.Error("the swapped-out index is still open after its last search ended")
	}

	var (
		wg     sync.WaitGroup
		stop   = make(chan struct{})
		mu     sync.Mutex
		failed []error
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := l.Search(context.Background(), search.Query{Text: "ivory"}); err != nil {
					mu.Lock()
					failed = append(failed, err)
					mu.Unlock()
				}
			}
		}()
	}
	var old []*indexer.Index
	for range 10 {
		idx := open()
		old = append(old, idx)
		if err := l.swap(idx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if len(failed) > 0 {
		t.Errorf("%d searches failed during the swaps, the first: %v", len(failed), failed[0])
	}
	for i, idx := range old[:len(old)-1] {
		if !isClosed(idx) {
			t.Errorf("swapped-out index %d is still open with no search in flight", i)
		}
	}
	l.close()
	if !isClosed(old[len(old)-1]) {
		t.Error("close left the served index open")
	}
}
