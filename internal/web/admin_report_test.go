package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/registrations"
)

func reportSummary() registrations.Summary {
	today := testNow.UTC().Truncate(24 * time.Hour)
	now := registrations.Figures{Members: 8, MFARegistered: 5, MFACapable: 4, SSPRRegistered: 3, SSPRCapable: 3}
	return registrations.Summary{OrgID: "o1", OrgName: "Contoso", At: testNow, Figures: now, ResetEnabled: true,
		ByMethod: []registrations.MethodCount{{Kind: twofold.KindSoftwareOath, Members: 4}, {Kind: twofold.KindPhone, Members: 2},
			{Kind: twofold.KindFido2, Members: 0}, {Kind: twofold.KindEmail, Members: 3}},
		History: []registrations.Point{
			{Day: today.AddDate(0, 0, -1), Figures: registrations.Figures{Members: 7, MFARegistered: 2, SSPRRegistered: 1}},
			{Day: today, Now: true, Figures: now},
		}}
}

// The charts and their tables say the same numbers as the summary.
func TestConsoleReportChartsMatchTheFigures(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	e.report.sum = reportSummary()
	w := e.do("GET", "/admin/report", nil, asHelpdesk)
	wantBody(t, w, http.StatusOK, "Registration report", `role="img"`,
		`data-label="Registered for two-step verification" data-value="5"`, `data-label="Can use two-step verification now" data-value="4"`,
		`data-label="Registered for password reset" data-value="3"`, `>5 of 8</text>`,
		`<tr id="mfa-registered"><th scope="row">Registered for two-step verification</th><td class="number">5</td><td class="number">62%</td></tr>`,
		`data-label="Authenticator app" data-value="4"`, `<tr id="method-phone"><th scope="row">Phone</th><td class="number">2</td>`,
		`data-label="2026-03-03" data-series="Two-step verification" data-value="2"`, `data-label="2026-03-04 (now)" data-series="Password reset" data-value="3"`,
		`<th scope="row">2026-03-03</th><td class="number">7</td><td class="number">2</td>`,
		`href="/admin/report.csv"`, `href="/admin/report/members.csv"`)
	// Only the layout's focus script: the charts need none.
	if n := strings.Count(w.Body.String(), "<script"); n != 1 {
		t.Errorf("%d scripts on the report", n)
	}
	wantBody(t, e.do("GET", "/admin/report", nil, asMember), http.StatusForbidden)
}

func TestConsoleReportCSV(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	e.report.sum = reportSummary()
	w := e.do("GET", "/admin/report.csv", nil, asAdmin)
	if !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
		t.Fatalf("headers %v", w.Header())
	}
	body := w.Body.String()
	for _, want := range []string{"2026-03-04,Members,8,8", "2026-03-04,Registered for two-step verification,5,8",
		"2026-03-04,Method: Authenticator app,4,8", "2026-03-03,Registered for two-step verification,2,7"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV lacks %q:\n%s", want, body)
		}
	}
	wantBody(t, e.do("GET", "/admin/report.csv", nil, asMember), http.StatusForbidden)
}

// The members download pages through every member, neutralising formulas.
func TestConsoleReportMembersCSV(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	e.report.details = []registrations.Detail{
		{Username: "ada@contoso.test", DisplayName: "Ada", MFARegistered: true, Labels: []string{"Authenticator app", "Email"}, DefaultLabel: "Authenticator app – code"},
		{Username: "bob@contoso.test", DisplayName: "=cmd|' /C calc'!A0"},
		{Username: "cy@contoso.test", DisplayName: "Cy", IsAdmin: true},
	}
	w := e.do("GET", "/admin/report/members.csv", nil, asHelpdesk)
	rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1][8] != "Authenticator app; Email" || rows[1][3] != "true" || rows[2][1] != "'=cmd|' /C calc'!A0" || rows[3][2] != "true" {
		t.Errorf("rows %q", rows)
	}
}
