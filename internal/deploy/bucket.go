//go:build withdeploy

package deploy

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/veiviser/veiviser/internal/serverconf"
	"gocloud.dev/blob"
	"gocloud.dev/blob/driver"
	"gocloud.dev/gcerrors"
)

// Hugo's deployer opens its target by URL and writes each file with only Content-Type,
// Cache-Control, Content-Encoding and its own checksum. To give each file the headers of
// _headers too, the deploy hands Hugo the target's URL under a scheme of its own ("s3://b"
// becomes "veiviser+s3://b"), whose opener opens the real bucket and wraps it in
// headerBucket: a bucket that adds the headers to every write and passes the rest through.
const schemePrefix = "veiviser+"

// schemes are the stores a target may name: Hugo's deploy package registers the first three,
// gocloud.dev the last two (file:// writes a folder; mem:// is for tests).
var schemes = []string{"s3", "gs", "azblob", "file", "mem"}

var (
	register sync.Once
	// headersMu is held through a deploy: the rules below are the deploying site's.
	headersMu sync.Mutex
	rules     []serverconf.Rule
)

type headerOpener struct{}

// OpenBucketURL opens the bucket u names without the scheme prefix, wrapped.
func (headerOpener) OpenBucketURL(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	inner := *u
	inner.Scheme = strings.TrimPrefix(u.Scheme, schemePrefix)
	b, err := blob.OpenBucket(ctx, inner.String())
	if err != nil {
		return nil, err
	}
	return blob.NewBucket(&headerBucket{b: b, rules: rules}), nil
}

// wrapped is url under the wrapping scheme, registered once for each of schemes.
func wrapped(u string) string {
	register.Do(func() {
		for _, s := range schemes {
			blob.DefaultURLMux().RegisterBucket(schemePrefix+s, headerOpener{})
		}
	})
	return schemePrefix + u
}

// Headers is what a file at key (as Hugo names it: "nb/index.html", or "nb/" when the target
// strips index.html) is written with: Content-Disposition where a rule gives one (object
// stores send it), and every other header of the rules but Content-Type and Cache-Control
// (Hugo's matchers set those) as metadata, named in lower case.
func Headers(rules []serverconf.Rule, key string) (disposition string, metadata map[string]string) {
	metadata = map[string]string{}
	for _, h := range serverconf.For(rules, "/"+key) {
		switch name := strings.ToLower(h.Name); name {
		case "content-type", "cache-control":
		case "content-disposition":
			disposition = h.Value
		default:
			metadata[name] = h.Value
		}
	}
	return disposition, metadata
}

// headerBucket is a driver.Bucket over an opened bucket that writes each file with Headers.
type headerBucket struct {
	b     *blob.Bucket
	rules []serverconf.Rule
}

func (h *headerBucket) NewTypedWriter(ctx context.Context, key, contentType string, opts *driver.WriterOptions) (driver.Writer, error) {
	disposition, metadata := Headers(h.rules, key)
	for k, v := range opts.Metadata { // Hugo's checksum
		metadata[k] = v
	}
	if opts.ContentDisposition != "" {
		disposition = opts.ContentDisposition
	}
	return h.b.NewWriter(ctx, key, &blob.WriterOptions{
		BufferSize:                  opts.BufferSize,
		MaxConcurrency:              opts.MaxConcurrency,
		CacheControl:                opts.CacheControl,
		ContentDisposition:          disposition,
		ContentEncoding:             opts.ContentEncoding,
		ContentLanguage:             opts.ContentLanguage,
		ContentType:                 contentType,
		ContentMD5:                  opts.ContentMD5,
		Metadata:                    metadata,
		DisableContentTypeDetection: opts.DisableContentTypeDetection,
		BeforeWrite:                 opts.BeforeWrite,
		IfNotExist:                  opts.IfNotExist,
	})
}

func (h *headerBucket) Attributes(ctx context.Context, key string) (*driver.Attributes, error) {
	a, err := h.b.Attributes(ctx, key)
	if err != nil {
		return nil, err
	}
	return &driver.Attributes{CacheControl: a.CacheControl, ContentDisposition: a.ContentDisposition,
		ContentEncoding: a.ContentEncoding, ContentLanguage: a.ContentLanguage, ContentType: a.ContentType,
		Metadata: a.Metadata, CreateTime: a.CreateTime, ModTime: a.ModTime, Size: a.Size, MD5: a.MD5, ETag: a.ETag,
		AsFunc: a.As}, nil
}

func (h *headerBucket) ListPaged(ctx context.Context, opts *driver.ListOptions) (*driver.ListPage, error) {
	token := opts.PageToken
	if token == nil {
		token = blob.FirstPageToken
	}
	size := opts.PageSize
	if size <= 0 {
		size = 1000 // the drivers' own default
	}
	objs, next, err := h.b.ListPage(ctx, token, size, &blob.ListOptions{Prefix: opts.Prefix, Delimiter: opts.Delimiter, BeforeList: opts.BeforeList})
	if err != nil {
		return nil, err
	}
	page := &driver.ListPage{NextPageToken: next}
	for _, o := range objs {
		page.Objects = append(page.Objects, &driver.ListObject{Key: o.Key, ModTime: o.ModTime, Size: o.Size, MD5: o.MD5, IsDir: o.IsDir, AsFunc: o.As})
	}
	return page, nil
}

func (h *headerBucket) NewRangeReader(ctx context.Context, key string, offset, length int64, opts *driver.ReaderOptions) (driver.Reader, error) {
	r, err := h.b.NewRangeReader(ctx, key, offset, length, &blob.ReaderOptions{BeforeRead: opts.BeforeRead})
	if err != nil {
		return nil, err
	}
	return reader{r}, nil
}

type reader struct{ *blob.Reader }

func (r reader) Attributes() *driver.ReaderAttributes {
	return &driver.ReaderAttributes{ContentType: r.ContentType(), ModTime: r.ModTime(), Size: r.Size()}
}

func (h *headerBucket) Copy(ctx context.Context, dst, src string, opts *driver.CopyOptions) error {
	return h.b.Copy(ctx, dst, src, &blob.CopyOptions{BeforeCopy: opts.BeforeCopy})
}

func (h *headerBucket) Delete(ctx context.Context, key string) error { return h.b.Delete(ctx, key) }

func (h *headerBucket) SignedURL(ctx context.Context, key string, opts *driver.SignedURLOptions) (string, error) {
	return "", fmt.Errorf("deploy: signed URLs are not used")
}

func (h *headerBucket) ErrorCode(err error) gcerrors.ErrorCode { return gcerrors.Code(err) }
func (h *headerBucket) As(i any) bool                          { return h.b.As(i) }
func (h *headerBucket) ErrorAs(err error, i any) bool          { return h.b.ErrorAs(err, i) }
func (h *headerBucket) Close() error                           { return h.b.Close() }
