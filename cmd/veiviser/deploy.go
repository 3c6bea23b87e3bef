//go:build withdeploy

package main

import (
	"context"
	"flag"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/veiviser/veiviser/internal/deploy"
	"github.com/veiviser/veiviser/internal/pipeline"
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
	maxDeletes := fs.Int("max-deletes", -2, "stop, changing nothing, when more than `N` files would be deleted (-1: no limit; default: maxDeletes in hugo.toml, else 256)")
	today := todayFlag(fs)
	if err := parse(fs, args, stdout, "Build the site, as veiviser build does, then publish public/ to a deployment target of\n"+
		"hugo.toml's [deployment] (S3, Google Cloud Storage, Azure Blob Storage or a folder): only\n"+
		"the files that changed are uploaded, each with the headers of _headers. Credentials come\n"+
		"from the environment, as each cloud's own tools read them."); err != nil {
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
	// The site deployed is the one this build checked and wrote, from memory.
	res, err := pipeline.Run(pipeline.Options{Dir: *dir, Log: stdout, Now: now})
	if err != nil {
		return err
	}
	opts := deploy.Options{Dir: *dir, Site: res.Web, Target: *target, DryRun: *dryRun, Confirm: *confirm,
		Force: *force, In: os.Stdin, Out: stdout}
	if *maxDeletes != -2 {
		opts.MaxDeletes = maxDeletes
	}
	_, err = deploy.Run(ctx, opts)
	return err
}
