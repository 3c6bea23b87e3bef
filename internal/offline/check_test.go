package offline

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/veiviser/veiviser/internal/tree"
)

func TestCheck(t *testing.T) {
	ok := tree.Tree{
		"index.html":    []byte(`<link rel=stylesheet href=css/s.css><a href=en/index.html#x>en</a><a href=https://tips.kripos.no/>tips</a><a href=tel:112>112</a><img src="data:image/png;base64,AA">`),
		"en/index.html": []byte(`<a href=../index.html>nb</a><a href=#top>top</a>`),
		"css/s.css":     []byte(`body{background:url(../img/x.png)}`),
		"img/x.png":     []byte(`png`),
	}
	if err := Check(ok); err != nil {
		t.Fatalf("valid tree rejected: %v", err)
	}
	for _, tc := range []struct{ file, body, want string }{
		{"index.html", `<a href=en/>x</a>`, `index.html: link "en/": links to a folder`},
		{"index.html", `<a href=en>x</a>`, `index.html: link "en": links to a folder`},
		{"index.html", `<a href=/en/index.html>x</a>`, `is an absolute path`},
		{"index.html", `<a href=missing.html>x</a>`, `index.html: link "missing.html": no such file`},
		{"index.html", `<script src=https://cdn.example/x.js></script>`, `loads a resource from the network`},
		{"index.html", `<img src=//cdn.example/x.png>`, `points to another host`},
		{"index.html", `<script src=css/s.css integrity=sha256-x></script>`, `integrity attribute`},
		{"index.html", `<script type=module src=css/s.css></script>`, `type=module`},
		{"index.html", `<a href=../up.html>x</a>`, `points outside the bundle`},
		{"css/s.css", `p{background:url(/img/x.png)}`, `css/s.css: link "/img/x.png": is an absolute path`},
		{"css/s.css", `p{background:url(nope.png)}`, `no such file`},
		{"js/a.js", `fetch("x")`, `js/a.js: uses fetch`},
	} {
		bad := ok.Clone()
		bad[tc.file] = []byte(tc.body)
		err := Check(bad)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: error = %v, want %q", tc.file, tc.body, err, tc.want)
		}
	}
}

func TestCheckNamesTheTarget(t *testing.T) {
	tr := tree.Tree{
		"index.html":  []byte(`<a href=en/>x</a><a href=../up.html>x</a><a href=/abs.html>x</a><a href=nope.html#x>x</a><a href=https://cdn.example/>x</a>`),
		"en/a.html":   []byte(`x`),
		"en/b/c.html": []byte(`x`),
	}
	var e *Error
	if !errors.As(Check(tr), &e) {
		t.Fatal("no *Error")
	}
	got := map[string]string{}
	for _, p := range e.Problems {
		got[p.Link] = p.Target
	}
	want := map[string]string{"en/": "en/", "../up.html": "../up.html", "/abs.html": "", "nope.html#x": "nope.html"}
	if !maps.Equal(got, want) {
		t.Errorf("targets %v, want %v", got, want)
	}
}
