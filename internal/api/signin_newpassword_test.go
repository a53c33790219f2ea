package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

func TestNewPasswordAtSignInAPI(t *testing.T) {
	k := testkit.New(t)
	h := New(Deps{Signin: k.SignIn, Sessions: k.Session, SecurityInfo: k.SecInfo})
	org := k.SetPolicy(k.NewOrg("contoso.test"), func(p *twofold.Policy) { p.MFARequired = false })
	m := k.NewMember(org, "ada")
	temp, err := k.Admin.ResetPassword(k.Ctx, twofold.CLIActor(), m.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	post := func(path, body string) (*httptest.ResponseRecorder, map[string]any) {
		r := httptest.NewRequest("POST", "/api/v1"+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var out map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w, out
	}
	w, out := post("/signin", `{"username":"`+m.Username()+`","password":"`+temp+`"}`)
	flow, _ := out["flowId"].(string)
	if w.Code != http.StatusOK || out["status"] != string(twofold.FlowPasswordChangeRequired) || flow == "" || out["sessionToken"] != nil {
		t.Fatalf("sign-in with the temporary password: %d %s", w.Code, w.Body)
	}
	r := httptest.NewRequest("GET", "/api/v1/signin/"+flow, nil)
	got := httptest.NewRecorder()
	h.ServeHTTP(got, r)
	if got.Code != http.StatusOK || !strings.Contains(got.Body.String(), `"status":"password_change_required"`) {
		t.Errorf("GET the flow: %d %s", got.Code, got.Body)
	}
	for _, tc := range []struct{ body, target string }{
		{`{}`, "newPassword"},
		{`{"newPassword":"short"}`, "newPassword"},
		{`{"newPassword":"` + temp + `"}`, "newPassword"},
		{`{"newPassword":"lantern meadow copper","confirmPassword":"x"}`, "confirmPassword"},
	} {
		w, _ := post("/signin/"+flow+"/password", tc.body)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"target":"`+tc.target+`"`) {
			t.Errorf("%s: %d %s", tc.body, w.Code, w.Body)
		}
	}
	w, out = post("/signin/"+flow+"/password", `{"newPassword":"lantern meadow copper"}`)
	token, _ := out["sessionToken"].(string)
	if w.Code != http.StatusOK || out["status"] != string(twofold.FlowSignedIn) || token == "" {
		t.Fatalf("new password: %d %s", w.Code, w.Body)
	}
	if p := k.Principal(token, testkit.Client("192.0.2.1")); p.User.MustChangePassword {
		t.Error("the member still must change their password")
	}
	if w, _ := post("/signin/"+flow+"/password", `{"newPassword":"another fine phrase"}`); w.Code == http.StatusOK {
		t.Errorf("the flow worked twice: %s", w.Body)
	}
}
