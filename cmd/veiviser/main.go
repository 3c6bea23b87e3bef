// Command veiviser builds the Veiviser knowledge base: a minified web site in public/ and an
// offline zip in dist/ that works from a USB stick over file://.
//
// Usage:
//
//	veiviser build [-dir DIR] [-base-url URL] [-quiet]
//	veiviser serve [-dir DIR] [-bind ADDR] [-port N]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/gohugoio/hugo/commands"
	"github.com/veiviser/veiviser/internal/pipeline"
)

const usage = `veiviser turns the Markdown in content/ into a web site and an offline zip.

Usage:
  veiviser build   build public/ and dist/veiviser-offline-<version>.zip
  veiviser serve   preview the site on http://127.0.0.1:1313/, reloading on every change

Run "veiviser <command> -h" for a command's options.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	var err error
	switch cmd {
	case "build":
		err = build(args, stdout, stderr)
	case "serve":
		err = serve(args, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "veiviser: unknown command %q (see veiviser -h)\n", cmd)
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "veiviser %s: %v (see veiviser %s -h)\n", cmd, err, cmd)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "veiviser %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

type usageError struct{ error }

// parse parses a command's flags; -h prints the help to stdout, a bad flag is a usageError.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer, summary string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "%s\n\nUsage: veiviser %s [options]\n\nOptions:\n", summary, fs.Name())
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func build(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	baseURL := fs.String("base-url", "", "the web site's address, overriding baseURL in hugo.toml")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	if err := parse(fs, args, stdout, "Build the web site into public/ and the offline zip into dist/."); err != nil {
		return err
	}
	opts := pipeline.Options{Dir: *dir, BaseURL: *baseURL, Log: stdout}
	if *quiet {
		opts.Log = nil
	}
	_, err := pipeline.Run(opts)
	return err
}

func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on")
	port := fs.Int("port", 1313, "the `port` to listen on")
	if err := parse(fs, args, stdout, "Preview the site locally; pages reload when a file changes."); err != nil {
		return err
	}
	return commands.Execute([]string{"server", "--source", *dir, "--bind", *bind, "--port", strconv.Itoa(*port)})
}
