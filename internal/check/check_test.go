package check

import (
	"strings"
	"testing"
	"time"

	"github.com/veiviser/veiviser/internal/render"
)

var data = map[string]any{
	"sources": map[string]any{"udi": map[string]any{}},
}

// contacts is a data/contacts.yaml of two contacts, decoded.
var contacts, _ = ReadContacts([]byte("rosa:\n  phone: \"22 33 11 60\"\n  source: udi\n  compared: 2026-11-01\n"+
	"emergency:\n  phone: \"112\"\n  source: udi\n  compared: 2026-11-01\n"), Config{Now: now})

var now = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func page(params map[string]any, body string) render.Page {
	p := render.Page{File: "content/nb/x.md", Params: map[string]any{"sources": []any{"udi"}, "checked": now.AddDate(0, -1, 0)}, Body: body, BodyLine: 6}
	for k, v := range params {
		if v == nil {
			delete(p.Params, k)
		} else {
			p.Params[k] = v
		}
	}
	return p
}

func TestContent(t *testing.T) {
	for _, tc := range []struct {
		name string
		page render.Page
		want string // "" for no finding
	}{
		{"good page", page(nil, "Ring {{< phone \"rosa\" >}} i dag. Det skjedde i 2017 og 2018, 546 saker."), ""},
		{"no sources", page(map[string]any{"sources": nil}, ""), "content/nb/x.md:1: error: no sources"},
		{"empty sources", page(map[string]any{"sources": []any{}}, ""), "error: no sources"},
		{"unknown source", page(map[string]any{"sources": []any{"udi", "nope"}}, ""), `error: unknown source "nope"`},
		{"no checked", page(map[string]any{"checked": nil}, ""), "error: no checked date"},
		{"bad checked", page(map[string]any{"checked": "i går"}, ""), "error: checked is not a date"},
		{"checked as text", page(map[string]any{"checked": "2026-10-01"}, ""), ""},
		{"old checked warns", page(map[string]any{"checked": now.AddDate(0, -13, 0)}, ""), "warning: last checked"},
		{"very old checked fails", page(map[string]any{"checked": now.AddDate(0, -25, 0)}, ""), "error: last checked"},
		{"future checked", page(map[string]any{"checked": now.AddDate(0, 1, 0)}, ""), "error: checked date"},
		{"typed contact number", page(nil, "Tekst.\n\nRing 22 33 11 60 nå."), `content/nb/x.md:8: error: phone number "22 33 11 60"`},
		{"typed number other spacing", page(nil, "Ring 22331160."), `phone number "22331160"`},
		{"typed short number", page(nil, "Ring 112!"), `phone number "112"`},
		{"typed unknown number", page(nil, "Ring 98 76 54 32."), `phone number "98 76 54 32"`},
		{"typed e-mail", page(nil, "Skriv til\nhjelp@example.org."), `content/nb/x.md:7: error: e-mail address "hjelp@example.org"`},
		{"typed number with country code", page(nil, "Ring +47 98765432."), `phone number "+47 98765432"`},
		{"typed number in a tel: link", page(nil, "[Ring oss](tel:22331160)"), `phone number "22331160"`},
		{"typed e-mail in a mailto: link", page(nil, "[Skriv](MAILTO:hjelp@example.org)"), `e-mail address "hjelp@example.org"`},
		{"number after a shortcode spanning lines", page(nil, "{{< fact\n  \"x\" >}}\n\nRing 112."), `content/nb/x.md:9: error: phone number "112"`},
		{"digits in shortcode arguments", page(nil, "{{< bar-chart \"112\" \"22331160\" >}} {{% note 116111 %}}"), ""},
		{"digits in link paths", page(nil, "Se [saken](/nb/sak-112/) og [loven](../lov-22331160.md \"tittel\")."), ""},
		{"digits in web addresses", page(nil, "Les https://lovdata.no/dokument/NL/lov/2005-05-20-28/KAPITTEL_2#%C2%A724 her."), ""},
		{"numbers inside longer numbers", page(nil, "Saksnummer 2211211200 og 1121."), ""},
		{"javascript: link", page(nil, "Tekst.\n\nKlikk [her](javascript:alert(1))."), `content/nb/x.md:8: error: link "javascript:alert(1)": a javascript: link`},
		{"data: link", page(nil, "[Se](DATA:text/html,hei)"), `link "DATA:text/html,hei": a data: link`},
		{"file: autolink", page(nil, "Les <file:///etc/passwd>."), `link "file:///etc/passwd": a file: link`},
		{"vbscript: reference", page(nil, "Se [her][x].\n\n[x]: vbscript:msgbox"), `content/nb/x.md:8: error: link "vbscript:msgbox"`},
		{"data: image", page(nil, "![prikk](data:image/png;base64,iVBORw0KGgo=)"), ""},
		{"the word javascript", page(nil, "Siden virker uten javascript: alt er tekst."), ""},
		{"javascript: in a shortcode argument", page(nil, `{{< fact "javascript:x" >}}`), ""},
		{"a ref link", page(nil, "Tekst.\n\nLes [om oss]({{< ref \"om.md\" >}})."), `content/nb/x.md:8: error: {{< ref >}} links to the site's full address`},
		{"a ref link with %", page(nil, "Les [om oss]({{% ref \"om.md\" %}})."), `error: {{< ref >}} links`},
		{"a relref link", page(nil, "Les [om oss]({{< relref \"om.md\" >}}) og [mer]({{<relref \"mer.md\">}})."), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Content([]render.Page{tc.page}, data, contacts, Config{Now: now})
			if tc.want == "" {
				if len(got) > 0 {
					t.Fatalf("unexpected findings: %v", got)
				}
				return
			}
			if len(got) == 0 || !strings.Contains(got[0].String(), tc.want) {
				t.Fatalf("findings = %v, want one containing %q", got, tc.want)
			}
		})
	}
}

func TestErrorsComeBeforeWarnings(t *testing.T) {
	old := page(map[string]any{"checked": now.AddDate(0, -13, 0)}, "")
	old.File = "content/a.md"
	bad := page(map[string]any{"sources": nil}, "")
	bad.File = "content/z.md"
	got := Content([]render.Page{old, bad}, data, contacts, Config{Now: now})
	if len(got) != 2 || got[0].Severity != Error || got[1].Severity != Warning {
		t.Fatalf("order = %v", got)
	}
}
