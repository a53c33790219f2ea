package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/twofold-id/twofold"
)

// steppedUpToken is the token the fake re-verification gives the session.
const steppedUpToken = "tok-stepped-up"

// steppedUp is the fake re-verification's answer: the new token unless the code
// or call was refused.
func steppedUp(err error) (string, error) {
	if err != nil {
		return "", err
	}
	return steppedUpToken, nil
}

// wantNewSessionCookie checks that w replaced the session cookie with the
// stepped-up token, with every attribute a session cookie has.
func wantNewSessionCookie(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name != "__Host-twofold_session" {
			continue
		}
		if c.Value != steppedUpToken || c.Path != "/" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.MaxAge != 0 {
			t.Errorf("%s: session cookie %+v, want the new token as a __Host- session cookie", what, c)
		}
		return
	}
	t.Errorf("%s: no new session cookie; Set-Cookie = %q", what, w.Header().Values("Set-Cookie"))
}

// Re-verifying gives the session a new token: each way of doing it sets the
// cookie to it, and a refused code leaves the cookie alone.
func TestReverifySetsNewSessionCookie(t *testing.T) {
	e := newEnv(t, false)
	next := "/my/security-info"
	w := e.do("POST", "/my/verify", url.Values{"code": {"000000"}, "next": {next}}, stale)
	if w.Code != http.StatusBadRequest || len(w.Result().Cookies()) != 0 {
		t.Fatalf("wrong code: status %d, cookies %v; want 400 and no cookie", w.Code, w.Header().Values("Set-Cookie"))
	}
	w = e.do("POST", "/my/verify", url.Values{"code": {goodCode}, "next": {next}}, stale)
	wantRedirect(t, w, next)
	wantNewSessionCookie(t, "app code", w)

	e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"sms"}, "next": {next}}, stale)
	w = e.do("POST", "/my/verify", url.Values{"method": {"p1"}, "code": {goodCode}, "next": {next}}, stale)
	wantRedirect(t, w, next)
	wantNewSessionCookie(t, "texted code", w)

	e.do("POST", "/my/verify/phone", url.Values{"method": {"p1"}, "pref": {"voiceMobile"}, "next": {next}}, stale)
	e.info.setReverify(twofold.ChallengeVerified, "")
	w = e.do("POST", "/my/verify/call", url.Values{"next": {next}}, stale)
	wantRedirect(t, w, next)
	wantNewSessionCookie(t, "call", w)
}
