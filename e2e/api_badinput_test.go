package e2e

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

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
