package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/webauthn"
)

const flowKey = "__Host-twofold_flow=flow-key"

func TestSigninWithSecurityKey(t *testing.T) {
	e := newEnv(t, false)
	// The key is the default, so the second step is the key's.
	wantRedirect(t, e.do("GET", "/signin/verify", nil, flowKey), "/signin/key")
	// Picked under "Sign in another way" (the choice links its method).
	wantRedirect(t, e.do("GET", "/signin/verify?method=k1", nil, flowKey), "/signin/key")
	wantBody(t, e.do("GET", "/signin/verify?method=m1", nil, flowKey), http.StatusOK, `name="code"`)

	w := e.do("GET", "/signin/key", nil, flowKey)
	wantBody(t, w, http.StatusOK, "ada@contoso.test", "<h1>Use your security key</h1>", `data-webauthn="get"`,
		`<script type="application/json" id="webauthn-options">{"publicKey":{"challenge":"bG9naW4"}}</script>`,
		`name="ceremony" value="login-1"`, `data-webauthn-start autofocus>Use your security key</button>`,
		"<noscript>", "This browser can't use security keys here.", `href="/signin/other">Sign in another way`,
		`src="/static/webauthn.`)

	w = e.do("POST", "/signin/key", url.Values{"ceremony": {"login-1"}}, flowKey)
	wantBody(t, w, http.StatusBadRequest, "Choose Use your security key, then follow your browser&#39;s steps.")
	w = e.do("POST", "/signin/key", url.Values{"ceremony": {"login-1"}, "credential": {"stranger"}}, flowKey)
	wantBody(t, w, http.StatusUnauthorized, "That security key isn&#39;t registered to your account.", `data-webauthn="get"`)
	w = e.do("POST", "/signin/key", url.Values{"ceremony": {"login-1"}, "credential": {"copied"}}, flowKey)
	wantBody(t, w, http.StatusForbidden, "This security key may have been copied")
	wantRedirect(t, e.do("POST", "/signin/key", url.Values{"ceremony": {"login-1"}, "credential": {"ended"}}, flowKey),
		"/signin?m=tries")

	w = e.do("POST", "/signin/key", url.Values{"ceremony": {"login-1"}, "credential": {"good"}}, flowKey)
	wantRedirect(t, w, "/my")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-key" {
		t.Errorf("session cookie = %q", c.Value)
	}

	// A flow without keys offers the other ways with the reason; no flow goes to sign in.
	w = e.do("GET", "/signin/key", nil, flowMFA)
	wantBody(t, w, http.StatusForbidden, "You have no security key to sign in with.", "Sign in another way")
	wantRedirect(t, e.do("GET", "/signin/key", nil), "/signin")
	wantRedirect(t, e.do("POST", "/signin/key", url.Values{"credential": {"good"}}), "/signin")
}

func TestSigninWithPasskey(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("GET", "/signin", nil)
	wantBody(t, w, http.StatusOK, `autocomplete="username webauthn"`, `action="/signin/passkey"`, `data-webauthn="passkey"`,
		`data-mediation="conditional"`, `data-webauthn-options="passkey-options"`,
		`<script type="application/json" id="passkey-options">{"publicKey":{"challenge":"cGFzc2tleQ"}}</script>`,
		`name="ceremony" value="pk-1"`, `data-webauthn-start>Sign in with a passkey</button>`, `src="/static/webauthn.`)
	if len(e.rec.changes()) != 0 {
		t.Fatalf("showing sign-in changed something: %q", e.rec.changes())
	}

	w = e.do("POST", "/signin/passkey", url.Values{"ceremony": {"pk-1"}, "credential": {"unknown"}})
	wantBody(t, w, http.StatusUnauthorized, "Your user name or password is incorrect", `data-webauthn="passkey"`)
	w = e.do("POST", "/signin/passkey", url.Values{"ceremony": {"pk-1"}})
	wantBody(t, w, http.StatusBadRequest, "Choose Sign in with a passkey")
	w = e.do("POST", "/signin/passkey", url.Values{"ceremony": {"pk-1"}, "credential": {"good"}})
	wantRedirect(t, w, "/my")
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tok-passkey" {
		t.Errorf("session cookie = %q", c.Value)
	}
	// A wrong password keeps the passkey offered.
	w = e.do("POST", "/signin", url.Values{"username": {"ada@contoso.test"}, "password": {"wrong"}})
	if !strings.Contains(w.Body.String(), `data-webauthn="passkey"`) {
		t.Error("the sign-in card lost its passkey button after a wrong password")
	}
}

// limitedPasskeys is a sign-in whose network is past its limit on passkey begins.
type limitedPasskeys struct{ *fakeSignin }

func (limitedPasskeys) BeginPasskey(context.Context, twofold.Client) (*webauthn.Challenge, error) {
	return nil, twofold.Errorf(twofold.ERATELIMIT, "Too many sign-in attempts from your network. Try again later.")
}

func TestSigninWithoutPasskeyIsThePasswordForm(t *testing.T) {
	rec := &recorder{}
	h, err := New(Deps{Signin: limitedPasskeys{newFakeSignin(rec)}, Sessions: fakeSessions{rec},
		SecurityInfo: &fakeSecurityInfo{recorder: rec}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	httpx.RequestContext(nil, h).ServeHTTP(w, httptest.NewRequest("GET", "/signin", nil))
	wantBody(t, w, http.StatusOK, `name="password"`, `autocomplete="username"`)
	if body := w.Body.String(); strings.Contains(body, "passkey") || strings.Contains(body, "webauthn") {
		t.Errorf("without a passkey ceremony the card still offers one:\n%s", body)
	}
}
