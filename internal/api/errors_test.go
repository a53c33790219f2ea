package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// bodyRoutes are every call that reads a JSON body; token is sent when set.
var bodyRoutes = []struct{ method, path, token string }{
	{"POST", "/api/v1/signin", ""},
	{"POST", "/api/v1/signin/" + flowID + "/verify", ""},
	{"POST", "/api/v1/signin/" + flowID + "/challenge", ""},
	{"POST", "/api/v1/signin/" + flowID + "/call/complete", ""},
	{"POST", "/api/v1/signin/" + flowID + "/softwareOathMethods", ""},
	{"POST", "/api/v1/signin/" + flowID + "/softwareOathMethods/" + appID + "/activate", ""},
	{"POST", "/api/v1/me/authentication/softwareOathMethods", goodToken},
	{"POST", "/api/v1/me/authentication/softwareOathMethods/" + appID + "/activate", goodToken},
	{"PATCH", "/api/v1/me/authentication/signInPreferences", goodToken},
	{"POST", "/api/v1/me/authentication/phoneMethods", goodToken},
	{"PATCH", "/api/v1/me/authentication/phoneMethods/" + phoneID, goodToken},
	{"POST", "/api/v1/me/authentication/phoneMethods/verifications/" + verificationID + "/complete", goodToken},
	{"POST", "/api/v1/me/authentication/verify", goodToken},
	{"POST", "/api/v1/me/authentication/verify/challenge", goodToken},
	{"POST", "/api/v1/me/authentication/verify/call", goodToken},
	{"POST", "/api/v1/me/signOut", goodToken},
	{"POST", "/api/v1/me/revokeSignInSessions", goodToken},
}

func TestBadJSON(t *testing.T) {
	huge := `{"username":"` + strings.Repeat("a", 70<<10) + `","password":"x"}`
	cases := []struct {
		name, body string
		optional   bool // a call whose body may be left out accepts this one
	}{
		{"empty body", "", true},
		{"only spaces", "  \n ", true},
		{"array", `[]`, false},
		{"wrong type", `{"username":5}`, false},
		{"70 KB", huge, false},
		{"invalid UTF-8", "{\"username\":\"\xff\xfe\",\"password\":\"x\"}", false},
		{"unknown field", `{"username":"ada@contoso.com","password":"x","admin":true}`, false},
		{"not JSON", `username=ada`, false},
		{"truncated", `{"username":"ada`, false},
		{"two objects", `{} {}`, false},
		{"null", `null`, false},
	}
	for _, rt := range bodyRoutes {
		optional := strings.HasSuffix(rt.path, "softwareOathMethods") || strings.HasPrefix(rt.path, "/api/v1/me/signOut") ||
			strings.HasSuffix(rt.path, "revokeSignInSessions") || strings.HasSuffix(rt.path, "/complete") ||
			strings.HasSuffix(rt.path, "/verify/call")
		for _, tc := range cases {
			if tc.optional && optional {
				continue
			}
			t.Run(rt.path+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				r := e.do(rt.method, rt.path, tc.body, rt.token)
				if tc.name == "null" && r.status < 300 {
					return // null decodes as "nothing sent", which a body-less call accepts
				}
				msg, _ := r.apiError(t, http.StatusBadRequest, "invalid_request")
				for _, internal := range []string{"json:", "Go ", "struct", "unmarshal", "reflect", "invalid character", "api."} {
					if strings.Contains(msg, internal) {
						t.Errorf("message %q shows internals (%q)", msg, internal)
					}
				}
				if strings.Contains(string(r.body), strings.Repeat("a", 100)) {
					t.Error("the answer echoes the body")
				}
				if len(e.rec.calls) != 0 {
					t.Errorf("use case called: %v", e.rec.calls)
				}
			})
		}
	}
}

func TestLongPathIDIsNotFound(t *testing.T) {
	long := strings.Repeat("x", maxID+1)
	routes := []struct{ method, path, body, token string }{
		{"GET", "/api/v1/signin/" + long, "", ""},
		{"DELETE", "/api/v1/signin/" + long, "", ""},
		{"POST", "/api/v1/signin/" + long + "/verify", `{"code":"123456"}`, ""},
		{"POST", "/api/v1/signin/" + long + "/softwareOathMethods", "", ""},
		{"POST", "/api/v1/signin/" + flowID + "/softwareOathMethods/" + long + "/activate", `{"verificationCode":"123456"}`, ""},
		{"POST", "/api/v1/signin/" + long + "/softwareOathMethods/" + appID + "/activate", `{"verificationCode":"123456"}`, ""},
		{"POST", "/api/v1/signin/" + long + "/challenge", `{"methodId":"` + phoneID + `","preference":"sms"}`, ""},
		{"GET", "/api/v1/signin/" + long + "/challenge", "", ""},
		{"POST", "/api/v1/signin/" + long + "/call/complete", "", ""},
		{"DELETE", "/api/v1/me/authentication/methods/" + long, "", goodToken},
		{"GET", "/api/v1/me/authentication/phoneMethods/" + long, "", goodToken},
		{"PATCH", "/api/v1/me/authentication/phoneMethods/" + long, `{"phoneNumber":"+14255550100","verificationMethod":"sms"}`, goodToken},
		{"DELETE", "/api/v1/me/authentication/phoneMethods/" + long, "", goodToken},
		{"GET", "/api/v1/me/authentication/phoneMethods/verifications/" + long, "", goodToken},
		{"POST", "/api/v1/me/authentication/phoneMethods/verifications/" + long + "/complete", `{"code":"123456"}`, goodToken},
		{"GET", "/api/v1/me/authentication/softwareOathMethods/" + long, "", goodToken},
		{"POST", "/api/v1/me/authentication/softwareOathMethods/" + long + "/activate", `{"verificationCode":"123456"}`, goodToken},
	}
	for _, rt := range routes {
		e := newEnv(t)
		e.do(rt.method, rt.path, rt.body, rt.token).apiError(t, http.StatusNotFound, "not_found")
		if len(e.rec.calls) != 0 {
			t.Errorf("%s %s: use case called", rt.method, rt.path)
		}
	}
	// 128 bytes is still passed on.
	e := newEnv(t)
	e.do("GET", "/api/v1/signin/"+strings.Repeat("x", maxID), "", "").want(t, http.StatusOK)
}

func TestReauthenticationRequired(t *testing.T) {
	for _, rt := range memberRoutes {
		if strings.Contains(rt.path, "/verify") || !strings.Contains(rt.path, "/authentication/") {
			continue // Reverify is how a member leaves this state; /me and sessions don't need it
		}
		e := newEnv(t)
		e.secinfo.errs["*"] = fmt.Errorf("securityinfo: wrapped: %w", securityinfo.ErrReauth)
		r := e.do(rt.method, rt.path, rt.body, goodToken)
		msg, _ := r.apiError(t, http.StatusForbidden, "reauthentication_required")
		if !strings.Contains(msg, "/api/v1/me/authentication/verify") {
			t.Errorf("%s %s: message %q doesn't say how to re-verify", rt.method, rt.path, msg)
		}
	}
}

func TestUnavailable(t *testing.T) {
	e := newEnv(t)
	e.signin.errs["Password"] = twofold.Errorf(twofold.EUNAVAILABLE, "We're busy. Try again in a moment.")
	r := e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "")
	r.apiError(t, http.StatusServiceUnavailable, "unavailable")
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

func TestInternalError(t *testing.T) {
	internal := errors.New("store: query methods: pq: relation \"methods\" does not exist at 10.0.0.7")
	for _, tc := range []struct {
		name  string
		setup func(e *env)
		req   func(e *env) *response
	}{
		{"signin", func(e *env) { e.signin.errs["Password"] = internal },
			func(e *env) *response {
				return e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "")
			}},
		{"authenticate", func(e *env) { e.sess.errs["Authenticate"] = internal },
			func(e *env) *response { return e.do("GET", "/api/v1/me", "", goodToken) }},
		{"methods", func(e *env) { e.secinfo.errs["Overview"] = fmt.Errorf("securityinfo: list: %w", internal) },
			func(e *env) *response { return e.do("GET", "/api/v1/me/authentication/methods", "", goodToken) }},
	} {
		e := newEnv(t)
		tc.setup(e)
		r := tc.req(e)
		msg, _ := r.apiError(t, http.StatusInternalServerError, "internal_error")
		if !strings.HasPrefix(msg, "Something went wrong") {
			t.Errorf("%s: message = %q", tc.name, msg)
		}
		for _, leak := range []string{"store", "pq", "relation", "10.0.0.7", "securityinfo"} {
			if strings.Contains(string(r.body), leak) {
				t.Errorf("%s: answer shows internal text %q: %s", tc.name, leak, r.body)
			}
		}
		if !strings.Contains(e.logs.String(), "does not exist") {
			t.Errorf("%s: internal error not logged: %s", tc.name, e.logs.String())
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", "/api/v1/signin", "POST"},
		{"PUT", "/api/v1/signin/" + flowID, "DELETE, GET, HEAD"},
		{"GET", "/api/v1/me/signOut", "POST"},
		{"DELETE", "/api/v1/me/authentication/signInPreferences", "GET, HEAD, PATCH"},
		{"POST", "/api/v1/me/authentication/methods", "GET, HEAD"},
		{"PUT", "/api/v1/me/authentication/phoneMethods/" + phoneID, "DELETE, GET, HEAD, PATCH"},
		{"DELETE", "/api/v1/me/authentication/phoneMethods", "GET, HEAD, POST"},
		{"DELETE", "/api/v1/signin/" + flowID + "/challenge", "GET, HEAD, POST"},
		{"GET", "/api/v1/me/authentication/verify/call", "POST"},
	} {
		e := newEnv(t)
		r := e.do(tc.method, tc.path, "", goodToken)
		r.apiError(t, http.StatusMethodNotAllowed, "method_not_allowed")
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}

func TestUnknownPath(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/", "/api/v1/nope", "/api/v1/me/", "/api/v1/me/authentication/smsMethods",
		"/api/v1/me/authentication/phoneMethods/" + phoneID + "/extra"} {
		e.do("GET", path, "", goodToken).apiError(t, http.StatusNotFound, "not_found")
	}
}

// Nothing secret reaches the log, even when requests fail: not passwords, codes,
// bearer tokens, TOTP secrets or flow IDs.
func TestSecretsNotLogged(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"Tr0ub4dor&3-secret"}`, "")
	e.signin.errs["*"] = errors.New("boom")
	e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"Tr0ub4dor&3-secret"}`, "")
	e.do("POST", "/api/v1/signin/"+flowID+"/verify", `{"code":"314159"}`, "")
	e.do("GET", "/api/v1/me", "", "not-a-live-session-token")
	e.secinfo.errs["Reverify"] = twofold.FieldError("code", "That code didn't work.")
	e.do("POST", "/api/v1/me/authentication/verify", `{"code":"271828"}`, goodToken)
	e.do("POST", "/api/v1/me/authentication/softwareOathMethods", "", goodToken)
	e.secinfo.errs["Reverify"] = phone.ErrWrongCode
	e.do("POST", "/api/v1/me/authentication/verify", `{"methodId":"`+phoneID+`","code":"161803"}`, goodToken)
	e.secinfo.errs["FinishPhone"] = errors.New("boom")
	e.do("POST", "/api/v1/me/authentication/phoneMethods/verifications/"+verificationID+"/complete", `{"code":"141421"}`, goodToken)
	logs := e.logs.String()
	if logs == "" {
		t.Fatal("nothing logged; the test proves nothing")
	}
	for _, secret := range []string{"Tr0ub4dor", "314159", "271828", "161803", "141421", goodToken, "not-a-live-session-token", secretKey, flowID} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds secret %q:\n%s", secret, logs)
		}
	}
}
