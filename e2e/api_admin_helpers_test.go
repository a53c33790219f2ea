package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Helpers of the admin API tests (api_admin_test.go): tokens made with the
// CLI, the route table, and the shapes the admin API answers with.

// adminScopes are the admin API's scopes, as "twofold token create" takes them.
var adminScopes = []string{"users.read", "users.manage", "methods.manage", "policy.manage", "audit.read"}

// adminToken makes a token of the organization with domain for scopes with the
// CLI, which prints the secret alone on stdout.
func adminToken(t *testing.T, s *server, domain, name string, scopes ...string) string {
	t.Helper()
	out := strings.TrimSpace(cli(t, s, "", "token", "create", "--org", domain, "--name", name, "--scopes", strings.Join(scopes, ",")))
	if out == "" || strings.ContainsAny(out, " \n") {
		t.Fatalf("token create printed %q, want the secret alone", out)
	}
	return out
}

// revokeAdminToken revokes the organization's token called name, finding its
// ID in "token list".
func revokeAdminToken(t *testing.T, s *server, domain, name string) {
	t.Helper()
	for _, line := range strings.Split(cli(t, s, "", "token", "list", "--org", domain), "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && f[1] == name {
			cli(t, s, "", "token", "revoke", "--org", domain, "--id", f[0])
			return
		}
	}
	t.Fatalf("token %s is not in token list", name)
}

// expireAdminToken moves the end of the organization's live token called
// name into the past in the server's database, as if its lifetime had run
// out: the server reads the machine's clock, which a test can't move.
func expireAdminToken(t *testing.T, s *server, name string) {
	t.Helper()
	driver, dsn := "pgx", s.Database
	var past any = time.Now().Add(-time.Minute).UTC()
	if dsn == "" {
		driver = "sqlite"
		dsn = filepath.Join(s.DataDir, "twofold.db") + "?_pragma=busy_timeout(5000)"
		past = time.Now().Add(-time.Minute).UnixNano()
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open the server's database: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := db.ExecContext(ctx, `UPDATE api_tokens SET expires_at = $1 WHERE name = $2 AND revoked_at IS NULL`, past, name)
	if err != nil {
		t.Fatalf("expire token %s: %v", name, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("no live token %s to expire", name)
	}
}

// adminUser is a member as GET /users lists them.
type adminUser struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	DisplayName       string `json:"displayName"`
	AccountEnabled    bool   `json:"accountEnabled"`
	Role              string `json:"role"`
}

// adminUserID finds the member named username through the API.
func adminUserID(t *testing.T, c *apiClient, token, username string) string {
	t.Helper()
	var page struct {
		Value []adminUser `json:"value"`
	}
	r := c.do("GET", "/users?$search="+url.QueryEscape(username), nil, bearerToken(token)).want(t, http.StatusOK)
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatalf("%s: %v", r, err)
	}
	for _, u := range page.Value {
		if u.UserPrincipalName == username {
			return u.ID
		}
	}
	t.Fatalf("%s is not listed: %s", username, r)
	return ""
}

// adminCall is one admin route as the scope table calls it: body is sent
// as JSON (nil for none), ok is the answer to a token with the scope.
type adminCall struct {
	method, path string
	body         any
	scope        string
	ok           int
}

// adminCalls is every admin route for member id (the changes aimed at a
// member the test doesn't need afterwards); a method or pass ID that does
// not exist is a 404, which the API documents.
func adminCalls(id, newUser string) []adminCall {
	u := "/users/" + id
	calls := []adminCall{
		{"GET", "/users", nil, "users.read", 200},
		{"POST", "/users", map[string]string{"userPrincipalName": newUser, "displayName": "New Member"}, "users.manage", 201},
		{"GET", u, nil, "users.read", 200},
		{"PATCH", u, map[string]bool{"accountEnabled": true}, "users.manage", 204},
		{"POST", u + "/resetPassword", nil, "users.manage", 200},
		{"POST", u + "/revokeSignInSessions", nil, "users.manage", 200},
		{"POST", u + "/unblock", rawBody("{}"), "users.manage", 200},
		{"POST", u + "/requireMfaRegistration", nil, "methods.manage", 200},
		{"GET", u + "/authentication/methods", nil, "users.read", 200},
		{"GET", u + "/authentication/temporaryAccessPassMethods", nil, "users.read", 200},
		{"POST", u + "/authentication/temporaryAccessPassMethods", map[string]any{"isUsableOnce": true}, "methods.manage", 201},
		{"DELETE", u + "/authentication/temporaryAccessPassMethods/no-such-pass", nil, "methods.manage", 404},
		{"GET", "/policies/authenticationMethodsPolicy", nil, "policy.manage", 200},
		{"PATCH", "/policies/authenticationMethodsPolicy", rawBody("{}"), "policy.manage", 200},
		{"GET", "/auditLogs/directoryAudits", nil, "audit.read", 200},
		{"GET", "/reports/authenticationMethods/userRegistrationDetails", nil, "audit.read", 200},
		{"GET", "/reports/authenticationMethods/usersRegisteredByFeature", nil, "audit.read", 200},
		{"GET", "/reports/authenticationMethods/usersRegisteredByMethod", nil, "audit.read", 200},
	}
	for _, c := range []string{"softwareOathMethods", "phoneMethods", "fido2Methods", "emailMethods", "securityQuestionMethods", "passwordMethods"} {
		calls = append(calls,
			adminCall{"GET", u + "/authentication/" + c, nil, "users.read", 200},
			adminCall{"DELETE", u + "/authentication/" + c + "/no-such-method", nil, "methods.manage", 404})
	}
	return calls
}

// directoryAudit is one event of GET /auditLogs/directoryAudits.
type directoryAudit struct {
	ID                  string `json:"id"`
	ActivityDateTime    string `json:"activityDateTime"`
	ActivityDisplayName string `json:"activityDisplayName"`
	Result              string `json:"result"`
	ResultReason        string `json:"resultReason"`
	InitiatedBy         struct {
		User struct {
			ID                string `json:"id"`
			UserPrincipalName string `json:"userPrincipalName"`
			IPAddress         string `json:"ipAddress"`
			UserAgent         string `json:"userAgent"`
		} `json:"user"`
	} `json:"initiatedBy"`
	TargetResources []struct {
		ID                string `json:"id"`
		UserPrincipalName string `json:"userPrincipalName"`
	} `json:"targetResources"`
}

type directoryAudits struct {
	Value    []directoryAudit `json:"value"`
	NextLink string           `json:"@odata.nextLink"`
}
