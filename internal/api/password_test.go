package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/testkit"
)

func TestChangePasswordAPI(t *testing.T) {
	k := testkit.New(t)
	acc := account.New(account.Deps{Store: k.Store, Hasher: k.Hasher, Audit: k.Audit, Now: k.Clock.Now})
	h := New(Deps{Signin: k.SignIn, Sessions: k.Session, SecurityInfo: k.SecInfo, Account: acc})
	c := testkit.Client("203.0.113.9")
	m := k.NewMember(k.NewOrg("contoso.test"), "ada")
	_, done := k.Enrol(m, c)
	token := done.SessionToken
	other := k.IssueSession(m, "", c)

	post := func(body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/v1/me/password", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for _, tc := range []struct {
		body, target string
		status       int
	}{
		{`{"currentPassword":"nope","newPassword":"lantern meadow copper"}`, "currentPassword", 400},
		{`{"currentPassword":"` + m.Password + `","newPassword":"baseball"}`, "newPassword", 400},
		{`{"currentPassword":"` + m.Password + `","newPassword":"lantern meadow copper","extra":1}`, "extra", 400},
	} {
		w := post(tc.body)
		if w.Code != tc.status || !strings.Contains(w.Body.String(), `"target":"`+tc.target+`"`) {
			t.Errorf("%s: %d %s", tc.body, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), m.Password) {
			t.Errorf("response repeats the password: %s", w.Body)
		}
	}
	w := post(`{"currentPassword":"` + m.Password + `","newPassword":"lantern meadow copper"}`)
	if w.Code != http.StatusNoContent {
		t.Fatalf("change: %d %s", w.Code, w.Body)
	}
	if _, err := k.Session.Authenticate(k.Ctx, token, c); err != nil {
		t.Errorf("the token used stopped working: %v", err)
	}
	if _, err := k.Session.Authenticate(k.Ctx, other, c); err == nil {
		t.Error("another session survived the default sign-out")
	}
	// A stale second factor is asked for again.
	k.Clock.Advance(11 * time.Minute)
	w = post(`{"currentPassword":"lantern meadow copper","newPassword":"another long phrase"}`)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "reauthentication_required") {
		t.Fatalf("stale: %d %s", w.Code, w.Body)
	}
}
