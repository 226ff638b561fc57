package content

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// Original is what a build records of the file a document was read from:
// the server serves the file only while it still has this size and hash,
// so a file rewritten since indexing (say a public document replaced by
// restricted text) is never served under the level it was indexed with.
type Original struct {
	Source string `json:"source"` // path relative to the content folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // hex
	// MTime is the file's modification time (Unix ns) when it was hashed.
	MTime int64 `json:"mtime_ns"`
}

// HashFile reads r to its end and returns its SHA-256 in hex and its length.
func HashFile(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
