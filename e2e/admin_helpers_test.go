package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Helpers of the admin console's browser journeys: staff members made with
// the CLI, the console's pages, and the audit log read back with the CLI.

// staffMember is an admin or help-desk member made with `twofold user create --role`.
type staffMember struct {
	member
	Role string
	app  *authApp
}

// seedStaff creates a staff member with the CLI.
func seedStaff(t *testing.T, s *server, local, name, role string) *staffMember {
	t.Helper()
	m := &staffMember{member: member{Username: local + "@contoso.test", Password: "Harbour-Lantern-Quietly-4821", Name: name}, Role: role}
	cli(t, s, m.Password+"\n", "user", "create", "--username", m.Username, "--display-name", m.Name,
		"--role", role, "--password-stdin")
	return m
}

// signInStaff signs a staff member in from /signin: the first time through
// the interrupt's authenticator app, later with a code from it. It ends on
// the member list of the console.
func (b *browser) signInStaff(m *staffMember, shot string) {
	b.t.Helper()
	b.open("/signin")
	b.signInPassword(m.member)
	if m.app == nil {
		b.startAppAtInterrupt()
		m.app = b.setUpAppQuietly(shot)
		// Signed in already; the page's button leads on to My Account.
		b.expectText("You're all set")
	} else {
		b.expectPath("/signin/verify")
		b.fill(`input[name=code]`, m.app.code(b.t))
		b.submitText("Verify")
	}
	b.open("/admin")
	b.expectPath("/admin/members")
}

// openMember searches the console's member list for username and opens the
// member's page.
func (b *browser) openMember(username string) {
	b.t.Helper()
	b.openQuery("/admin/members", url.Values{"q": {username}})
	sel := fmt.Sprintf(`#members a.method-label[data-username=%q]`, username)
	if !b.has(sel) {
		b.fatalf("the member list has no %s: %s", username, b.bodyText())
	}
	b.submit(sel)
	b.expectPath("/admin/members/…")
	b.expectText(username)
}

// shownSecret reads the one-time page's temporary password or pass.
func (b *browser) shownSecret() string {
	b.t.Helper()
	b.expectPath("/admin/members/…")
	if !strings.HasSuffix(b.path(), "/shown") {
		b.fatalf("at %s, want the shown-once page", b.path())
	}
	secret := strings.TrimSpace(b.text("#shown-secret"))
	if secret == "" {
		b.fatalf("the shown-once page shows nothing")
	}
	return secret
}

// auditEntry is one line of `twofold audit list --json`.
type auditEntry struct {
	Activity, Result, ActorName, TargetName, Reason string
}

// auditOf lists the audit entries about username, newest first.
func auditOf(t *testing.T, s *server, username string) []auditEntry {
	t.Helper()
	out := cli(t, s, "", "audit", "list", "--user", username, "--json", "--limit", "200")
	var es []auditEntry
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var e auditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit list line %q: %v", line, err)
		}
		es = append(es, e)
	}
	return es
}

// countAudit counts entries of activity by actor.
func countAudit(es []auditEntry, activity, actor string) int {
	n := 0
	for _, e := range es {
		if e.Activity == activity && e.ActorName == actor {
			n++
		}
	}
	return n
}

// blockEverything gives m, who has an authenticator app, a password reset
// block (five wrong codes at reset), a second-factor block (wrong codes at
// sign-in up to the policy's limit) and a lockout (wrong passwords up to the
// threshold), through the JSON API as an attacker would, each from its own
// address.
func blockEverything(t *testing.T, s *server, c *apiClient, m *apiMember) {
	t.Helper()
	ip := 0
	next := func() *apiClient {
		ip++
		return c.withIP(fmt.Sprintf("10.77.%d.%d", ip/256, ip%256))
	}
	// 1. Reset: each attempt chooses the app and gives a wrong code.
	for range 5 {
		r := next()
		id := attemptID(t, startReset(t, r, m.Username))
		var step resetAttempt
		r.do("GET", "/reset/"+id, nil).want(t, http.StatusOK).decode(t, &step)
		if !step.Eligible || len(step.Options) == 0 {
			t.Fatalf("reset of %s: %+v, want the app offered", m.Username, step)
		}
		r.do("POST", "/reset/"+id+"/step", map[string]string{"choice": step.Options[0].Choice}).want(t, http.StatusOK)
		if resp := r.do("POST", "/reset/"+id+"/verify", map[string]string{"verificationCode": wrongCode(t, m.app)}); resp.Status == http.StatusOK {
			t.Fatalf("a wrong reset code was accepted: %s", resp)
		}
	}
	// 2. Sign-in: wrong codes until the second factor is blocked; a flow
	// that ends after a few wrong codes is started again.
	blocked := false
	for tries := 0; tries < 60 && !blocked; {
		r := next()
		resp := r.do("POST", "/signin", map[string]string{"username": m.Username, "password": m.Password})
		if resp.Status == http.StatusForbidden {
			blocked = true
			break
		}
		var a signInAnswer
		resp.want(t, http.StatusOK).decode(t, &a)
		for tries < 60 {
			tries++
			v := r.do("POST", "/signin/"+a.FlowID+"/verify", map[string]string{"code": wrongCode(t, m.app)})
			if v.Status != http.StatusBadRequest && v.Status != http.StatusUnauthorized {
				break
			}
		}
	}
	if !blocked {
		t.Fatalf("60 wrong codes did not block %s's second factor", m.Username)
	}
	// 3. Wrong passwords up to the threshold.
	for range 3 {
		next().do("POST", "/signin", map[string]string{"username": m.Username, "password": "Not-the-password-42"})
	}
}

// wrongCode is a six-digit code that the app gives in no step the server
// could accept now (one either side, and the next the tests may use).
func wrongCode(t *testing.T, app *authApp) string {
	t.Helper()
	cur := totpStep(time.Now())
	valid := map[string]bool{}
	for step := cur - 1; step <= cur+2; step++ {
		valid[hotp(mustKey(t, app.secret), uint64(step), totpDigits)] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// enablePasses turns Temporary Access Passes on in the organization's policy
// through the admin API, with a token the operator makes with the CLI (the
// CLI's policy set offers only the methods members register themselves).
func enablePasses(t *testing.T, s *server) {
	t.Helper()
	secret := strings.TrimSpace(cli(t, s, "", "token", "create", "--org", apiOrg.Domain, "--name", "e2e-policy", "--scopes", "policy.manage"))
	c := newAPIClient(t, s)
	var p map[string]any
	c.do("GET", "/policies/authenticationMethodsPolicy", nil, bearerToken(secret)).want(t, http.StatusOK).decode(t, &p)
	kinds, _ := p["enabledMethods"].([]any)
	c.do("PATCH", "/policies/authenticationMethodsPolicy", map[string]any{"enabledMethods": append(kinds, "temporaryAccessPass")},
		bearerToken(secret)).want(t, http.StatusOK)
}
