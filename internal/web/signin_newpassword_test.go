package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

func cookieOf(res *http.Response, name string) (string, bool) {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}

// TestNewPasswordAtSignIn walks a member with an admin's temporary password
// through the page: the right temporary password leads to it instead of a
// session, refusals come back on their fields with nothing typed shown again,
// and their own password signs them in once.
func TestNewPasswordAtSignIn(t *testing.T) {
	k := testkit.New(t)
	h, err := New(Deps{Signin: k.SignIn, Sessions: k.Session, SecurityInfo: k.SecInfo, InsecureCookies: true, Now: k.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	org := k.SetPolicy(k.NewOrg("contoso.test"), func(p *twofold.Policy) { p.MFARequired = false })
	m := k.NewMember(org, "ada")
	temp, err := k.Admin.ResetPassword(k.Ctx, twofold.CLIActor(), m.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, target, flow string, form url.Values) (*http.Response, string) {
		t.Helper()
		r := httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if flow != "" {
			r.AddCookie(&http.Cookie{Name: "twofold_flow", Value: flow})
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result(), w.Body.String()
	}

	res, _ := send("POST", "/signin", "", url.Values{"username": {m.Username()}, "password": {temp}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/new-password" {
		t.Fatalf("sign-in with the temporary password: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, ok := cookieOf(res, "twofold_session"); ok {
		t.Fatal("a session cookie was set before the new password")
	}
	flow, ok := cookieOf(res, "twofold_flow")
	if !ok || flow == "" {
		t.Fatal("no flow cookie for the new-password step")
	}

	// Another step's page moves the browser on to this one.
	res, _ = send("GET", "/signin/verify", flow, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/new-password" {
		t.Fatalf("verify page with a password-change flow: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	res, body := send("GET", "/signin/new-password", flow, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `data-password-minimum="15"`) || !strings.Contains(body, m.Username()) ||
		!strings.Contains(body, `name="newPassword"`) || !strings.Contains(body, `name="confirmPassword"`) || strings.Contains(body, temp) {
		t.Fatalf("page: %d\n%s", res.StatusCode, body)
	}

	res, body = send("POST", "/signin/new-password", flow, url.Values{"newPassword": {"lantern meadow copper"}, "confirmPassword": {"lantern meadow cooper"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="confirmPassword-error"`) || strings.Contains(body, "lantern meadow") {
		t.Fatalf("mismatch: %d\n%s", res.StatusCode, body)
	}
	// Without a second factor the policy asks for 15 characters.
	res, body = send("POST", "/signin/new-password", flow, url.Values{"newPassword": {"lantern meadow"}, "confirmPassword": {"lantern meadow"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="newPassword-error"`) || !strings.Contains(body, "at least 15") {
		t.Fatalf("short password: %d\n%s", res.StatusCode, body)
	}
	res, body = send("POST", "/signin/new-password", flow, url.Values{"newPassword": {temp}, "confirmPassword": {temp}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "temporary one") {
		t.Fatalf("the temporary password again: %d\n%s", res.StatusCode, body)
	}

	res, _ = send("POST", "/signin/new-password", flow, url.Values{"newPassword": {"lantern meadow copper"}, "confirmPassword": {"lantern meadow copper"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/my" {
		t.Fatalf("new password: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if tok, ok := cookieOf(res, "twofold_session"); !ok || tok == "" {
		t.Fatal("no session cookie after the new password")
	} else if p := k.Principal(tok, testkit.Client("192.0.2.1")); p.User.MustChangePassword {
		t.Error("the member still must change their password")
	}

	// The step is over: the same flow goes back to sign in.
	res, _ = send("POST", "/signin/new-password", flow, url.Values{"newPassword": {"another fine phrase"}, "confirmPassword": {"another fine phrase"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?m=") {
		t.Fatalf("flow used again: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = send("GET", "/signin/new-password", "", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin" {
		t.Fatalf("no flow: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}
