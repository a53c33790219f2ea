package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The admin console's policy, audit log and registration report in real
// Chromium against the real binary, on both databases: the help desk gets the
// 403 page at the policy but reads the audit log and the report; an admin's
// form with several bad values lists every problem at once; a valid change is
// reviewed as a diff, saved, and found in the audit log by its activity, and
// the CSV export downloads it; the report's charts and tables equal the
// members made with the CLI and the API. Every page is screenshotted at
// desktop and phone widths and checked with axe.

func TestBrowserAdminPolicy(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres})
			seedOrg(t, s)
			b := newBrowser(t, s.URL)
			adminPolicyJourney(t, s, b)
		})
	}
}

func adminPolicyJourney(t *testing.T, s *server, b *browser) {
	ada := seedStaff(t, s, "ada", "Ada Admin", "admin")
	hal := seedStaff(t, s, "hal", "Hal Helpdesk", "helpdesk")
	// Known members: three with an authenticator app (registered through the
	// API at the interrupt), two with nothing yet.
	c := newAPIClient(t, s)
	for i := range 3 {
		m := seedMember(t, s, fmt.Sprintf("app%d", i), fmt.Sprintf("App Member %d", i))
		c.registerByInterrupt(t, m, "")
	}
	for i := range 2 {
		seedMember(t, s, fmt.Sprintf("new%d", i), fmt.Sprintf("New Member %d", i))
	}

	// 1. The help desk signs in (an app at the interrupt): no policy in the
	// navigation, the 403 page at /admin/policy, but the audit log and the
	// report open.
	h := b.newContext("helpdesk")
	h.signInStaff(hal, "helpdesk-register-app")
	if h.has(`nav a[href="/admin/policy"]`) {
		t.Errorf("the help desk's console navigation has Policy")
	}
	if st := h.open("/admin/policy"); st != http.StatusForbidden {
		t.Errorf("the help desk opening the policy: %d, want 403", st)
	}
	h.expectText("You don't have access to this page")
	if h.has(`form[action="/admin/policy"]`) {
		t.Errorf("the 403 page holds the policy form")
	}
	h.page("helpdesk-policy-forbidden")

	// 2. The admin signs in and opens the policy: every setting in fieldsets.
	b.signInStaff(ada, "admin-register-app")
	if st := b.open("/admin/policy"); st != http.StatusOK {
		t.Fatalf("the admin opening the policy: %d", st)
	}
	b.expectText("Authentication methods policy", "Methods", "Phones", "Self-service password reset",
		"Passwords and lockout", "Temporary Access Passes", "NIST SP 800-63B")
	b.page("admin-policy")

	// 3. Several bad values at once: every problem listed, each linked to its
	// field, focus on the summary, what was typed kept.
	b.fill("#lockoutThreshold", "1")
	b.fill("#maxAuthenticatorApps", "9")
	b.fill("#securityQuestions-toRegister", "7")
	b.fill("#mfaBlockDuration", "forever")
	b.click("#enabledMethods-softwareOath") // off: phones would be the only
	b.click("#enabledMethods-fido2")        // second factor on offer
	if st := b.submit("#review"); st != http.StatusBadRequest {
		t.Errorf("a policy with problems: %d, want 400", st)
	}
	b.expectText("There is a problem",
		"The lockout threshold must be between 3 and 100 failed attempts.",
		"The number of authenticator apps must be between 1 and 5.",
		"Members register between 3 and 5 security questions.",
		"Sign-in codes stay blocked for: enter a length such as 30s, 10m, 1h or 7d.",
		"Texts and calls can be intercepted, so phones can't be the only second factor")
	if n := b.count("#error-summary li a"); n != 5 {
		t.Errorf("the summary lists %d problems, want 5: %s", n, b.text("#error-summary"))
	}
	for _, href := range []string{"#lockoutThreshold", "#maxAuthenticatorApps", "#securityQuestions-toRegister", "#mfaBlockDuration", "#enabledMethods-softwareOath"} {
		if !b.has(fmt.Sprintf(`#error-summary a[href=%q]`, href)) {
			t.Errorf("the summary has no link to %s", href)
		}
	}
	if got := b.fieldValue("#mfaBlockDuration"); got != "forever" {
		t.Errorf("the block field holds %q after the problem", got)
	}
	if got := b.focused(); got != "#error-summary" {
		t.Errorf("focus is on %q, want the error summary", got)
	}
	b.page("admin-policy-problems")

	// 4. A valid change: reviewed as a diff, then saved.
	b.open("/admin/policy")
	b.fill("#lockoutThreshold", "5")
	b.fill("#helpdeskContact", "Call the IT desk on 555 0100")
	b.submit("#review")
	b.expectText("Review the policy changes", "2 settings change", "Wrong passwords before a lockout", "Help-desk contact",
		"Call the IT desk on 555 0100")
	if got := b.text(`#changes tr[data-field="lockoutThreshold"]`); !strings.Contains(got, "10") || !strings.Contains(got, "5") {
		t.Errorf("the lockout row reads %q", got)
	}
	b.page("admin-policy-review")
	saveReviewed(b, ada)
	b.expectPath("/admin/policy")
	b.expectText("The policy was saved.")
	if got := b.fieldValue("#lockoutThreshold"); got != "5" {
		t.Errorf("the saved form shows lockout threshold %q", got)
	}
	b.page("admin-policy-saved")
	var shown struct {
		LockoutThreshold int    `json:"lockoutThreshold"`
		HelpdeskContact  string `json:"helpdeskContact"`
	}
	out := cli(t, s, "", "policy", "show", "--org", apiOrg.Domain)
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &shown); err != nil || shown.LockoutThreshold != 5 || shown.HelpdeskContact != "Call the IT desk on 555 0100" {
		t.Errorf("policy show after saving: %+v (%v)", shown, err)
	}

	// 5. The audit log, filtered by activity with the form, shows the update
	// by the admin with what changed; the CSV export downloads it.
	b.open("/admin/audit")
	b.page("admin-audit")
	b.selectOption("#activity", "Authentication methods policy update")
	b.submit("#filter")
	b.expectText("Authentication methods policy update", ada.Username, "Wrong passwords before a lockout: 10 → 5")
	if n := b.count("#events tbody tr"); n != 1 {
		t.Errorf("%d policy updates listed, want 1", n)
	}
	if strings.Contains(b.text("#events"), "Sign-in") {
		t.Errorf("the filtered log lists other activities")
	}
	b.page("admin-audit-policy-update")
	csv := b.download("#export-csv")
	if !strings.HasPrefix(csv.Disposition, "attachment;") || !strings.Contains(csv.Type, "text/csv") {
		t.Errorf("the CSV export: %+v", csv)
	}
	if !strings.Contains(csv.Body, "Authentication methods policy update") || !strings.Contains(csv.Body, ada.Username) ||
		strings.Count(strings.TrimSpace(csv.Body), "\n") != 1 {
		t.Errorf("the CSV export holds:\n%s", csv.Body)
	}
	js := b.download("#export-json")
	var events []struct{ Activity, Actor, Reason string }
	if err := json.Unmarshal([]byte(js.Body), &events); err != nil || len(events) != 1 || events[0].Actor != ada.Username {
		t.Errorf("the JSON export: %v %+v", err, events)
	}

	// 6. The report: seven members (two staff, five members), five with an
	// authenticator app (the three members and both staff).
	want := map[string]int{"mfa-registered": 5, "method-softwareOath": 5, "method-phone": 0}
	b.open("/admin/report")
	b.expectText("Registration report", "Members by method", "Over time")
	checkReport(b, 7, want)
	b.page("admin-report")
	figures := b.download("#report-csv")
	if !strings.Contains(figures.Body, ",Members,7,7") || !strings.Contains(figures.Body, ",Registered for two-step verification,5,7") {
		t.Errorf("the report CSV:\n%s", figures.Body)
	}
	members := b.download("#members-csv")
	if n := strings.Count(strings.TrimSpace(members.Body), "\n"); n != 7 {
		t.Errorf("the members CSV has %d rows, want 7:\n%s", n, members.Body)
	}

	// 7. The help desk reads the same log and report.
	if st := h.openQuery("/admin/audit", url.Values{"activity": {"Authentication methods policy update"}}); st != http.StatusOK {
		t.Errorf("the help desk's audit log: %d", st)
	}
	h.expectText("Wrong passwords before a lockout: 10 → 5")
	if st := h.open("/admin/report"); st != http.StatusOK {
		t.Errorf("the help desk's report: %d", st)
	}
	checkReport(h, 7, want)
	h.page("helpdesk-report")
}

// saveReviewed presses Save on the review page; when the admin's second
// factor has grown too old for changes, the console sends them to verify
// again and back to the form with their edits, which they review and save.
func saveReviewed(b *browser, m *staffMember) {
	b.t.Helper()
	b.submit("#save")
	if b.path() != "/my/verify" {
		return
	}
	b.t.Logf("the console asked %s to verify again", m.Username)
	b.fill(`input[name=code]`, m.app.code(b.t))
	b.submitText("Verify")
	b.expectPath("/admin/policy")
	b.expectText("Your changes are back")
	b.submit("#review")
	b.submit("#save")
}

// checkReport compares each chart's bars with its table and with the counts
// the test made: members in all, and members by row ID.
func checkReport(b *browser, total int, want map[string]int) {
	b.t.Helper()
	if got := b.text("#coverage-table caption"); got != "Members out of "+strconv.Itoa(total) {
		b.t.Errorf("the report counts %q, want %d members", got, total)
	}
	for id, n := range want {
		row := b.text("#" + id + " th")
		cell := b.text("#" + id + " td.number")
		chart := "#chart-coverage"
		if strings.HasPrefix(id, "method-") {
			chart = "#chart-methods"
		}
		bar := eval[string](b, fmt.Sprintf(`(() => { const r = document.querySelector(%q + ' rect[data-label="' + %q + '"]'); return r ? r.dataset.value : "missing"; })()`, chart, row))
		if cell != strconv.Itoa(n) || bar != strconv.Itoa(n) {
			b.t.Errorf("%s (%s): table %s, chart %s, want %d", id, row, cell, bar, n)
		}
	}
	// Every bar of the charts agrees with its table row.
	mismatch := eval[string](b, `(() => {
		const out = [];
		for (const [chart, table] of [["#chart-coverage", "#coverage-table"], ["#chart-methods", "#methods-table"]]) {
			for (const tr of document.querySelectorAll(table + " tbody tr")) {
				const label = tr.querySelector("th").innerText.trim();
				const value = tr.querySelector("td.number").innerText.trim();
				const bar = [...document.querySelectorAll(chart + " rect[data-label]")].find(r => r.dataset.label === label);
				if (!bar || bar.dataset.value !== value) out.push(label + ": table " + value + ", chart " + (bar ? bar.dataset.value : "none"));
			}
		}
		return out.join("; ");
	})()`)
	if mismatch != "" {
		b.t.Errorf("charts and tables disagree: %s", mismatch)
	}
}

// downloaded is a file a console link downloads.
type downloaded struct{ Type, Disposition, Body string }

// download fetches the href of the link sel with the tab's cookies, as the
// browser's download would, and returns what came.
func (b *browser) download(sel string) downloaded {
	b.t.Helper()
	raw := eval[string](b, fmt.Sprintf(`(async () => {
		const a = document.querySelector(%q);
		const r = await fetch(a.href, {credentials: "same-origin"});
		return JSON.stringify({status: r.status, type: r.headers.get("Content-Type") || "",
			disposition: r.headers.get("Content-Disposition") || "", body: await r.text()});
	})()`, sel))
	var d struct {
		Status                  int
		Type, Disposition, Body string
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		b.fatalf("download %s: %v", sel, err)
	}
	if d.Status != http.StatusOK {
		b.fatalf("download %s: status %d: %s", sel, d.Status, d.Body)
	}
	return downloaded{Type: d.Type, Disposition: d.Disposition, Body: d.Body}
}
