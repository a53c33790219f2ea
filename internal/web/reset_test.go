package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/reset"
)

// fakeReset is a reset of one member with a mobile and an app, two required.
type fakeReset struct {
	eligible bool
	proven   int
	step     *reset.Step
	password string
}

var (
	fakeText = reset.Option{Choice: "p1.text", ResetOption: methodkind.ResetOption{MethodID: "p1", Kind: twofold.KindPhone,
		Proof: methodkind.ProofText, Label: "Text my mobile phone +1 XXXXXXX123", Masked: "+1 XXXXXXX123", Target: "+14255550123"}}
	fakeApp = reset.Option{Choice: "a1.appCode", ResetOption: methodkind.ResetOption{MethodID: "a1", Kind: twofold.KindSoftwareOath,
		Proof: methodkind.ProofAppCode, Label: "Enter a code from my authenticator app"}}
)

func (f *fakeReset) Start(_ context.Context, username, pow string, _ twofold.Client) (string, error) {
	if !strings.Contains(username, "@") {
		return "", twofold.FieldError("username", "Enter your user name in the form name@example.com.")
	}
	return "attempt-1", nil
}

func (f *fakeReset) view() *reset.View {
	if !f.eligible {
		return &reset.View{Refusal: twofold.Errorf(twofold.EFORBIDDEN, "You can't reset your password here. Contact your administrator: help@contoso.test")}
	}
	v := &reset.View{Eligible: true, Required: 2, Proven: f.proven, State: twofold.ResetVerifying, Step: f.step, MinPasswordLength: 8}
	if f.proven >= 2 {
		v.State = twofold.ResetVerified
		v.PasswordWords = []string{"ada@contoso.test", "Ada Lovelace", "Contoso"}
	}
	if f.proven == 0 {
		v.Options = []reset.Option{fakeText, fakeApp}
	} else {
		v.Options = []reset.Option{fakeApp}
	}
	return v
}

func (f *fakeReset) Attempt(_ context.Context, id string) (*reset.View, error) {
	if id != "attempt-1" {
		return nil, reset.ErrGone
	}
	return f.view(), nil
}

func (f *fakeReset) Begin(_ context.Context, _, choice, target string, _ twofold.Client) (*reset.View, error) {
	o := fakeApp
	if choice == fakeText.Choice {
		if target != "+14255550123" {
			return nil, twofold.FieldError("target", "That isn't the phone number we have.")
		}
		o = fakeText
	}
	f.step = &reset.Step{Option: o}
	return f.view(), nil
}

func (f *fakeReset) Verify(_ context.Context, _ string, ans reset.Answer, _ twofold.Client) (*reset.View, error) {
	if ans.Code != "123456" {
		return nil, twofold.FieldError("code", "That code didn't work.")
	}
	f.proven++
	f.step = nil
	return f.view(), nil
}

func (f *fakeReset) SetPassword(_ context.Context, _, pw, confirm string, _ twofold.Client) error {
	if pw != confirm {
		return twofold.FieldError("confirm", "The two passwords don't match.")
	}
	f.password = pw
	return nil
}

func newResetEnv(t *testing.T, f *fakeReset) *env {
	t.Helper()
	rec := &recorder{}
	logs := &bytes.Buffer{}
	e := &env{t: t, rec: rec, signin: newFakeSignin(rec), info: &fakeSecurityInfo{recorder: rec}, logs: logs}
	h, err := New(Deps{
		Signin: e.signin, Sessions: fakeSessions{rec}, SecurityInfo: e.info, Reset: f,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.h = httpx.RequestContext(nil, h)
	return e
}

const resetCk = "__Host-twofold_reset=attempt-1"

func TestResetPagesJourney(t *testing.T) {
	f := &fakeReset{eligible: true}
	e := newResetEnv(t, f)
	wantBody(t, e.do("GET", "/signin", nil), http.StatusOK, `href="/reset"`, "Forgot my password?")
	wantBody(t, e.do("GET", "/reset", nil), http.StatusOK, "Get back into your account", `name="username"`, `name="proofOfWork"`)
	wantBody(t, e.do("POST", "/reset", url.Values{"username": {"ada"}}), http.StatusBadRequest,
		"name@example.com", `aria-invalid="true"`, `id="error-summary"`)
	w := e.do("POST", "/reset", url.Values{"username": {"ada@contoso.test"}, "proofOfWork": {"ok"}})
	wantRedirect(t, w, "/reset/verify")
	if c := cookie(t, w, "__Host-twofold_reset"); !c.HttpOnly || !c.Secure || c.Value != "attempt-1" {
		t.Fatalf("reset cookie %+v", c)
	}
	wantBody(t, e.do("GET", "/reset/verify", nil, resetCk), http.StatusOK, "two different methods", "Text my mobile phone &#43;1 XXXXXXX123", fakeApp.Label)
	wantBody(t, e.do("POST", "/reset/choose", url.Values{"choice": {fakeText.Choice}}, resetCk), http.StatusOK,
		"type the whole number: &#43;1 XXXXXXX123", `name="target"`)
	wantBody(t, e.do("POST", "/reset/step", url.Values{"choice": {fakeText.Choice}, "target": {"+14255550999"}}, resetCk),
		http.StatusBadRequest, "That isn&#39;t the phone number we have.", `aria-invalid="true"`)
	wantBody(t, e.do("POST", "/reset/step", url.Values{"choice": {fakeText.Choice}, "target": {"+14255550123"}}, resetCk),
		http.StatusOK, "We texted a 6-digit code to &#43;1 XXXXXXX123", "Step 1 of 2", `name="code"`)
	wantBody(t, e.do("POST", "/reset/verify", url.Values{"code": {"000000"}}, resetCk), http.StatusBadRequest, "That code didn&#39;t work.")
	if f.step == nil {
		t.Fatal("a wrong code ended the step")
	}
	wantBody(t, e.do("POST", "/reset/verify", url.Values{"code": {"123456"}}, resetCk), http.StatusOK, fakeApp.Label)
	wantBody(t, e.do("POST", "/reset/choose", url.Values{"choice": {fakeApp.Choice}}, resetCk), http.StatusOK,
		"Enter the 6-digit code your authenticator app shows now", "Step 2 of 2")
	wantRedirect(t, e.do("POST", "/reset/verify", url.Values{"code": {"123456"}}, resetCk), "/reset/password")
	wantBody(t, e.do("GET", "/reset/password", nil, resetCk), http.StatusOK, `autocomplete="new-password"`, `name="confirm"`,
		`data-password-words="ada@contoso.test|Ada Lovelace|Contoso"`, `/static/password-rules.`)
	wantBody(t, e.do("POST", "/reset/password", url.Values{"password": {"a b c d e f"}, "confirm": {"a b c d e"}}, resetCk),
		http.StatusBadRequest, "The two passwords don&#39;t match.")
	w = e.do("POST", "/reset/password", url.Values{"password": {"a b c d e f"}, "confirm": {"a b c d e f"}}, resetCk)
	wantBody(t, w, http.StatusOK, "Your password was reset. Sign in with your new password.", `href="/signin"`)
	if c := cookie(t, w, "__Host-twofold_reset"); c.MaxAge >= 0 {
		t.Fatalf("reset cookie not cleared: %+v", c)
	}
	if strings.Contains(e.logs.String(), "a b c d e f") {
		t.Fatal("the new password reached the log")
	}
}

func TestResetContactAndExpiry(t *testing.T) {
	e := newResetEnv(t, &fakeReset{})
	wantBody(t, e.do("GET", "/reset/verify", nil, resetCk), http.StatusOK,
		"You can&#39;t reset your password here. Contact your administrator: help@contoso.test")
	wantRedirect(t, e.do("GET", "/reset/verify", nil), "/reset")
	wantRedirect(t, e.do("GET", "/reset/verify", nil, "__Host-twofold_reset=old"), "/reset?m=expired")
	wantBody(t, e.do("GET", "/reset?m=expired", nil), http.StatusOK, "Your password reset expired.")
}
