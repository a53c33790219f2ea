package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The member's journey through sign-in and Security info, in real Chromium
// against the real binary, as a person would go: every page is screenshotted
// at desktop and phone widths and checked with axe-core (see page()).
//
// Selectors follow internal/web/templates; when a page changes shape, adapt
// the helpers at the bottom of this file first.

// member is the person the journey signs in as.
type member struct {
	Username, Password, Name string
}

var alex = member{Username: "alex@contoso.test", Password: "Tulip-Harbour-Quietly-88", Name: "Alex Wilber"}

// seed creates the organization and the member with the CLI, as an admin
// would.
func seed(t *testing.T, s *server) {
	t.Helper()
	s.run(t, "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	s.runInput(t, alex.Password+"\n", "user", "create",
		"--username", alex.Username, "--display-name", alex.Name, "--password-stdin")
}

func TestSecurityInfoJourney(t *testing.T) {
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
			seed(t, s)
			b := newBrowser(t, s.URL)
			// The pages are the same on both databases: review them once.
			b.Review = !v.postgres
			journey(t, s, b)
		})
	}
}

func journey(t *testing.T, s *server, b *browser) {
	// 1. Password, then the interrupt: the member has no second method and
	// the policy requires one, so they must set up an authenticator app.
	b.open("/signin")
	b.page("signin")
	b.signInPassword(alex)
	b.expectPath("/signin/register…")
	b.expectText("More information required")
	b.page("more-information-required")
	b.submitText("Next")
	first := b.setUpApp("register-app", "")
	b.expectText("You're all set")
	b.page("registered")
	b.submitText("Done")

	// 2. My Account.
	b.expectPath("/my")
	b.expectText("Hello, "+alex.Name, "Contoso")
	for _, href := range []string{"/my", "/my/security-info", "/my/sessions"} {
		if !b.has(fmt.Sprintf(`nav a[href=%q]`, href)) {
			t.Errorf("My Account navigation has no link to %s", href)
		}
	}
	b.page("my-account")
	b.openPhoneMenu("my-account-menu")

	// 3. Sign out, and the session is gone.
	b.submit("#signout")
	b.expectPath("/signin…")
	b.page("signed-out")
	b.open("/my")
	b.expectPath("/signin…")

	// 4. Sign in with a code from the app; a wrong code first.
	b.signInPassword(alex)
	b.expectPath("/signin/verify")
	b.expectText("Enter the code displayed in your authenticator app")
	b.page("enter-code")
	b.fill(`input[name=code]`, totpCode(first.secret, time.Now().Add(-time.Hour)))
	b.submitText("Verify")
	b.expectPath("/signin/verify")
	// The error sits in a summary at the top, linked to the field,
	// and focus moves to the summary.
	if got := b.focused(); got != "#error-summary" || !eval[bool](b, `!!document.querySelector('#error-summary a[href="#code"]')`) {
		t.Errorf("after a wrong code, focus is on %q, not on an error summary linking to the code field", got)
	}
	b.page("enter-code-wrong")
	b.fill(`input[name=code]`, first.code(t))
	b.submitText("Verify")
	b.expectPath("/my")

	// 5. Security info: one app, the default line, the add link.
	b.submit(`a[href="/my/security-info"]`)
	b.expectPath("/my/security-info")
	b.expectText("Security info", "Default sign-in method:", "Authenticator app")
	if n := b.count("li.method"); n != 1 {
		t.Errorf("security info lists %d methods after registration, want 1", n)
	}
	b.page("security-info")

	// 6. Add a second authenticator app, with a name.
	b.submit("#add-method")
	b.expectPath("/my/security-info/add")
	b.page("add-method")
	// By keyboard alone: the first method is chosen already, so Enter adds it;
	// the setup page starts at the code, and the done page at Done.
	if got := eval[string](b, `(document.querySelector('input[name=kind]:checked') || {}).value || ""`); got != "softwareOath" {
		t.Errorf("Add a method starts with %q chosen, want the authenticator app", got)
	}
	b.pressEnter("input[name=kind]:checked")
	b.expectPath("/my/security-info/app/…")
	if got := b.focused(); got != "#code" {
		t.Errorf("the app setup page focuses %q, want the code field", got)
	}
	second := b.setUpApp("add-app", "Work phone")
	if second.secret == first.secret {
		t.Errorf("the second app got the same secret as the first")
	}
	b.expectText("successfully registered")
	if got := b.focused(); got != "a Done" {
		t.Errorf("the done page focuses %q, want Done", got)
	}
	b.page("app-added")
	b.pressEnter("a[autofocus]")
	b.expectPath("/my/security-info")
	b.expectText("Work phone")
	if n := b.count("li.method"); n != 2 {
		t.Errorf("security info lists %d methods after adding an app, want 2", n)
	}
	b.page("security-info-two-apps")

	// 7. Change the default sign-in method. The default is per kind
	// ("Authenticator app – code"), so with apps only there is one choice.
	b.submit("#change-default")
	b.expectPath("/my/security-info/default")
	b.page("change-default")
	chosen := b.choose("preference", "Authenticator app")
	b.submitText("Confirm")
	b.expectPath("/my/security-info")
	b.expectText("Default sign-in method: " + chosen)

	// 8. Delete the first app: No keeps it, Yes deletes it.
	b.deleteLinkOfRowWithout("Work phone")
	b.expectPath("/my/security-info/methods/…")
	if !strings.Contains(b.bodyText(), "Delete this authenticator app?") &&
		!strings.Contains(b.bodyText(), "Are you sure you want to delete this method?") {
		b.fatalf("the delete confirmation does not ask plainly")
	}
	if focused := b.focused(); focused != "#delete-no" {
		t.Errorf("the delete confirmation focuses %q; the safe choice (No) should have focus", focused)
	}
	b.page("delete-confirm")
	b.submitText("No")
	b.expectPath("/my/security-info")
	if n := b.count("li.method"); n != 2 {
		t.Errorf("after No, security info lists %d methods, want 2", n)
	}
	b.deleteLinkOfRowWithout("Work phone")
	b.submitText("Yes")
	b.expectPath("/my/security-info")
	b.expectText("Work phone")
	if n := b.count("li.method"); n != 1 {
		t.Errorf("after Yes, security info lists %d methods, want 1", n)
	}
	b.page("app-deleted")

	// 9. Sign out everywhere: a second browser signs in first, and is
	// signed out too.
	other := b.newContext("second-browser")
	other.Review = b.Review
	other.signInPassword(alex)
	other.expectPath("/signin/verify")
	other.fill(`input[name=code]`, second.code(t)) // the remaining app
	other.submitText("Verify")
	other.expectPath("/my")
	other.page("signed-in")

	b.submit(`a[href="/my/sessions"]`)
	b.expectPath("/my/sessions")
	if n := b.count("li.session"); n != 2 {
		t.Errorf("sessions lists %d sessions with two browsers signed in, want 2", n)
	}
	b.page("sessions")
	b.submit("#signout-everywhere")
	b.expectPath("/signin…")
	b.page("signed-out-everywhere")
	b.open("/my")
	b.expectPath("/signin…")
	other.open("/my")
	other.expectPath("/signin…")
	other.page("signed-out")

	// 10. Logs never hold secrets.
	logs := s.Logs()
	for what, secret := range map[string]string{
		"the password":            alex.Password,
		"the first app's secret":  strings.ReplaceAll(first.secret, " ", ""),
		"the second app's secret": strings.ReplaceAll(second.secret, " ", ""),
	} {
		if strings.Contains(logs, secret) || strings.Contains(logs, strings.ToLower(secret)) {
			t.Errorf("the server's logs contain %s", what)
		}
	}

	// 11. The audit log tells the story.
	log := s.run(t, "audit", "list", "--org", "contoso.test", "--limit", "100")
	for _, activity := range []string{
		"User registered security info",
		"User deleted security info",
	} {
		if !strings.Contains(log, activity) {
			t.Errorf("audit list lacks %q:\n%s", activity, log)
		}
	}
}

// TestSignInFailureIsOneSentence checks that an unknown user and a wrong
// password look the same: same words on the same page.
func TestSignInFailureIsOneSentence(t *testing.T) {
	s := startServer(t, serverOptions{})
	seed(t, s)
	b := newBrowser(t, s.URL)

	b.signInPassword(member{Username: "nobody@contoso.test", Password: "Whatever-it-is-42"})
	b.expectPath("/signin")
	unknown := b.bodyText()
	b.page("unknown-user")
	if got := eval[string](b, `document.querySelector('input[name=password]').value`); got != "" {
		t.Errorf("the password field kept the password after a failure")
	}

	b.signInPassword(member{Username: alex.Username, Password: "Not-the-password-42"})
	b.expectPath("/signin")
	wrong := b.bodyText()
	b.page("wrong-password")
	if unknown != wrong {
		t.Errorf("an unknown user and a wrong password read differently:\n--- unknown user ---\n%s\n--- wrong password ---\n%s", unknown, wrong)
	}
	if got := eval[string](b, `document.querySelector('input[name=username]').value`); got != alex.Username {
		t.Errorf("the user name field holds %q after a failure, want what was typed", got)
	}
}

// signInPassword does the first step of sign-in from /signin.
func (b *browser) signInPassword(m member) {
	b.t.Helper()
	if b.path() != "/signin" {
		b.open("/signin")
	}
	b.fill(`input[name=username]`, m.Username)
	b.fill(`input[name=password]`, m.Password)
	b.submit(`form button[type=submit]`)
}

var groupsOfFour = regexp.MustCompile(`^[A-Z2-7]{4}( [A-Z2-7]{4})*( [A-Z2-7]{1,3})?$`)

// setUpApp goes through an authenticator-app setup page as a person with a
// phone would: checks that the QR code and the key under "Can't scan the
// image?" agree, names the app (when name is not ""), enters the current
// code and presses Next. It returns the app, which holds the secret.
func (b *browser) setUpApp(shotName, name string) *authApp {
	b.t.Helper()
	b.expectText("Set up your authenticator app")
	uri := b.qrText("img.qr")
	b.click("details.manual summary") // "Can't scan the image?"
	key := b.text("#secret-key")
	if !groupsOfFour.MatchString(key) {
		b.t.Errorf("the key %q is not in groups of four", key)
	}
	if raw, err := decodeSecret(key); err != nil || len(raw) != 20 {
		b.t.Errorf("the key %q is not a 160-bit base32 secret (%d bytes, %v)", key, len(raw), err)
	}
	if uri != "" {
		o, err := parseOTPAuth(uri)
		if err != nil {
			b.t.Fatalf("QR code: %v", err)
		}
		if o.Secret != strings.ReplaceAll(key, " ", "") {
			b.t.Errorf("the QR code's secret %s differs from the key shown, %s", o.Secret, key)
		}
		if o.Issuer != "Contoso" || o.Account != alex.Username {
			b.t.Errorf("QR code issuer %q account %q, want Contoso and %s", o.Issuer, o.Account, alex.Username)
		}
	}
	b.page(shotName)
	app := &authApp{secret: key}
	if name != "" {
		b.fill(`input[name=name]`, name)
	}
	b.fill(`input[name=code]`, app.code(b.t))
	b.submitText("Next")
	return app
}

// choose clicks the label of the radio button named name whose label
// contains text, checks that the radio is now selected, and returns the
// label's text.
func (b *browser) choose(name, text string) string {
	b.t.Helper()
	label := eval[string](b, fmt.Sprintf(`(() => {
		document.querySelectorAll('[data-e2e-mark]').forEach(e => e.removeAttribute('data-e2e-mark'));
		for (const input of document.querySelectorAll('input[type=radio][name=' + CSS.escape(%q) + ']')) {
			const label = input.labels && input.labels[0];
			if (label && label.innerText.includes(%q)) {
				label.setAttribute('data-e2e-mark', '');
				input.setAttribute('data-e2e-radio', '');
				return label.innerText.trim();
			}
		}
		return '';
	})()`, name, text))
	if label == "" {
		b.fatalf("no %q choice whose label contains %q", name, text)
	}
	b.click("[data-e2e-mark]")
	if !eval[bool](b, `document.querySelector('[data-e2e-radio]').checked`) {
		b.fatalf("clicking the label %q did not select its radio button", label)
	}
	// The label may hold a hint on its own line; the choice is the first.
	first, _, _ := strings.Cut(label, "\n")
	return strings.TrimSpace(first)
}

// deleteLinkOfRowWithout follows the Delete link of the first method row
// whose text does not contain keep.
func (b *browser) deleteLinkOfRowWithout(keep string) {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => {
		document.querySelectorAll('[data-e2e-mark]').forEach(e => e.removeAttribute('data-e2e-mark'));
		for (const row of document.querySelectorAll('li.method')) {
			if (row.innerText.includes(%q)) continue;
			const a = [...row.querySelectorAll('a')].find(a => a.innerText.trim().startsWith('Delete'));
			if (a) { a.setAttribute('data-e2e-mark', ''); return true; }
		}
		return false;
	})()`, keep))
	if !ok {
		b.fatalf("no method row without %q has a Delete link", keep)
	}
	b.submit("[data-e2e-mark]")
}

// count returns how many elements match sel, at once.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// openPhoneMenu opens the collapsed navigation at phone width and takes a
// picture of it, then closes it again.
func (b *browser) openPhoneMenu(shotName string) {
	b.t.Helper()
	if !b.Review || !b.has("details.nav-menu") {
		return
	}
	b.setViewport(phone)
	b.click("details.nav-menu summary")
	n := b.shared.next()
	b.saveShot(n, shotName, phone)
	b.checkPhoneLayout(shotName)
	b.click("details.nav-menu summary")
	b.setViewport(desktop)
}
