package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/twofold-id/twofold/internal/testkit/mailserver"
)

// "This wasn't me", in real Chromium against the real binary sending mail to
// a real SMTP server: a change to the member's security info is told in a
// notice that reaches the mail server; its link, on the configured base
// URL, opens a page that asks before it does anything; confirming blocks
// two-step verification, alerts the admin and is audited; the next sign-in
// is refused at the second factor; the link can't be used twice, and a
// changed link is refused.

func TestBrowserWasntMe(t *testing.T) {
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
			s.runInput(t, "Admin-Lantern-Orchard-42\n", "user", "create", "--username", "megan@contoso.test",
				"--display-name", "Megan Bowen", "--role", "admin", "--password-stdin")
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			wasntMeJourney(t, s, ms, b)
		})
	}
}

var reportLink = regexp.MustCompile(`\S+/report/([0-9a-f]+)`)

func wasntMeJourney(t *testing.T, s *server, ms *mailserver.Server, b *browser) {
	// 1. A change: the member sets up an authenticator app at the interrupt.
	b.open("/signin")
	b.signInPassword(alex)
	b.expectText("More information required")
	b.submitText("Next")
	b.setUpApp("wasntme-register-app", "")
	b.expectText("You're all set")
	b.submitText("Done")
	b.expectPath("/my")

	// 2. The notice reaches the mail server. The member has no personal email
	// or mobile yet, so it goes to the work mailbox and says why; its link is
	// on the configured base URL.
	notice := waitForMail(t, ms, alex.Username, "/report/")
	if got := decoded(t, notice.Header.Get("Subject")); got != "Your security info changed" {
		t.Errorf("notice subject %q", got)
	}
	for _, want := range []string{"An authenticator app was added", "From: 127.0.0.1", "Browser: Chrome", "If it wasn't you, report it with this link", "no personal email or mobile phone"} {
		if !strings.Contains(notice.Body, want) {
			t.Errorf("the notice lacks %q:\n%s", want, notice.Body)
		}
	}
	m := reportLink.FindStringSubmatch(notice.Body)
	if m == nil || !strings.HasPrefix(m[0], s.URL+"/report/") {
		t.Fatalf("no report link on %s in the notice:\n%s", s.URL, notice.Body)
	}
	link, token := strings.TrimPrefix(m[0], s.URL), m[1]

	// 3. Following the link only asks.
	b.open(link)
	b.expectText("Report a change you didn't make", "block two-step verification on your account")
	b.page("wasntme-confirm")
	b.open("/my")
	b.expectPath("/my") // opening the link changed nothing: still signed in

	// 4. Confirm.
	b.open(link)
	b.submitText("Report this and block two-step verification")
	b.expectText("We've blocked two-step verification on your account",
		"until your help desk lifts the block", "We signed out", "change your password")
	b.page("wasntme-done")
	alert := waitForMail(t, ms, "megan@contoso.test", alex.Username)
	if got := decoded(t, alert.Header.Get("Subject")); got != "Fraud reported by "+alex.Username {
		t.Errorf("admin alert subject %q", got)
	}
	if audit := s.run(t, "audit", "list", "--org", "contoso.test", "--limit", "50"); !strings.Contains(audit, "Fraud reported") {
		t.Errorf("the audit log has no fraud report:\n%s", audit)
	}

	// 5. The session is over, and the next sign-in stops at the second
	// factor: the right password leads to "blocked", with no way to enter a
	// code, so even the member's own app can't get in.
	b.open("/my")
	b.expectPath("/signin…")
	b.signInPassword(alex)
	b.expectText("Two-step verification is blocked for your account")
	b.page("wasntme-signin-blocked")
	if p := b.path(); p != "/signin" || b.has(`input[name=code]`) {
		t.Fatalf("after the password the tab is at %s (code field %v), want the blocked sign-in page", p, b.has(`input[name=code]`))
	}

	// 6. The link works once; a changed link is refused.
	b.open(link)
	b.submitText("Report this and block two-step verification")
	b.expectText("This link has already been used")
	b.page("wasntme-used")
	changed := token[:len(token)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", token[len(token)-1])+1)%16])
	b.open("/report/" + changed)
	b.expectText("This link doesn't work")
	b.page("wasntme-invalid")

	if strings.Contains(s.Logs(), token) {
		t.Error("the server log carries a report link's token")
	}
}
