package host

import (
	"net/http"
	"strings"
)

// The security headers are those of the web site, which layouts/home.headers writes into
// public/_headers for static hosts. The bundle has no _headers, so they are kept here; a test
// in cmd/veiviser (host-headers in testdata/verify.txtar) compares them with the _headers of a
// real build, so that the two cannot drift apart.
//
// The Content-Security-Policy is not kept here: it names the hash of the pages' inline style,
// which changes with the CSS. It is the policy of the <meta> on the bundle's own pages (the
// same policy, as layouts/_partials/site/csp.html writes it for both), plus what only a
// header can say (frameAncestors).

// SecurityHeaders are sent with every response, in this order.
var SecurityHeaders = [][2]string{
	{"Referrer-Policy", "no-referrer"},
	{"Permissions-Policy", permissionsPolicy},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Cross-Origin-Embedder-Policy", "require-corp"},
	{"X-Permitted-Cross-Domain-Policies", "none"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"X-DNS-Prefetch-Control", "off"},
}

// NotSent are the web site's headers the host leaves out, and why.
var NotSent = map[string]string{
	// A browser ignores it over plain http:// (RFC 6797, 8.1), which is what a shelter's
	// Wi-Fi server speaks.
	"Strict-Transport-Security": "browsers ignore it over http://",
}

// Immutable is the Cache-Control of the files whose names change with their bytes (the
// web site's /js/*); every other file is checked again with its ETag (Revalidate).
const (
	ImmutablePrefix = "/js/"
	Immutable       = "public, max-age=31536000, immutable"
	Revalidate      = "no-cache"
)

// permissionsPolicy is layouts/_partials/site/permissions-policy.html: every powerful
// browser feature off.
var permissionsPolicy = func() string {
	off := []string{"accelerometer", "ambient-light-sensor", "attribution-reporting", "autoplay", "bluetooth",
		"browsing-topics", "camera", "compute-pressure", "display-capture", "encrypted-media", "fullscreen",
		"gamepad", "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection",
		"interest-cohort", "local-fonts", "magnetometer", "microphone", "midi", "otp-credentials", "payment",
		"picture-in-picture", "publickey-credentials-create", "publickey-credentials-get", "screen-wake-lock",
		"serial", "storage-access", "usb", "web-share", "window-management", "xr-spatial-tracking"}
	for i, f := range off {
		off[i] = f + "=()"
	}
	return strings.Join(off, ", ")
}()

// frameAncestors is what the header adds to the pages' policy, as _headers does.
const frameAncestors = "frame-ancestors 'none'"

// fallbackCSP is the policy for a bundle whose home page has none: its own files only.
const fallbackCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"

// headerCSP is the Content-Security-Policy header for pages whose <meta> policy is page.
func headerCSP(page string) string {
	page = strings.TrimRight(strings.TrimSpace(page), "; ")
	if page == "" {
		page = fallbackCSP
	}
	return page + "; " + frameAncestors
}

// setHeaders sets the security headers and the Cache-Control of a response to urlPath.
func (b *Bundle) setHeaders(h http.Header, urlPath string) {
	h.Set("Content-Security-Policy", b.csp)
	for _, kv := range SecurityHeaders {
		h.Set(kv[0], kv[1])
	}
	if strings.HasPrefix(urlPath, ImmutablePrefix) {
		h.Set("Cache-Control", Immutable)
	} else {
		h.Set("Cache-Control", Revalidate)
	}
}

// Headers returns the headers the host sends with a response to urlPath (the same for every
// response, whatever its status, but for Cache-Control).
func (b *Bundle) Headers(urlPath string) http.Header {
	h := http.Header{}
	b.setHeaders(h, urlPath)
	return h
}
