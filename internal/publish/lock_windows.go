//go:build windows

package publish

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// held is a lock file this process holds.
type held struct {
	f    *os.File
	name string
}

// lockRegion is the byte range locked: beyond the process id, which stays readable.
func lockRegion() *windows.Overlapped { return &windows.Overlapped{OffsetHigh: 1} }

// lockFile takes an exclusive LockFileEx lock on the file name, creating it.
func lockFile(name string) (*held, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, lockRegion())
	if err != nil {
		f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
			return nil, &BusyError{PID: readPID(name)}
		}
		return nil, err
	}
	if err := writePID(f); err != nil {
		f.Close()
		return nil, err
	}
	return &held{f: f, name: name}, nil
}

// release lets the lock go and removes the file (which fails, harmlessly, while another
// build has it open: that build then locks it).
func (h *held) release() {
	windows.UnlockFileEx(windows.Handle(h.f.Fd()), 0, 1, 0, lockRegion())
	h.f.Close()
	os.Remove(h.name)
}
