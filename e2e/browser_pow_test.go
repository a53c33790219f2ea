package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserProofOfWork solves the reset's proof of work in Chromium against
// the real binary, under its real Content-Security-Policy: pow.js fetches a
// challenge from GET /reset/challenge, its Web Worker (pow-worker.js) finds
// the number with crypto.subtle, progress is told in the aria-live status,
// and a press of the form's button made before the solution is in is held
// and sent once it is. The solution it made is then accepted once by
// POST /api/v1/reset and refused as used the second time.
//
// Until the reset page includes the "pow" template, the form is the one that
// template makes, added to a served page with the page's own scripts rules.
func TestBrowserProofOfWork(t *testing.T) {
	s := startServer(t, serverOptions{})
	seed(t, s)
	b := newBrowser(t, s.URL)

	b.open("/reset")
	if !b.has("form[data-pow-url]") {
		b.open("/signin")
		b.addPoWForm()
	}
	// Once pow.js is at work, press the button at once, as an impatient
	// person would: the press is held while the worker works, and the form is
	// sent once the solution is in. The page keeps what the form sends
	// instead of leaving, to check it below.
	got := eval[powResult](b, `new Promise((resolve, reject) => {
		const f = document.querySelector("form[data-pow-url]");
		const input = f.querySelector('input[name="proofOfWork"]');
		const status = f.querySelector("[data-pow-status]");
		const button = f.querySelector('button[type="submit"], button:not([type])');
		const t0 = performance.now();
		let early = null;
		const done = (held) => resolve({payload: input.value, ms: performance.now() - t0,
			status: status.textContent, live: status.getAttribute("aria-live") || "",
			held: held, early: early === true, disabled: button.getAttribute("aria-disabled") || ""});
		f.addEventListener("submit", (e) => { e.preventDefault(); done(true); });
		(function wait() {
			if (early === null && status.textContent.startsWith("Checking your browser")) {
				early = input.value === "";
				button.click();
			}
			if (performance.now() - t0 > 15000) {
				reject(new Error("no solution sent after 15 s: " + status.textContent));
			} else {
				setTimeout(wait, 10);
			}
		})();
	})`)
	if got.Payload == "" {
		t.Fatalf("no solution in the form; status: %q", got.Status)
	}
	if !got.Early {
		t.Errorf("the solution was in before the button could be pressed; the held press went untested")
	}
	if !got.Held || got.Disabled != "" {
		t.Errorf("after the solution: form sent %v, button aria-disabled %q", got.Held, got.Disabled)
	}
	if got.Live != "polite" || !strings.Contains(got.Status, "Your browser is checked") {
		t.Errorf("status %q (aria-live %q), want a polite live region saying the browser is checked", got.Status, got.Live)
	}
	var sol struct {
		Number    int64  `json:"number"`
		Algorithm string `json:"algorithm"`
		Salt      string `json:"salt"`
	}
	raw, err := base64.StdEncoding.DecodeString(got.Payload)
	if err != nil || json.Unmarshal(raw, &sol) != nil || sol.Algorithm != "SHA-256" {
		t.Fatalf("payload %q is not base64 JSON of a SHA-256 solution (%v)", got.Payload, err)
	}
	t.Logf("Chromium solved the challenge in %.0f ms: %d hashes, %.0f hashes/s",
		got.Ms, sol.Number+1, float64(sol.Number+1)/(got.Ms/1000))
	b.page("pow-solved")

	// The browser's solution starts a reset once, and only once.
	c := newAPIClient(t, s)
	body := map[string]string{"username": alex.Username, "proofOfWork": got.Payload}
	if r := c.do("POST", "/reset", body); r.Status != http.StatusOK {
		t.Errorf("first use of the browser's solution: %s", r)
	}
	if r := c.do("POST", "/reset", body); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "already used") {
		t.Errorf("second use of the browser's solution: %s", r)
	}
}

// powResult is what the page reports once the proof of work is done.
type powResult struct {
	Payload  string  `json:"payload"`
	Ms       float64 `json:"ms"`
	Status   string  `json:"status"`
	Live     string  `json:"live"`
	Held     bool    `json:"held"`
	Early    bool    `json:"early"`
	Disabled string  `json:"disabled"`
}

// addPoWForm adds to the page the form the "pow" template makes, posting to
// /reset with its challenge from /reset/challenge, and loads pow.js the way
// the template does. The scripts' URLs are their content-hashed names, worked
// out from the files the binary embeds.
func (b *browser) addPoWForm() {
	b.t.Helper()
	js, worker := staticURL(b.t, "pow.js"), staticURL(b.t, "pow-worker.js")
	b.act("add the proof-of-work form", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const f = document.createElement("form");
		f.method = "post";
		f.action = "/reset";
		f.setAttribute("data-pow-url", "/reset/challenge");
		f.innerHTML = '<input type="hidden" name="proofOfWork" value="">' +
			'<p class="muted" data-pow-status aria-live="polite"></p>' +
			'<div class="actions"><button type="submit" class="primary">Next</button></div>';
		document.querySelector("main").appendChild(f);
		const s = document.createElement("script");
		s.src = %q;
		s.setAttribute("data-pow-worker", %q);
		document.body.appendChild(s);
	})()`, js, worker)))
}

// staticURL is the path the server serves an embedded static file at:
// its name with the first five bytes of its SHA-256 in hex before the
// extension (internal/web/assets.go).
func staticURL(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "web", "static", name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	ext := filepath.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}
