package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/testkit/mailserver"
)

// The member's journey with an email address, in real Chromium against the
// real binary sending mail to a real SMTP server: add an address from
// Security info (a bad one refused beside its field), read the code from the
// mail that arrived, a wrong code refused, the right one saving it, change it
// (with a resent code, the first no longer working), delete it. No code
// reaches the server's log.

func TestBrowserEmail(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			ms := mailserver.Start(t, mailserver.Options{TLS: "starttls"})
			s := startServer(t, serverOptions{Postgres: v.postgres, Env: []string{
				"TWOFOLD_MAIL=smtp", "TWOFOLD_SMTP_HOST=127.0.0.1", "TWOFOLD_SMTP_PORT=" + strconv.Itoa(ms.Port),
				"TWOFOLD_MAIL_FROM=Contoso security <no-reply@contoso.test>", "SSL_CERT_FILE=" + ms.CAFile}})
			seed(t, s)
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			emailJourney(t, s, ms, b)
		})
	}
}

// mailedCodes returns the codes mailed to rcpt that reached the mail server,
// oldest first, waiting until there are at least n.
func mailedCodes(t *testing.T, ms *mailserver.Server, rcpt string, n int) []string {
	t.Helper()
	deadline := time.Now().Add(mailWait)
	for {
		var codes []string
		for _, m := range ms.Messages() {
			if len(m.To) == 1 && m.To[0] == rcpt && strings.Contains(decoded(t, m.Header.Get("Subject")), "verification code") {
				if c := sixDigits.FindString(m.Body); c != "" {
					codes = append(codes, c)
				}
			}
		}
		if len(codes) >= n {
			return codes
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d codes mailed to %s reached the mail server within %s, want %d", len(codes), rcpt, mailWait, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func emailJourney(t *testing.T, s *server, ms *mailserver.Server, b *browser) {
	// 1. Sign in and set up the authenticator app the policy requires.
	b.open("/signin")
	b.signInPassword(alex)
	b.startAppAtInterrupt()
	b.setUpApp("email-register-app", "")
	b.expectText("You're all set")
	b.submitText("Done")

	// 2. Add an email from Security info.
	b.open("/my/security-info/add")
	b.choose("kind", "Email")
	b.submitText("Add")
	b.expectPath("/my/security-info/email")
	b.expectText("Email address", "Use a personal address, not "+alex.Username)
	if got := b.focused(); got != "#emailAddress" {
		t.Errorf("the form focuses %q, want the address", got)
	}
	b.page("email-form")

	// 3. A problem is told beside the field, the summary focused, what was typed kept.
	b.fill("#emailAddress", "alex@localhost")
	b.submitText("Next")
	b.expectText("There is a problem", "The part after @ must be a domain name, like contoso.com.")
	if got := b.focused(); got != "#error-summary" {
		t.Errorf("after a problem the page focuses %q, want the error summary", got)
	}
	if b.fieldValue("#emailAddress") != "alex@localhost" || !b.has(`#emailAddress[aria-invalid="true"][aria-describedby~="emailAddress-error"]`) {
		t.Errorf("the address is not kept and marked with its error")
	}
	b.page("email-problem")

	// 4. The code is mailed; the page says where, masked.
	b.fill("#emailAddress", "Alex.Wilber@Fabrikam.example")
	b.submitText("Next")
	b.expectPath("/my/security-info/email/code/…")
	b.expectText("We emailed a 6-digit code to A•••@fabrikam.example.")
	if got := b.focused(); got != "#code" {
		t.Errorf("the code page focuses %q, want the code", got)
	}
	b.page("email-code")
	code := mailedCodes(t, ms, "Alex.Wilber@fabrikam.example", 1)[0]
	mail := waitForMail(t, ms, "Alex.Wilber@fabrikam.example", code)
	if !strings.Contains(mail.Body, "expires in 10 minutes") || !strings.Contains(mail.Body, "If this wasn't you") || !mail.TLS {
		t.Errorf("the mail over TLS %v says: %s", mail.TLS, mail.Body)
	}

	// 5. A wrong code, then the right one.
	b.fill("#code", wrongOf(code))
	b.submitText("Next")
	b.expectText("That code didn't work. Check the code in the email and try again.")
	b.page("email-wrong-code")
	b.fill("#code", code)
	b.submitText("Next")
	if p := b.path(); !strings.HasPrefix(p, "/my/security-info/email/code/") || !strings.HasSuffix(p, "/done") {
		t.Errorf("after the code the tab is at %s, want the done page", p)
	}
	b.expectText("Email registered", "Your email address was registered.", "Alex.Wilber@fabrikam.example")
	b.page("email-done")
	b.submitText("Done")
	b.expectPath("/my/security-info")
	b.expectText("Email", "Alex.Wilber@fabrikam.example")
	b.page("security-info-with-email")

	// 6. Change it; a resent code replaces the first.
	b.followRowLink("Alex.Wilber@fabrikam.example", "Change")
	b.expectPath("/my/security-info/email/change/…")
	b.expectText("Change email address", "it replaces Alex.Wilber@fabrikam.example once you enter the code")
	b.page("email-change")
	b.fill("#emailAddress", "alex@tailspin.example")
	b.submitText("Next")
	b.expectText("We emailed a 6-digit code to a•••@tailspin.example.")
	first := mailedCodes(t, ms, "alex@tailspin.example", 1)[0]
	b.submitText("Resend code")
	b.expectText("We emailed you a new code. Codes from earlier emails no longer work.")
	b.page("email-resent")
	codes := mailedCodes(t, ms, "alex@tailspin.example", 2)
	if first != codes[1] {
		b.fill("#code", first)
		b.submitText("Next")
		b.expectText("That code didn't work.")
	}
	b.fill("#code", codes[1])
	b.submitText("Next")
	b.expectText("Email address changed", "Your email address was changed.")
	b.submitText("Done")
	b.expectText("alex@tailspin.example")
	if strings.Contains(b.bodyText(), "fabrikam") {
		t.Errorf("the old address is still listed")
	}

	// 7. Delete it.
	b.followRowLink("alex@tailspin.example", "Delete")
	b.expectText("Delete this email address?", "You won't be able to use it to reset your password.")
	b.page("email-delete")
	b.submitText("Yes")
	b.expectPath("/my/security-info")
	if strings.Contains(b.text("ul.methods"), "tailspin") {
		t.Errorf("after deleting, security info still lists the email: %s", b.text("ul.methods"))
	}

	for _, c := range append(codes, code) {
		if strings.Contains(s.Logs(), c) {
			t.Errorf("the server log carries the code %s", c)
		}
	}
}
