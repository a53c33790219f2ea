package e2e

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/go-webauthn/webauthn/protocol"
	gowebauthn "github.com/go-webauthn/webauthn/webauthn"
	"github.com/twofold-id/twofold/internal/httpx"
)

// Security keys in the browser: Chromium's virtual authenticators stand in
// for a key, so the page script (internal/web/static/webauthn.js) can be
// driven end to end by tests of twofold's pages and by the script's own test
// below, which needs no twofold server.

// addVirtualAuthenticator attaches a virtual security key to the tab of ctx:
// CTAP2 over transport (internal or usb), holding discoverable keys, with
// user verification that succeeds and presence that is simulated (without
// it navigator.credentials.create waits for a touch that never comes). The
// WebAuthn domain is per tab and enabled here, so call it after the tab has
// navigated to the page's origin.
func addVirtualAuthenticator(ctx context.Context, transport cdpwebauthn.AuthenticatorTransport) (cdpwebauthn.AuthenticatorID, error) {
	if _, err := chromedp.Call(ctx, cdpwebauthn.Enable, cdpwebauthn.EnableParams{EnableUI: new(false)}); err != nil {
		return "", fmt.Errorf("enable the WebAuthn domain: %w", err)
	}
	res, err := chromedp.Call(ctx, cdpwebauthn.AddVirtualAuthenticator, cdpwebauthn.AddVirtualAuthenticatorParams{
		Options: &cdpwebauthn.VirtualAuthenticatorOptions{
			Protocol:                    cdpwebauthn.AuthenticatorProtocolCtap2,
			Ctap2version:                cdpwebauthn.Ctap2versionCtap21,
			Transport:                   transport,
			HasResidentKey:              true,
			HasUserVerification:         true,
			IsUserVerified:              true,
			AutomaticPresenceSimulation: true,
		},
	})
	if err != nil {
		return "", fmt.Errorf("add a virtual authenticator: %w", err)
	}
	return res.AuthenticatorID, nil
}

// virtualCredentials lists the credentials a virtual authenticator holds.
func virtualCredentials(ctx context.Context, id cdpwebauthn.AuthenticatorID) ([]*cdpwebauthn.Credential, error) {
	res, err := chromedp.Call(ctx, cdpwebauthn.GetCredentials, cdpwebauthn.GetCredentialsParams{AuthenticatorID: id})
	if err != nil {
		return nil, fmt.Errorf("credentials of virtual authenticator %s: %w", id, err)
	}
	return res.Credentials, nil
}

// securityKey is addVirtualAuthenticator for a browser tab; it fails the test
// on error.
func (b *browser) securityKey(transport cdpwebauthn.AuthenticatorTransport) cdpwebauthn.AuthenticatorID {
	b.t.Helper()
	return run(b, "security key", func(ctx context.Context, _ *chromedp.Target) (cdpwebauthn.AuthenticatorID, error) {
		return addVirtualAuthenticator(ctx, transport)
	})
}

// keyCredentials is virtualCredentials for a browser tab; it fails the test
// on error.
func (b *browser) keyCredentials(id cdpwebauthn.AuthenticatorID) []*cdpwebauthn.Credential {
	b.t.Helper()
	return run(b, "credentials", func(ctx context.Context, _ *chromedp.Target) ([]*cdpwebauthn.Credential, error) {
		return virtualCredentials(ctx, id)
	})
}

// cspViolations returns what the page's probe script saw blocked by the
// content security policy.
func (b *browser) cspViolations() []string {
	b.t.Helper()
	return eval[[]string](b, `window.cspViolations || ["the CSP probe did not run"]`)
}

// keyLab is a relying party in miniature: go-webauthn configured as twofold
// configures it, serving ceremony pages under twofold's CSP and verifying
// what webauthn.js posts. It stands alone so the script can be proved before
// any twofold page uses it.
type keyLab struct {
	t      *testing.T
	wa     *gowebauthn.WebAuthn
	script []byte

	mu       sync.Mutex
	user     *labUser
	sessions map[string]*gowebauthn.SessionData // by ceremony ID, used once
	handles  [][]byte                           // user handles of accepted passkey logins
}

type labUser struct {
	id    []byte
	creds []gowebauthn.Credential
}

func (u *labUser) WebAuthnID() []byte                           { return u.id }
func (u *labUser) WebAuthnName() string                         { return "adele@contoso.com" }
func (u *labUser) WebAuthnDisplayName() string                  { return "Adele Vance" }
func (u *labUser) WebAuthnCredentials() []gowebauthn.Credential { return u.creds }

var labPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<script src="/csp-probe.js"></script>
{{with .Stub}}<script src="/stub/{{.}}.js"></script>{{end}}
<script src="/webauthn.js" defer></script>
</head><body><main><h1>{{.Title}}</h1>
<form method="post" action="/finish/{{.Kind}}" data-webauthn="{{.Kind}}"{{if .Conditional}} data-mediation="conditional"{{end}}>
<script type="application/json" id="webauthn-options">{{.Options}}</script>
<input type="hidden" name="ceremony" value="{{.Ceremony}}">
<input type="hidden" name="credential">
{{if .Conditional}}<label for="u">Email</label> <input id="u" name="username" autocomplete="username webauthn">{{end}}
<p aria-live="polite"></p>
<button type="button" data-webauthn-start>Use your security key</button>
</form></main></body></html>
`))

// cspProbe records CSP violations where the test can read them, besides the
// console watcher: it loads before webauthn.js, from our own origin.
const cspProbe = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
`

// stubs stand in for browsers headless Chromium is not: ones whose
// conditional mediation (autofill) is available, and one without the JSON
// helpers.
var stubs = map[string]string{
	"conditional": `PublicKeyCredential.isConditionalMediationAvailable = function () { return Promise.resolve(true); };`,
	// A conditional request that waits, as in a browser whose autofill the
	// person has not opened, and a log (kept across the form's navigation)
	// of the requests and of what the live region said.
	"waiting": `PublicKeyCredential.isConditionalMediationAvailable = function () { return Promise.resolve(true); };
(function () {
  var realGet = navigator.credentials.get.bind(navigator.credentials);
  function log(s) { sessionStorage.setItem("stub", (sessionStorage.getItem("stub") || "") + s + "|"); }
  navigator.credentials.get = function (o) {
    if (o.mediation !== "conditional") { log("modal"); return realGet(o); }
    log("conditional");
    return new Promise(function (_, reject) {
      o.signal.addEventListener("abort", function () { log("aborted"); reject(new DOMException("aborted", "AbortError")); });
    });
  };
  document.addEventListener("DOMContentLoaded", function () {
    var live = document.querySelector("form [aria-live]");
    new MutationObserver(function () { log("live:" + live.textContent); })
      .observe(live, { childList: true, characterData: true, subtree: true });
  });
})();`,
	"old": `delete PublicKeyCredential.parseCreationOptionsFromJSON; delete PublicKeyCredential.parseRequestOptionsFromJSON;`,
}

func newKeyLab(t *testing.T, origin string) *keyLab {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(root, "internal", "web", "static", "webauthn.js"))
	if err != nil {
		t.Fatal(err)
	}
	// As internal/webauthn configures the library, but with a short login
	// timeout: a key that holds no credential leaves the browser waiting
	// until it.
	wa, err := gowebauthn.New(&gowebauthn.Config{
		RPID:                  "localhost",
		RPDisplayName:         "twofold",
		RPOrigins:             []string{origin},
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementPreferred,
			RequireResidentKey: protocol.ResidentKeyNotRequired(),
			UserVerification:   protocol.VerificationPreferred,
		},
		Timeouts: gowebauthn.TimeoutsConfig{
			Login:        gowebauthn.TimeoutConfig{Enforce: true, Timeout: 5 * time.Second, TimeoutUVD: 5 * time.Second},
			Registration: gowebauthn.TimeoutConfig{Enforce: true, Timeout: time.Minute, TimeoutUVD: time.Minute},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &keyLab{t: t, wa: wa, script: script, user: &labUser{id: id}, sessions: map[string]*gowebauthn.SessionData{}}
}

func (l *keyLab) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webauthn.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(l.script)
	})
	mux.HandleFunc("GET /csp-probe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write([]byte(cspProbe))
	})
	mux.HandleFunc("GET /stub/{name}", func(w http.ResponseWriter, r *http.Request) {
		stub, ok := stubs[strings.TrimSuffix(r.PathValue("name"), ".js")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write([]byte(stub))
	})
	mux.HandleFunc("GET /inline", func(w http.ResponseWriter, r *http.Request) {
		// The control: an inline script the policy must block.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inline</title>
<script src="/csp-probe.js"></script></head><body><script>document.title = "ran";</script></body></html>`))
	})
	mux.HandleFunc("GET /{kind}", l.begin)
	mux.HandleFunc("POST /finish/{kind}", l.finish)
	return httpx.SecurityHeaders(false, mux)
}

// begin serves a ceremony page: its options come from go-webauthn, as
// twofold's pages will have them.
func (l *keyLab) begin(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	l.mu.Lock()
	defer l.mu.Unlock()
	var (
		options any
		session *gowebauthn.SessionData
		err     error
		title   string
	)
	switch kind {
	case "create":
		title = "Register a security key"
		// As twofold does: the member's keys are excluded, so a key that
		// is registered already says so.
		var exclude []protocol.CredentialDescriptor
		for _, c := range l.user.creds {
			exclude = append(exclude, c.Descriptor())
		}
		options, session, err = l.wa.BeginRegistration(l.user, gowebauthn.WithExclusions(exclude),
			gowebauthn.WithExtensions(gowebauthn.WithExtensionCredProps()))
	case "get":
		title = "Use your security key"
		options, session, err = l.wa.BeginLogin(l.user)
	case "passkey":
		title = "Sign in with a passkey"
		options, session, err = l.wa.BeginDiscoverableLogin(gowebauthn.WithUserVerification(protocol.VerificationRequired))
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	raw, err := json.Marshal(options)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ceremony := rand.Text()
	l.sessions[ceremony] = session
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	err = labPage.Execute(w, map[string]any{
		"Title": title, "Kind": kind, "Ceremony": ceremony,
		"Options":     json.RawMessage(raw), // html/template writes it as JSON
		"Conditional": r.URL.Query().Get("mediation") == "conditional",
		"Stub":        r.URL.Query().Get("stub"),
	})
	if err != nil {
		l.t.Errorf("render %s: %v", kind, err)
	}
}

// finish verifies the credential field as twofold's webauthn service does
// and answers "Accepted" or 400 with the library's reason.
func (l *keyLab) finish(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	session := l.sessions[r.PostFormValue("ceremony")]
	delete(l.sessions, r.PostFormValue("ceremony"))
	answer := []byte(r.PostFormValue("credential"))
	err := fmt.Errorf("no such ceremony")
	if session != nil {
		switch r.PathValue("kind") {
		case "create":
			var parsed *protocol.ParsedCredentialCreationData
			if parsed, err = protocol.ParseCredentialCreationResponseBytes(answer); err == nil {
				var c *gowebauthn.Credential
				if c, err = l.wa.CreateCredential(l.user, *session, parsed); err == nil {
					l.user.creds = append(l.user.creds, *c)
				}
			}
		case "get":
			var parsed *protocol.ParsedCredentialAssertionData
			if parsed, err = protocol.ParseCredentialRequestResponseBytes(answer); err == nil {
				_, err = l.wa.ValidateLogin(l.user, *session, parsed)
			}
		case "passkey":
			var parsed *protocol.ParsedCredentialAssertionData
			if parsed, err = protocol.ParseCredentialRequestResponseBytes(answer); err == nil {
				lookup := func(_, handle []byte) (gowebauthn.User, error) {
					if string(handle) != string(l.user.id) {
						return nil, fmt.Errorf("unknown user handle %x", handle)
					}
					return l.user, nil
				}
				_, _, err = l.wa.ValidatePasskeyLogin(lookup, *session, parsed)
				if err == nil {
					l.handles = append(l.handles, parsed.Response.UserHandle)
				}
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<!doctype html><title>Refused</title><p>Refused: %s</p>", template.HTMLEscapeString(protocolDetail(err)))
		return
	}
	fmt.Fprint(w, "<!doctype html><title>Accepted</title><p>Accepted</p>")
}

// protocolDetail adds go-webauthn's detail, which its Error() leaves out.
func protocolDetail(err error) string {
	if pe, ok := err.(*protocol.Error); ok {
		return pe.Error() + ": " + pe.DevInfo
	}
	return err.Error()
}

// TestWebAuthnScriptWithVirtualAuthenticator proves webauthn.js against
// go-webauthn under twofold's CSP, with no twofold server: a key registers,
// signs in with allowCredentials, signs in as a passkey (user handle and
// all), by autofill (conditional mediation), and a key already registered
// or holding no credential leaves the page saying so. Nothing starts on load
// but autofill, and neither the JSON options block nor the script trips the
// policy.
func TestWebAuthnScriptWithVirtualAuthenticator(t *testing.T) {
	// WebAuthn refuses an IP address as RP ID: listen on 127.0.0.1, browse
	// localhost.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	lab := newKeyLab(t, origin)
	srv := httptest.NewUnstartedServer(lab.handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	b := newBrowser(t, origin)
	b.Review = false // these are test pages, not twofold's

	// The control: the CSP checks below would see a violation.
	b.open("/inline")
	if v := eval[[]string](b, `new Promise(done => setTimeout(() => done(window.cspViolations), 0))`); len(v) == 0 {
		t.Fatal("an inline script ran or went unnoticed: the CSP probe cannot be trusted")
	}
	b.waitFor("the title the inline script would set to stay", `document.title === "Inline"`, stepTimeout)
	if !consoleSays(b, "Content Security Policy", stepTimeout) {
		t.Fatal("the blocked inline script left no console error: checkConsole cannot be trusted with CSP")
	}

	b.open("/create")
	key := b.securityKey(cdpwebauthn.AuthenticatorTransportUsb)
	b.settle()
	if live := b.text("form [aria-live]"); live != "" {
		t.Errorf("before any click the page says %q", live)
	}
	if creds := b.keyCredentials(key); len(creds) != 0 {
		t.Fatalf("a credential was made before any click: %d", len(creds))
	}
	if v := b.cspViolations(); len(v) != 0 {
		t.Errorf("the ceremony page trips the CSP: %v", v)
	}
	b.checkConsole("create")
	if st := b.submit("[data-webauthn-start]"); st != http.StatusOK {
		b.fatalf("registration answered %d", st)
	}
	b.expectText("Accepted")
	creds := b.keyCredentials(key)
	if len(creds) != 1 {
		t.Fatalf("the key holds %d credentials after registering, want 1", len(creds))
	}
	if !creds[0].IsResidentCredential || string(creds[0].UserHandle) != string(lab.user.id) {
		t.Errorf("the credential is resident=%v with user handle %x, want a discoverable one for %x",
			creds[0].IsResidentCredential, creds[0].UserHandle, lab.user.id)
	}
	b.checkConsole("create accepted")

	for _, path := range []string{"/get", "/passkey"} {
		b.open(path)
		if v := b.cspViolations(); len(v) != 0 {
			t.Errorf("%s trips the CSP: %v", path, v)
		}
		if st := b.submit("[data-webauthn-start]"); st != http.StatusOK {
			b.fatalf("%s answered %d", path, st)
		}
		b.expectText("Accepted")
		b.checkConsole(path + " accepted")
	}
	lab.mu.Lock()
	handles := lab.handles
	lab.mu.Unlock()
	if len(handles) != 1 || string(handles[0]) != string(lab.user.id) {
		t.Errorf("passkey logins gave user handles %x, want one: %x", handles, lab.user.id)
	}

	// Autofill: a passkey form with data-mediation="conditional" asks on
	// load, and Chromium's virtual authenticator answers a conditional
	// request at once, as a person picking the key from autofill would.
	// Headless Chromium says conditional mediation is unavailable, so a stub
	// says yes; the request itself is Chromium's.
	b.openQuery("/passkey", url.Values{"mediation": {"conditional"}, "stub": {"conditional"}})
	b.waitFor("the autofill passkey to be accepted without a click",
		`location.pathname === "/finish/passkey" && document.body.innerText.includes("Accepted")`, stepTimeout)
	b.checkConsole("passkey autofill accepted")
	lab.mu.Lock()
	handles = lab.handles
	lab.mu.Unlock()
	if len(handles) != 2 || string(handles[1]) != string(lab.user.id) {
		t.Errorf("after the autofill passkey login the user handles are %x, want two: %x", handles, lab.user.id)
	}

	// The button while an autofill request waits: the waiting request gives
	// way (only one may be pending), and its abort is not reported as a
	// failure.
	b.openQuery("/passkey", url.Values{"mediation": {"conditional"}, "stub": {"waiting"}})
	b.waitFor("the autofill request to wait", `sessionStorage.getItem("stub") === "conditional|"`, stepTimeout)
	if st := b.submit("[data-webauthn-start]"); st != http.StatusOK {
		b.fatalf("the passkey button during autofill answered %d", st)
	}
	b.expectText("Accepted")
	want := "conditional|aborted|modal|live:Follow your browser's steps to use your security key.|"
	if got := eval[string](b, `sessionStorage.getItem("stub")`); got != want {
		t.Errorf("the button during autofill went %q, want %q", got, want)
	}
	b.checkConsole("passkey button during autofill")

	// The same key again: the browser refuses it as excluded, and the page
	// says so in words the person can act on.
	b.open("/create")
	b.click("[data-webauthn-start]")
	const again = "This security key is already registered. Use another one, or choose another way."
	b.waitFor(fmt.Sprintf("the form to say %q", again), liveSays(again), stepTimeout)
	if n := len(b.keyCredentials(key)); n != 1 {
		t.Errorf("the key holds %d credentials after registering again, want 1", n)
	}
	b.checkConsole("create again")

	// A browser without the JSON helpers is told so, before any click.
	b.openQuery("/get", url.Values{"stub": {"old"}})
	b.settle()
	if live, want := b.text("form [aria-live]"), "This browser can't use security keys here."; live != want {
		t.Errorf("in a browser without the JSON helpers the page says %q, want %q", live, want)
	}
	b.checkConsole("old browser")

	// Another device: a key that holds nothing for this site.
	other := b.newContext("nokey")
	other.Review = false
	other.open("/get")
	empty := other.securityKey(cdpwebauthn.AuthenticatorTransportInternal)
	other.click("[data-webauthn-start]")
	clicked := time.Now()
	const failed = "Your browser didn't finish. Try again, or choose another way."
	// Chromium waits out the options' timeout (5 s).
	other.waitFor(fmt.Sprintf("the form to say %q", failed), liveSays(failed), 18*time.Second)
	t.Logf("with no credential on the key the browser gave up after %s", time.Since(clicked).Round(100*time.Millisecond))
	if n := len(other.keyCredentials(empty)); n != 0 {
		t.Errorf("the empty key holds %d credentials", n)
	}
	if other.path() != "/get" {
		t.Errorf("the failed ceremony left the page for %s", other.path())
	}
	other.checkConsole("get failed")

	// The passkey button failing while autofill was offered: autofill is
	// offered again, so the person can still pick a key from it.
	other.openQuery("/passkey", url.Values{"mediation": {"conditional"}, "stub": {"waiting"}})
	other.waitFor("the autofill request to wait", `sessionStorage.getItem("stub") === "conditional|"`, stepTimeout)
	other.click("[data-webauthn-start]")
	other.waitFor(fmt.Sprintf("the form to say %q", failed), liveSays(failed), 18*time.Second)
	want = "conditional|aborted|modal|live:Follow your browser's steps to use your security key.|live:" + failed + "|conditional|"
	other.waitFor("autofill to be offered again", fmt.Sprintf(`sessionStorage.getItem("stub") === %q`, want), stepTimeout)
	other.checkConsole("passkey failed during autofill")
}

// consoleSays drains the tab's console log until a message contains text, or
// wait has passed: console events arrive on their own.
func consoleSays(b *browser, text string, wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	for {
		for _, m := range b.cons.drain() {
			if strings.Contains(m, text) {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// liveSays is a JavaScript condition: the form's live region reads text.
func liveSays(text string) string {
	return fmt.Sprintf(`(() => { const e = document.querySelector('form [aria-live]'); return !!e && e.textContent.trim() === %q; })()`, text)
}
