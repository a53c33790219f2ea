package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Black-box tests of the JSON API (docs/openapi.yaml) against the real
// binary, on SQLite and PostgreSQL, with the test's own authenticator app
// (totp_test.go). Helpers are in api_client_test.go and api_steps_test.go.

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

		// 12. The audit log names each change with its activity name.
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
