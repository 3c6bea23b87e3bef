//go:build withdeploy

package deploy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/gobwas/glob"
	"github.com/gohugoio/hugo/config"
	hugodeploy "github.com/gohugoio/hugo/deploy"
	"github.com/gohugoio/hugo/deploy/deployconfig"
	"github.com/spf13/afero"
	"github.com/veiviser/veiviser/internal/render"
	"github.com/veiviser/veiviser/internal/serverconf"
	"github.com/veiviser/veiviser/internal/tree"
	"gocloud.dev/blob"
)

// Options says what to deploy where.
type Options struct {
	Dir        string    // the project, whose hugo.toml has the [deployment]
	Site       tree.Tree // the web site as the build made it, with its _headers
	Target     string    // the target's name; "" for the first in hugo.toml
	DryRun     bool      // print the plan, change nothing
	Confirm    bool      // ask before changing anything (on In)
	Force      bool      // upload every file, changed or not
	MaxDeletes *int      // stop when more files would be deleted; nil for hugo.toml's (256 by default), -1 for no limit
	In         io.Reader // the answer to Confirm
	Out        io.Writer // the plan and the totals
}

// Plan is what a deploy changes at its target.
type Plan struct {
	Target    string
	Uploads   []string // files the target does not have
	Updates   []string // files it has with other bytes (or all, with Force)
	Deletes   []string // files it has and the site does not
	Unchanged int
	Bytes     int64 // what the uploads and updates send
}

// Changes is the number of files the plan writes or deletes.
func (p *Plan) Changes() int { return len(p.Uploads) + len(p.Updates) + len(p.Deletes) }

// ErrNotConfirmed is returned when the answer to -confirm was not yes.
var ErrNotConfirmed = errors.New("not confirmed: nothing was changed")

// Target checks, before a build, that hugo.toml's [deployment] has the target named name (""
// for the first) and that it names a store deploy knows.
func Target(dir, name string) error {
	cfg, err := render.Config(dir)
	if err != nil {
		return err
	}
	_, err = pick(cfg.GetConfigSection(deployconfig.DeploymentConfigKey).(deployconfig.DeployConfig), name)
	return err
}

// Run deploys opts.Site to its target: it makes the plan and prints it; stops with nothing
// changed when more files would be deleted than allowed, on a dry run, or when Confirm is not
// answered yes; lets Hugo's deployer carry it out; and checks that a new plan then finds
// nothing left to change.
func Run(ctx context.Context, opts Options) (*Plan, error) {
	cfg, err := render.Config(opts.Dir)
	if err != nil {
		return nil, err
	}
	dc := cfg.GetConfigSection(deployconfig.DeploymentConfigKey).(deployconfig.DeployConfig)
	target, err := pick(dc, opts.Target)
	if err != nil {
		return nil, err
	}
	maxDeletes := dc.MaxDeletes
	if opts.MaxDeletes != nil {
		maxDeletes = *opts.MaxDeletes
	}
	headers, ok := opts.Site["_headers"]
	if !ok {
		return nil, errors.New("the built site has no _headers: it gives every file its headers")
	}
	rs, err := serverconf.Parse(headers)
	if err != nil {
		return nil, err
	}
	matchers := append(slices.Clone(dc.Matchers), Matchers(rs)...) // hugo.toml's first: Hugo takes the first match
	local, err := localFiles(opts.Site, target, matchers)
	if err != nil {
		return nil, err
	}

	bucket, err := blob.OpenBucket(ctx, target.URL)
	if err != nil {
		return nil, fmt.Errorf("hugo.toml: deployment target %q: %v", target.Name, err)
	}
	defer bucket.Close()
	plan, err := makePlan(ctx, bucket, target, local, opts.Force)
	if err != nil {
		return nil, fmt.Errorf("deployment target %q: %v", target.Name, err)
	}
	printPlan(opts.Out, plan, opts.DryRun)

	switch {
	case maxDeletes >= 0 && len(plan.Deletes) > maxDeletes:
		return plan, fmt.Errorf("deployment target %q: %d files would be deleted, more than -max-deletes allows (%d): nothing was changed; if the site really lost them, run again with -max-deletes %d",
			target.Name, len(plan.Deletes), maxDeletes, len(plan.Deletes))
	case opts.DryRun:
		fmt.Fprintln(opts.Out, "Dry run: nothing was changed.")
		return plan, nil
	case plan.Changes() == 0:
		fmt.Fprintln(opts.Out, "Nothing to change: the target has the site as built.")
		return plan, nil
	case opts.Confirm:
		fmt.Fprint(opts.Out, "Go ahead? [y/N] ")
		answer, _ := bufio.NewReader(opts.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return plan, ErrNotConfirmed
		}
	}

	// Hugo's deployer, told the same: the target under the wrapping scheme (bucket.go), the
	// matchers, no prompt and no dry run (both done above).
	headersMu.Lock()
	defer headersMu.Unlock()
	rules = rs
	t := *target
	t.URL = wrapped(target.URL)
	dc.Targets, dc.Target = []*deployconfig.Target{&t}, t.Name
	dc.Matchers, dc.Confirm, dc.DryRun, dc.Force, dc.MaxDeletes = matchers, false, false, opts.Force, maxDeletes
	dc.InvalidateCDN = dc.InvalidateCDN && (t.CloudFrontDistributionID != "" || t.GoogleCloudCDNOrigin != "")
	if len(dc.Ordering) == 0 {
		dc.Ordering = []*regexp.Regexp{beforePages} // unless hugo.toml says another [deployment] order
	}
	fs, err := memFs(local)
	if err != nil {
		return plan, err
	}
	d, err := hugodeploy.New(withDeployment{cfg, dc}, nil, fs)
	if err != nil {
		return plan, err
	}
	if err := d.Deploy(ctx); err != nil {
		return plan, fmt.Errorf("deployment target %q: %v", target.Name, err)
	}

	after, err := makePlan(ctx, bucket, target, local, false)
	if err != nil {
		return plan, fmt.Errorf("deployment target %q: after the deploy: %v", target.Name, err)
	}
	if n := after.Changes(); n > 0 {
		return plan, fmt.Errorf("deployment target %q: after the deploy %d files still differ from the site (first: %s)", target.Name, n, first(after))
	}
	fmt.Fprintf(opts.Out, "Done: %s has the site (%d files).\n", target.Name, len(local))
	return plan, nil
}

// beforePages are the files uploaded before the pages (Hugo's deployer uploads the files an
// order names first, then the rest): a page uploaded first could name a script, PDF or
// edition the target does not have yet, for the moment until it does.
var beforePages = regexp.MustCompile(`^js/|(?:^|/)SHA256SUMS$|\.(?:js|css|json|xml|txt|svg|png|jpg|webp|ico|pdf|zip|zim)$`)

// pick is the target named name, or the first; an error names hugo.toml.
func pick(dc deployconfig.DeployConfig, name string) (*deployconfig.Target, error) {
	if len(dc.Targets) == 0 {
		return nil, errors.New(`hugo.toml: no deployment target: add one under [[deployment.targets]], with a name and a url such as "s3://bucket?region=eu-north-1" (see README)`)
	}
	t := dc.Targets[0]
	if name != "" {
		var names []string
		t = nil
		for _, c := range dc.Targets {
			names = append(names, c.Name)
			if c.Name == name {
				t = c
			}
		}
		if t == nil {
			return nil, fmt.Errorf("hugo.toml: no deployment target %q (the targets are: %s)", name, strings.Join(names, ", "))
		}
	}
	u, err := url.Parse(t.URL)
	if err != nil || !slices.Contains(schemes, u.Scheme) {
		return nil, fmt.Errorf("hugo.toml: deployment target %q: url %q: want s3://, gs://, azblob:// or file://", t.Name, t.URL)
	}
	return t, nil
}

// withDeployment is the configuration with the deployment section the deploy was told.
type withDeployment struct {
	config.AllProvider
	dc deployconfig.DeployConfig
}

func (w withDeployment) GetConfigSection(s string) any {
	if s == deployconfig.DeploymentConfigKey {
		return w.dc
	}
	return w.AllProvider.GetConfigSection(s)
}

// BuildExpired is what Hugo's deployer reads as "quiet": Run prints the plan and the totals.
func (withDeployment) BuildExpired() bool { return true }

// file is a file of the site as the target will have it.
type file struct {
	path string // in the site: "nb/index.html"
	raw  []byte // its bytes in the site
	body []byte // what is uploaded (gzipped when the matcher says so)
	md5  []byte
}

// localFiles are the files of the site the target takes, by the key they get there, as
// Hugo's deployer names and encodes them: without _headers (the object store has it as
// metadata) and the build's manifest, through the target's include and exclude, index.html stripped when it says so.
func localFiles(site tree.Tree, t *deployconfig.Target, matchers []*deployconfig.Matcher) (map[string]file, error) {
	out := map[string]file{}
	for p, body := range site {
		if p == "_headers" || p == tree.ManifestName || hidden(p) || !included(t.IncludeGlob, t.ExcludeGlob, p) {
			continue
		}
		for _, m := range matchers {
			if !m.Matches(p) {
				continue
			}
			if m.Gzip { // as Hugo's deployer gzips: the default level, no name or time
				var buf bytes.Buffer
				gz := gzip.NewWriter(&buf)
				if _, err := gz.Write(body); err != nil {
					return nil, err
				}
				if err := gz.Close(); err != nil {
					return nil, err
				}
				body = buf.Bytes()
			}
			break
		}
		key := p
		if t.StripIndexHTML && strings.HasSuffix(p, "/index.html") {
			key = strings.TrimSuffix(p, "index.html")
		}
		sum := md5.Sum(body)
		out[key] = file{path: p, raw: site[p], body: body, md5: sum[:]}
	}
	return out, nil
}

// hidden is a path Hugo's deployer leaves out: in a folder whose name starts with a dot (but
// .well-known), or a .DS_Store.
func hidden(p string) bool {
	parts := strings.Split(p, "/")
	for _, d := range parts[:len(parts)-1] {
		if strings.HasPrefix(d, ".") && d != ".well-known" {
			return true
		}
	}
	return parts[len(parts)-1] == ".DS_Store"
}

func included(include, exclude glob.Glob, key string) bool {
	return (include == nil || include.Match(key)) && (exclude == nil || !exclude.Match(key))
}

// makePlan compares the local files with the target's, as Hugo's deployer does: by size, then
// by MD5 (the store's, or the checksum Hugo stores with each file, or the file read back).
func makePlan(ctx context.Context, bucket *blob.Bucket, t *deployconfig.Target, local map[string]file, force bool) (*Plan, error) {
	plan := &Plan{Target: t.Name}
	seen := map[string]bool{}
	iter := bucket.List(nil)
	for {
		obj, err := iter.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if obj.IsDir || !included(t.IncludeGlob, t.ExcludeGlob, obj.Key) {
			continue
		}
		f, ok := local[obj.Key]
		if !ok {
			plan.Deletes = append(plan.Deletes, obj.Key)
			continue
		}
		seen[obj.Key] = true
		same := !force && obj.Size == int64(len(f.body))
		if same {
			sum := obj.MD5
			if len(sum) == 0 {
				if sum, err = remoteMD5(ctx, bucket, obj.Key); err != nil {
					return nil, err
				}
			}
			same = bytes.Equal(sum, f.md5)
		}
		if same {
			plan.Unchanged++
			continue
		}
		plan.Updates = append(plan.Updates, obj.Key)
		plan.Bytes += int64(len(f.body))
	}
	for key, f := range local {
		if !seen[key] {
			plan.Uploads = append(plan.Uploads, key)
			plan.Bytes += int64(len(f.body))
		}
	}
	sort.Strings(plan.Uploads)
	sort.Strings(plan.Updates)
	sort.Strings(plan.Deletes)
	return plan, nil
}

// remoteMD5 is the MD5 of a file whose store does not list one (a folder, a multipart upload).
func remoteMD5(ctx context.Context, bucket *blob.Bucket, key string) ([]byte, error) {
	if a, err := bucket.Attributes(ctx, key); err == nil {
		if s, ok := a.Metadata["md5chksum"]; ok { // Hugo's deployer stores it so
			if sum, err := hex.DecodeString(s); err == nil {
				return sum, nil
			}
		}
	}
	r, err := bucket.NewReader(ctx, key, nil)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// printPlan writes the plan: a line for each change, then the totals.
func printPlan(w io.Writer, p *Plan, dry bool) {
	for _, k := range p.Uploads {
		fmt.Fprintf(w, "upload  %s\n", k)
	}
	for _, k := range p.Updates {
		fmt.Fprintf(w, "update  %s\n", k)
	}
	for _, k := range p.Deletes {
		fmt.Fprintf(w, "delete  %s\n", k)
	}
	verb := "Plan"
	if dry {
		verb = "Dry run"
	}
	fmt.Fprintf(w, "%s for %s: %d to upload, %d to update (%s), %d to delete, %d unchanged.\n",
		verb, p.Target, len(p.Uploads), len(p.Updates), size(p.Bytes), len(p.Deletes), p.Unchanged)
}

func size(n int64) string {
	if n < 1024*1024 {
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/1024/1024)
}

func first(p *Plan) string {
	for _, l := range [][]string{p.Uploads, p.Updates, p.Deletes} {
		if len(l) > 0 {
			return l[0]
		}
	}
	return ""
}

// memFs holds the site's files the target takes, as they are (Hugo's deployer gzips them
// again), for Hugo's deployer: in memory, so that what is uploaded is what the build checked.
func memFs(local map[string]file) (afero.Fs, error) {
	fs := afero.NewBasePathFs(afero.NewMemMapFs(), "/site")
	for _, f := range local {
		if err := fs.MkdirAll(path.Dir("/"+f.path), 0o755); err != nil {
			return nil, err
		}
		if err := afero.WriteFile(fs, "/"+f.path, f.raw, 0o644); err != nil {
			return nil, err
		}
	}
	return fs, nil
}
