package render

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/afero"
	"github.com/veiviser/veiviser/internal/tree"
)

// capture is the folder Hugo publishes into. It passes every call on to the folder and keeps a
// copy of each file written whole, so the steps after rendering need not read the site back.
// A file written any other way (appended to, written at an offset) is read back from the
// folder at the end, and after a rename the whole folder is.
type capture struct {
	afero.Fs
	mu      sync.Mutex
	files   map[string][]byte // by clean slash path, no leading slash
	readmit map[string]bool   // files to read from the folder instead
	rescan  bool              // read the whole folder instead
}

func newCapture(fs afero.Fs) *capture {
	return &capture{Fs: fs, files: map[string][]byte{}, readmit: map[string]bool{}}
}

func key(name string) string {
	return strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(name)), "/")
}

func (c *capture) Create(name string) (afero.File, error) {
	f, err := c.Fs.Create(name)
	if err != nil {
		return nil, err
	}
	return &capturedFile{File: f, c: c, key: key(name)}, nil
}

func (c *capture) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := c.Fs.OpenFile(name, flag, perm)
	if err != nil || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	if flag&os.O_TRUNC == 0 || flag&os.O_APPEND != 0 {
		c.mark(key(name))
		return f, nil
	}
	return &capturedFile{File: f, c: c, key: key(name)}, nil
}

func (c *capture) Remove(name string) error {
	c.forget(key(name))
	return c.Fs.Remove(name)
}

func (c *capture) RemoveAll(name string) error {
	c.forget(key(name))
	return c.Fs.RemoveAll(name)
}

// forget drops the copies of file or folder k and of everything below it.
func (c *capture) forget(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	below := func(p string) bool { return k == "" || p == k || strings.HasPrefix(p, k+"/") }
	for p := range c.files {
		if below(p) {
			delete(c.files, p)
		}
	}
	for p := range c.readmit {
		if below(p) {
			delete(c.readmit, p)
		}
	}
}

func (c *capture) Rename(from, to string) error {
	c.mu.Lock()
	c.rescan = true
	c.mu.Unlock()
	return c.Fs.Rename(from, to)
}

// mark says the copy of file k cannot be trusted: it is read from the folder at the end.
func (c *capture) mark(k string) {
	c.mu.Lock()
	c.readmit[k] = true
	c.mu.Unlock()
}

func (c *capture) keep(k string, b []byte) {
	c.mu.Lock()
	c.files[k] = b
	delete(c.readmit, k)
	c.mu.Unlock()
}

// Tree returns the files written, reading back those that could not be kept.
func (c *capture) Tree() (tree.Tree, error) {
	if c.rescan {
		return tree.FromFs(c.Fs)
	}
	t := tree.Tree(c.files)
	for k := range c.readmit {
		b, err := afero.ReadFile(c.Fs, "/"+k)
		switch {
		case err == nil:
			t[k] = b
		case os.IsNotExist(err):
			delete(t, k)
		default:
			return nil, err
		}
	}
	return t, nil
}

// capturedFile is a file opened for writing from its start: what is written to it is kept.
type capturedFile struct {
	afero.File
	c       *capture
	key     string
	buf     bytes.Buffer
	unknown bool // written at an offset or after a seek: read back at the end
}

func (f *capturedFile) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	f.buf.Write(p[:n])
	return n, err
}

func (f *capturedFile) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

func (f *capturedFile) WriteAt(p []byte, off int64) (int, error) {
	f.unknown = true
	return f.File.WriteAt(p, off)
}

func (f *capturedFile) Seek(offset int64, whence int) (int64, error) {
	f.unknown = true
	return f.File.Seek(offset, whence)
}

func (f *capturedFile) Truncate(size int64) error {
	f.unknown = true
	return f.File.Truncate(size)
}

func (f *capturedFile) Close() error {
	err := f.File.Close()
	if f.unknown || err != nil {
		f.c.mark(f.key)
	} else {
		f.c.keep(f.key, f.buf.Bytes())
	}
	return err
}
