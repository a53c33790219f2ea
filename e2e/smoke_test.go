package e2e

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// The harness's own proof, against a small local site with the same strict
// CSP twofold uses: pages load, forms submit, screenshots land at both
// widths, axe-core runs despite the CSP and finds real problems, a QR code
// round-trips to the secret and a code, and a second browser context has
// its own cookies. Cheap (a few seconds), so it stays.

const smokeSecret = "JBSW Y3DP EHPK 3PXP"

const smokeCSP = "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const smokeGood = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set up your authenticator app – Harness</title>
<link rel="stylesheet" href="/style.css"></head>
<body><main>
<h1>Set up your authenticator app</h1>
<img id="qr" src="/qr.png" alt="QR code to scan with your authenticator app" width="200" height="200">
<p>Can't scan the image? Enter this key: <code id="secret-key">` + smokeSecret + `</code></p>
<form method="post" action="/verify">
<label for="username">User name</label>
<input id="username" name="username" autocomplete="username">
<label for="code">Code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code">
<button type="submit">Next</button>
</form>
</main></body></html>`

// smokeBad has faults axe must find (an image without alt text, a field
// without a label), no viewport meta, and an inline script the CSP blocks.
const smokeBad = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Bad</h1><img src="/qr.png"><input name="x">
<script>document.title = "ran"</script></main></body></html>`

const smokeCSS = `body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; color: #1b1b1b; background: #fff; }
main { max-width: 720px; margin: auto; }
label, input, button { display: block; margin: .5rem 0; font-size: 1rem; min-height: 24px; }
@media (prefers-color-scheme: dark) { body { color: #eee; background: #111; } }`

func smokeSite(t *testing.T) *httptest.Server {
	t.Helper()
	uri := "otpauth://totp/Harness:alex@contoso.test?secret=" + strings.ReplaceAll(smokeSecret, " ", "") + "&issuer=Harness"
	code, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	code, err = barcode.Scale(code, 200, 200)
	if err != nil {
		t.Fatal(err)
	}
	var qrPNG bytes.Buffer
	if err := png.Encode(&qrPNG, code); err != nil {
		t.Fatal(err)
	}

	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", smokeCSP)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page(smokeGood))
	mux.Handle("GET /bad", page(smokeBad))
	mux.HandleFunc("GET /style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, smokeCSS)
	})
	mux.HandleFunc("GET /qr.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(qrPNG.Bytes())
	})
	mux.HandleFunc("POST /verify", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: r.FormValue("username"), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/done?"+url.Values{"code": {r.FormValue("code")}}.Encode(), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, r *http.Request) {
		who := "nobody"
		if c, err := r.Cookie("who"); err == nil {
			who = c.Value
		}
		page(fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Done</title></head>
<body><main><h1>Done</h1><p id="who">Signed in as %s</p><p id="code">Code %s</p></main></body></html>`,
			who, r.FormValue("code")))(w, r)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func TestBrowserHarness(t *testing.T) {
	ts := smokeSite(t)
	base := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	b := newBrowser(t, base)

	if status := b.open("/"); status != http.StatusOK {
		t.Fatalf("GET / = %d", status)
	}
	b.page("setup") // screenshots, phone layout, axe (light and dark): all clean

	for _, vp := range []string{"desktop", "phone"} {
		name := filepath.Join(b.shared.dir, "01-setup-"+vp+".png")
		f, err := os.Open(name)
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := map[string]int{"desktop": 1280, "phone": 390}[vp]
		if cfg.Width != want || cfg.Height < 200 {
			t.Errorf("%s is %d×%d, want %d wide", name, cfg.Width, cfg.Height, want)
		}
	}

	// The key under "Can't scan the image?" and the QR code agree, and give
	// the code an authenticator app would show.
	key := b.text("#secret-key")
	uri := b.qrText("#qr")
	if uri != "" {
		o, err := parseOTPAuth(uri)
		if err != nil {
			t.Fatal(err)
		}
		if o.Secret != strings.ReplaceAll(key, " ", "") || o.Issuer != "Harness" || o.Account != "alex@contoso.test" {
			t.Errorf("QR %q does not match the key %q", uri, key)
		}
	}
	app := &authApp{secret: key}
	code := app.code(t)

	b.fill(`input[name=username]`, "alex@contoso.test")
	b.fill(`input[name=code]`, code)
	if status := b.submitText("Next"); status != http.StatusOK {
		t.Errorf("after submitting: status %d", status)
	}
	b.expectPath("/done")
	b.expectText("Signed in as alex@contoso.test", "Code "+code)
	b.page("done")

	// A second browser context has no cookies of the first.
	other := b.newContext("other")
	other.open("/done")
	if got := other.text("#who"); got != "Signed in as nobody" {
		t.Errorf("second browser context sees %q", got)
	}
	other.shot("done")     // the two halves of page(), on their own
	other.axeCheck("done") // at the current (desktop) viewport

	// The checks are not vacuous: the bad page fails each of them.
	b.open("/bad")
	if v, ok := b.axeViolations(); ok {
		var ids []string
		for _, x := range v {
			ids = append(ids, x.ID)
		}
		for _, want := range []string{"image-alt", "label"} {
			if !slices.Contains(ids, want) {
				t.Errorf("axe on the bad page found %v, want %s among them", ids, want)
			}
		}
	}
	b.setViewport(phone)
	if p := b.phoneLayoutProblem(); !strings.Contains(p, "meta name=viewport") {
		t.Errorf("phone layout problem of the bad page = %q", p)
	}
	b.setViewport(desktop)
	if msgs := b.cons.drain(); len(msgs) == 0 || !strings.Contains(strings.Join(msgs, " "), "Content Security Policy") {
		t.Errorf("the blocked inline script was not seen on the console: %q", msgs)
	}
	b.shot("bad")
}
