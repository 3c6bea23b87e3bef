// Package qr draws QR codes into pages at build time, as inline SVG: an element such as
// <span data-qr="URL" role="img" aria-label="…"></span> in a page gets the code for URL
// drawn inside it. The code is drawn with one path, so it needs no image file, no script
// and no style attribute.
package qr

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/tdewolff/parse/v2"
	phtml "github.com/tdewolff/parse/v2/html"
	"rsc.io/qr"
)

// marker is how a page asks for a code; files without it are left alone.
var marker = []byte("data-qr")

// Wants reports whether doc asks for a code: Draw leaves other documents as they are.
func Wants(doc []byte) bool { return bytes.Contains(doc, marker) }

// Draw returns doc with the QR code of URL drawn into every element with data-qr="URL".
func Draw(doc []byte) ([]byte, error) {
	if !Wants(doc) {
		return doc, nil
	}
	var out bytes.Buffer
	l := phtml.NewLexer(parse.NewInputBytes(readOnly(doc)))
	var name, target string
	for {
		tt, data := l.Next()
		out.Write(data)
		switch tt {
		case phtml.ErrorToken:
			return out.Bytes(), nil
		case phtml.StartTagToken:
			name, target = string(l.Text()), ""
		case phtml.AttributeToken:
			if string(l.AttrKey()) == "data-qr" {
				target = html.UnescapeString(strings.Trim(string(l.AttrVal()), `"'`))
			}
		case phtml.StartTagCloseToken:
			if target == "" {
				continue
			}
			svg, err := drawing(target)
			if err != nil {
				return nil, err
			}
			out.WriteString(svg)
			// Whatever the element held is replaced by the drawing.
			for depth := 0; ; {
				tt, data := l.Next()
				if tt == phtml.ErrorToken {
					return nil, fmt.Errorf("qr: <%s data-qr> is not closed", name)
				}
				if tt == phtml.StartTagToken && string(l.Text()) == name {
					depth++
				}
				if tt == phtml.EndTagToken && string(l.Text()) == name {
					if depth == 0 {
						out.Write(data)
						break
					}
					depth--
				}
			}
			target = ""
		}
	}
}

// drawing is an svg element with the code of text: black modules on white, with the quiet
// zone of four modules that readers need.
func drawing(text string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("qr code for %q: %w", text, err)
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var d strings.Builder
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" aria-hidden="true"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, n, n, d.String()), nil
}

// readOnly limits b's capacity to its length, so the lexer copies instead of writing a
// sentinel byte past the end of a page other steps may be reading.
func readOnly(b []byte) []byte { return b[:len(b):len(b)] }
