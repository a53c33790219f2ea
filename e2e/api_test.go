package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Black-box tests of the JSON API (docs/openapi.yaml) against the real
// binary, on SQLite and PostgreSQL, with the test's own authenticator app
// (totp_test.go). Helpers are in api_helpers_test.go.

// TestAPIJourney is a native client's whole life with one member: the
// registration interrupt, a replayed code, a fresh code, a second app, the
// default method, deletes, sign-out everywhere, and the audit log after.
func TestAPIJourney(t *testing.T) {
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		var secrets []string // what must never reach the server's logs

		// 1. Password → "More information required".
		first := c.signIn(t, alex)
		if first.Status != "registration_required" || first.FlowID == "" || len(first.Methods) != 0 || first.DefaultMethod != "none" {
			t.Fatalf("first sign-in: %+v, want registration_required, no methods, defaultMethod none", first)
		}
		secrets = append(secrets, first.FlowID)

		// 2. Set up an authenticator app; asking again shows the same setup.
		var setup1 oathSetup
		c.do("POST", "/signin/"+first.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &setup1)
		checkSetup(t, setup1, alex)
		var again oathSetup
		c.do("POST", "/signin/"+first.FlowID+"/softwareOathMethods", rawBody("{}")).want(t, http.StatusCreated).decode(t, &again)
		if again != setup1 {
			t.Errorf("asking for the setup again gave %+v, want the pending one %+v", again, setup1)
		}
		app1 := &authApp{secret: setup1.SecretKey}
		secrets = append(secrets, setup1.SecretKey)

		// 3. Activate it with our own code: signed in.
		activationCode := app1.code(t)
		activationStep := app1.lastStep
		var done signInAnswer
		c.do("POST", "/signin/"+first.FlowID+"/softwareOathMethods/"+setup1.ID+"/activate",
			map[string]string{"verificationCode": activationCode}).want(t, http.StatusOK).decode(t, &done)
		if done.Status != "signed_in" || len(done.SessionToken) < 22 {
			t.Fatalf("activation: %+v, want signed_in with a session token", done)
		}
		if exp, err := time.Parse(time.RFC3339, done.ExpiresDateTime); err != nil || !exp.After(time.Now().Add(time.Hour)) {
			t.Errorf("expiresDateTime %q is not an RFC 3339 time more than an hour ahead (%v)", done.ExpiresDateTime, err)
		}
		token1 := done.SessionToken
		secrets = append(secrets, token1)
		// The finished flow is gone.
		c.do("GET", "/signin/"+first.FlowID, nil).apiErr(t, http.StatusGone, "expired", "")

		var me struct {
			ID                string `json:"id"`
			UserPrincipalName string `json:"userPrincipalName"`
			DisplayName       string `json:"displayName"`
			Organization      struct {
				ID          string `json:"id"`
				DisplayName string `json:"displayName"`
			} `json:"organization"`
		}
		c.do("GET", "/me", nil, bearerToken(token1)).want(t, http.StatusOK).decode(t, &me)
		if me.UserPrincipalName != alex.Username || me.DisplayName != alex.Name || me.Organization.DisplayName != apiOrg.Name || me.ID == "" {
			t.Errorf("GET /me = %+v", me)
		}

		// 4. The method is listed.
		list := c.methods(t, token1)
		if len(list) != 1 || list[0].ID != setup1.ID || list[0].ODataType != "#microsoft.graph.softwareOathAuthenticationMethod" || list[0].DisplayName == "" {
			t.Fatalf("methods after registration = %+v, want the one app %s", list, setup1.ID)
		}
		if _, err := time.Parse(time.RFC3339, list[0].CreatedDateTime); err != nil {
			t.Errorf("createdDateTime %q: %v", list[0].CreatedDateTime, err)
		}

		// 5. The activation code again, on a new sign-in: refused as used.
		second := c.signIn(t, alex)
		if second.Status != "mfa_required" || second.DefaultMethod != "oath" || len(second.Methods) != 1 ||
			second.Methods[0].ID != setup1.ID || !second.Methods[0].IsDefault || second.Methods[0].MethodType != "softwareOath" {
			t.Fatalf("second sign-in: %+v, want mfa_required offering the app as default", second)
		}
		secrets = append(secrets, second.FlowID)
		if now := totpStep(time.Now()); now > activationStep+1 {
			t.Fatalf("the test took %d steps between activation and replay; the code is no longer in the window", now-activationStep)
		}
		e := c.do("POST", "/signin/"+second.FlowID+"/verify", map[string]string{"code": activationCode}).
			apiErr(t, http.StatusBadRequest, "invalid_request", "code")
		if !strings.Contains(strings.ToLower(e.Error.Message), "already") || !strings.Contains(strings.ToLower(e.Error.Message), "used") {
			t.Errorf("a replayed code is refused with %q; it should say the code was already used", e.Error.Message)
		}
		// A replay does not use up the flow.
		var st signInAnswer
		c.do("GET", "/signin/"+second.FlowID, nil).want(t, http.StatusOK).decode(t, &st)
		if st.Status != "mfa_required" {
			t.Errorf("after a replay the flow is %q, want mfa_required", st.Status)
		}

		// 6. The next step's code signs in, on the same flow.
		token2 := c.verify(t, second.FlowID, setup1.ID, app1.code(t))
		secrets = append(secrets, token2)
		if token2 == token1 {
			t.Errorf("a new sign-in returned the old session token")
		}

		// 7. A second app through Security info, named "Work phone".
		r := c.do("POST", "/me/authentication/softwareOathMethods", nil, bearerToken(token2)).want(t, http.StatusCreated)
		var setup2 oathSetup
		r.decode(t, &setup2)
		checkSetup(t, setup2, alex)
		if setup2.SecretKey == setup1.SecretKey || setup2.ID == setup1.ID {
			t.Errorf("the second app got the first one's secret or ID")
		}
		secrets = append(secrets, setup2.SecretKey)
		if loc, want := r.Header.Get("Location"), apiPrefix+"/me/authentication/softwareOathMethods/"+setup2.ID; loc != want {
			t.Errorf("Location %q, want %q", loc, want)
		}
		var pending oathSetup
		c.do("GET", "/me/authentication/softwareOathMethods/"+setup2.ID, nil, bearerToken(token2)).want(t, http.StatusOK).decode(t, &pending)
		if pending != setup2 {
			t.Errorf("GET of the pending setup = %+v, want %+v", pending, setup2)
		}
		if n := len(c.methods(t, token2)); n != 1 {
			t.Errorf("a pending setup is listed: %d methods, want 1", n)
		}
		app2 := &authApp{secret: setup2.SecretKey}
		var added apiMethod
		c.do("POST", "/me/authentication/softwareOathMethods/"+setup2.ID+"/activate",
			map[string]string{"verificationCode": app2.code(t), "displayName": "Work phone"}, bearerToken(token2)).
			want(t, http.StatusOK).decode(t, &added)
		if added.ID != setup2.ID || added.DisplayName != "Work phone" || added.ODataType != "#microsoft.graph.softwareOathAuthenticationMethod" {
			t.Errorf("activated method = %+v", added)
		}
		// The active app's secret is never shown again.
		r = c.do("GET", "/me/authentication/softwareOathMethods/"+setup2.ID, nil, bearerToken(token2)).want(t, http.StatusOK)
		if strings.Contains(string(r.Body), setup2.SecretKey) || strings.Contains(string(r.Body), "otpauth") {
			t.Errorf("an active app's secret is shown again: %s", r)
		}
		list = c.methods(t, token2)
		if len(list) != 2 || list[0].ID != setup1.ID || list[1].ID != setup2.ID || list[1].DisplayName != "Work phone" {
			t.Fatalf("methods after adding = %+v, want the first app then Work phone", list)
		}

		// 8. The default sign-in method.
		if p := c.preferred(t, token2); p != "oath" {
			t.Errorf("default = %q, want oath", p)
		}
		var prefs signInPrefs
		c.do("PATCH", "/me/authentication/signInPreferences", map[string]string{"userPreferredMethodForSecondaryAuthentication": "oath"},
			bearerToken(token2)).want(t, http.StatusOK).decode(t, &prefs)
		if prefs.Preferred != "oath" || prefs.SystemPrefOn {
			t.Errorf("PATCH to oath answered %+v", prefs)
		}
		for _, bad := range []string{"sms", "bogus"} {
			c.do("PATCH", "/me/authentication/signInPreferences", map[string]string{"userPreferredMethodForSecondaryAuthentication": bad},
				bearerToken(token2)).apiErr(t, http.StatusBadRequest, "invalid_request", "userPreferredMethodForSecondaryAuthentication")
		}
		if p := c.preferred(t, token2); p != "oath" {
			t.Errorf("default after refused changes = %q, want oath", p)
		}

		// 9. Delete the first app: the second remains, still the default kind.
		c.do("DELETE", "/me/authentication/methods/"+setup1.ID, nil, bearerToken(token2)).want(t, http.StatusNoContent)
		list = c.methods(t, token2)
		if len(list) != 1 || list[0].ID != setup2.ID || list[0].DisplayName != "Work phone" {
			t.Errorf("methods after deleting the first = %+v, want only Work phone", list)
		}
		if p := c.preferred(t, token2); p != "oath" {
			t.Errorf("default after deleting one of two apps = %q, want oath", p)
		}
		c.do("DELETE", "/me/authentication/methods/"+setup1.ID, nil, bearerToken(token2)).apiErr(t, http.StatusNotFound, "not_found", "")

		// 10. Delete the last one: no default.
		c.do("DELETE", "/me/authentication/methods/"+setup2.ID, nil, bearerToken(token2)).want(t, http.StatusNoContent)
		if list = c.methods(t, token2); len(list) != 0 {
			t.Errorf("methods after deleting both = %+v, want none", list)
		}
		if p := c.preferred(t, token2); p != "none" {
			t.Errorf("default with no methods = %q, want none", p)
		}

		// 11. Sign out everywhere: both sessions end.
		var sessions sessionList
		c.do("GET", "/me/sessions", nil, bearerToken(token2)).want(t, http.StatusOK).decode(t, &sessions)
		if len(sessions.Value) != 2 {
			t.Errorf("%d live sessions, want 2 (the interrupt's and the code's)", len(sessions.Value))
		}
		for _, ss := range sessions.Value {
			if ss.IsCurrent != (ss == sessions.Value[0]) {
				t.Errorf("session %+v: only the newest (this one) should be current", ss)
			}
		}
		var revoked struct {
			Value bool `json:"value"`
		}
		c.do("POST", "/me/revokeSignInSessions", nil, bearerToken(token2)).want(t, http.StatusOK).decode(t, &revoked)
		if !revoked.Value {
			t.Errorf("revokeSignInSessions answered value false")
		}
		for name, tok := range map[string]string{"the revoking session's token": token2, "the other session's token": token1} {
			r := c.do("GET", "/me", nil, bearerToken(tok))
			r.apiErr(t, http.StatusUnauthorized, "unauthorized", "")
			if h := r.Header.Get("WWW-Authenticate"); !strings.Contains(h, "Bearer") || !strings.Contains(h, "invalid_token") {
				t.Errorf("%s after sign-out everywhere: WWW-Authenticate %q", name, h)
			}
		}

		// 12. The audit log names each change as SPEC §9 does.
		count := map[string]int{}
		for _, e := range auditLog(t, s) {
			if e.TargetName == alex.Username && e.Result == "success" {
				count[e.Activity]++
			}
		}
		for activity, want := range map[string]int{
			"User registered security info":      2, // the interrupt's app and Work phone
			"User deleted security info":         2,
			"User changed default security info": 1, // oath → none when the last app went
			"Sign-in":                            2, // the interrupt and the fresh code
		} {
			if count[activity] < want {
				t.Errorf("the audit log has %d successful %q for %s, want at least %d; all: %v", count[activity], activity, alex.Username, want, count)
			}
		}
		var failures []string
		for _, e := range auditLog(t, s) {
			if e.Activity == "Sign-in" && e.Result == "failure" && e.TargetName == alex.Username {
				failures = append(failures, e.Reason)
			}
		}
		if len(failures) != 1 {
			t.Errorf("failed sign-ins audited for %s: %q, want one (the replay)", alex.Username, failures)
		}

		// 13. No secret reached the logs.
		logs := s.Logs()
		for _, secret := range append(secrets, alex.Password, activationCode) {
			if strings.Contains(logs, secret) {
				t.Errorf("the server's logs contain a secret (%.6s…)", secret)
			}
		}
	})
}

// badCase is one refused request of TestAPIBadInputChangesNothing.
type badCase struct {
	name   string
	method string
	path   string
	body   any
	token  string // "" for none
	status int
	code   string
	target string // "-": don't check
	// counts: a refused attempt the audit log rightly records as a failed
	// sign-in (a replayed code). Any other case must leave the log as it was.
	counts bool
}

// TestAPIBadInputChangesNothing sends every body-taking call a table of
// malformed, oversized, mistyped and foreign input: each is refused with the
// documented JSON error and a sentence for people, and nothing changes.
func TestAPIBadInputChangesNothing(t *testing.T) {
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		bob := seedMember(t, s, "bob", "Bob Kelly")
		carol := seedMember(t, s, "carol", "Carol Ng")
		// Dave and Erin only sign out (everywhere), so that a bad body the
		// server wrongly accepts ends their sessions and not Alex's.
		dave := seedMember(t, s, "dave", "Dave Li")
		erin := seedMember(t, s, "erin", "Erin Ho")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, dave, "")
		c.registerByInterrupt(t, erin, "")

		// Bob: one active app and one pending setup, neither of which Alex may touch.
		c.registerByInterrupt(t, bob, "")
		var bobPending oathSetup
		c.do("POST", "/me/authentication/softwareOathMethods", nil, bearerToken(bob.token)).want(t, http.StatusCreated).decode(t, &bobPending)
		bobBefore := c.methods(t, bob.token)

		// Carol: a flow waiting in "More information required", with a pending setup.
		carolFlow := c.signIn(t, carol)
		if carolFlow.Status != "registration_required" {
			t.Fatalf("carol: %+v", carolFlow)
		}
		var carolSetup oathSetup
		c.do("POST", "/signin/"+carolFlow.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &carolSetup)

		// Alex, last, so the activation code is still in the window below: an
		// active app, a pending setup, a session, and a flow waiting for a code.
		regFlow := c.signIn(t, alex) // finished below, then a flow ID that is no longer live
		if regFlow.Status != "registration_required" {
			t.Fatalf("alex's first sign-in: %+v", regFlow)
		}
		var alexSetup oathSetup
		c.do("POST", "/signin/"+regFlow.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &alexSetup)
		alex.app = &authApp{secret: alexSetup.SecretKey}
		alex.methodID = alexSetup.ID
		usedCode := alex.app.code(t)
		usedStep := alex.app.lastStep
		var done signInAnswer
		c.do("POST", "/signin/"+regFlow.FlowID+"/softwareOathMethods/"+alexSetup.ID+"/activate",
			map[string]string{"verificationCode": usedCode}).want(t, http.StatusOK).decode(t, &done)
		alex.token = done.SessionToken
		finishedFlow := regFlow.FlowID
		var alexPending oathSetup
		c.do("POST", "/me/authentication/softwareOathMethods", nil, bearerToken(alex.token)).want(t, http.StatusCreated).decode(t, &alexPending)
		mfaFlow := c.signIn(t, alex)
		if mfaFlow.Status != "mfa_required" {
			t.Fatalf("alex's second sign-in: %+v", mfaFlow)
		}
		alexBefore := c.methods(t, alex.token)
		var sessionsBefore sessionList
		c.do("GET", "/me/sessions", nil, bearerToken(alex.token)).want(t, http.StatusOK).decode(t, &sessionsBefore)

		auditBefore := len(auditLog(t, s))

		// The replays come first, while the activation code is inside the
		// ±1 step window (later it would merely be a wrong code).
		if now := totpStep(time.Now()); now > usedStep+1 {
			t.Fatalf("setup took too long: %d steps since the activation code", now-usedStep)
		}
		var cases []badCase
		add := func(bc badCase) { cases = append(cases, bc) }
		add(badCase{name: "reused code on verify", method: "POST", path: "/signin/" + mfaFlow.FlowID + "/verify",
			body: map[string]string{"code": usedCode}, status: 400, code: "invalid_request", target: "code", counts: true})
		add(badCase{name: "reused code on verify, with methodId", method: "POST", path: "/signin/" + mfaFlow.FlowID + "/verify",
			body: map[string]string{"code": usedCode, "methodId": alex.methodID}, status: 400, code: "invalid_request", target: "code", counts: true})
		add(badCase{name: "reused code on re-verify", method: "POST", path: "/me/authentication/verify", token: alex.token,
			body: map[string]string{"code": usedCode}, status: 400, code: "invalid_request", target: "code", counts: true})

		// Every body-taking call, with the same malformed bodies.
		type endpoint struct {
			name, method, path, token string
			optional                  bool   // "body optional": nothing, "" and {} are fine
			field                     string // a string field of the request, for the wrong-type case
			valid                     string // a well-formed body, as JSON, for padding
		}
		endpoints := []endpoint{
			{name: "sign-in", method: "POST", path: "/signin", field: "username",
				valid: `{"username":"alex@contoso.test","password":"x"}`},
			{name: "verify", method: "POST", path: "/signin/" + mfaFlow.FlowID + "/verify", field: "code",
				valid: `{"code":"123456"}`},
			{name: "interrupt setup", method: "POST", path: "/signin/" + carolFlow.FlowID + "/softwareOathMethods", optional: true},
			{name: "interrupt activate", method: "POST", path: "/signin/" + carolFlow.FlowID + "/softwareOathMethods/" + carolSetup.ID + "/activate",
				field: "verificationCode", valid: `{"verificationCode":"123456"}`},
			{name: "add app", method: "POST", path: "/me/authentication/softwareOathMethods", token: alex.token, optional: true},
			{name: "activate app", method: "POST", path: "/me/authentication/softwareOathMethods/" + alexPending.ID + "/activate", token: alex.token,
				field: "displayName", valid: `{"verificationCode":"123456"}`},
			{name: "set default", method: "PATCH", path: "/me/authentication/signInPreferences", token: alex.token,
				field: "userPreferredMethodForSecondaryAuthentication", valid: `{"userPreferredMethodForSecondaryAuthentication":"oath"}`},
			{name: "re-verify", method: "POST", path: "/me/authentication/verify", token: alex.token, field: "code",
				valid: `{"code":"123456"}`},
			{name: "sign out", method: "POST", path: "/me/signOut", token: dave.token, optional: true},
			{name: "sign out everywhere", method: "POST", path: "/me/revokeSignInSessions", token: erin.token, optional: true},
		}
		big := strings.Repeat("a", 70<<10)
		for _, ep := range endpoints {
			bad := func(what string, body any, target string) {
				add(badCase{name: ep.name + ": " + what, method: ep.method, path: ep.path, token: ep.token,
					body: body, status: 400, code: "invalid_request", target: target})
			}
			if !ep.optional {
				bad("no body", nil, "")
				bad("empty body", rawBody(""), "")
				bad("blank body", rawBody(" \n"), "")
				bad("{}", rawBody("{}"), "-") // a required field is missing
			}
			bad("[]", rawBody("[]"), "")
			bad("a bare string", rawBody(`"text"`), "")
			bad("a number", rawBody(`42`), "")
			bad("two objects", rawBody(`{} {}`), "")
			bad("cut-off JSON", rawBody(`{"a":`), "")
			bad("not JSON", rawBody(`username=alex`), "")
			bad("unknown field", rawBody(`{"isAdmin":true}`), "isAdmin")
			bad("70 KB", rawBody(`{"pad":"`+big+`"}`), "")
			bad("invalid UTF-8", rawBody("{\"pad\":\"\xff\xfe\"}"), "")
			if ep.field != "" {
				bad("wrong type (number)", rawBody(`{"`+ep.field+`":5}`), ep.field)
				bad("wrong type (object)", rawBody(`{"`+ep.field+`":{"a":1}}`), ep.field)
				bad("wrong type (list)", rawBody(`{"`+ep.field+`":["a"]}`), ep.field)
				bad("wrong type (boolean)", rawBody(`{"`+ep.field+`":true}`), ep.field)
				valid := ep.valid[:len(ep.valid)-1]
				bad("valid fields and an unknown one", rawBody(valid+`,"role":"admin"}`), "role")
				bad("valid fields, 70 KB", rawBody(valid+`,"pad":"`+big+`"}`), "")
				bad("valid fields, invalid UTF-8 inside a string", rawBody(strings.Replace(ep.valid, `":"`, "\":\"\xc3\x28", 1)), "")
			}
			// Last: JSON null is not an object. Where the body is required,
			// "a field is required" is a fair answer too.
			if ep.optional {
				bad("null", rawBody("null"), "")
			} else {
				bad("null", rawBody("null"), "-")
			}
		}

		// Sign-in.
		signinBody := func(u, p string) map[string]string { return map[string]string{"username": u, "password": p} }
		add(badCase{name: "sign-in: 10 KB password", method: "POST", path: "/signin",
			body: signinBody(alex.Username, strings.Repeat("p", 10<<10)), status: 401, code: "unauthorized", target: ""})
		add(badCase{name: "sign-in: user name without @", method: "POST", path: "/signin",
			body: signinBody("alex.contoso.test", alex.Password), status: 400, code: "invalid_request", target: "username"})
		add(badCase{name: "sign-in: user name @ only", method: "POST", path: "/signin",
			body: signinBody("@", alex.Password), status: 400, code: "invalid_request", target: "username"})
		add(badCase{name: "sign-in: 300-character user name", method: "POST", path: "/signin",
			body: signinBody(strings.Repeat("a", 290)+"@contoso.test", alex.Password), status: 400, code: "invalid_request", target: "username"})
		add(badCase{name: "sign-in: empty password", method: "POST", path: "/signin",
			body: signinBody(alex.Username, ""), status: 400, code: "invalid_request", target: "password"})
		add(badCase{name: "sign-in: password as a number", method: "POST", path: "/signin",
			body: rawBody(`{"username":"alex@contoso.test","password":12345678}`), status: 400, code: "invalid_request", target: "password"})

		// Codes.
		for _, code := range []struct{ what, code string }{
			{"letters", "12a4b6"}, {"7 digits", "1234567"}, {"5 digits", "12345"}, {"empty", ""},
			{"full-width digits", "１２３４５６"}, {"a 100-digit number", strings.Repeat("1", 100)}, {"a negative number", "-12345"},
		} {
			target := "code"
			add(badCase{name: "verify: code " + code.what, method: "POST", path: "/signin/" + mfaFlow.FlowID + "/verify",
				body: map[string]string{"code": code.code}, status: 400, code: "invalid_request", target: target})
			add(badCase{name: "re-verify: code " + code.what, method: "POST", path: "/me/authentication/verify", token: alex.token,
				body: map[string]string{"code": code.code}, status: 400, code: "invalid_request", target: target})
			add(badCase{name: "activate app: code " + code.what, method: "POST", path: "/me/authentication/softwareOathMethods/" + alexPending.ID + "/activate",
				token: alex.token, body: map[string]string{"verificationCode": code.code}, status: 400, code: "invalid_request", target: "verificationCode"})
			add(badCase{name: "interrupt activate: code " + code.what, method: "POST", path: "/signin/" + carolFlow.FlowID + "/softwareOathMethods/" + carolSetup.ID + "/activate",
				body: map[string]string{"verificationCode": code.code}, status: 400, code: "invalid_request", target: "verificationCode"})
		}
		add(badCase{name: "verify: methodId of another member", method: "POST", path: "/signin/" + mfaFlow.FlowID + "/verify",
			body: map[string]string{"code": "123456", "methodId": bob.methodID}, status: 404, code: "not_found", target: ""})
		add(badCase{name: "activate app: 65-character name", method: "POST", path: "/me/authentication/softwareOathMethods/" + alexPending.ID + "/activate",
			token: alex.token, body: map[string]string{"verificationCode": "123456", "displayName": strings.Repeat("n", 65)},
			status: 400, code: "invalid_request", target: "displayName"})
		add(badCase{name: "activate app: name with a control character", method: "POST", path: "/me/authentication/softwareOathMethods/" + alexPending.ID + "/activate",
			token: alex.token, body: map[string]string{"verificationCode": "123456", "displayName": "Work\u0007phone"},
			status: 400, code: "invalid_request", target: "displayName"})
		add(badCase{name: "set default: sms without a phone", method: "PATCH", path: "/me/authentication/signInPreferences", token: alex.token,
			body: map[string]string{"userPreferredMethodForSecondaryAuthentication": "sms"}, status: 400, code: "invalid_request",
			target: "userPreferredMethodForSecondaryAuthentication"})
		add(badCase{name: "set default: system-preferred on", method: "PATCH", path: "/me/authentication/signInPreferences", token: alex.token,
			body:   rawBody(`{"userPreferredMethodForSecondaryAuthentication":"oath","isSystemPreferredAuthenticationMethodEnabled":true}`),
			status: 400, code: "invalid_request", target: "isSystemPreferredAuthenticationMethodEnabled"})

		// Flow IDs: unknown, finished, absurdly long.
		long := strings.Repeat("A", 500)
		for _, f := range []struct {
			what, id string
			status   int
			code     string
		}{
			{"unknown flowId", randomFlowID(), 410, "expired"},
			{"finished flowId", finishedFlow, 410, "expired"},
			{"500-character flowId", long, 404, "not_found"},
		} {
			add(badCase{name: "status: " + f.what, method: "GET", path: "/signin/" + f.id, status: f.status, code: f.code, target: ""})
			add(badCase{name: "verify: " + f.what, method: "POST", path: "/signin/" + f.id + "/verify",
				body: map[string]string{"code": "123456"}, status: f.status, code: f.code, target: ""})
			add(badCase{name: "interrupt setup: " + f.what, method: "POST", path: "/signin/" + f.id + "/softwareOathMethods",
				status: f.status, code: f.code, target: ""})
			add(badCase{name: "interrupt activate: " + f.what, method: "POST", path: "/signin/" + f.id + "/softwareOathMethods/" + carolSetup.ID + "/activate",
				body: map[string]string{"verificationCode": "123456"}, status: f.status, code: f.code, target: ""})
		}
		add(badCase{name: "cancel: 500-character flowId", method: "DELETE", path: "/signin/" + long, status: 404, code: "not_found", target: ""})

		// Another member's methods: not found, whatever the call.
		bobCode := totpCode(bobPending.SecretKey, time.Now()) // even the right code for Bob's pending app
		for _, id := range []struct{ what, id string }{{"Bob's app", bob.methodID}, {"Bob's pending setup", bobPending.ID}} {
			add(badCase{name: "delete " + id.what, method: "DELETE", path: "/me/authentication/methods/" + id.id, token: alex.token,
				status: 404, code: "not_found", target: ""})
			add(badCase{name: "get " + id.what, method: "GET", path: "/me/authentication/softwareOathMethods/" + id.id, token: alex.token,
				status: 404, code: "not_found", target: ""})
			add(badCase{name: "activate " + id.what, method: "POST", path: "/me/authentication/softwareOathMethods/" + id.id + "/activate", token: alex.token,
				body: map[string]string{"verificationCode": bobCode}, status: 404, code: "not_found", target: ""})
			add(badCase{name: "activate " + id.what + " in Carol's sign-in", method: "POST",
				path: "/signin/" + carolFlow.FlowID + "/softwareOathMethods/" + id.id + "/activate",
				body: map[string]string{"verificationCode": bobCode}, status: 404, code: "not_found", target: ""})
		}
		add(badCase{name: "delete: 500-character id", method: "DELETE", path: "/me/authentication/methods/" + long, token: alex.token,
			status: 404, code: "not_found", target: ""})
		add(badCase{name: "activate: 500-character id", method: "POST", path: "/me/authentication/softwareOathMethods/" + long + "/activate", token: alex.token,
			body: map[string]string{"verificationCode": "123456"}, status: 404, code: "not_found", target: ""})
		add(badCase{name: "delete: unknown id", method: "DELETE", path: "/me/authentication/methods/0123456789abcdef0123456789abcdef", token: alex.token,
			status: 404, code: "not_found", target: ""})

		// Bearer tokens that are not.
		for _, tok := range []string{randomFlowID(), strings.Repeat("x", 5000), "not a token"} {
			add(badCase{name: fmt.Sprintf("revoke with a bad token (%d chars)", len(tok)), method: "POST", path: "/me/revokeSignInSessions",
				token: tok, status: 401, code: "unauthorized", target: ""})
		}

		counted := 0
		messages := map[string]int{}
		for _, bc := range cases {
			var opts []reqOpt
			if bc.token != "" {
				opts = append(opts, bearerToken(bc.token))
			}
			r := c.do(bc.method, bc.path, bc.body, opts...)
			t.Run(bc.name, func(t *testing.T) {
				e := r.apiErr(t, bc.status, bc.code, bc.target)
				messages[fmt.Sprintf("%d %s: %s", r.Status, e.Error.Code, e.Error.Message)]++
			})
			if bc.counts {
				counted++
			}
		}
		var lines []string
		for m, n := range messages {
			lines = append(lines, fmt.Sprintf("%3d× %s", n, m))
		}
		slices.Sort(lines)
		t.Logf("%d refused requests; the answers:\n  %s", len(cases), strings.Join(lines, "\n  "))

		// Nothing changed: methods, pending setups, sessions, flows.
		if after := c.methods(t, alex.token); !reflect.DeepEqual(after, alexBefore) {
			t.Errorf("alex's methods changed:\nbefore %+v\nafter  %+v", alexBefore, after)
		}
		var sessionsAfter sessionList
		c.do("GET", "/me/sessions", nil, bearerToken(alex.token)).want(t, http.StatusOK).decode(t, &sessionsAfter)
		if len(sessionsAfter.Value) != len(sessionsBefore.Value) {
			t.Errorf("alex had %d sessions, now %d", len(sessionsBefore.Value), len(sessionsAfter.Value))
		}
		var stillPending oathSetup
		c.do("GET", "/me/authentication/softwareOathMethods/"+alexPending.ID, nil, bearerToken(alex.token)).want(t, http.StatusOK).decode(t, &stillPending)
		if stillPending != alexPending {
			t.Errorf("alex's pending setup changed: %+v, was %+v", stillPending, alexPending)
		}
		if p := c.preferred(t, alex.token); p != "oath" {
			t.Errorf("alex's default is %q, want oath", p)
		}
		if after := c.methods(t, bob.token); !reflect.DeepEqual(after, bobBefore) {
			t.Errorf("bob's methods changed:\nbefore %+v\nafter  %+v", bobBefore, after)
		}
		var bobStill oathSetup
		c.do("GET", "/me/authentication/softwareOathMethods/"+bobPending.ID, nil, bearerToken(bob.token)).want(t, http.StatusOK).decode(t, &bobStill)
		if bobStill != bobPending {
			t.Errorf("bob's pending setup changed: %+v, was %+v", bobStill, bobPending)
		}
		for _, m := range []*apiMember{dave, erin} {
			if r := c.do("GET", "/me", nil, bearerToken(m.token)); r.Status != http.StatusOK {
				t.Errorf("%s's session ended though every sign-out request was refused: %s", m.Name, r)
			}
		}
		var carolNow signInAnswer
		c.do("GET", "/signin/"+carolFlow.FlowID, nil).want(t, http.StatusOK).decode(t, &carolNow)
		if carolNow.Status != "registration_required" {
			t.Errorf("carol's flow is %q, want registration_required", carolNow.Status)
		}
		var carolAgain oathSetup
		c.do("POST", "/signin/"+carolFlow.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &carolAgain)
		if carolAgain != carolSetup {
			t.Errorf("carol's setup changed: %+v, was %+v", carolAgain, carolSetup)
		}

		// The audit log gained only the failed sign-ins the replays are.
		events := newerThan(auditLog(t, s), auditBefore)
		var other []string
		for _, e := range events {
			if e.Activity != "Sign-in" || e.Result != "failure" {
				other = append(other, e.String())
			}
		}
		if len(other) > 0 {
			t.Errorf("refused requests left %d audit events that are not failed sign-ins:\n  %s", len(other), strings.Join(other, "\n  "))
		}
		if len(events) > counted {
			t.Errorf("refused requests left %d audit events, want at most %d (the replays):\n%v", len(events), counted, events)
		}

		// None of it used up Alex's flow (malformed codes are not guesses,
		// replays don't count against the flow), and Alex, Bob and Carol can
		// all still finish signing in.
		alex.token = c.verify(t, mfaFlow.FlowID, "", aheadCode(t, alex.app))
		carolApp := &authApp{secret: carolSetup.SecretKey}
		c.do("POST", "/signin/"+carolFlow.FlowID+"/softwareOathMethods/"+carolSetup.ID+"/activate",
			map[string]string{"verificationCode": aheadCode(t, carolApp)}).want(t, http.StatusOK)
		bobToken := c.signInWithCode(t, bob, bob.app)
		if after := c.methods(t, bobToken); !reflect.DeepEqual(after, bobBefore) {
			t.Errorf("bob's methods, seen after signing in again: %+v, want %+v", after, bobBefore)
		}
	})
}

// TestAPINoEnumeration checks that the password step says the same to an
// unknown user, a wrong password and a locked account, takes the same time
// for the first two, and that the per-IP failure limit holds.
func TestAPINoEnumeration(t *testing.T) {
	// Not parallel with the other API tests: it measures time.
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres, Env: []string{"TWOFOLD_TRUST_PROXY=true"}})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		lee := seedMember(t, s, "lee", "Lee Gu")
		// Members who take the timed wrong passwords: 10 each, so none is
		// locked before its last (lockout is at 10 in a row, SPEC §5).
		var timed []*apiMember
		for i := range 10 {
			timed = append(timed, seedMember(t, s, fmt.Sprintf("timed%02d", i), fmt.Sprintf("Timed Member %d", i)))
		}
		base := newAPIClient(t, s)
		ipN := 0
		nextIP := func() *apiClient { // a new client address per request
			ipN++
			return base.withIP(fmt.Sprintf("10.%d.%d.%d", 20+ipN/65536, ipN/256%256, ipN%256))
		}
		body := func(u, p string) map[string]string { return map[string]string{"username": u, "password": p} }

		// 1. Lock Lee: 10 wrong passwords.
		for i := range 10 {
			nextIP().do("POST", "/signin", body(lee.Username, fmt.Sprintf("Wrong-Password-%d", i))).apiErr(t, 401, "unauthorized", "")
		}

		// 2. The same answer, whatever went wrong.
		type seen struct {
			status  int
			headers map[string]string
			body    string // re-encoded after parsing
		}
		look := func(r *apiResp) seen {
			var v any
			if err := json.Unmarshal(r.Body, &v); err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			norm, _ := json.Marshal(v)
			h := map[string]string{}
			for _, name := range []string{"Content-Type", "Cache-Control", "WWW-Authenticate", "Retry-After", "Set-Cookie", "Location"} {
				h[name] = r.Header.Get(name)
			}
			return seen{r.Status, h, string(norm)}
		}
		answers := map[string]*apiResp{
			"unknown user":                      nextIP().do("POST", "/signin", body("nobody@contoso.test", alex.Password)),
			"unknown user in an unknown domain": nextIP().do("POST", "/signin", body("nobody@fabrikam.test", alex.Password)),
			"wrong password":                    nextIP().do("POST", "/signin", body(alex.Username, alex.Password+"x")),
			"wrong password, last letter":       nextIP().do("POST", "/signin", body(alex.Username, alex.Password[:len(alex.Password)-1]+"5")),
			"locked account, right password":    nextIP().do("POST", "/signin", body(lee.Username, lee.Password)),
			"locked account, wrong password":    nextIP().do("POST", "/signin", body(lee.Username, "Wrong-Password-x")),
			"user name in capitals, wrong":      nextIP().do("POST", "/signin", body(strings.ToUpper(alex.Username), "Wrong-Password-x")),
		}
		ref := look(answers["unknown user"])
		answers["unknown user"].apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		var e apiErrorBody
		json.Unmarshal(answers["unknown user"].Body, &e)
		if want := "Your user name or password is incorrect. Check them and try again."; e.Error.Message != want {
			t.Errorf("the failure sentence is %q, want the documented %q", e.Error.Message, want)
		}
		for what, r := range answers {
			if got := look(r); !reflect.DeepEqual(got, ref) {
				t.Errorf("%s is told apart from an unknown user:\n  unknown user: %+v\n  %s: %+v", what, ref, what, got)
			}
		}

		// 3. Timing: interleaved unknown users and wrong passwords, each
		// from its own address so no limit interferes.
		const samples = 100
		warm := func() { // the first requests pay for connections and caches
			nextIP().do("POST", "/signin", body("warm-up@contoso.test", "Whatever-1"))
		}
		for range 5 {
			warm()
		}
		var unknown, wrong []time.Duration
		for i := range samples {
			u := func() {
				r := nextIP().do("POST", "/signin", body(fmt.Sprintf("nobody%03d@contoso.test", i), "Wrong-Password-x"))
				r.want(t, http.StatusUnauthorized)
				unknown = append(unknown, r.Took)
			}
			w := func() {
				m := timed[i%len(timed)]
				r := nextIP().do("POST", "/signin", body(m.Username, "Wrong-Password-x"))
				r.want(t, http.StatusUnauthorized)
				wrong = append(wrong, r.Took)
			}
			if i%2 == 0 { // alternate which goes first
				u()
				w()
			} else {
				w()
				u()
			}
		}
		mu, mw := median(unknown), median(wrong)
		ratio := float64(mw) / float64(mu)
		t.Logf("sign-in timing over %d each: median unknown user %s, median wrong password %s, ratio %.3f",
			samples, mu.Round(10*time.Microsecond), mw.Round(10*time.Microsecond), ratio)
		if ratio > 1.15 || ratio < 1/1.15 {
			t.Errorf("an unknown user and a wrong password differ in timing: medians %s and %s (ratio %.3f, more than 15%%)", mu, mw, ratio)
		}

		// 4. The per-IP limit: 100 failures from one address, then even the
		// right password from it is refused for now; another address is fine.
		// The limit's window is fixed (15 minutes); if the burst straddles a
		// window boundary, it is repeated once in the fresh window.
		const limit = 100
		attacker := "203.0.113.66"
		var r429 *apiResp
		for attempt := 1; ; attempt++ {
			window := time.Now().Truncate(15 * time.Minute)
			burst(t, base.withIP(attacker), limit, 4, func(i int) any {
				return body(fmt.Sprintf("guess%03d-%d@contoso.test", i, attempt), "Wrong-Password-x")
			})
			r429 = base.withIP(attacker).do("POST", "/signin", body(alex.Username, alex.Password))
			if time.Now().Truncate(15*time.Minute).Equal(window) || attempt == 2 {
				break
			}
			t.Logf("the burst straddled a 15-minute window boundary; repeating it in the new window")
		}
		r429.apiErr(t, http.StatusTooManyRequests, "too_many_requests", "")
		if ra, err := strconv.Atoi(r429.Header.Get("Retry-After")); err != nil || ra <= 0 || ra > 15*60 {
			t.Errorf("429 has Retry-After %q, want seconds up to the window's 15 minutes", r429.Header.Get("Retry-After"))
		}
		// X-Forwarded-For's left-most entry is the client: the same attacker
		// behind another proxy hop is the same client.
		base.withIP(attacker+", 10.0.0.1").do("POST", "/signin", body(alex.Username, alex.Password)).
			apiErr(t, http.StatusTooManyRequests, "too_many_requests", "")
		var ok signInAnswer
		base.withIP("203.0.113.67").do("POST", "/signin", body(alex.Username, alex.Password)).want(t, http.StatusOK).decode(t, &ok)
		if ok.Status != "registration_required" {
			t.Errorf("alex from another address: %+v, want registration_required", ok)
		}
	})
}

// burst sends n requests to POST /signin, workers at a time, and fails the
// test unless each is refused with 401 (a failure that counts).
func burst(t *testing.T, c *apiClient, n, workers int, body func(i int) any) {
	t.Helper()
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	for range workers {
		wg.Go(func() {
			for i := range next {
				r, err := c.try("POST", "/signin", body(i))
				mu.Lock()
				switch {
				case err != nil:
					problems = append(problems, err.Error())
				case r.Status != http.StatusUnauthorized:
					problems = append(problems, r.String())
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(problems) > 0 {
		t.Fatalf("%d of %d failures were not plain 401s: %v", len(problems), n, problems)
	}
}

// TestAPIParallelCodeSubmissions sends the same right code 50 times at once
// (last-byte synchronised, so the handlers really start together): exactly
// one signs in (SPEC §11: single-use codes hold under 50 parallel identical
// submissions, on SQLite and PostgreSQL). Each loser is told the code was
// already used (400) or, when it loads the flow after the winner finished
// it, that the sign-in is gone (410, the contract's answer for a finished
// flow); nothing else.
func TestAPIParallelCodeSubmissions(t *testing.T) {
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, alex, "")
		flow := c.signIn(t, alex)
		if flow.Status != "mfa_required" {
			t.Fatalf("sign-in: %+v", flow)
		}
		auditBefore := len(auditLog(t, s))
		code := aheadCode(t, alex.app) // a step the activation did not use

		const n = 50
		results := c.simultaneous(t, n, "POST", "/signin/"+flow.FlowID+"/verify", map[string]string{"code": code})

		var tokens []string
		tally := map[string]int{}
		for _, r := range results {
			switch r.Status {
			case http.StatusOK:
				var a signInAnswer
				r.decode(t, &a)
				tally["200 signed_in"]++
				tokens = append(tokens, a.SessionToken)
			case http.StatusBadRequest:
				e := r.apiErr(t, http.StatusBadRequest, "invalid_request", "code")
				if !strings.Contains(e.Error.Message, "already been used") {
					t.Errorf("a loser was told %q, want that the code was already used", e.Error.Message)
				}
				tally["400 already used"]++
			case http.StatusGone:
				// The winner has finished the flow; a loser that loads it
				// afterwards finds it gone, as the contract says for a
				// finished flow.
				r.apiErr(t, http.StatusGone, "expired", "")
				tally["410 flow finished"]++
			default:
				t.Errorf("unexpected answer: %s", r)
				tally[strconv.Itoa(r.Status)]++
			}
		}
		t.Logf("50 identical submissions: %v", tally)
		if len(tokens) != 1 {
			t.Fatalf("%d of %d identical submissions signed in, want exactly 1", len(tokens), n)
		}
		c.do("GET", "/me", nil, bearerToken(tokens[0])).want(t, http.StatusOK)
		var sessions sessionList
		c.do("GET", "/me/sessions", nil, bearerToken(tokens[0])).want(t, http.StatusOK).decode(t, &sessions)
		if len(sessions.Value) != 2 {
			t.Errorf("%d sessions, want 2 (the interrupt's and the one winner)", len(sessions.Value))
		}
		wins := 0
		for _, e := range newerThan(auditLog(t, s), auditBefore) {
			if e.Activity == "Sign-in" && e.Result == "success" {
				wins++
			}
		}
		if wins != 1 {
			t.Errorf("the audit log records %d successful sign-ins from the burst, want 1", wins)
		}
		// The flow is finished; the code stays used.
		c.do("GET", "/signin/"+flow.FlowID, nil).apiErr(t, http.StatusGone, "expired", "")
		again := c.signIn(t, alex)
		e := c.do("POST", "/signin/"+again.FlowID+"/verify", map[string]string{"code": code}).apiErr(t, http.StatusBadRequest, "invalid_request", "code")
		if !strings.Contains(e.Error.Message, "already been used") {
			t.Errorf("the code on a new flow: %q, want already used", e.Error.Message)
		}
	})
}

// TestAPIHeaders checks the headers of every kind of API answer, the
// cross-site refusal and the health checks.
func TestAPIHeaders(t *testing.T) {
	t.Parallel() // with the other API tests, not with TestAPINoEnumeration, which measures time
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c := newAPIClient(t, s)
		c.rec = true

		// One of each answer: 200, 201, 204, 400, 401, 403 (CSRF), 404, 405, 410.
		c.registerByInterrupt(t, alex, "Phone")
		tok := bearerToken(alex.token)
		c.do("GET", "/me", nil, tok).want(t, 200)
		c.do("GET", "/me/authentication/methods", nil, tok).want(t, 200)
		c.do("GET", "/me/authentication/signInPreferences", nil, tok).want(t, 200)
		c.do("PATCH", "/me/authentication/signInPreferences", map[string]string{"userPreferredMethodForSecondaryAuthentication": "oath"}, tok).want(t, 200)
		c.do("GET", "/me/sessions", nil, tok).want(t, 200)
		var setup oathSetup
		c.do("POST", "/me/authentication/softwareOathMethods", nil, tok).want(t, 201).decode(t, &setup)
		c.do("GET", "/me/authentication/softwareOathMethods/"+setup.ID, nil, tok).want(t, 200)
		c.do("GET", "/me/authentication/softwareOathMethods/"+alex.methodID, nil, tok).want(t, 200)
		c.do("DELETE", "/me/authentication/methods/0123456789abcdef0123456789abcdef", nil, tok).want(t, 404)
		c.do("POST", "/signin", rawBody("[]")).want(t, 400)
		c.do("GET", "/signin", nil).want(t, 405)
		c.do("GET", "/no/such/call", nil).want(t, 404)
		c.do("GET", "/me", nil).want(t, 401)
		c.do("GET", "/signin/"+randomFlowID(), nil).want(t, 410)
		c.do("DELETE", "/signin/"+randomFlowID(), nil).want(t, 204)
		flow := c.signIn(t, alex)
		c.do("DELETE", "/signin/"+flow.FlowID, nil).want(t, 204)
		c.do("DELETE", "/me/authentication/methods/"+setup.ID, nil, tok).want(t, 404) // still pending: not a method
		app := &authApp{secret: setup.SecretKey}
		c.do("POST", "/me/authentication/softwareOathMethods/"+setup.ID+"/activate", map[string]string{"verificationCode": app.code(t)}, tok).want(t, 200)
		c.do("DELETE", "/me/authentication/methods/"+setup.ID, nil, tok).want(t, 204)

		// Cross-site browser requests are refused, and do nothing.
		auditBefore := len(auditLog(t, s))
		crossSite := []reqOpt{header("Origin", "https://evil.test"), header("Sec-Fetch-Site", "cross-site")}
		for _, pw := range []string{alex.Password, "Wrong-Password-x"} {
			r := c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": pw}, crossSite...)
			r.apiErr(t, http.StatusForbidden, "forbidden", "")
		}
		c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": "Wrong-Password-x"},
			header("Origin", "https://evil.test")).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("POST", "/me/revokeSignInSessions", nil, append(crossSite, tok)...).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("GET", "/me", nil, tok).want(t, http.StatusOK) // not revoked
		if n := len(auditLog(t, s)); n != auditBefore {
			t.Errorf("cross-site requests left %d audit events", n-auditBefore)
		}
		// The same page's own requests pass.
		c.do("POST", "/signin", map[string]string{"username": alex.Username, "password": alex.Password},
			header("Origin", s.URL), header("Sec-Fetch-Site", "same-origin")).want(t, http.StatusOK)

		c.do("POST", "/me/signOut", nil, tok).want(t, 204)
		c.do("GET", "/me", nil, tok).want(t, 401)

		c.rec = false
		seen := map[int]int{}
		for _, r := range c.seen {
			seen[r.Status]++
			checkAPIHeaders(t, r)
		}
		t.Logf("checked the headers of %d API answers by status: %v", len(c.seen), seen)

		for _, path := range []string{"/healthz", "/readyz"} {
			r := c.do("GET", path, nil).want(t, http.StatusOK)
			var v map[string]any
			r.decode(t, &v)
		}
	})
}

// checkAPIHeaders checks what every API answer carries (openapi.yaml; SPEC §11).
func checkAPIHeaders(t *testing.T, r *apiResp) {
	t.Helper()
	h := r.Header
	if r.Status == http.StatusNoContent {
		if len(r.Body) != 0 {
			t.Errorf("%s: 204 with a body", r)
		}
	} else if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", r, ct)
	}
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", r, cc)
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %s", r, csp, d)
		}
	}
	for name, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
		if got := h.Get(name); !strings.EqualFold(got, want) {
			t.Errorf("%s: %s %q, want %s", r, name, got, want)
		}
	}
	if h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", r)
	}
	if r.Status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
		t.Errorf("%s: 405 without Allow", r)
	}
	if r.Status == http.StatusUnauthorized && r.Path != apiPrefix+"/signin" && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("%s: 401 without a Bearer WWW-Authenticate challenge", r)
	}
}
