package e2e

import (
	"fmt"
	"testing"
)

// Changing the password in real Chromium against the real binary: the page
// tells the rules live as the member types, a wrong current password is told
// on its field with focus on the summary, the change returns to the overview
// with a notice, and after signing out the new password signs in.

func TestBrowserChangePassword(t *testing.T) {
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
			b.Review = !v.postgres
			passwordJourney(b)
		})
	}
}

func passwordJourney(b *browser) {
	m := alex
	b.open("/signin")
	b.signInPassword(m)
	b.expectPath("/signin/register…")
	b.startAppAtInterrupt()
	b.setUpApp("password-register-app", "")
	b.expectText("You're all set")
	b.submitText("Done")

	b.open("/my/password")
	b.expectText("Change password", "Sign me out everywhere else")
	b.page("password-form")

	// Live reasons while typing: a name inside, then the two entries differ.
	b.retype("#newPassword", "alex likes tea")
	b.expectText("Don't use your name, your user name or your organization's name.")
	b.retype("#newPassword", "lantern meadow copper")
	b.retype("#confirmPassword", "lantern meadow")
	b.expectText("The two new passwords don't match yet.")
	b.page("password-live-rules")

	// A wrong current password: told on its field, focus on the summary.
	b.retype("#currentPassword", "not my password")
	b.retype("#confirmPassword", "lantern meadow copper")
	if n, c := b.fieldValue("#newPassword"), b.fieldValue("#confirmPassword"); n != c {
		b.fatalf("fields hold %q and %q", n, c)
	}
	b.submitText("Change password")
	b.expectText("There is a problem", "That isn't your current password.")
	if got := b.focused(); got != "#error-summary" {
		b.fatalf("after a problem the page focuses %q, want the error summary", got)
	}
	if b.fieldValue("#newPassword") != "" {
		b.fatalf("the new password was typed back into the page")
	}
	b.page("password-wrong-current")

	b.retype("#currentPassword", m.Password)
	b.retype("#newPassword", "lantern meadow copper")
	b.retype("#confirmPassword", "lantern meadow copper")
	b.submitText("Change password")
	b.expectPath("/my…")
	b.expectText("Your password was changed, and you were signed out everywhere else.")
	b.page("password-changed")

	// Sign out; the old password no longer works, the new one does.
	b.submit("#signout")
	b.signInPassword(m)
	b.expectText("Your user name or password is incorrect")
	m.Password = "lantern meadow copper"
	b.signInPassword(m)
	b.expectPath("/signin/verify…")
}

// retype empties the field sel, then types text into it as a person would,
// so the page's input events fire for each character.
func (b *browser) retype(sel, text string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = ""; return true; })()`, sel))
	b.fill(sel, text)
}
