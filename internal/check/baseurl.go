package check

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// placeholderHost matches the hosts of addresses that lead nowhere for a reader.
var placeholderHost = regexp.MustCompile(`(^|\.)example(\.[a-z]+)?$|^127\.|^\[?::1\]?$|^0\.0\.0\.0$|(^|\.)(test|invalid|local|localhost)$`)

// placeholderBaseURL reports whether baseURL is not the site's real public address: unset, not
// http(s), or a host such as example.*, localhost, a loopback address or a .test, .invalid or
// .local name. It is the rule of layouts/_partials/site/real-address.html, which then prints
// no QR code or web address on the sheets: the two must say the same.
func placeholderBaseURL(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return true
	}
	host := strings.ToLower(u.Hostname())
	real := (u.Scheme == "http" || u.Scheme == "https") && host != "" && host != "localhost" && !placeholderHost.MatchString(host)
	return !real
}

// BaseURL warns when the site is built for a placeholder address (see placeholderBaseURL):
// one finding at hugo.toml (hugoToml is its text, for the line), or at the -base-url flag when
// fromFlag.
func BaseURL(baseURL string, hugoToml []byte, fromFlag bool) []Finding {
	if !placeholderBaseURL(baseURL) {
		return nil
	}
	what, line := "baseURL", tomlLines(string(hugoToml))["baseURL"]
	if fromFlag {
		what, line = "-base-url", 0
	}
	return []Finding{{File: "hugo.toml", Line: line, Severity: Warning, Rule: "base-url",
		Message: fmt.Sprintf("%s %q is a placeholder: the sheets show no QR code or web address (set baseURL, or build with -base-url)", what, baseURL)}}
}
