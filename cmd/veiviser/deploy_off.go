//go:build !withdeploy

package main

import (
	"errors"
	"io"
)

// deployBuilt says whether this veiviser deploys (the scripts skip deploy.txtar when not).
const deployBuilt = false

// deployCmd, in a veiviser built without the tag withdeploy (Hugo's deploy package needs it),
// says how to get one that deploys.
func deployCmd(args []string, stdout, stderr io.Writer) error {
	return errors.New("this veiviser was built without deploy: build it with make (go build -tags withdeploy ./cmd/veiviser)")
}
