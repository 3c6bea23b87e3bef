package zim

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// languages gives the ISO 639-3 code, which a ZIM's Language takes, of the languages a site
// may be written in, by the code hugo.toml names them with (ISO 639-1 where there is one).
var languages = map[string]string{
	"nb": "nob", "nn": "nno", "no": "nor", "en": "eng", "pl": "pol", "lt": "lit", "ro": "ron",
	"bg": "bul", "uk": "ukr", "ru": "rus", "th": "tha", "fil": "fil", "tl": "tgl", "es": "spa",
	"fr": "fra", "ar": "ara", "de": "deu", "sv": "swe", "da": "dan", "fi": "fin", "se": "sme",
	"it": "ita", "pt": "por", "nl": "nld", "lv": "lav", "et": "est", "cs": "ces", "sk": "slk",
	"hu": "hun", "hr": "hrv", "sr": "srp", "bs": "bos", "sq": "sqi", "el": "ell", "tr": "tur",
	"fa": "fas", "ur": "urd", "ps": "pus", "ku": "kur", "so": "som", "ti": "tir", "am": "amh",
	"sw": "swa", "zh": "zho", "vi": "vie", "ko": "kor", "ja": "jpn", "hi": "hin", "bn": "ben",
	"ta": "tam", "ne": "nep", "my": "mya", "id": "ind", "ms": "msa", "uz": "uzb", "ka": "kat",
	"hy": "hye", "az": "aze", "be": "bel", "mk": "mkd", "sl": "slv", "is": "isl", "he": "heb",
}

// Language is the ISO 639-3 code of a language hugo.toml names by code ("nb", "en-GB"),
// false when it is not known here.
func Language(code string) (string, bool) {
	base, _, _ := strings.Cut(strings.ToLower(code), "-")
	l, ok := languages[base]
	return l, ok
}

// Short cuts a description to the 80 characters a ZIM's Description may have: whole, when it
// fits; else up to the last clause (a comma, colon or semicolon) that leaves at least half of
// it, and failing that at the last word, with "…".
func Short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 80
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	for i := max; i >= max/2; i-- {
		if strings.ContainsRune(",:;.", r[i]) {
			return strings.TrimSpace(string(r[:i]))
		}
	}
	cut := r[:max-1] // room for the ellipsis
	if i := strings.LastIndexFunc(string(cut), unicode.IsSpace); i > 0 {
		return strings.TrimRightFunc(string(cut)[:i], func(c rune) bool { return unicode.IsPunct(c) || unicode.IsSpace(c) }) + "…"
	}
	return string(cut) + "…"
}

// Illustration is the ZIM's 48×48 PNG, the icon Kiwix shows in its library: a white signpost
// with two arrows on the site's dark #0b0c0c, drawn here (four samples a pixel each way, so its
// edges are smooth), the same bytes every time.
func Illustration() []byte { return bytes.Clone(illustration()) }

var illustration = sync.OnceValue(draw)

func draw() []byte {
	const size, samples = 48, 4
	bg := [3]float64{0x0b, 0x0c, 0x0c}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			in := 0
			for sy := range samples {
				for sx := range samples {
					if signpost(float64(x)+(float64(sx)+0.5)/samples, float64(y)+(float64(sy)+0.5)/samples) {
						in++
					}
				}
			}
			f := float64(in) / (samples * samples)
			c := func(b float64) uint8 { return uint8(b + (255-b)*f + 0.5) }
			img.SetNRGBA(x, y, color.NRGBA{c(bg[0]), c(bg[1]), c(bg[2]), 255})
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		panic(err) // writing to memory does not fail
	}
	return buf.Bytes()
}

// signpost says whether the point (x, y) of the 48×48 illustration is on the signpost: a
// post, a sign pointing right above a sign pointing left.
func signpost(x, y float64) bool {
	post := x >= 22 && x < 26 && y >= 9 && y < 42
	base := x >= 16 && x < 32 && y >= 40 && y < 42
	// arrow: a board from x0 to x1, from y0 to y1, with a point of depth d at x1 (right) or x0.
	arrow := func(x0, x1, y0, y1, d float64, right bool) bool {
		if y < y0 || y >= y1 {
			return false
		}
		mid, half := (y0+y1)/2, (y1-y0)/2
		in := 1 - abs(y-mid)/half // 1 in the middle, 0 at the edges
		if right {
			return x >= x0 && x < x1+d*in
		}
		return x >= x0-d*in && x < x1
	}
	return post || base || arrow(13, 35, 10, 18, 6, true) || arrow(13, 35, 21, 29, 6, false)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
