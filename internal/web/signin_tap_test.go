package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
)

// TemporaryAccessPass takes the pass "RIGHT-PASS" for a member without
// methods (the interrupt) and "SIGNED-IN" for one with methods.
func (f *fakeSignin) TemporaryAccessPass(_ context.Context, username, pass string, _ twofold.Client) (*signin.Result, error) {
	f.record("TemporaryAccessPass %s", username)
	switch pass {
	case "RIGHT-PASS":
		return &signin.Result{FlowID: "flow-reg", State: twofold.FlowRegistrationRequired, User: testUser, Org: testOrg}, nil
	case "SIGNED-IN":
		return &signin.Result{State: twofold.FlowSignedIn, SessionToken: "tap-token", User: testUser, Org: testOrg,
			Session: &twofold.Session{ID: "s1", UserID: testUser.ID}}, nil
	case "":
		return nil, twofold.FieldError("pass", "Enter your Temporary Access Pass.")
	}
	return nil, signin.ErrPass
}

// The sign-in card links to the pass card, whose form has the fields and
// the button the journey expects.
func TestSigninTapPage(t *testing.T) {
	e := newEnv(t, false)
	wantBody(t, e.do("GET", "/signin", nil), http.StatusOK, `href="/signin/tap"`, "Sign in with a Temporary Access Pass")
	wantBody(t, e.do("GET", "/signin/tap", nil), http.StatusOK, `id="username" name="username"`, `id="pass" name="pass"`,
		`<button type="submit" class="primary">Sign in</button>`)
}

// A right pass goes on like a right password: to the interrupt with a flow
// cookie, or signed in with a new session cookie.
func TestSigninTapAdvances(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/tap", url.Values{"username": {"ada@contoso.test"}, "pass": {"RIGHT-PASS"}})
	wantRedirect(t, w, "/signin/register")
	if c := cookie(t, w, "__Host-twofold_flow"); c.Value != "flow-reg" {
		t.Errorf("flow cookie = %q", c.Value)
	}
	w = e.do("POST", "/signin/tap", url.Values{"username": {"ada@contoso.test"}, "pass": {"SIGNED-IN"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status = %d; body:\n%s", w.Code, w.Body)
	}
	if c := cookie(t, w, "__Host-twofold_session"); c.Value != "tap-token" {
		t.Errorf("session cookie = %q", c.Value)
	}
}

// A refused pass shows the one sentence, keeps the user name and never echoes
// the pass.
func TestSigninTapRefused(t *testing.T) {
	e := newEnv(t, false)
	w := e.do("POST", "/signin/tap", url.Values{"username": {"ada@contoso.test"}, "pass": {"GUESS-1234"}})
	wantBody(t, w, http.StatusUnauthorized, "Temporary Access Pass is incorrect", `value="ada@contoso.test"`)
	if strings.Contains(w.Body.String(), "GUESS-1234") {
		t.Error("the page echoes the pass")
	}
	wantBody(t, e.do("POST", "/signin/tap", url.Values{"username": {"ada@contoso.test"}}), http.StatusBadRequest, "Enter your Temporary Access Pass.")
}
