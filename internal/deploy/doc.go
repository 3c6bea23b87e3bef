// Package deploy publishes the built web site to object storage (Amazon S3 and S3-compatible
// stores, Google Cloud Storage, Azure Blob Storage) or a folder (file://), to the targets of
// hugo.toml's [deployment], through Hugo's own deploy package (gocloud.dev), which uploads only
// what changed.
//
// What it adds to Hugo's: each file carries the headers of the site's _headers (made from
// layouts/home.headers, as for Netlify and Cloudflare Pages and the server snippets of
// internal/serverconf), so the two cannot disagree: Content-Type and Cache-Control through
// Hugo's matchers, Content-Disposition as the store's own header, and the security headers as
// the file's metadata; and a plan made before anything changes, so that more deletions than
// allowed stop the deploy with nothing changed (Hugo's own check skips the deletions only
// after uploading), a dry run changes nothing, and the plan is checked again after the deploy.
//
// It needs the build tag withdeploy, as Hugo's deploy package does (the Makefile sets it);
// without it, veiviser deploy says so.
package deploy
