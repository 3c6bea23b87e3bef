// Package toolversion asks an external program (Chromium, zimwriterfs) what version it is, so
// that what is cached from its output is keyed by the program that made it.
package toolversion

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Of is what exe prints for --version, without the space around it; an error when it cannot
// run, takes more than 30 seconds, or prints nothing.
func Of(exe string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, exe, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", exe, err)
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		return "", fmt.Errorf("%s --version printed nothing", exe)
	}
	return v, nil
}
