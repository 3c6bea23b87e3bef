//go:build !linux

package publish

import "errors"

// exchange is not offered here: swapIn moves the old folder aside instead.
var exchange = func(a, b string) error {
	return errors.ErrUnsupported
}
