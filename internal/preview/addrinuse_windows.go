package preview

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// addrInUse reports whether err says the address to listen on is taken.
func addrInUse(err error) bool {
	return errors.Is(err, windows.WSAEADDRINUSE) || errors.Is(err, syscall.EADDRINUSE)
}
