package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Self-service password reset in real Chromium against the real binary, on
// both databases, one server per database for three journeys:
//   - a member with an app and a mobile resets under a policy asking two
//     methods: the proof of work, the number typed in full (a wrong one
//     refused beside its field), a texted code, an app code, the new password
//     twice (a mismatch refused), the done page, and the next sign-in still
//     asking for the second factor;
//   - an admin is asked for two methods and never offered security questions;
//   - a member without enough methods gets the help-desk contact.
// Screenshots and axe on every page; the time each step took is logged.

func TestBrowserReset(t *testing.T) {
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
			cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--reset-methods-required", "2",
				"--helpdesk-contact", "IT help desk, ext. 4357")
			c, ob := newAPIClient(t, s), newOutboxReader(t, s)
			const number = "+1 4255550161"
			maria, _ := phoneMember(t, s, c, ob, "maria", number, "oath")
			root := seedAdmin(t, s, "rosa", "Rosa Diaz")
			c.registerByInterrupt(t, root, "")
			c.addMobileByText(t, root.token, "+1 4255550162", ob.code)
			lee := seedMember(t, s, "lee", "Lee Gu")
			c.registerByInterrupt(t, lee, "") // one method; two are needed

			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			resetJourney(t, b, ob, maria, number)
			adminResetJourney(t, b, root)
			helpdeskResetJourney(t, b, lee)
		})
	}
}

// seedAdmin creates an admin of the test organization.
func seedAdmin(t *testing.T, s *server, local, name string) *apiMember {
	t.Helper()
	m := &apiMember{Username: local + "@" + apiOrg.Domain, Password: "Quiet-Lantern-Harbor-77", Name: name}
	cli(t, s, m.Password+"\n", "user", "create", "--username", m.Username, "--display-name", m.Name, "--role", "admin", "--password-stdin")
	return m
}

// stepTimer logs how long each step of a journey took.
type stepTimer struct {
	t    *testing.T
	last time.Time
	log  []string
}

func (s *stepTimer) step(name string) {
	now := time.Now()
	s.log = append(s.log, fmt.Sprintf("%s %s", name, now.Sub(s.last).Round(time.Millisecond)))
	s.last = now
}

// startResetAs opens /reset from the sign-in page's link and sends the user
// name; the press waits for the proof of work, then the form goes.
func (b *browser) startResetAs(username, shot string) {
	b.t.Helper()
	b.open("/signin")
	b.submit("#forgot-password")
	b.expectPath("/reset")
	b.expectText("Get back into your account")
	if shot != "" {
		b.page(shot)
	}
	b.fill("#username", username)
	b.submitText("Next")
	b.expectPath("/reset/verify")
}

func resetJourney(t *testing.T, b *browser, ob *outboxReader, m *apiMember, number string) {
	st := &stepTimer{t: t, last: time.Now()}
	b.startResetAs(m.Username, "reset-start")
	st.step("user name and proof of work")
	b.expectText("Verify your identity with two different methods.", "Text my mobile phone "+maskOf(number),
		"Enter a code from my authenticator app")
	b.page("reset-choose")

	// The text: the whole number first; a wrong one is refused beside its field.
	b.submit(`form:has(input[name=choice][value$=".text"]) button.option`)
	b.expectText("type the whole number: " + maskOf(number))
	b.page("reset-target")
	b.fill("#target", "+1 425 555 0199")
	b.submitText("Text me a code")
	b.expectText("There is a problem", "That isn't the phone number we have.")
	if !b.has(`#target[aria-invalid="true"][aria-describedby~="target-error"]`) {
		t.Errorf("the wrong number is not marked with its error")
	}
	if got := b.focused(); got != "#error-summary" {
		t.Errorf("after a wrong number the page focuses %q, want the error summary", got)
	}
	b.page("reset-target-problem")
	b.fill("#target", "(425) 555-0161")
	b.submitText("Text me a code")
	b.expectText("We texted a 6-digit code to "+maskOf(number), "Step 1 of 2")
	b.page("reset-text-code")
	st.step("number typed, text sent")
	b.fill("#code", ob.code(e164(number)))
	b.submitText("Next")
	b.expectText("One is done: choose the second.")
	if strings.Contains(b.bodyText(), "Text my mobile phone") {
		t.Errorf("the proven phone is offered again")
	}
	st.step("texted code")

	// The app.
	b.submit(`form:has(input[name=choice][value$=".appCode"]) button.option`)
	b.expectText("Enter the 6-digit code your authenticator app shows now", "Step 2 of 2")
	b.page("reset-app-code")
	b.fill("#code", aheadCode(t, m.app))
	b.submitText("Next")
	b.expectPath("/reset/password")
	st.step("app code")

	// The new password, twice.
	b.expectText("Choose a new password", "At least 8 characters.")
	b.page("reset-password")
	b.fill("#password", "Copper kettle morning")
	b.fill("#confirm", "Copper kettle mornin")
	b.submitText("Reset password")
	b.expectText("The two passwords don't match.")
	b.page("reset-password-problem")
	b.fill("#password", "Copper kettle morning")
	b.fill("#confirm", "Copper kettle morning")
	b.submitText("Reset password")
	b.expectText("Your password was reset. Sign in with your new password.")
	b.page("reset-done")
	st.step("new password")
	t.Logf("reset steps: %s", strings.Join(st.log, "; "))

	// No sign-in happened; the new password leads to the second factor.
	if status := b.open("/my"); status != http.StatusOK || b.path() != "/signin" {
		t.Errorf("after the reset /my answered %d at %s, want the sign-in page", status, b.path())
	}
	b.signInPassword(member{Username: m.Username, Password: "Copper kettle morning"})
	b.expectPath("/signin/verify")
}

func adminResetJourney(t *testing.T, b *browser, admin *apiMember) {
	b.startResetAs(admin.Username, "")
	b.expectText("Verify your identity with two different methods.")
	if strings.Contains(b.bodyText(), "security questions") {
		t.Errorf("an admin is offered security questions")
	}
	b.page("reset-admin-choose")
}

func helpdeskResetJourney(t *testing.T, b *browser, m *apiMember) {
	b.startResetAs(m.Username, "")
	b.expectText("You can't reset your password here. Contact your administrator: IT help desk, ext. 4357")
	b.page("reset-contact")
	// A name that is nobody's reads the same.
	contact := b.bodyText()
	b.startResetAs("nobody@"+apiOrg.Domain, "")
	if got := b.bodyText(); got != contact {
		t.Errorf("an unknown name's page differs from an ineligible member's:\n%s\n---\n%s", got, contact)
	}
}
