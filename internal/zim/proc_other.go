//go:build !unix

package zim

import "os/exec"

// ownGroup does nothing here: there is no faketime to run zimwriterfs as a child.
func ownGroup(*exec.Cmd) {}
