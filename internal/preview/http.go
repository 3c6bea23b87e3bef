package preview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"path"
	"strings"
)

// The preview's own paths; the site has none below this prefix.
const (
	ownPrefix = "/__veiviser/"
	reloadJS  = ownPrefix + "reload.js"
	statusURL = ownPrefix + "status"
)

// status is what /__veiviser/status answers: the build being served and what the rules found.
type status struct {
	Build    int      `json:"build"`
	Error    string   `json:"error,omitempty"` // the build failed: the preview serves this error
	Checked  bool     `json:"checked"`         // the rules have run on this build
	Errors   []string `json:"errors"`          // the rules' errors, one line each
	Warnings int      `json:"warnings"`
}

func (s *server) current() *state {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case reloadJS:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write([]byte(reloadScript))
		return
	}
	select {
	case <-s.ready:
	case <-s.quit:
		http.Error(w, "the preview has stopped", http.StatusServiceUnavailable)
		return
	case <-r.Context().Done():
		return
	}
	st := s.current()
	if r.URL.Path == statusURL {
		s.mu.Lock()
		out := status{Build: st.build, Error: st.err, Checked: st.checked, Errors: st.errors, Warnings: st.warnings}
		s.mu.Unlock()
		if out.Errors == nil {
			out.Errors = []string{}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
		return
	}
	if st.err != "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, errorPage, html.EscapeString(st.err), st.build)
		return
	}
	name, code := lookup(st.files, r.URL.Path)
	if name == "" {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	if code == http.StatusMovedPermanently {
		http.Redirect(w, r, name, http.StatusMovedPermanently)
		return
	}
	body := st.files[name]
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	if strings.HasPrefix(ctype, "text/html") {
		body = withReload(body, st.build)
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// lookup finds the file of files that answers URL path p, as a static host would: a folder's
// index.html, a redirect to the folder for a path without its slash, and the language's
// 404.html (or the site's) for what does not exist. It returns the file and the status, or the
// address to redirect to and http.StatusMovedPermanently, or "" when there is nothing to serve.
func lookup(files map[string][]byte, p string) (string, int) {
	clean := strings.TrimPrefix(path.Clean("/"+p), "/")
	if clean != "" {
		if _, ok := files[clean]; ok {
			return clean, http.StatusOK
		}
	}
	index := path.Join(clean, "index.html")
	if _, ok := files[index]; ok {
		if clean != "" && !strings.HasSuffix(p, "/") {
			return "/" + clean + "/", http.StatusMovedPermanently
		}
		return index, http.StatusOK
	}
	first, _, _ := strings.Cut(clean, "/")
	for _, nf := range []string{first + "/404.html", "404.html"} {
		if _, ok := files[nf]; ok {
			return nf, http.StatusNotFound
		}
	}
	return "", http.StatusNotFound
}

// withReload adds the reload script to an HTML page, before </body> when it has one.
func withReload(page []byte, build int) []byte {
	tag := fmt.Sprintf(`<script src="%s?build=%d" defer></script>`, reloadJS, build)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(page[:len(page):len(page)], tag...)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// errorPage is served instead of the site while it cannot be built: %s is the error, %d the
// build.
const errorPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Veiviser preview: the site cannot be built</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; color: #a00000; }
pre { background: #fff3f3; border-left: 4px solid #a00000; padding: 1rem; white-space: pre-wrap; word-break: break-word; }
</style>
</head>
<body>
<h1>The site cannot be built</h1>
<pre id="veiviser-build-error">%s</pre>
<p>Fix the file and save it: this page reloads by itself when the site builds again.
The terminal running <code>veiviser serve</code> shows the same error.
Nothing was written to <code>public/</code> or <code>dist/</code>.</p>
<script src="` + reloadJS + `?build=%d" defer></script>
</body>
</html>
`

// reloadScript polls the status of the preview: it reloads the page when a newer build is
// served, and shows the rules' errors in a box at the bottom of the page. It changes styles
// through the CSSOM only, which the site's Content-Security-Policy (style-src 'self') allows.
const reloadScript = `(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? new URL(me.src).searchParams.get("build") : null;
  var box = null, hidden = false;
  function show(s) {
    if (box) { box.remove(); box = null; }
    if (hidden || !s.checked || s.errors.length === 0) { return; }
    box = document.createElement("div");
    box.setAttribute("role", "status");
    var st = box.style;
    st.position = "fixed"; st.left = "0"; st.right = "0"; st.bottom = "0"; st.zIndex = "2147483647";
    st.maxHeight = "40vh"; st.overflow = "auto"; st.background = "#fff3f3"; st.color = "#1a1a1a";
    st.borderTop = "4px solid #a00000"; st.padding = "0.5rem 1rem"; st.font = "14px/1.4 system-ui, sans-serif";
    var close = document.createElement("button");
    close.type = "button"; close.textContent = "\u00d7"; close.setAttribute("aria-label", "Close");
    close.style.float = "right";
    close.addEventListener("click", function () { hidden = true; show(s); });
    var h = document.createElement("strong");
    h.textContent = "veiviser check: " + s.errors.length + (s.errors.length === 1 ? " error" : " errors") +
      " (a build would stop)";
    var ul = document.createElement("ul");
    ul.style.margin = "0.25rem 0"; ul.style.paddingLeft = "1.25rem";
    s.errors.slice(0, 10).forEach(function (e) {
      var li = document.createElement("li"); li.textContent = e; ul.appendChild(li);
    });
    box.appendChild(close); box.appendChild(h); box.appendChild(ul);
    document.body.appendChild(box);
  }
  var shown = "";
  function poll() {
    fetch("` + statusURL + `", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (build !== null && String(s.build) !== build) { location.reload(); return; }
      var key = JSON.stringify([s.checked, s.errors]);
      if (key !== shown) { shown = key; show(s); }
      setTimeout(poll, 700);
    }, function () { setTimeout(poll, 2000); });
  }
  poll();
})();
`
