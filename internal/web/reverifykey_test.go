package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// A member with a security key can re-verify with it: the choices link to the
// key step, which asks the browser for the key and, on its answer, sets the
// session's new token and goes on to next.
func TestReverifyWithKey(t *testing.T) {
	e := newEnv(t, false)
	next := "/my/security-info/add"
	w := e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd", nil, stale)
	if strings.Contains(w.Body.String(), "/my/verify/key") {
		t.Fatal("the key step is offered to a member without a key")
	}
	e.info.methods = append(e.info.methods, &twofold.Method{ID: "k1", Kind: twofold.KindFido2, Name: "YubiKey 5",
		State: twofold.MethodActive, CreatedAt: testNow, ActivatedAt: testNow})

	w = e.do("GET", "/my/verify?next=%2Fmy%2Fsecurity-info%2Fadd", nil, stale)
	wantBody(t, w, http.StatusOK, `href="/my/verify/key?next=%2fmy%2fsecurity-info%2fadd"`, "Use your security key")

	w = e.do("GET", "/my/verify/key?next=%2Fmy%2Fsecurity-info%2Fadd", nil, stale)
	wantBody(t, w, http.StatusOK, `action="/my/verify/key" data-webauthn="get"`, `<script type="application/json" id="webauthn-options">`,
		`"challenge":"Y2hhbGxlbmdl"`, `name="ceremony" value="rk-1"`, `<input type="hidden" name="credential">`,
		`name="next" value="/my/security-info/add"`, `data-webauthn-start autofocus>Use your security key</button>`,
		`aria-live="polite"`, "<noscript>", `src="/static/webauthn.`)
	if strings.Contains(w.Body.String(), "</script><b>") {
		t.Errorf("the options block can be closed by its content:\n%s", w.Body)
	}

	// A post without the browser's answer (no script) asks for the button.
	w = e.do("POST", "/my/verify/key", url.Values{"ceremony": {"rk-1"}, "next": {next}}, stale)
	wantBody(t, w, http.StatusBadRequest, "Choose Use your security key, then follow your browser&#39;s steps.")
	// A refused answer shows the step again with the reason, and no cookie.
	w = e.do("POST", "/my/verify/key", url.Values{"ceremony": {"rk-1"}, "credential": {"copied"}, "next": {next}}, stale)
	wantBody(t, w, http.StatusUnauthorized, "This security key may have been copied.", `data-webauthn="get"`)
	if len(w.Result().Cookies()) != 0 {
		t.Errorf("refused key set cookies %q", w.Header().Values("Set-Cookie"))
	}
	// The key's answer re-verifies: the new token, then next.
	w = e.do("POST", "/my/verify/key", url.Values{"ceremony": {"rk-1"}, "credential": {"good"}, "next": {next}}, stale)
	wantRedirect(t, w, next)
	wantNewSessionCookie(t, "security key", w)
	// next is only ever a My Account page.
	w = e.do("POST", "/my/verify/key", url.Values{"ceremony": {"rk-1"}, "credential": {"good"}, "next": {"//evil.test"}}, stale)
	wantRedirect(t, w, "/my/security-info")
}

// Without a key, the key step shows the choices with the reason.
func TestReverifyKeyWithoutKey(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/my/verify/key?next=%2Fmy%2Fsecurity-info", nil, stale)
	wantBody(t, w, http.StatusNotFound, "You have no security key you can use to verify.", `action="/my/verify"`)
}
