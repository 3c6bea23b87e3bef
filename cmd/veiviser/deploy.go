//go:build withdeploy

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/spf13/afero"
	"github.com/veiviser/veiviser/internal/deploy"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/publish"
	"github.com/veiviser/veiviser/internal/tree"
)

// deployBuilt says whether this veiviser deploys (the scripts skip deploy.txtar when not).
const deployBuilt = true

func deployCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	target := fs.String("target", "", "the deployment target's `name` in hugo.toml (default: the first)")
	dryRun := fs.Bool("dry-run", false, "print what would be uploaded, updated and deleted; change nothing")
	confirm := fs.Bool("confirm", false, "ask before changing anything")
	force := fs.Bool("force", false, "upload every file, changed or not (after the headers changed)")
	noBuild := fs.Bool("no-build", false, "deploy public/ as the last build wrote it, without building (refused if anything in it changed since)")
	var maxDeletes optionalInt
	fs.Var(&maxDeletes, "max-deletes", "stop, changing nothing, when more than `N` files would be deleted (-1: no limit; default: maxDeletes in hugo.toml, else 256)")
	today := todayFlag(fs)
	if err := parse(fs, args, stdout, "Build the site, as veiviser build does (or, with -no-build, take public/ as the last build\n"+
		"wrote it), then publish it to a deployment target of hugo.toml's [deployment] (S3, Google\n"+
		"Cloud Storage, Azure Blob Storage or a folder): only the files that changed are uploaded,\n"+
		"each with the headers of _headers. Credentials come from the environment, as each cloud's\n"+
		"own tools read them."); err != nil {
		return err
	}
	now, err := today()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := deploy.Target(*dir, *target); err != nil {
		return err
	}
	var site tree.Tree
	if *noBuild {
		// public/ as the last build wrote it: every file as its manifest lists, read under the
		// build lock, so that no build replaces it meanwhile.
		public := filepath.Join(*dir, "public")
		lock, err := publish.Acquire(public, filepath.Join(*dir, "dist"))
		if err != nil {
			return err
		}
		site, err = tree.FromFs(afero.NewBasePathFs(afero.NewOsFs(), public))
		lock.Release()
		if err != nil {
			return err
		}
		if err := tree.CheckManifest(site, public); err != nil {
			return err
		}
	} else {
		// The site deployed is the one this build checked and wrote, from memory.
		res, err := pipeline.Run(pipeline.Options{Dir: *dir, Log: stdout, Now: now})
		if err != nil {
			return err
		}
		site = res.Web
	}
	opts := deploy.Options{Dir: *dir, Site: site, Target: *target, DryRun: *dryRun, Confirm: *confirm,
		Force: *force, In: os.Stdin, Out: stdout}
	opts.MaxDeletes = maxDeletes.n
	_, err = deploy.Run(ctx, opts)
	return err
}

// optionalInt is an int flag that may be left unset (n is nil).
type optionalInt struct{ n *int }

func (o *optionalInt) String() string {
	if o.n == nil {
		return ""
	}
	return strconv.Itoa(*o.n)
}

func (o *optionalInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 {
		return fmt.Errorf("want a number of files, or -1 for no limit")
	}
	o.n = &n
	return nil
}
