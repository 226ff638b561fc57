package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options configure OpenS3. Each empty field takes the standard AWS
// environment variable, read through Getenv.
type S3Options struct {
	// Endpoint is the server: a URL ("http://127.0.0.1:7070",
	// "https://minio.example.org") or a host[:port], reached over HTTPS.
	// Default AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else AWS
	// (s3.amazonaws.com).
	Endpoint string
	// Region defaults to AWS_REGION, else AWS_DEFAULT_REGION; empty lets
	// the client find out.
	Region string
	// AccessKey, SecretKey and SessionToken default to AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; without keys requests
	// are anonymous.
	AccessKey, SecretKey, SessionToken string
	// Getenv reads the environment (default: none is read).
	Getenv func(string) string
	// Transport is the HTTP transport (default the client's own).
	Transport http.RoundTripper
}

// S3 is a store in a bucket of S3-compatible object storage (AWS, MinIO,
// Ceph, versitygw), below a prefix. A single PUT replaces an object
// atomically, so readers see LATEST and manifests whole.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending with "/"
	name   string
}

// OpenS3 returns the store dest names, "s3://bucket/prefix". It does not
// contact the server.
func OpenS3(dest string, opts S3Options) (*S3, error) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return nil, fmt.Errorf("snapshot store %q: not s3://bucket/prefix", dest)
	}
	env := opts.Getenv
	if env == nil {
		env = func(string) string { return "" }
	}
	or := func(v string, keys ...string) string {
		for _, k := range keys {
			if v != "" {
				break
			}
			v = env(k)
		}
		return v
	}
	endpoint := or(opts.Endpoint, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
	if endpoint == "" {
		endpoint = "https://s3.amazonaws.com"
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "https://" + endpoint
	}
	eu, err := url.Parse(endpoint)
	if err != nil || eu.Scheme != "http" && eu.Scheme != "https" || eu.Host == "" || eu.Path != "" && eu.Path != "/" {
		return nil, fmt.Errorf("S3 endpoint %q: not http(s)://host[:port]", endpoint)
	}
	client, err := minio.New(eu.Host, &minio.Options{
		Creds: credentials.NewStaticV4(or(opts.AccessKey, "AWS_ACCESS_KEY_ID"), or(opts.SecretKey, "AWS_SECRET_ACCESS_KEY"),
			or(opts.SessionToken, "AWS_SESSION_TOKEN")),
		Secure:    eu.Scheme == "https",
		Region:    or(opts.Region, "AWS_REGION", "AWS_DEFAULT_REGION"),
		Transport: opts.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot store %s: %w", dest, err)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{client: client, bucket: u.Host, prefix: prefix, name: "s3://" + u.Host + "/" + prefix}, nil
}

func (s *S3) String() string { return s.name }

func (s *S3) key(key string) (string, error) {
	if !fs.ValidPath(key) || key == "." {
		return "", fmt.Errorf("snapshot store: bad key %q", key)
	}
	return s.prefix + key, nil
}

// notFound says whether err is S3's answer for a missing object.
func notFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == minio.NoSuchKey || code == "NotFound"
}

// Get opens the object at key.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	k, err := s.key(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, k, minio.GetObjectOptions{})
	if err == nil {
		// The request is sent here, so a missing object shows now.
		if _, err = obj.Stat(); err != nil {
			_ = obj.Close()
		}
	}
	if err != nil {
		if notFound(err) {
			return nil, fmt.Errorf("%s%s: %w", s.name, key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("get %s%s: %w", s.name, key, err)
	}
	return obj, nil
}

// Put uploads the object at key.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	k, err := s.key(key)
	if err != nil {
		return err
	}
	if _, err := s.client.PutObject(ctx, s.bucket, k, r, size, minio.PutObjectOptions{ContentType: "application/octet-stream"}); err != nil {
		return fmt.Errorf("put %s%s: %w", s.name, key, err)
	}
	return nil
}

// List lists the objects below prefix.
func (s *S3) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, fmt.Errorf("list %s%s: %w", s.name, prefix, obj.Err)
		}
		if k, ok := strings.CutPrefix(obj.Key, s.prefix); ok && !strings.HasSuffix(k, "/") {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// Delete removes the objects at keys.
func (s *S3) Delete(ctx context.Context, keys ...string) error {
	var errs []error
	for _, key := range keys {
		k, err := s.key(key)
		if err == nil {
			err = s.client.RemoveObject(ctx, s.bucket, k, minio.RemoveObjectOptions{})
		}
		if err != nil && !notFound(err) {
			errs = append(errs, fmt.Errorf("delete %s%s: %w", s.name, key, err))
		}
	}
	return errors.Join(errs...)
}
