package e2e

import (
	"fmt"
	"mime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/twofold-id/twofold/internal/testkit/mailserver"
)

// mailWait bounds how long a queued mail may take to reach the mail server:
// the dispatcher polls every 2 s.
const mailWait = 20 * time.Second

// TestMailThroughSMTP runs the binary with TWOFOLD_MAIL=smtp against a real SMTP
// server that requires STARTTLS and a login: security notices and the admins'
// fraud alert arrive there, sent once each, with the configured sender; a
// recipient the server defers (451) gets the mail on a later attempt; on
// PostgreSQL a second replica's dispatcher shares the queue without sending any
// mail twice.
func TestMailThroughSMTP(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		var deferOnce sync.Once
		ms := mailserver.Start(t, mailserver.Options{TLS: "starttls", Username: "twofold", Password: "relay-password-1234",
			Refuse: func(rcpt string) error {
				refuse := false
				if strings.HasPrefix(rcpt, "kai@") {
					deferOnce.Do(func() { refuse = true })
				}
				if refuse {
					return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
				}
				return nil
			}})
		env := []string{"TWOFOLD_MAIL=smtp", "TWOFOLD_SMTP_HOST=127.0.0.1", "TWOFOLD_SMTP_PORT=" + strconv.Itoa(ms.Port),
			"TWOFOLD_SMTP_USERNAME=twofold", "TWOFOLD_SMTP_PASSWORD=relay-password-1234",
			"TWOFOLD_MAIL_FROM=Contoso security <no-reply@contoso.test>", "SSL_CERT_FILE=" + ms.CAFile}
		s := startServer(t, serverOptions{Postgres: postgres, Env: env})
		if postgres {
			startServer(t, serverOptions{ReplicaOf: s, Env: env})
		}
		seedOrg(t, s)
		admin := "ada@" + apiOrg.Domain
		cli(t, s, "Quiet-Harbor-48213\n", "user", "create", "--username", admin, "--display-name", "Ada Admin",
			"--role", "admin", "--password-stdin")
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		const number = "+1 4255550117"
		kai, _ := phoneMember(t, s, c, ob, "kai", number, "voiceMobile")

		// The notice of the phone added: over TLS, logged in, from the configured sender.
		notice := waitForMail(t, ms, kai.Username, "A phone ("+maskOf(number)+") was added")
		if !notice.TLS || notice.User != "twofold" || notice.From != "no-reply@contoso.test" {
			t.Errorf("the notice came over TLS %v, login %q, MAIL FROM %q", notice.TLS, notice.User, notice.From)
		}
		if h := notice.Header; !strings.Contains(h.Get("From"), "Contoso security") || h.Get("Auto-Submitted") != "auto-generated" ||
			decoded(t, h.Get("Subject")) != "Your security info changed" || h.Get("Message-Id") == "" {
			t.Errorf("notice headers %v", h)
		}

		// 0# on a sign-in call: the admin's alert goes out by mail, the number masked.
		a := c.signIn(t, kai)
		ob.pickUpAndPress(e164(number), "0#")
		if ch := c.challengeOf(t, a.FlowID); ch.State != "fraud" {
			t.Fatalf("after 0# the challenge is %+v", ch)
		}
		alert := waitForMail(t, ms, admin, "reported")
		if subj := decoded(t, alert.Header.Get("Subject")); !strings.Contains(subj, "Fraud reported by "+kai.Username) {
			t.Errorf("the admin's alert is titled %q", subj)
		}
		if strings.Contains(alert.Body, strings.TrimPrefix(e164(number), "+1")) {
			t.Errorf("the alert shows the full number: %s", alert.Body)
		}

		// Every mail went out exactly once, including kai's first (deferred, then
		// retried), however many replicas send.
		want := map[string]int{}
		for _, m := range ob.mail(kai.Username) {
			want[m.Subject+"|"+firstLine(m.Body)]++
		}
		deadline := time.Now().Add(mailWait + 40*time.Second) // the 451 waits 30 s for its retry
		for time.Now().Before(deadline) && countTo(ms, kai.Username) < len(ob.mail(kai.Username)) {
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(3 * time.Second) // a twin would come within a poll or two
		got := map[string]int{}
		for _, m := range ms.Messages() {
			if m.To[0] == kai.Username {
				got[decoded(t, m.Header.Get("Subject"))+"|"+firstLine(m.Body)]++
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("mail to %s at the server:\n  %v\nwant each queued mail once:\n  %v", kai.Username, got, want)
		}
		if strings.Contains(s.Logs(), "relay-password-1234") {
			t.Error("the server's logs contain the SMTP password")
		}
	})
}

// waitForMail returns the mail to rcpt whose body contains text.
func waitForMail(t *testing.T, ms *mailserver.Server, rcpt, text string) mailserver.Message {
	t.Helper()
	deadline := time.Now().Add(mailWait)
	for time.Now().Before(deadline) {
		for _, m := range ms.Messages() {
			if len(m.To) == 1 && m.To[0] == rcpt && strings.Contains(m.Body, text) {
				return m
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no mail to %s with %q reached the mail server within %s; it has %d mails", rcpt, text, mailWait, len(ms.Messages()))
	return mailserver.Message{}
}

func countTo(ms *mailserver.Server, rcpt string) int {
	n := 0
	for _, m := range ms.Messages() {
		if len(m.To) == 1 && m.To[0] == rcpt {
			n++
		}
	}
	return n
}

func decoded(t *testing.T, header string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(header)
	if err != nil {
		t.Fatalf("decode header %q: %v", header, err)
	}
	return s
}

func firstLine(body string) string {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	lines := strings.SplitN(body, "\n", 4)
	if len(lines) >= 3 {
		return lines[2] // "Hello Name," then a blank line, then what happened
	}
	return body
}
