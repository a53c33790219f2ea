package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
)

func TestSigninMFARequired(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"correct horse"}`, "")
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "flow", body, "flowId", "status", "methods", "defaultMethod")
	if body["flowId"] != flowID || body["status"] != "mfa_required" || body["defaultMethod"] != "oath" {
		t.Errorf("body = %v", body)
	}
	methods, _ := body["methods"].([]any)
	if len(methods) != 2 {
		t.Fatalf("methods = %v", body["methods"])
	}
	wantKeys(t, "method", methods[0], "id", "methodType", "displayName", "preference", "label", "isDefault")
	first, second := methods[0].(map[string]any), methods[1].(map[string]any)
	if first["id"] != "m1" || first["methodType"] != "softwareOath" || first["displayName"] != "Phone" || first["isDefault"] != true ||
		first["preference"] != "oath" || first["label"] != "Authenticator app – code" {
		t.Errorf("first method = %v", first)
	}
	if second["isDefault"] != false {
		t.Errorf("second method = %v", second)
	}
	c := e.rec.last()
	if c.name != "Password" || c.args[0] != "ada@contoso.com" || c.args[1] != "correct horse" || c.args[2] != "192.0.2.1" {
		t.Errorf("call = %v", c)
	}
}

func TestSigninRegistrationRequired(t *testing.T) {
	e := newEnv(t)
	e.signin.result = &signin.Result{FlowID: flowID, State: twofold.FlowRegistrationRequired}
	r := e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "")
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "flow", body, "flowId", "status", "methods", "defaultMethod")
	if body["status"] != "registration_required" || body["defaultMethod"] != "none" || len(body["methods"].([]any)) != 0 {
		t.Errorf("body = %s", r.body)
	}
}

func TestSigninSignedInAtOnce(t *testing.T) {
	e := newEnv(t)
	e.signin.result = signedIn()
	r := e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "")
	r.want(t, http.StatusOK)
	wantSignedIn(t, r)
}

func wantSignedIn(t *testing.T, r *response) {
	t.Helper()
	body := r.object(t)
	wantKeys(t, "signed in", body, "status", "sessionToken", "expiresDateTime")
	if body["status"] != "signed_in" || body["sessionToken"] != newToken || body["expiresDateTime"] != "2026-03-02T09:30:00Z" {
		t.Errorf("body = %s", r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", r.header.Get("Cache-Control"))
	}
}

// Unknown user and wrong password are one answer: the use case returns the same
// error, and the API adds nothing that could tell them apart.
func TestSigninFailureIsOneSentence(t *testing.T) {
	var bodies []string
	for _, username := range []string{"nobody@contoso.com", "ada@contoso.com"} {
		e := newEnv(t)
		e.signin.errs["Password"] = signin.ErrCredentials
		r := e.do("POST", "/api/v1/signin", `{"username":"`+username+`","password":"wrong"}`, "")
		msg, _ := r.apiError(t, http.StatusUnauthorized, "unauthorized")
		if msg != "Your user name or password is incorrect, or your account is locked for a few minutes after too many tries." {
			t.Errorf("message = %q", msg)
		}
		bodies = append(bodies, string(r.body))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("answers differ:\n%s\n%s", bodies[0], bodies[1])
	}
}

func TestSigninStatus(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/signin/"+flowID, "", "")
	r.want(t, http.StatusOK)
	wantKeys(t, "flow", r.object(t), "flowId", "status", "methods", "defaultMethod")
	if c := e.rec.last(); c.name != "Resume" || c.args[0] != flowID {
		t.Errorf("call = %v", c)
	}

	e.signin.errs["Resume"] = signin.ErrFlowGone
	e.do("GET", "/api/v1/signin/"+flowID, "", "").apiError(t, http.StatusGone, "expired")
}

func TestSigninVerify(t *testing.T) {
	for _, tc := range []struct{ body, methodID string }{
		{`{"methodId":"m2","code":"123 456"}`, "m2"},
		{`{"code":"123456"}`, ""},
	} {
		e := newEnv(t)
		r := e.do("POST", "/api/v1/signin/"+flowID+"/verify", tc.body, "")
		r.want(t, http.StatusOK)
		wantSignedIn(t, r)
		if c := e.rec.last(); c.name != "Verify" || c.args[0] != flowID || c.args[1] != tc.methodID {
			t.Errorf("call = %v", c)
		}
	}
}

func TestSigninVerifyWrongCode(t *testing.T) {
	e := newEnv(t)
	e.signin.errs["Verify"] = twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")
	_, target := e.do("POST", "/api/v1/signin/"+flowID+"/verify", `{"code":"000000"}`, "").apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "code" {
		t.Errorf("target = %q", target)
	}
}

func TestSigninBeginApp(t *testing.T) {
	for _, body := range []string{"", "{}", " \n"} {
		e := newEnv(t)
		r := e.do("POST", "/api/v1/signin/"+flowID+"/softwareOathMethods", body, "")
		r.want(t, http.StatusCreated)
		wantEnrolment(t, r)
		if c := e.rec.last(); c.name != "BeginRegistration" || c.args[0] != flowID {
			t.Errorf("call = %v", c)
		}
	}
	e := newEnv(t)
	e.do("POST", "/api/v1/signin/"+flowID+"/softwareOathMethods", `{"secret":"x"}`, "").apiError(t, http.StatusBadRequest, "invalid_request")
	if len(e.rec.calls) != 0 {
		t.Errorf("use case called for a bad body: %v", e.rec.calls)
	}
}

func wantEnrolment(t *testing.T, r *response) {
	t.Helper()
	body := r.object(t)
	wantKeys(t, "enrolment", body, "id", "secretKey", "otpauthUri")
	if body["id"] != appID || body["secretKey"] != secretKey || body["otpauthUri"] != otpauthURI {
		t.Errorf("body = %s", r.body)
	}
}

func TestSigninActivateApp(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/signin/"+flowID+"/softwareOathMethods/"+appID+"/activate",
		`{"verificationCode":"123456","displayName":"Work phone"}`, "")
	r.want(t, http.StatusOK)
	wantSignedIn(t, r)
	c := e.rec.last()
	if c.name != "FinishRegistration" || strings.Join(c.args, "|") != flowID+"|"+appID+"|Work phone|123456" {
		t.Errorf("call = %v", c)
	}
}

// The use case names its fields "code" and "name"; the API answers with the names
// the client sent.
func TestSigninActivateFieldNames(t *testing.T) {
	for field, want := range map[string]string{"code": "verificationCode", "name": "displayName"} {
		e := newEnv(t)
		e.signin.errs["FinishRegistration"] = twofold.FieldError(field, "Not this one.")
		_, target := e.do("POST", "/api/v1/signin/"+flowID+"/softwareOathMethods/"+appID+"/activate",
			`{"verificationCode":"123456"}`, "").apiError(t, http.StatusBadRequest, "invalid_request")
		if target != want {
			t.Errorf("field %q: target = %q, want %q", field, target, want)
		}
	}
}

func TestSigninCancel(t *testing.T) {
	e := newEnv(t)
	e.do("DELETE", "/api/v1/signin/"+flowID, "", "").want(t, http.StatusNoContent)
	if c := e.rec.last(); c.name != "Cancel" || c.args[0] != flowID {
		t.Errorf("call = %v", c)
	}
}

func TestSigninRequiredFields(t *testing.T) {
	for _, tc := range []struct{ path, body, field string }{
		{"/api/v1/signin", `{"password":"pw"}`, "username"},
		{"/api/v1/signin", `{"username":"ada@contoso.com"}`, "password"},
		{"/api/v1/signin", `{"username":"ada@contoso.com","password":""}`, "password"},
		{"/api/v1/signin/" + flowID + "/verify", `{"methodId":"m1"}`, "code"},
		{"/api/v1/signin/" + flowID + "/softwareOathMethods/" + appID + "/activate", `{"displayName":"x"}`, "verificationCode"},
	} {
		e := newEnv(t)
		msg, target := e.do("POST", tc.path, tc.body, "").apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field || !strings.Contains(msg, `"`+tc.field+`"`) {
			t.Errorf("%s %s: target %q, message %q; want them to name %q", tc.path, tc.body, target, msg, tc.field)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", tc.path, e.rec.calls)
		}
	}
}
