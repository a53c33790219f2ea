package api

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
)

const auditsPath = "/api/v1/auditLogs/directoryAudits"

// TestAdminAuditFilterReachesSearch: a Graph $filter becomes the Query the
// audit search runs, paged with $top and $skiptoken.
func TestAdminAuditFilterReachesSearch(t *testing.T) {
	e := newAdminEnv(t)
	e.console.events = []*twofold.AuditEvent{{ID: 42, Time: t0, ActorID: "u-admin", ActorName: "admin@contoso.com",
		TargetID: memberID, TargetName: "ada@contoso.com", Activity: twofold.ActivityUserDisabled,
		Result: twofold.ResultSuccess, Reason: "2 sessions revoked", IP: "192.0.2.7"}}
	e.console.next = "a1.next"
	filter := "activityDisplayName eq 'Disable user' and result eq 'success' and activityDateTime ge 2026-03-01T00:00:00Z and targetResources/any(t:t/userPrincipalName eq 'O''Brien@contoso.com')"
	res := e.do("GET", auditsPath+"?$top=5&$skiptoken=a1.prev&$filter="+url.QueryEscape(filter), "", allScopes)
	res.want(t, 200)
	q := e.console.query
	if q.Activity != "Disable user" || q.Result != "success" || !q.Since.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) ||
		q.Target != "O'Brien@contoso.com" || q.Limit != 5 || q.After != "a1.prev" {
		t.Errorf("query = %+v", q)
	}
	var page struct {
		Value    []map[string]any
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(res.body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Value) != 1 {
		t.Fatalf("value = %v", page.Value)
	}
	ev := page.Value[0]
	wantKeys(t, "directoryAudit", ev, "id", "activityDateTime", "activityDisplayName", "result", "resultReason", "initiatedBy", "targetResources")
	by := ev["initiatedBy"].(map[string]any)["user"].(map[string]any)
	if ev["id"] != "42" || by["userPrincipalName"] != "admin@contoso.com" || by["ipAddress"] != "192.0.2.7" {
		t.Errorf("event = %v", ev)
	}
	if tr := ev["targetResources"].([]any); len(tr) != 1 || tr[0].(map[string]any)["userPrincipalName"] != "ada@contoso.com" {
		t.Errorf("targetResources = %v", tr)
	}
	if !strings.Contains(page.NextLink, "$skiptoken=a1.next") || !strings.HasPrefix(page.NextLink, auditsPath+"?") {
		t.Errorf("nextLink = %q", page.NextLink)
	}
}

// TestAdminAuditFilterInjectionRefused: filters outside the supported
// subset, SQL included, are 400 with the parser's message, and never reach
// the search.
func TestAdminAuditFilterInjectionRefused(t *testing.T) {
	e := newAdminEnv(t)
	for _, f := range []string{
		"activityDisplayName eq 'x' or 1 eq 1",
		"activityDisplayName eq 'x'; DROP TABLE audit_events; --",
		"activityDisplayName eq 'x' or '1'='1'",
		"result eq 'success' and (activityDisplayName eq 'x')",
		"not result eq 'success'",
		"activityDisplayName eq 'unclosed",
		"userAgent eq 'x'",
		"startswith(activityDisplayName,'Dis')",
		"activityDateTime ge 'yesterday'",
		"result eq 'maybe'",
		strings.Repeat("a", 2001),
	} {
		before := len(e.rec.calls)
		msg, target := e.do("GET", auditsPath+"?$filter="+url.QueryEscape(f), "", allScopes).apiError(t, 400, twofold.EINVALID)
		_, perr := auditlog.ParseFilter(f)
		if target != "$filter" || perr == nil || msg != twofold.ErrorMessage(perr) {
			t.Errorf("%q: target %q message %q, want the parser's %v", f, target, msg, perr)
		}
		for _, c := range e.rec.calls[before:] {
			if c.name == "Search" {
				t.Errorf("%q reached the search", f)
			}
		}
	}
}

// TestAdminReportViews checks Graph's userRegistrationDetails and the two
// summaries.
func TestAdminReportViews(t *testing.T) {
	e := newAdminEnv(t)
	res := e.do("GET", "/api/v1/reports/authenticationMethods/userRegistrationDetails?$top=1", "", allScopes)
	res.want(t, 200)
	var page struct{ Value []map[string]any }
	if err := json.Unmarshal(res.body, &page); err != nil || len(page.Value) != 1 {
		t.Fatalf("page %s: %v", res.body, err)
	}
	wantKeys(t, "userRegistrationDetails", page.Value[0], "id", "userPrincipalName", "userDisplayName", "isAdmin",
		"isMfaRegistered", "isMfaCapable", "isSsprRegistered", "isSsprEnabled", "isSsprCapable", "methodsRegistered",
		"defaultMfaMethod", "lastUpdatedDateTime")
	if got := e.rec.last(); got.name != "Details" || got.args[1] != "1" {
		t.Errorf("Details got %v", got)
	}
	res = e.do("GET", "/api/v1/reports/authenticationMethods/usersRegisteredByFeature", "", allScopes)
	res.want(t, 200)
	if !strings.Contains(string(res.body), `{"feature":"mfaCapable","userCount":6}`) || !strings.Contains(string(res.body), `"totalUserCount":10`) {
		t.Errorf("byFeature = %s", res.body)
	}
	res = e.do("GET", "/api/v1/reports/authenticationMethods/usersRegisteredByMethod", "", allScopes)
	res.want(t, 200)
	if !strings.Contains(string(res.body), `{"authenticationMethod":"phone","userCount":3}`) {
		t.Errorf("byMethod = %s", res.body)
	}
}
