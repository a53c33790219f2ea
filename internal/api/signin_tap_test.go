package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
)

func (f *fakeSignin) TemporaryAccessPass(_ context.Context, username, pass string, c twofold.Client) (*signin.Result, error) {
	f.rec.add("TemporaryAccessPass", username, pass, c.IP)
	if err := f.errs.of("TemporaryAccessPass"); err != nil {
		return nil, err
	}
	return f.result, nil
}

// POST /signin/temporaryAccessPass answers as POST /signin does: a session
// token, or the interrupt's flow.
func TestSigninWithPass(t *testing.T) {
	e := newEnv(t)
	e.signin.result = signedIn()
	r := e.do("POST", "/api/v1/signin/temporaryAccessPass", `{"username":"ada@contoso.com","temporaryAccessPass":"ABCD-EFGH-JKMN-PQRS"}`, "")
	r.want(t, http.StatusOK)
	wantSignedIn(t, r)
	if c := e.rec.last(); c.name != "TemporaryAccessPass" || c.args[0] != "ada@contoso.com" || c.args[1] != "ABCD-EFGH-JKMN-PQRS" || c.args[2] != "192.0.2.1" {
		t.Errorf("call = %v", c)
	}

	e.signin.result = &signin.Result{FlowID: flowID, State: twofold.FlowRegistrationRequired}
	r = e.do("POST", "/api/v1/signin/temporaryAccessPass", `{"username":"ada@contoso.com","temporaryAccessPass":"x"}`, "")
	r.want(t, http.StatusOK)
	if body := r.object(t); body["status"] != "registration_required" || body["flowId"] != flowID {
		t.Errorf("body = %s", r.body)
	}
}

// A missing pass is a field error; a refused pass is the use case's one sentence.
func TestSigninWithPassRefused(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/signin/temporaryAccessPass", `{"username":"ada@contoso.com"}`, "")
	if _, target := r.apiError(t, http.StatusBadRequest, "invalid_request"); target != "temporaryAccessPass" {
		t.Errorf("target = %q", target)
	}
	e.signin.errs["TemporaryAccessPass"] = signin.ErrPass
	r = e.do("POST", "/api/v1/signin/temporaryAccessPass", `{"username":"ada@contoso.com","temporaryAccessPass":"WRONG"}`, "")
	if msg, _ := r.apiError(t, http.StatusUnauthorized, "unauthorized"); msg != twofold.ErrorMessage(signin.ErrPass) {
		t.Errorf("message = %q", msg)
	}
}
