package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// adminRoute is one admin call as the scope tests make it.
type adminRoute struct {
	method, path, body string
	scope              twofold.Scope
	ok                 int
}

const users = "/api/v1/users/" + memberID

// adminRouteTable is every admin route with the scope it needs and its
// answer to a token that holds the scope.
func adminRouteTable() []adminRoute {
	rs := []adminRoute{
		{"GET", "/api/v1/users", "", twofold.ScopeUsersRead, 200},
		{"POST", "/api/v1/users", `{"userPrincipalName":"new@contoso.com","displayName":"New"}`, twofold.ScopeUsersManage, 201},
		{"GET", users, "", twofold.ScopeUsersRead, 200},
		{"PATCH", users, `{"accountEnabled":false}`, twofold.ScopeUsersManage, 204},
		{"POST", users + "/resetPassword", "", twofold.ScopeUsersManage, 200},
		{"POST", users + "/revokeSignInSessions", "", twofold.ScopeUsersManage, 200},
		{"POST", users + "/unblock", "{}", twofold.ScopeUsersManage, 200},
		{"POST", users + "/requireMfaRegistration", "", twofold.ScopeMethodsManage, 200},
		{"GET", users + "/authentication/methods", "", twofold.ScopeUsersRead, 200},
		{"GET", users + "/authentication/temporaryAccessPassMethods", "", twofold.ScopeUsersRead, 200},
		{"POST", users + "/authentication/temporaryAccessPassMethods", `{"lifetimeInMinutes":60}`, twofold.ScopeMethodsManage, 201},
		{"DELETE", users + "/authentication/temporaryAccessPassMethods/m-tap", "", twofold.ScopeMethodsManage, 204},
		{"GET", "/api/v1/policies/authenticationMethodsPolicy", "", twofold.ScopePolicyManage, 200},
		{"PATCH", "/api/v1/policies/authenticationMethodsPolicy", `{"lockoutThreshold":12}`, twofold.ScopePolicyManage, 200},
		{"GET", "/api/v1/auditLogs/directoryAudits", "", twofold.ScopeAuditRead, 200},
		{"GET", "/api/v1/reports/authenticationMethods/userRegistrationDetails", "", twofold.ScopeAuditRead, 200},
		{"GET", "/api/v1/reports/authenticationMethods/usersRegisteredByFeature", "", twofold.ScopeAuditRead, 200},
		{"GET", "/api/v1/reports/authenticationMethods/usersRegisteredByMethod", "", twofold.ScopeAuditRead, 200},
	}
	for _, c := range []string{"softwareOathMethods", "phoneMethods", "fido2Methods", "emailMethods", "securityQuestionMethods", "passwordMethods"} {
		rs = append(rs,
			adminRoute{"GET", users + "/authentication/" + c, "", twofold.ScopeUsersRead, 200},
			adminRoute{"DELETE", users + "/authentication/" + c + "/m-x", "", twofold.ScopeMethodsManage, 204})
	}
	return rs
}

// TestAdminRoutesTableCoversEveryAdminRoute keeps the scope table honest: a
// route added without a row would escape the scope test.
func TestAdminRoutesTableCoversEveryAdminRoute(t *testing.T) {
	covered := map[string]bool{}
	for _, r := range adminRouteTable() {
		covered[r.method+" "+templated(r.path)] = true
	}
	for path, methods := range (&handler{}).table().allow {
		if !strings.HasPrefix(path, "/users") && !strings.HasPrefix(path, "/policies") &&
			!strings.HasPrefix(path, "/auditLogs") && !strings.HasPrefix(path, "/reports") {
			continue
		}
		for _, m := range methods {
			if m != "HEAD" && !covered[m+" "+path] {
				t.Errorf("%s %s has no row in adminRouteTable", m, path)
			}
		}
	}
}

// templated turns a test path back into its route pattern.
func templated(p string) string {
	p = strings.TrimPrefix(p, prefix)
	p = strings.Replace(p, "/users/"+memberID, "/users/{id}", 1)
	segs := strings.Split(p, "/")
	if len(segs) == 6 && segs[3] == "authentication" {
		segs[5] = "{methodId}"
	}
	return strings.Join(segs, "/")
}

// TestAdminRoutesNeedTheirScope makes every admin call with a token of each
// single scope: only the route's scope gets through; every other is 403
// insufficient_scope naming the scope; no token and an unknown token are 401.
func TestAdminRoutesNeedTheirScope(t *testing.T) {
	e := newAdminEnv(t)
	for _, r := range adminRouteTable() {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, s := range twofold.AllScopes() {
				res := e.do(r.method, r.path, r.body, adminTokPrefix+string(s))
				if s == r.scope {
					res.want(t, r.ok)
					continue
				}
				msg, _ := res.apiError(t, http.StatusForbidden, twofold.EFORBIDDEN)
				if !strings.Contains(msg, string(r.scope)) {
					t.Errorf("%s token: message %q doesn't name %s", s, msg, r.scope)
				}
				if h := res.header.Get("WWW-Authenticate"); !strings.Contains(h, `error="insufficient_scope"`) || !strings.Contains(h, `scope="`+string(r.scope)+`"`) {
					t.Errorf("%s token: WWW-Authenticate = %q", s, h)
				}
			}
			for _, tok := range []string{"", "bogus", goodToken} {
				res := e.do(r.method, r.path, r.body, tok)
				res.apiError(t, http.StatusUnauthorized, twofold.EUNAUTHORIZED)
				if h := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, `Bearer realm="twofold-admin"`) {
					t.Errorf("token %q: WWW-Authenticate = %q", tok, h)
				}
			}
		})
	}
}

// TestAdminRoutesHideOtherMembers: every route on a member answers 404 for an
// ID the use case can't see (another organization's member).
func TestAdminRoutesHideOtherMembers(t *testing.T) {
	e := newAdminEnv(t)
	for _, r := range adminRouteTable() {
		if !strings.Contains(r.path, memberID) {
			continue
		}
		path := strings.Replace(r.path, memberID, otherOrgID, 1)
		e.do(r.method, path, r.body, allScopes).apiError(t, http.StatusNotFound, twofold.ENOTFOUND)
	}
}

// TestAdminRoutesWithoutConsoleAre404: a server built without the console
// answers every admin route 404, token or not.
func TestAdminRoutesWithoutConsoleAre404(t *testing.T) {
	e := newEnv(t)
	for _, r := range adminRouteTable() {
		e.do(r.method, r.path, r.body, allScopes).apiError(t, http.StatusNotFound, twofold.ENOTFOUND)
	}
}

// TestAdminUserViews checks the Graph shapes of members: no password or
// hash, the temporary password only in the answers that made it.
func TestAdminUserViews(t *testing.T) {
	e := newAdminEnv(t)
	res := e.do("GET", users, "", allScopes)
	res.want(t, 200)
	u := res.object(t)
	wantKeys(t, "user", u, "id", "userPrincipalName", "displayName", "accountEnabled", "role", "createdDateTime",
		"mustChangePassword", "methodsRegistered", "signInSessionCount", "isLockedOut", "isMfaBlocked",
		"userPreferredMethodForSecondaryAuthentication")
	if u["userPrincipalName"] != "ada@contoso.com" || u["accountEnabled"] != true || u["isMfaBlocked"] != true {
		t.Errorf("user = %v", u)
	}

	res = e.do("POST", "/api/v1/users", `{"userPrincipalName":"new@contoso.com","displayName":"New","role":"helpdesk"}`, allScopes)
	res.want(t, 201)
	if got := e.rec.last(); !slices.Equal(got.args, []string{"new@contoso.com", "New", "helpdesk"}) {
		t.Errorf("CreateMember got %v", got.args)
	}
	if p := res.object(t)["passwordProfile"].(map[string]any); p["password"] != "Temp-Password-1" || p["forceChangePasswordNextSignIn"] != true {
		t.Errorf("passwordProfile = %v", p)
	}
	if !strings.HasSuffix(res.header.Get("Location"), "/api/v1/users/"+memberID) {
		t.Errorf("Location = %q", res.header.Get("Location"))
	}
	e.console.errs["CreateMember"] = twofold.FieldError("username", "Use one of your organization's domains: contoso.com.")
	if _, target := e.do("POST", "/api/v1/users", `{"userPrincipalName":"x@fabrikam.com","displayName":"X"}`, allScopes).
		apiError(t, 400, twofold.EINVALID); target != "userPrincipalName" {
		t.Errorf("target = %q, want userPrincipalName", target)
	}
	if _, target := e.do("POST", "/api/v1/users", `{"displayName":"X"}`, allScopes).apiError(t, 400, twofold.EINVALID); target != "userPrincipalName" {
		t.Errorf("missing name: target = %q", target)
	}

	e.do("PATCH", users, `{}`, allScopes).apiError(t, 400, twofold.EINVALID)
	e.do("PATCH", users, `{"accountEnabled":true,"role":"admin"}`, allScopes).want(t, 204)
	if got := e.rec.calls[len(e.rec.calls)-2:]; got[0].name != "SetRole" || got[1].name != "SetEnabled" || got[1].args[1] != "true" {
		t.Errorf("PATCH calls = %v", got)
	}
	e.do("PATCH", users, `{"passwordHash":"x"}`, allScopes).apiError(t, 400, twofold.EINVALID)

	res = e.do("POST", users+"/resetPassword", "", allScopes)
	res.want(t, 200)
	if res.object(t)["newPassword"] != "Temp-Password-2" {
		t.Errorf("resetPassword = %s", res.body)
	}
	e.do("POST", users+"/unblock", `{"x":1}`, allScopes).apiError(t, 400, twofold.EINVALID)

	res = e.do("GET", "/api/v1/users?$top=1&$search=ad", "", allScopes)
	res.want(t, 200)
	if got := e.rec.last(); got.name != "SearchUsers" || !slices.Equal(got.args, []string{"ad", "", "1"}) {
		t.Errorf("SearchUsers got %v", got)
	}
	if _, ok := res.object(t)["@odata.nextLink"]; ok {
		t.Errorf("nextLink on the last page: %s", res.body)
	}
	e.console.next = "cursor-2"
	res = e.do("GET", "/api/v1/users?$top=1&$search=ad", "", allScopes)
	if got := res.object(t)["@odata.nextLink"]; got != "/api/v1/users?$search=ad&$skiptoken=cursor-2&$top=1" {
		t.Errorf("nextLink = %v", got)
	}
	e.do("GET", "/api/v1/users?$search="+url.QueryEscape(`"displayName:Ada L"`), "", allScopes).want(t, 200)
	if got := e.rec.last(); got.args[0] != "Ada L" {
		t.Errorf("Graph $search became %q", got.args[0])
	}
	e.do("GET", "/api/v1/users?$top=x", "", allScopes).apiError(t, 400, twofold.EINVALID)
	res = e.do("PUT", "/api/v1/users", "{}", allScopes)
	res.apiError(t, http.StatusMethodNotAllowed, "method_not_allowed")
	if allow := res.header.Get("Allow"); allow != "GET, HEAD, POST" {
		t.Errorf("Allow = %q", allow)
	}
	e.console.errs["SearchUsers"] = twofold.FieldError("limit", "Ask for 1 to 200 members a page.")
	if _, target := e.do("GET", "/api/v1/users?$top=500", "", allScopes).apiError(t, 400, twofold.EINVALID); target != "$top" {
		t.Errorf("$top target = %q", target)
	}
}

// TestAdminMethodViews: per-kind collections hold only their kind, and no
// view carries a secret; a new pass is shown once in the answer that made it.
func TestAdminMethodViews(t *testing.T) {
	e := newAdminEnv(t)
	list := func(path string) []map[string]any {
		t.Helper()
		res := e.do("GET", users+"/authentication/"+path, "", allScopes)
		res.want(t, 200)
		var c struct{ Value []map[string]any }
		if err := json.Unmarshal(res.body, &c); err != nil {
			t.Fatal(err)
		}
		for _, m := range c.Value {
			for _, k := range []string{"secret", "secretKey", "passHash", "temporaryAccessPass", "SecretSealed"} {
				if _, ok := m[k]; ok {
					t.Errorf("%s: method carries %s: %v", path, k, m)
				}
			}
		}
		return c.Value
	}
	if got := list("methods"); len(got) != 3 {
		t.Errorf("methods = %v", got)
	}
	phones := list("phoneMethods")
	if len(phones) != 1 || phones[0]["@odata.type"] != "#microsoft.graph.phoneAuthenticationMethod" || phones[0]["phoneNumber"] != "+1 4255551234" {
		t.Errorf("phoneMethods = %v", phones)
	}
	if apps := list("softwareOathMethods"); len(apps) != 1 || apps[0]["@odata.type"] != "#microsoft.graph.softwareOathAuthenticationMethod" {
		t.Errorf("softwareOathMethods = %v", apps)
	}
	if q := list("securityQuestionMethods"); len(q) != 1 || q[0]["id"] != "m-q" {
		t.Errorf("securityQuestionMethods = %v", q)
	}
	if keys := list("fido2Methods"); len(keys) != 0 {
		t.Errorf("fido2Methods = %v", keys)
	}
	if passes := list("temporaryAccessPassMethods"); len(passes) != 1 || passes[0]["isUsableOnce"] != true || passes[0]["lifetimeInMinutes"] != float64(60) {
		t.Errorf("temporaryAccessPassMethods = %v", passes)
	}
	e.do("GET", users+"/authentication/fooMethods", "", allScopes).apiError(t, 404, twofold.ENOTFOUND)

	e.do("DELETE", users+"/authentication/phoneMethods/m-phone", "", allScopes).want(t, 204)
	if got := e.rec.last(); got.name != "DeleteMethodOfKind" || !slices.Equal(got.args, []string{memberID, "m-phone", "phone"}) {
		t.Errorf("delete got %v", got)
	}

	res := e.do("POST", users+"/authentication/temporaryAccessPassMethods",
		`{"startDateTime":"2026-03-01T10:00:00Z","lifetimeInMinutes":90,"isUsableOnce":true}`, allScopes)
	res.want(t, 201)
	if got := e.rec.last(); got.name != "Issue" || !slices.Equal(got.args, []string{memberID, "1h30m0s", "true", "2026-03-01T10:00:00Z"}) {
		t.Errorf("Issue got %v", got)
	}
	if v := res.object(t); v["temporaryAccessPass"] != "PASS-1234-abcd" || v["@odata.type"] != "#microsoft.graph.temporaryAccessPassAuthenticationMethod" {
		t.Errorf("issued = %v", v)
	}
	e.do("POST", users+"/authentication/temporaryAccessPassMethods", "", allScopes).want(t, 201)
	if _, target := e.do("POST", users+"/authentication/temporaryAccessPassMethods", `{"startDateTime":"tomorrow"}`, allScopes).
		apiError(t, 400, twofold.EINVALID); target != "startDateTime" {
		t.Errorf("target = %q", target)
	}
}
