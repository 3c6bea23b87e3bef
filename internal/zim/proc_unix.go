//go:build unix

package zim

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a process group of its own and, when its context ends, stops the
// whole group: faketime runs zimwriterfs as its child, which killing faketime alone would leave.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
