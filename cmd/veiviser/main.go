// Command veiviser builds the Veiviser knowledge base: a minified web site in public/ and an
// offline zip in dist/ that works from a USB stick over file://.
//
// Usage:
//
//	veiviser build [-dir DIR] [-base-url URL] [-today YYYY-MM-DD] [-quiet]
//	veiviser serve [-dir DIR] [-bind ADDR] [-port N]
//	veiviser check [-dir DIR] [-base-url URL] [-today YYYY-MM-DD] [-format text|json] [-v] [-drift] [-online [-timeout D]]
//	veiviser verify ZIP|DIR
//	veiviser host [-dir DIR] [-addr HOST:PORT] [-pdf FILE] [-count] [ZIP]
//	veiviser new [-dir DIR] [-en NAME] [-today YYYY-MM-DD] SECTION/NAME
//	veiviser deploy [-dir DIR] [-target NAME] [-dry-run] [-confirm] [-force] [-max-deletes N] [-today YYYY-MM-DD]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/veiviser/veiviser/internal/linkcheck"
	"github.com/veiviser/veiviser/internal/pipeline"
	"github.com/veiviser/veiviser/internal/preview"
	"github.com/veiviser/veiviser/internal/verify"
)

const usage = `veiviser turns the Markdown in content/ into a web site and an offline zip.

Usage:
  veiviser build   build public/ and dist/veiviser-offline-<version>.zip
  veiviser serve   preview the site on http://127.0.0.1:1313/, reloading on every change
                   (built in memory: public/ and dist/ are not touched)
  veiviser check   check every page before publishing: sources, dates, contacts, links,
                   translations, sheets, readability; lists external links
  veiviser verify  check that an offline zip is whole: veiviser verify <zip>; or every
                   edition in dist/ against its SHA256SUMS: veiviser verify dist
  veiviser host    share the offline zip on this machine's network (a shelter's Wi-Fi):
                   veiviser host -addr 0.0.0.0:8080 [zip]
  veiviser new     a new page and its English translation, as drafts: veiviser new er-dette-meg/ny-side
  veiviser deploy  build, then publish the site to a target of hugo.toml's [deployment] (S3,
                   Google Cloud Storage, Azure Blob Storage): only what changed is uploaded

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
	case "check":
		err = checkCmd(args, stdout, stderr)
	case "verify":
		err = verifyCmd(args, stdout, stderr)
	case "host":
		err = hostCmd(args, stdout, stderr)
	case "new":
		err = newCmd(args, stdout, stderr)
	case "deploy":
		err = deployCmd(args, stdout, stderr)
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
	case errors.Is(err, errFound):
		return 1 // the report says what is wrong
	case errors.Is(err, errDeadLinks):
		return 3 // check -online: no error, but dead external links (the report names them)
	case err != nil:
		// One line per error (a build the rules stop has one for each), each after the
		// command's name: no blank or indented lines.
		for _, line := range strings.Split(err.Error(), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				fmt.Fprintf(stderr, "veiviser %s: %s\n", cmd, line)
			}
		}
		return 1
	}
	return 0
}

type usageError struct{ error }

// errFound is returned by a command whose report, already printed, found errors.
var errFound = errors.New("errors found")

// parse parses a command's flags; -h prints the help to stdout, a bad flag is a usageError.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer, summary string) error {
	return parseArgs(fs, args, stdout, summary, "", 0)
}

// parseArgs is parse for a command that takes n arguments, named in usage ("ZIP").
func parseArgs(fs *flag.FlagSet, args []string, stdout io.Writer, summary, usage string, n int) error {
	return parseArgsRange(fs, args, stdout, summary, usage, n, n)
}

// parseArgsRange is parse for a command that takes from min to max arguments.
func parseArgsRange(fs *flag.FlagSet, args []string, stdout io.Writer, summary, usage string, atLeast, atMost int) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		flags := 0
		fs.VisitAll(func(*flag.Flag) { flags++ })
		if flags == 0 {
			fmt.Fprintf(stdout, "%s\n\nUsage: veiviser %s%s\n", summary, fs.Name(), usage)
			return err
		}
		fmt.Fprintf(stdout, "%s\n\nUsage: veiviser %s [options]%s\n\nOptions:\n", summary, fs.Name(), usage)
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return usageError{err}
	}
	if fs.NArg() > atMost {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(atMost))}
	}
	if fs.NArg() < atLeast {
		return usageError{fmt.Errorf("missing argument:%s", usage)}
	}
	return nil
}

func build(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	baseURL := fs.String("base-url", "", "the web site's address, overriding baseURL in hugo.toml")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	today := todayFlag(fs)
	if err := parse(fs, args, stdout, "Build the web site into public/ and the offline zip into dist/. The build runs every\n"+
		"rule of veiviser check and writes nothing if any finds an error."); err != nil {
		return err
	}
	now, err := today()
	if err != nil {
		return err
	}
	opts := pipeline.Options{Dir: *dir, BaseURL: *baseURL, Log: stdout, Now: now}
	if *quiet {
		opts.Log = nil
	}
	_, err = pipeline.Run(opts)
	return err
}

// todayFlag adds -today to a command: the day dates are judged on (default today).
func todayFlag(fs *flag.FlagSet) func() (time.Time, error) {
	day := fs.String("today", "", "judge the dates (checked, compared, confirmed) as on this `day` (YYYY-MM-DD) instead of today")
	return func() (time.Time, error) {
		if *day == "" {
			return time.Now(), nil
		}
		t, err := time.ParseInLocation(time.DateOnly, *day, time.Local)
		if err != nil {
			return time.Time{}, usageError{fmt.Errorf("-today %q: want a date, YYYY-MM-DD", *day)}
		}
		return t.Add(12 * time.Hour), nil
	}
}

func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on")
	port := fs.Int("port", 1313, "the `port` to listen on")
	if err := parse(fs, args, stdout, "Preview the site locally, built in memory: public/ and dist/ are not touched. Pages reload\n"+
		"when a file changes; an error is shown in the browser and here until it is fixed, and the\n"+
		"rules of veiviser check run after every build."); err != nil {
		return err
	}
	// Ctrl+C stops the preview; a second one stops it at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	return preview.Run(ctx, preview.Options{Dir: *dir, Addr: net.JoinHostPort(*bind, strconv.Itoa(*port)), Log: stdout})
}

func checkCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	dir := fs.String("dir", ".", "the project `folder` (with hugo.toml)")
	format := fs.String("format", "text", "the report's `format`: text, or json for tools")
	verbose := fs.Bool("v", false, "list the LIX of every page, not only of the pages for people who may be victims")
	baseURL := fs.String("base-url", "", "the web site's address, overriding baseURL in hugo.toml (as for build)")
	drift := fs.Bool("drift", false, "list every translated page behind its source or recording no sourceVersion, then every i18n key behind its bokmål words or recording no hash")
	online := fs.Bool("online", false, "also fetch every external link and contact web address: dead links and redirects are warnings")
	timeout := fs.Duration("timeout", linkcheck.DefaultTimeout, "with -online, how long to wait for each `request`")
	today := todayFlag(fs)
	if err := parse(fs, args, stdout, "Check every page of every language before publishing: sources and checked dates,\n"+
		"contacts, internal links and anchors (web and offline), translations, sheets and\n"+
		"readability (LIX), and more: the rules the build enforces. External links are listed,\n"+
		"not fetched, but with -online. Exit 1 on any error; with -online, exit 3 when there is\n"+
		"none but a dead external link."); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Errorf("-format %q: want text or json", *format)}
	}
	now, err := today()
	if err != nil {
		return err
	}
	rep, err := pipeline.CheckWith(pipeline.CheckOptions{Dir: *dir, BaseURL: *baseURL, Now: now})
	if err != nil {
		return err
	}
	dead := 0
	if *online {
		dead = checkOnline(context.Background(), rep, onlineOptions(*timeout))
	}
	if *format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout, *verbose)
	}
	if err == nil && *drift {
		fmt.Fprintln(stdout)
		err = rep.WriteDrift(stdout)
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return errFound
	}
	if dead > 0 {
		return errDeadLinks
	}
	return nil
}

func verifyCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	if err := parseArgs(fs, args, stdout, "Check an offline zip: one folder holding index.html, LES-MEG.txt and SHA256SUMS,\n"+
		"and every file in it as SHA256SUMS lists it. Names each file missing, changed or extra.\n"+
		"Given a folder of editions (dist/) or its SHA256SUMS, check every edition it lists: each\n"+
		"file there with its checksum, and each zip whole inside too.", " ZIP|DIR", 1); err != nil {
		return err
	}
	name := fs.Arg(0)
	if fi, err := os.Stat(name); err == nil && (fi.IsDir() || filepath.Base(name) == "SHA256SUMS") {
		return verifyEditions(name, fi.IsDir(), stdout)
	}
	rep, err := verify.File(name)
	if err != nil {
		return err
	}
	if !rep.OK() {
		for _, p := range rep.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", name, p)
		}
		fmt.Fprintf(stdout, "%s: NOT OK: %d problem(s)\n", name, len(rep.Problems))
		return errFound
	}
	fmt.Fprintf(stdout, "%s: OK: %d files in %s/ match SHA256SUMS\n", name, rep.Files, rep.Folder)
	return nil
}

// verifyEditions checks the editions of a folder (dist/), or of the folder of a SHA256SUMS.
func verifyEditions(name string, isDir bool, stdout io.Writer) error {
	dir := name
	if !isDir {
		dir = filepath.Dir(name)
	}
	eds, err := verify.Editions(dir)
	if err != nil {
		return err
	}
	problems := 0
	for _, e := range eds {
		for _, p := range e.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", filepath.Join(dir, e.Name), p)
			problems++
		}
	}
	if problems > 0 {
		fmt.Fprintf(stdout, "%s: NOT OK: %d problem(s)\n", dir, problems)
		return errFound
	}
	fmt.Fprintf(stdout, "%s: OK: %d editions match SHA256SUMS\n", dir, len(eds))
	return nil
}
