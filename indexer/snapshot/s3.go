package snapshot

import "errors"

// S3Options configure OpenS3.
type S3Options struct{}

// OpenS3 is not available yet.
func OpenS3(dest string, opts S3Options) (Store, error) {
	return nil, errors.New("s3 snapshot stores are not supported yet")
}
