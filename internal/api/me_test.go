package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

func TestMe(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/me", "", goodToken)
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "me", body, "id", "userPrincipalName", "displayName", "organization")
	wantKeys(t, "organization", body["organization"], "id", "displayName")
	if body["id"] != "u1" || body["userPrincipalName"] != "ada@contoso.com" || body["displayName"] != "Ada Lovelace" ||
		body["organization"].(map[string]any)["displayName"] != "Contoso" {
		t.Errorf("body = %s", r.body)
	}
}

func TestListMethods(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/me/authentication/methods", "", goodToken)
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "collection", body, "value")
	value := body["value"].([]any)
	if len(value) != 2 {
		t.Fatalf("value = %s", r.body)
	}
	wantKeys(t, "method", value[0], "id", "@odata.type", "displayName", "createdDateTime")
	m := value[0].(map[string]any)
	if m["id"] != "m1" || m["@odata.type"] != "#microsoft.graph.softwareOathAuthenticationMethod" ||
		m["displayName"] != "Phone" || m["createdDateTime"] != "2026-03-01T09:30:00Z" {
		t.Errorf("method = %v", m)
	}
	// A phone carries Graph's phoneAuthenticationMethod properties too.
	wantKeys(t, "phone", value[1], "id", "@odata.type", "displayName", "createdDateTime", "phoneNumber", "phoneType", "smsSignInState")
	ph := value[1].(map[string]any)
	if ph["id"] != phoneID || ph["@odata.type"] != "#microsoft.graph.phoneAuthenticationMethod" ||
		ph["phoneNumber"] != mobileDisplay || ph["phoneType"] != "mobile" || ph["smsSignInState"] != "notSupported" {
		t.Errorf("phone = %v", ph)
	}

	e.secinfo.methods = nil
	r = e.do("GET", "/api/v1/me/authentication/methods", "", goodToken)
	r.want(t, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != `{"value":[]}` {
		t.Errorf("empty list = %s, want an empty array", r.body)
	}
}

func TestBeginApp(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/me/authentication/softwareOathMethods", "", goodToken)
	r.want(t, http.StatusCreated)
	wantEnrolment(t, r)
	if loc := r.header.Get("Location"); loc != "/api/v1/me/authentication/softwareOathMethods/"+appID {
		t.Errorf("Location = %q", loc)
	}
	e.secinfo.errs["BeginApp"] = twofold.Errorf(twofold.ECONFLICT, "You already have 5 authenticator apps.")
	e.do("POST", "/api/v1/me/authentication/softwareOathMethods", "{}", goodToken).apiError(t, http.StatusConflict, "conflict")
}

func TestGetApp(t *testing.T) {
	e := newEnv(t)
	// Pending: the setup again.
	r := e.do("GET", "/api/v1/me/authentication/softwareOathMethods/"+appID, "", goodToken)
	r.want(t, http.StatusOK)
	wantEnrolment(t, r)
	// Active: the method, never its secret.
	r = e.do("GET", "/api/v1/me/authentication/softwareOathMethods/m1", "", goodToken)
	r.want(t, http.StatusOK)
	wantKeys(t, "method", r.object(t), "id", "@odata.type", "displayName", "createdDateTime")
	// Neither, including another member's ID.
	e.do("GET", "/api/v1/me/authentication/softwareOathMethods/someone-elses", "", goodToken).apiError(t, http.StatusNotFound, "not_found")
	// A stale second factor is not turned into a not-found.
	e.secinfo.errs["Method"] = securityinfo.ErrReauth
	e.do("GET", "/api/v1/me/authentication/softwareOathMethods/m1", "", goodToken).apiError(t, http.StatusForbidden, "reauthentication_required")
}

func TestActivateApp(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/me/authentication/softwareOathMethods/"+appID+"/activate",
		`{"verificationCode":"123456","displayName":"Work phone"}`, goodToken)
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "method", body, "id", "@odata.type", "displayName", "createdDateTime")
	if body["id"] != appID || body["displayName"] != "Work phone" {
		t.Errorf("body = %s", r.body)
	}
	if c := e.rec.last(); c.name != "ActivateApp" || strings.Join(c.args, "|") != appID+"|Work phone|123456" {
		t.Errorf("call = %v", c)
	}
	// displayName is optional.
	r = e.do("POST", "/api/v1/me/authentication/softwareOathMethods/"+appID+"/activate", `{"verificationCode":"123456"}`, goodToken)
	r.want(t, http.StatusOK)
	if r.object(t)["displayName"] != "Authenticator app" {
		t.Errorf("body = %s", r.body)
	}
	e.secinfo.errs["ActivateApp"] = twofold.FieldError("code", "That code didn't work.")
	_, target := e.do("POST", "/api/v1/me/authentication/softwareOathMethods/"+appID+"/activate",
		`{"verificationCode":"000000"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "verificationCode" {
		t.Errorf("target = %q", target)
	}
}

func TestDeleteMethod(t *testing.T) {
	e := newEnv(t)
	e.do("DELETE", "/api/v1/me/authentication/methods/m1", "", goodToken).want(t, http.StatusNoContent)
	if c := e.rec.last(); c.name != "Delete" || c.args[0] != "m1" {
		t.Errorf("call = %v", c)
	}
	// Another member's method: the use case does not find it, and neither do we.
	e.do("DELETE", "/api/v1/me/authentication/methods/m-of-bob", "", goodToken).apiError(t, http.StatusNotFound, "not_found")
}

func TestSignInPreferences(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/me/authentication/signInPreferences", "", goodToken)
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "preferences", body, "userPreferredMethodForSecondaryAuthentication", "isSystemPreferredAuthenticationMethodEnabled")
	if body["userPreferredMethodForSecondaryAuthentication"] != "oath" || body["isSystemPreferredAuthenticationMethodEnabled"] != false {
		t.Errorf("body = %s", r.body)
	}

	r = e.do("PATCH", "/api/v1/me/authentication/signInPreferences",
		`{"userPreferredMethodForSecondaryAuthentication":"oath","isSystemPreferredAuthenticationMethodEnabled":false}`, goodToken)
	r.want(t, http.StatusOK)
	if r.object(t)["userPreferredMethodForSecondaryAuthentication"] != "oath" {
		t.Errorf("body = %s", r.body)
	}
	if c := e.rec.last(); c.name != "SetDefault" || c.args[0] != "oath" {
		t.Errorf("call = %v", c)
	}

	// The phone values are taken when the member has the phone.
	for _, pref := range []string{"sms", "voiceMobile"} {
		r = e.do("PATCH", "/api/v1/me/authentication/signInPreferences",
			`{"userPreferredMethodForSecondaryAuthentication":"`+pref+`"}`, goodToken)
		r.want(t, http.StatusOK)
		if r.object(t)["userPreferredMethodForSecondaryAuthentication"] != pref {
			t.Errorf("%s: body = %s", pref, r.body)
		}
		if c := e.rec.last(); c.name != "SetDefault" || c.args[0] != pref {
			t.Errorf("%s: call = %v", pref, c)
		}
	}

	for body, field := range map[string]string{
		`{"userPreferredMethodForSecondaryAuthentication":"voiceOffice"}`:                                              "userPreferredMethodForSecondaryAuthentication",
		`{"isSystemPreferredAuthenticationMethodEnabled":false}`:                                                       "userPreferredMethodForSecondaryAuthentication",
		`{"userPreferredMethodForSecondaryAuthentication":"oath","isSystemPreferredAuthenticationMethodEnabled":true}`: "isSystemPreferredAuthenticationMethodEnabled",
	} {
		_, target := e.do("PATCH", "/api/v1/me/authentication/signInPreferences", body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != field {
			t.Errorf("%s: target = %q, want %q", body, target, field)
		}
	}
	// Values that are no default at all are refused before the use case, with the list.
	for _, pref := range []string{"none", "voice", "SMS", "push"} {
		e.rec.calls = nil
		msg, target := e.do("PATCH", "/api/v1/me/authentication/signInPreferences",
			`{"userPreferredMethodForSecondaryAuthentication":"`+pref+`"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != "userPreferredMethodForSecondaryAuthentication" || !strings.Contains(msg, `"voiceAlternateMobile"`) {
			t.Errorf("%s: target %q, message %q", pref, target, msg)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", pref, e.rec.calls)
		}
	}
}

func TestReverify(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/api/v1/me/authentication/verify", `{"code":"123456"}`, goodToken).want(t, http.StatusOK)
	if c := e.rec.last(); c.name != "Reverify" || c.args[0] != "123456" {
		t.Errorf("call = %v", c)
	}
	e.secinfo.errs["Reverify"] = twofold.Errorf(twofold.ERATELIMIT, "Verification is blocked for now.")
	r := e.do("POST", "/api/v1/me/authentication/verify", `{"code":"123456"}`, goodToken)
	r.apiError(t, http.StatusTooManyRequests, "too_many_requests")
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestSessions(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/me/sessions", "", goodToken)
	r.want(t, http.StatusOK)
	value := r.object(t)["value"].([]any)
	if len(value) != 2 {
		t.Fatalf("body = %s", r.body)
	}
	wantKeys(t, "session", value[0], "id", "createdDateTime", "lastActivityDateTime", "expiresDateTime",
		"mfaDateTime", "ipAddress", "userAgent", "isCurrent")
	if value[0].(map[string]any)["isCurrent"] != true || value[1].(map[string]any)["isCurrent"] != false {
		t.Errorf("isCurrent wrong: %s", r.body)
	}
	if _, ok := value[1].(map[string]any)["mfaDateTime"]; ok {
		t.Errorf("mfaDateTime shown for a session without a second factor: %s", r.body)
	}
	if strings.Contains(string(r.body), "hash") || strings.Contains(string(r.body), goodToken) {
		t.Errorf("sessions list leaks a token or hash: %s", r.body)
	}
}

func TestSignOut(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/api/v1/me/signOut", "", goodToken).want(t, http.StatusNoContent)
	if c := e.rec.last(); c.name != "SignOut" || c.args[0] != "s1" {
		t.Errorf("call = %v", c)
	}
	r := e.do("POST", "/api/v1/me/revokeSignInSessions", "", goodToken)
	r.want(t, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != `{"value":true}` {
		t.Errorf("body = %s", r.body)
	}
	if c := e.rec.last(); c.name != "SignOutEverywhere" {
		t.Errorf("call = %v", c)
	}
}

// memberRoutes are every call that needs a bearer token, with a valid body.
var memberRoutes = []struct{ method, path, body string }{
	{"GET", "/api/v1/me", ""},
	{"GET", "/api/v1/me/authentication/methods", ""},
	{"DELETE", "/api/v1/me/authentication/methods/m1", ""},
	{"POST", "/api/v1/me/authentication/softwareOathMethods", ""},
	{"GET", "/api/v1/me/authentication/softwareOathMethods/m1", ""},
	{"POST", "/api/v1/me/authentication/softwareOathMethods/" + appID + "/activate", `{"verificationCode":"123456"}`},
	{"GET", "/api/v1/me/authentication/signInPreferences", ""},
	{"PATCH", "/api/v1/me/authentication/signInPreferences", `{"userPreferredMethodForSecondaryAuthentication":"oath"}`},
	{"GET", "/api/v1/me/authentication/phoneMethods", ""},
	{"POST", "/api/v1/me/authentication/phoneMethods", `{"phoneNumber":"+1 4255550100","phoneType":"mobile","verificationMethod":"sms"}`},
	{"GET", "/api/v1/me/authentication/phoneMethods/" + phoneID, ""},
	{"PATCH", "/api/v1/me/authentication/phoneMethods/" + phoneID, `{"phoneNumber":"+1 4255550100","verificationMethod":"voice"}`},
	{"DELETE", "/api/v1/me/authentication/phoneMethods/" + phoneID, ""},
	{"GET", "/api/v1/me/authentication/phoneMethods/verifications/" + verificationID, ""},
	{"POST", "/api/v1/me/authentication/phoneMethods/verifications/" + verificationID + "/complete", `{"code":"123456"}`},
	{"POST", "/api/v1/me/authentication/verify", `{"code":"123456"}`},
	{"POST", "/api/v1/me/authentication/verify", `{"methodId":"` + phoneID + `","code":"123456"}`},
	{"GET", "/api/v1/me/authentication/verify/options", ""},
	{"POST", "/api/v1/me/authentication/verify/challenge", `{"methodId":"` + phoneID + `","preference":"sms"}`},
	{"GET", "/api/v1/me/authentication/verify/challenge", ""},
	{"POST", "/api/v1/me/authentication/verify/call", ""},
	{"GET", "/api/v1/me/sessions", ""},
	{"POST", "/api/v1/me/signOut", ""},
	{"POST", "/api/v1/me/revokeSignInSessions", ""},
}

func TestBearerRequired(t *testing.T) {
	for _, rt := range memberRoutes {
		for name, auth := range map[string]string{
			"missing":     "",
			"bad token":   "Bearer not-a-live-session",
			"wrong type":  "Basic " + goodToken,
			"empty token": "Bearer ",
			"no scheme":   goodToken,
		} {
			e := newEnv(t)
			req := newRequest(rt.method, rt.path, rt.body)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			r := e.serve(req)
			r.apiError(t, http.StatusUnauthorized, "unauthorized")
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s (%s): WWW-Authenticate = %q", rt.method, rt.path, name, r.header.Get("WWW-Authenticate"))
			}
			if len(e.rec.calls) != 0 {
				t.Errorf("%s %s (%s): use case called: %v", rt.method, rt.path, name, e.rec.calls)
			}
		}
		// And every route works with the token.
		e := newEnv(t)
		if r := e.do(rt.method, rt.path, rt.body, goodToken); r.status >= 300 {
			t.Errorf("%s %s with token: %d %s", rt.method, rt.path, r.status, r.body)
		}
	}
}

func TestBearerSchemeCaseInsensitive(t *testing.T) {
	e := newEnv(t)
	req := newRequest("GET", "/api/v1/me", "")
	req.Header.Set("Authorization", "bearer "+goodToken)
	e.serve(req).want(t, http.StatusOK)
}
