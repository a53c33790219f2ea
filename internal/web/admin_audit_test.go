package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func auditEvents() []*twofold.AuditEvent {
	at := testNow.Add(-time.Hour)
	return []*twofold.AuditEvent{
		{ID: 3, Time: at, Activity: twofold.ActivityPolicyUpdate, ActorID: "staff-admin", ActorName: "admin@contoso.test",
			TargetID: "o1", TargetName: "Contoso", Result: twofold.ResultSuccess, Reason: "Wrong passwords before a lockout: 10 → 5", IP: "203.0.113.9"},
		{ID: 2, Time: at.Add(-time.Minute), Activity: twofold.ActivitySignIn, ActorName: "=HYPERLINK(\"http://evil\")",
			TargetName: "+bob@contoso.test", Result: twofold.ResultFailure, Reason: "@SUM(1)", UserAgent: "-Firefox"},
		{ID: 1, Time: at.Add(-2 * time.Minute), Activity: twofold.ActivityRegistered, ActorName: "bob@contoso.test",
			TargetName: "bob@contoso.test", Result: twofold.ResultSuccess},
	}
}

// The page passes its filters to the search, shows a page of events and
// links the next page with the same filters.
func TestConsoleAuditFiltersAndPaging(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	e.audit.events = auditEvents()
	w := e.do("GET", "/admin/audit?actor=admin%40contoso.test&target=Contoso&result=success&from=2030-01-01&to=2030-01-07", nil, asHelpdesk)
	wantBody(t, w, http.StatusOK, "Audit log", "Authentication methods policy update", "Wrong passwords before a lockout: 10 → 5",
		`id="next-page"`, `href="/admin/audit?actor=admin%40contoso.test&amp;after=cSign-in&amp;from=2030-01-01&amp;result=success&amp;target=Contoso&amp;to=2030-01-07"`,
		`href="/admin/audit?actor=admin%40contoso.test&amp;format=csv&amp;from=2030-01-01`)
	q := e.audit.last
	if q.Actor != "admin@contoso.test" || q.Target != "Contoso" || q.Result != "success" ||
		!q.Since.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) || !q.Until.Equal(time.Date(2030, 1, 8, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)) {
		t.Errorf("query %+v", q)
	}
	w = e.do("GET", "/admin/audit?activity=Authentication+methods+policy+update", nil, asAdmin)
	wantBody(t, w, http.StatusOK, `<option value="Authentication methods policy update" selected>`)
	if strings.Contains(w.Body.String(), `id="next-page"`) || strings.Contains(w.Body.String(), "Sign-in</td>") {
		t.Errorf("filtered page:\n%s", w.Body)
	}
	wantBody(t, e.do("GET", "/admin/audit?activity=Something+newer", nil, asAdmin), http.StatusOK, `<option value="Something newer" selected>`)
	if strings.Contains(w.Body.String(), `id="previous-page"`) {
		t.Errorf("the first page links to a page before it")
	}
	w = e.do("GET", "/admin/audit?after=cSign-in", nil, asAdmin)
	wantBody(t, w, http.StatusOK, "User registered security info", `id="first-page"`,
		`id="previous-page" rel="prev"`, `href="/admin/audit?before=cUser&#43;registered&#43;security&#43;info"`)
	w = e.do("GET", "/admin/audit?before=cUser+registered+security+info", nil, asAdmin)
	wantBody(t, w, http.StatusOK, "Authentication methods policy update", `id="next-page"`)
	if strings.Contains(w.Body.String(), `id="previous-page"`) || e.audit.last.Before != "cUser registered security info" {
		t.Errorf("back to the first page: query %+v, a link to a page before it: %v", e.audit.last, strings.Contains(w.Body.String(), `id="previous-page"`))
	}
	wantBody(t, e.do("GET", "/admin/audit?from=yesterday", nil, asAdmin), http.StatusBadRequest, `<a href="#from">Enter the first day as a date`)
	wantBody(t, e.do("GET", "/admin/audit?after=bad", nil, asAdmin), http.StatusBadRequest, "This page link isn")
	wantBody(t, e.do("GET", "/admin/audit", nil, asMember), http.StatusForbidden)
}

// The CSV export is a download of every matching event, across pages, with
// cells that a spreadsheet would run as formulas made text.
func TestConsoleAuditCSVExport(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	e.audit.events = auditEvents()
	w := e.do("GET", "/admin/audit?format=csv&after=ignored&before=ignored", nil, asHelpdesk)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Disposition"), `attachment; filename="audit-log-`) ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, headers %v", w.Code, w.Header())
	}
	rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][1] != "activity" {
		t.Fatalf("rows %q", rows)
	}
	signin := rows[2]
	if signin[4] != `'=HYPERLINK("http://evil")` || signin[6] != "'+bob@contoso.test" || signin[7] != "'@SUM(1)" || signin[9] != "'-Firefox" {
		t.Errorf("formula cells not neutralised: %q", signin)
	}
	if rows[1][1] != twofold.ActivityPolicyUpdate || rows[3][1] != twofold.ActivityRegistered {
		t.Errorf("order %q", rows)
	}
}

func TestConsoleAuditJSONExport(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	e.audit.events = auditEvents()
	w := e.do("GET", "/admin/audit?format=json&activity=Sign-in", nil, asAdmin)
	if !strings.Contains(w.Header().Get("Content-Disposition"), ".json") {
		t.Fatalf("headers %v", w.Header())
	}
	var got []exportedEvent
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, w.Body)
	}
	if len(got) != 1 || got[0].Activity != twofold.ActivitySignIn || got[0].Result != "failure" || got[0].ID != "2" {
		t.Errorf("exported %+v", got)
	}
	wantBody(t, e.do("GET", "/admin/audit?format=json", nil, asMember), http.StatusForbidden)
}
