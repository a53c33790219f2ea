package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// The admin console's member pages in real Chromium against the real binary,
// on both databases: an admin adds a member (a temporary password shown
// once), requires another member to register again (their methods gone, each
// deletion audited), lifts a member's reset block, second-factor block and
// lockout with one Unblock (audited), and gives the new member a Temporary
// Access Pass, with which they sign in in another browser and register an
// authenticator app. The help desk opening an admin's page gets the 403 page.
// Every page is screenshotted at desktop and phone widths and checked with axe.

func TestBrowserAdminMembers(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres, Env: []string{"TWOFOLD_TRUSTED_PROXIES=127.0.0.1,::1,10.0.0.0/8"}})
			seedOrg(t, s)
			// Small limits, so a test can reach them: 10 wrong codes block the
			// second factor, 3 wrong passwords lock for an hour.
			cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--mfa-failure-limit", "10",
				"--lockout-threshold", "3", "--lockout-duration", "1h")
			enablePasses(t, s)
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			adminMembersJourney(t, s, b)
		})
	}
}

func adminMembersJourney(t *testing.T, s *server, b *browser) {
	ada := seedStaff(t, s, "ada", "Ada Admin", "admin")
	hal := seedStaff(t, s, "hal", "Hal Helpdesk", "helpdesk")
	c := newAPIClient(t, s)
	dana := seedMember(t, s, "dana", "Dana Reyes")
	c.registerByInterrupt(t, dana, "")
	fay := seedMember(t, s, "fay", "Fay Blocked")
	c.registerByInterrupt(t, fay, "")
	blockEverything(t, s, c, fay)

	// 1. The admin signs in (registering an app at the interrupt) and lands
	// on the member list.
	b.signInStaff(ada, "admin-register-app")
	b.expectText("Members", "Add a member", dana.Username, fay.Username)
	if !b.has(`nav a[href="/admin/policy"]`) {
		t.Errorf("the admin's console navigation has no Policy")
	}
	b.page("admin-members")

	// 2. Add a member: a problem first, then the temporary password, shown once.
	b.submit("#add-member")
	b.expectPath("/admin/members/new")
	b.page("admin-member-new")
	b.fill("#username", "casey@fabrikam.test")
	b.submit("#create-member")
	b.expectPath("/admin/members/new")
	b.expectText("There is a problem")
	if got := b.focused(); got != "#error-summary" {
		t.Errorf("after a problem the form focuses %q, want the error summary", got)
	}
	if got := b.fieldValue("#username"); got != "casey@fabrikam.test" {
		t.Errorf("the user name field holds %q after a problem", got)
	}
	b.page("admin-member-new-problem")
	casey := member{Username: "casey@contoso.test", Name: "Casey Jensen"}
	b.fill("#username", casey.Username)
	b.fill("#displayName", casey.Name)
	b.submit("#create-member")
	b.expectText("Casey Jensen (casey@contoso.test) was added.", "It's shown only once")
	casey.Password = b.shownSecret()
	shown := b.path()
	b.page("admin-temporary-password")
	b.open(shown)
	b.expectText("Already shown")
	if strings.Contains(b.bodyText(), casey.Password) {
		t.Errorf("the temporary password was shown a second time")
	}
	b.page("admin-already-shown")
	if n := countAudit(auditOf(t, s, casey.Username), "Admin created user", ada.Username); n != 1 {
		t.Errorf("%d 'Admin created user' entries by %s for %s, want 1", n, ada.Username, casey.Username)
	}

	// 3. Require Dana to register again: confirm (the safe answer focused),
	// then her app is gone and the deletion audited.
	b.openMember(dana.Username)
	b.expectText("Authenticator app", "Security info")
	b.page("admin-member")
	b.submit("#require-reregistration")
	b.expectText("Require Dana Reyes to register security info again?", "You can't undo this.")
	if got := b.focused(); got != "#confirm-no" {
		t.Errorf("the confirmation focuses %q, want the safe answer", got)
	}
	b.page("admin-confirm-reregistration")
	b.changeAs(ada, "#confirm-yes")
	b.expectText("1 method was deleted.", "No security info registered.")
	b.page("admin-reregistered")
	danaAudit := auditOf(t, s, dana.Username)
	if n := countAudit(danaAudit, "Admin deleted security info", ada.Username); n != 1 {
		t.Errorf("%d 'Admin deleted security info' entries by %s for Dana, want 1 (her one app)", n, ada.Username)
	}
	if a := c.signIn(t, dana); a.Status != "registration_required" {
		t.Errorf("Dana's next sign-in: %+v, want registration_required", a)
	}

	// 4. The help desk may see members but not act on an admin: 403 page.
	b.openMember(ada.Username)
	adaPage := b.path()
	h := b.newContext("helpdesk")
	h.signInStaff(hal, "helpdesk-register-app")
	if h.has(`nav a[href="/admin/policy"]`) {
		t.Errorf("the help desk's console navigation has Policy")
	}
	h.page("helpdesk-members")
	if st := h.open(adaPage); st != http.StatusForbidden {
		t.Errorf("the help desk opening an admin's page: %d, want 403", st)
	}
	h.expectText("You don't have access to this page")
	if strings.Contains(h.bodyText(), ada.Username) {
		t.Errorf("the 403 page names the admin")
	}
	h.page("helpdesk-admin-forbidden")
	if st := h.open(adaPage + "/tap"); st != http.StatusForbidden {
		t.Errorf("the help desk opening an admin's pass form: %d, want 403", st)
	}
	h.openMember(dana.Username) // a member they may manage

	// 5. Fay has a reset block, a second-factor block and a lockout; one
	// Unblock lifts them all, audited, and she signs in again.
	b.openMember(fay.Username)
	b.expectText("Locked out", "Sign-in codes blocked", "Password reset blocked")
	b.page("admin-member-blocked")
	b.changeAs(ada, "#unblock")
	b.expectText("Lifted the password lockout, the sign-in code block, the password reset block.", "Enabled, nothing blocked")
	b.page("admin-unblocked")
	fayAudit := auditOf(t, s, fay.Username)
	for _, activity := range []string{"Admin unlocked account", "Admin unblocked MFA", "Admin unblocked self-service password reset"} {
		if n := countAudit(fayAudit, activity, ada.Username); n != 1 {
			t.Errorf("%d %q entries by %s for Fay, want 1", n, activity, ada.Username)
		}
	}
	c.signInWithCode(t, fay, fay.app)

	// 6. A Temporary Access Pass for Casey: shown once; Casey signs in with it
	// in another browser and registers an authenticator app at the interrupt.
	b.openMember(casey.Username)
	b.submit("#issue-tap")
	b.expectText("Issue a Temporary Access Pass")
	b.page("admin-tap")
	b.changeAs(ada, "#issue-pass")
	b.expectText("Temporary Access Pass", "It's shown only once")
	pass := b.shownSecret()
	b.page("admin-pass-shown")
	m := b.newContext("member")
	m.open("/signin/tap")
	m.fill(`input[name=username]`, casey.Username)
	m.fill(`input[name=pass]`, pass)
	m.page("signin-tap")
	m.submitText("Sign in")
	m.startAppAtInterrupt()
	m.setUpAppQuietly("member-register-app")
	// Casey still holds the temporary password the console made, so they
	// choose their own before the sign-in ends.
	if m.path() == "/signin/new-password" {
		m.page("member-new-password")
		m.fill("#newPassword", "Copper-Kettle-Morning-55")
		m.fill("#confirmPassword", "Copper-Kettle-Morning-55")
		m.submitText("Set password and sign in")
	}
	m.open("/my/security-info")
	m.expectPath("/my/security-info")
	m.expectText("Authenticator app")
	m.page("member-registered")

	b.openMember(casey.Username)
	b.expectText("Authenticator app")
	b.page("admin-member-with-app")
	b.submit("#require-reregistration")
	b.changeAs(ada, "#confirm-yes")
	b.expectText("No security info registered.")
	if n := countAudit(auditOf(t, s, casey.Username), "Admin deleted security info", ada.Username); n < 1 {
		t.Errorf("no 'Admin deleted security info' entry by %s for Casey", ada.Username)
	}

	for _, secret := range []string{casey.Password, pass} {
		if strings.Contains(s.Logs(), secret) {
			t.Errorf("the server log carries a temporary password or pass")
		}
	}
}

// changeAs presses the button sel of a console change; when the admin's
// second factor has grown too old for changes, the console sends them to
// verify again, which they do with their app, and they press it again.
func (b *browser) changeAs(m *staffMember, sel string) {
	b.t.Helper()
	back := b.path()
	b.submit(sel)
	if b.path() != "/my/verify" {
		return
	}
	b.t.Logf("the console asked %s to verify again", m.Username)
	b.fill(`input[name=code]`, m.app.code(b.t))
	b.submitText("Verify")
	b.open(back)
	b.submit(sel)
}
