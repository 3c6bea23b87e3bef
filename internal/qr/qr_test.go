package qr

import (
	"strings"
	"testing"
)

func TestDrawFillsMarkedElementsOnly(t *testing.T) {
	doc := `<p>a</p><span class="qr" data-qr="https://example.org/pl/" role="img"><b>old</b></span><span>keep</span>`
	out, err := Draw([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	if !strings.HasPrefix(got, `<p>a</p><span class="qr" data-qr="https://example.org/pl/" role="img"><svg `) ||
		!strings.HasSuffix(got, `</svg></span><span>keep</span>`) || strings.Contains(got, "old") {
		t.Fatalf("got %s", got)
	}
	if !strings.Contains(got, `<path fill="#000" d="M4 4h7v1h-7z`) { // the top-left finder pattern
		t.Errorf("no finder pattern at the quiet zone's corner: %.300s", got)
	}
	same, _ := Draw([]byte(doc))
	if string(same) != got {
		t.Errorf("drawing the same code twice gave different output")
	}
}

func TestDrawLeavesOtherPagesAlone(t *testing.T) {
	doc := []byte(`<p>no codes</p>`)
	if out, _ := Draw(doc); string(out) != string(doc) {
		t.Errorf("changed a page without data-qr")
	}
}
