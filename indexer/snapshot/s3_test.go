package snapshot_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"handbook/indexer/snapshot"
	"handbook/indexer/snapshot/snapshottest"
)

// TestS3Store runs the publish and pull cases through a real S3 server.
func TestS3Store(t *testing.T) {
	s3 := snapshottest.Start(t)
	st, err := snapshot.Open("s3://"+s3.Bucket+"/handbook/prod", s3.Env)
	if err != nil {
		t.Fatal(err)
	}
	if st.String() != "s3://snapshots/handbook/prod/" {
		t.Errorf("store named %s", st)
	}
	if _, err := st.Get(context.Background(), "LATEST"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get of a missing object: %v, want fs.ErrNotExist", err)
	}
	testStore(t, st)
}

func TestOpenS3(t *testing.T) {
	for _, dest := range []string{"s3://", "s3:///prefix", "s3://user@bucket/x", "s3://bucket/x?y=1"} {
		if _, err := snapshot.Open(dest, nil); err == nil {
			t.Errorf("Open(%q) accepted", dest)
		}
	}
	env := map[string]string{"AWS_ENDPOINT_URL": "ftp://host"}
	if _, err := snapshot.Open("s3://bucket/x", func(k string) string { return env[k] }); err == nil {
		t.Error("an ftp endpoint accepted")
	}
}
