package host

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/veiviser/veiviser/internal/chromium"
	"github.com/veiviser/veiviser/internal/qr"
)

// ErrNoChromium is the error of WritePoster where there is no Chromium to print with.
var ErrNoChromium = errors.New("no Chromium found to print the PDF with (apt-get install chromium-headless-shell, or set $CHROMIUM)")

// PosterHTML is a one-page A4 notice, in Norwegian and English, with the QR code of url and
// url in text, to print and put up beside the Wi-Fi's name. It hangs on a wall: its words
// are neutral (what Veiviser is about is for the reader to find inside).
func PosterHTML(url string) []byte {
	u := html.EscapeString(url)
	doc := `<!doctype html>
<html lang=nb>
<meta charset=utf-8>
<title>Veiviser</title>
<style>
@page { size: A4; margin: 0 }
* { box-sizing: border-box; margin: 0 }
html, body { width: 210mm; height: 297mm }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; color: #000; background: #fff;
  display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 9mm;
  padding: 18mm; text-align: center; overflow: hidden }
h1 { font-size: 27pt; line-height: 1.2; font-weight: 700 }
h2 { font-size: 20pt; line-height: 1.2; font-weight: 400 }
.qr { width: 110mm; height: 110mm; display: block }
.qr svg { width: 100%; height: 100% }
.url { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Consolas, monospace; font-size: 21pt; font-weight: 700;
  overflow-wrap: anywhere; border: 0.6mm solid #000; border-radius: 3mm; padding: 3mm 6mm }
p { font-size: 14pt; line-height: 1.4; max-width: 160mm }
p span { display: block }
</style>
<h1>Skann for å åpne Veiviser på dette Wi-Fi-nettet</h1>
<h2 lang=en>Scan to open Veiviser on this Wi-Fi</h2>
<div class=qr data-qr="` + u + `" role=img aria-label="QR: ` + u + `"></div>
<div class=url>` + u + `</div>
<p><span>Koble til Wi-Fi-nettet her, og skann koden med kameraet – eller skriv adressen i nettleseren.</span>
<span lang=en>Connect to the Wi-Fi here, then scan the code with your camera – or type the address into your browser.</span></p>
<p><span>Informasjon og hjelp, på flere språk. Gratis, uten app og uten innlogging.</span>
<span lang=en>Information and help, in several languages. Free, no app, no sign-in.</span></p>
</html>
`
	out, err := qr.Draw([]byte(doc))
	if err != nil {
		// Only a url too long for any QR code; the address is still on the page.
		return []byte(doc)
	}
	return out
}

// WritePoster prints PosterHTML(url) to the PDF file name with headless Chromium.
func WritePoster(ctx context.Context, name, url string) error {
	exe := chromium.Find()
	if exe == "" {
		return ErrNoChromium
	}
	pdf, err := printPDF(ctx, exe, PosterHTML(url))
	if err != nil {
		return err
	}
	return os.WriteFile(name, pdf, 0o644)
}

// printPDF prints the HTML document doc on A4 with Chromium exe, as internal/pdf prints the
// sheets: a scratch profile, removed when Chromium has exited.
func printPDF(stop context.Context, exe string, doc []byte) ([]byte, error) {
	scratch, err := chromium.NewScratch()
	if err != nil {
		return nil, err
	}
	defer scratch.Remove() // runs after Chromium has exited: acancel waits for it
	actx, acancel := chromedp.NewExecAllocator(stop, scratch.Options(exe)...)
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	defer chromedp.Cancel(ctx) // close the browser cleanly first, so it removes what it made
	ctx, tcancel := context.WithTimeout(ctx, time.Minute)
	defer tcancel()

	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return nil, fmt.Errorf("printing the PDF with %s: %w", exe, err)
	}
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err == nil {
		_, err = chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(doc)})
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.WaitReady("body"))
	}
	var res page.PrintToPDFResult
	if err == nil {
		res, err = chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: new(true), PrintBackground: new(true),
			MarginTop: new(0.0), MarginBottom: new(0.0), MarginLeft: new(0.0), MarginRight: new(0.0),
		})
	}
	if err != nil {
		return nil, fmt.Errorf("printing the PDF with %s: %w", exe, err)
	}
	return res.Data, nil
}
