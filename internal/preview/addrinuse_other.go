//go:build !windows

package preview

import (
	"errors"
	"syscall"
)

// addrInUse reports whether err says the address to listen on is taken.
func addrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
