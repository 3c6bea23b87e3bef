//go:build unix

package publish

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// held is a lock file this process holds.
type held struct {
	f    *os.File
	name string
}

// lockFile takes an exclusive flock on the file name, creating it.
func lockFile(name string) (*held, error) {
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, &BusyError{PID: readPID(name)}
			}
			return nil, err
		}
		// The build before may have removed the file between our open and lock: the lock
		// counts only on the file that is there now.
		fi, ferr := f.Stat()
		ni, nerr := os.Stat(name)
		if ferr != nil || nerr != nil || !os.SameFile(fi, ni) {
			f.Close()
			continue
		}
		if err := writePID(f); err != nil {
			f.Close()
			return nil, err
		}
		return &held{f: f, name: name}, nil
	}
}

// release removes the lock file while still holding it, then lets it go.
func (h *held) release() {
	os.Remove(h.name)
	h.f.Close()
}
