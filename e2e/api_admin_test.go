package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestAPIAdmin drives the admin API on the real binary with tokens made by
// the CLI, on SQLite and PostgreSQL: every route × every scope (only the
// route's scope gets through; every other is 403 insufficient_scope); no
// token, and a bogus, revoked, expired (its end moved into the past in the
// database) or member's session token, are 401 with one sentence; another
// organization's token gets 404 for every member route; $filter injection
// is refused with the parser's clear message.
func TestAPIAdmin(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		cli(t, s, "", "org", "create", "--name", "Fabrikam", "--domain", "fabrikam.test")
		target := seedMember(t, s, "target", "Taylor Target")
		c := newAPIClient(t, s)

		tokens := map[string]string{}
		var secrets []string
		for _, sc := range adminScopes {
			tokens[sc] = adminToken(t, s, apiOrg.Domain, "e2e-"+sc, sc)
			secrets = append(secrets, tokens[sc])
		}
		all := adminToken(t, s, apiOrg.Domain, "e2e-all", adminScopes...)
		other := adminToken(t, s, "fabrikam.test", "e2e-other-org", adminScopes...)
		revoked := adminToken(t, s, apiOrg.Domain, "e2e-revoked", adminScopes...)
		expired := adminToken(t, s, apiOrg.Domain, "e2e-expired", adminScopes...)
		secrets = append(secrets, all, other, revoked, expired)
		c.do("GET", "/users", nil, bearerToken(revoked)).want(t, http.StatusOK)
		c.do("GET", "/users", nil, bearerToken(expired)).want(t, http.StatusOK)
		revokeAdminToken(t, s, apiOrg.Domain, "e2e-revoked")
		expireAdminToken(t, s, "e2e-expired")

		id := adminUserID(t, c, all, target.Username)
		// Passes must be enabled for the pass route to answer 201.
		var policy map[string]any
		r := c.do("GET", "/policies/authenticationMethodsPolicy", nil, bearerToken(all)).want(t, http.StatusOK)
		if err := json.Unmarshal(r.Body, &policy); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		enabled, _ := policy["enabledMethods"].([]any)
		if !slices.Contains(enabled, any("temporaryAccessPass")) {
			enabled = append(enabled, "temporaryAccessPass")
		}
		c.do("PATCH", "/policies/authenticationMethodsPolicy", map[string]any{"enabledMethods": enabled}, bearerToken(all)).want(t, http.StatusOK)

		// A member's session: not an admin token.
		member := seedMember(t, s, "member", "Morgan Member")
		c.registerByInterrupt(t, member, "")
		session := member.token
		c.do("GET", "/me", nil, bearerToken(session)).want(t, http.StatusOK)

		// Every dead token hears one sentence, so none tells what it was.
		unauthorized := map[string][]string{}
		for _, call := range adminCalls(id, "newcomer@"+apiOrg.Domain) {
			for _, sc := range adminScopes {
				r := c.do(call.method, call.path, call.body, bearerToken(tokens[sc]))
				if sc == call.scope {
					if r.Status != call.ok {
						t.Errorf("%s token: %s, want %d", sc, r, call.ok)
					}
					continue
				}
				e := r.apiErr(t, http.StatusForbidden, "forbidden", "-")
				if !strings.Contains(e.Error.Message, call.scope) {
					t.Errorf("%s token: %s: the message doesn't name %s", sc, r, call.scope)
				}
				if h := r.Header.Get("WWW-Authenticate"); !strings.Contains(h, `error="insufficient_scope"`) || !strings.Contains(h, `scope="`+call.scope+`"`) {
					t.Errorf("%s token: %s: WWW-Authenticate %q", sc, r, h)
				}
			}
			for name, opt := range map[string]reqOpt{
				"no token": header("X-None", "1"), "bogus token": bearerToken("tf_" + strings.Repeat("A", 43)),
				"revoked token": bearerToken(revoked), "expired token": bearerToken(expired), "session token": bearerToken(session),
			} {
				r := c.do(call.method, call.path, call.body, opt)
				e := r.apiErr(t, http.StatusUnauthorized, "unauthorized", "-")
				if name != "no token" {
					unauthorized[e.Error.Message] = append(unauthorized[e.Error.Message], name)
				}
				if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, `Bearer realm="twofold-admin"`) {
					t.Errorf("%s: %s: WWW-Authenticate %q", name, r, h)
				}
			}
			if strings.Contains(call.path, id) {
				c.do(call.method, call.path, call.body, bearerToken(other)).apiErr(t, http.StatusNotFound, "not_found", "-")
			}
		}

		if len(unauthorized) != 1 {
			t.Errorf("bogus, revoked, expired and session tokens hear different answers: %v", unauthorized)
		}

		// The other organization's token doesn't see this one's members or log.
		var users struct {
			Value []adminUser `json:"value"`
		}
		r = c.do("GET", "/users", nil, bearerToken(other)).want(t, http.StatusOK)
		if err := json.Unmarshal(r.Body, &users); err != nil || len(users.Value) != 0 {
			t.Errorf("another organization's token lists %s (%v)", r, err)
		}
		var log directoryAudits
		r = c.do("GET", "/auditLogs/directoryAudits?$top=1000", nil, bearerToken(other)).want(t, http.StatusOK)
		r.decode(t, &log)
		for _, ev := range log.Value {
			if strings.Contains(ev.ResultReason+ev.InitiatedBy.User.UserPrincipalName, apiOrg.Domain) ||
				len(ev.TargetResources) > 0 && (ev.TargetResources[0].ID == id || strings.HasSuffix(ev.TargetResources[0].UserPrincipalName, apiOrg.Domain)) {
				t.Errorf("another organization's token reads this one's event %+v", ev)
			}
		}

		// Changes made with a token are audited with the token as the actor.
		q := url.Values{"$filter": {"initiatedBy/user/userPrincipalName eq 'token:e2e-users.manage' and targetResources/any(t:t/id eq '" + id + "')"}}
		r = c.do("GET", "/auditLogs/directoryAudits?"+q.Encode(), nil, bearerToken(tokens["audit.read"])).want(t, http.StatusOK)
		log = directoryAudits{}
		r.decode(t, &log)
		if len(log.Value) == 0 {
			t.Errorf("no audit event by token:e2e-users.manage on the target: %s", r)
		}
		for _, ev := range log.Value {
			if ev.InitiatedBy.User.UserPrincipalName != "token:e2e-users.manage" || len(ev.TargetResources) != 1 ||
				ev.TargetResources[0].UserPrincipalName != target.Username || ev.Result != "success" {
				t.Errorf("audit event %+v", ev)
			}
		}

		// $filter: a quote inside a value is data; injection is refused clearly.
		q = url.Values{"$filter": {"activityDisplayName eq 'x'' OR ''1''=''1'"}}
		r = c.do("GET", "/auditLogs/directoryAudits?"+q.Encode(), nil, bearerToken(all)).want(t, http.StatusOK)
		log = directoryAudits{}
		r.decode(t, &log)
		if len(log.Value) != 0 {
			t.Errorf("a quoted value matched events: %s", r)
		}
		for f, want := range map[string]string{
			"activityDisplayName eq 'x' or 1 eq 1":                      `"or" isn't supported in $filter`,
			"activityDisplayName eq 'x'; DROP TABLE audit_events; --":   "Expected and between conditions",
			"result eq 'success' and (1 eq 1)":                          "Parentheses aren't supported",
			"not result eq 'failure'":                                   `"not" isn't supported`,
			"activityDisplayName eq 'x":                                 "isn't closed",
			"ipAddress eq '127.0.0.1'":                                  "Filtering on \"ipAddress\" isn't supported",
			"activityDisplayName eq 'a' and activityDisplayName eq 'b'": "appears twice",
		} {
			// The parser's message is passed on as it is; some start with the
			// field's name, so apiErr's capital-letter rule doesn't apply.
			r := c.do("GET", "/auditLogs/directoryAudits?"+url.Values{"$filter": {f}}.Encode(), nil, bearerToken(all))
			var e apiErrorBody
			if err := json.Unmarshal(r.Body, &e); err != nil || r.Status != http.StatusBadRequest ||
				e.Error.Code != "invalid_request" || e.Error.Target != "$filter" || !strings.Contains(e.Error.Message, want) {
				t.Errorf("$filter %q: %s, want 400 invalid_request on $filter saying %q", f, r, want)
			}
		}

		// No token secret reaches the server's log.
		logs := s.Logs()
		for _, secret := range secrets {
			if strings.Contains(logs, secret) {
				t.Errorf("a token secret is in the server's log")
			}
		}
	})
}
