package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/testkit"
)

// passwordServer serves the pages over a real Kit with the account use case.
func passwordServer(t *testing.T) (*testkit.Kit, http.Handler, *testkit.Member, string) {
	t.Helper()
	k := testkit.New(t)
	acc := account.New(account.Deps{Store: k.Store, Hasher: k.Hasher, Audit: k.Audit, Now: k.Clock.Now})
	h, err := New(Deps{Signin: k.SignIn, Sessions: k.Session, SecurityInfo: k.SecInfo, Account: acc,
		InsecureCookies: true, Now: k.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	m := k.NewMember(k.NewOrg("contoso.test"), "ada")
	_, done := k.Enrol(m, testkit.Client("203.0.113.9"))
	return k, h, m, done.SessionToken
}

func doPassword(h http.Handler, method, target, token string, form url.Values) (*httptest.ResponseRecorder, string) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.AddCookie(&http.Cookie{Name: "twofold_session", Value: token})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w, w.Body.String()
}

func TestPasswordPage(t *testing.T) {
	k, h, m, token := passwordServer(t)
	w, body := doPassword(h, "GET", "/my/password", token, nil)
	if w.Code != http.StatusOK || !strings.Contains(body, `data-password-minimum="8"`) ||
		!strings.Contains(body, "/static/password-rules.") || !strings.Contains(body, `id="signOutOthers" name="signOutOthers" value="1" checked`) {
		t.Fatalf("page: %d\n%s", w.Code, body)
	}

	// A wrong current password: told on its field, nothing typed comes back,
	// and the checkbox keeps the member's choice.
	form := url.Values{"currentPassword": {"wrong one"}, "newPassword": {"lantern meadow copper"},
		"confirmPassword": {"lantern meadow copper"}}
	w, body = doPassword(h, "POST", "/my/password", token, form)
	if w.Code != http.StatusBadRequest || !strings.Contains(body, `id="currentPassword-error"`) ||
		!strings.Contains(body, "isn&#39;t your current password") || strings.Contains(body, "lantern meadow") ||
		strings.Contains(body, " checked") {
		t.Fatalf("wrong current: %d\n%s", w.Code, body)
	}

	// The new password's rules are told on the new-password field.
	form = url.Values{"currentPassword": {m.Password}, "newPassword": {"baseball"}, "confirmPassword": {"baseball"}, "signOutOthers": {"1"}}
	w, body = doPassword(h, "POST", "/my/password", token, form)
	if w.Code != http.StatusBadRequest || !strings.Contains(body, `id="newPassword-error"`) || !strings.Contains(body, "most common") {
		t.Fatalf("common password: %d\n%s", w.Code, body)
	}

	form.Set("newPassword", "lantern meadow copper")
	form.Set("confirmPassword", "lantern meadow copper")
	w, _ = doPassword(h, "POST", "/my/password", token, form)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/my?m=password-everywhere" {
		t.Fatalf("change: %d to %q", w.Code, w.Header().Get("Location"))
	}
	_, body = doPassword(h, "GET", "/my?m=password-everywhere", token, nil)
	if !strings.Contains(body, "Your password was changed, and you were signed out everywhere else.") {
		t.Fatalf("overview lacks the notice:\n%s", body)
	}

	// Past the fresh window, the page asks to verify again first.
	k.Clock.Advance(11 * time.Minute)
	w, _ = doPassword(h, "GET", "/my/password", token, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/my/verify?next=%2Fmy%2Fpassword" {
		t.Fatalf("stale: %d to %q", w.Code, w.Header().Get("Location"))
	}
}
