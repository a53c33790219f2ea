package smtp_test

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/smtp"
	"github.com/twofold-id/twofold/internal/testkit/mailserver"
)

func TestSendRefusals(t *testing.T) {
	reply := func(code int, text string) *gosmtp.SMTPError {
		return &gosmtp.SMTPError{Code: code, EnhancedCode: gosmtp.EnhancedCode{code / 100, 0, 0}, Message: text}
	}
	// always refuses any address with err; atData refuses any message with err.
	always := func(err error) func(string) error { return func(string) error { return err } }
	atData := func(err error) func(mailserver.Message) error { return func(mailserver.Message) error { return err } }
	tests := []struct {
		name     string
		opts     mailserver.Options
		code     string
		rejected bool
	}{
		{"unknown recipient", mailserver.Options{Refuse: always(reply(550, "No such user"))}, "550", true},
		{"recipient greylisted", mailserver.Options{Refuse: always(reply(451, "Try again later"))}, "451", false},
		{"content refused", mailserver.Options{RefuseData: atData(reply(554, "Message refused"))}, "554", true},
		{"content deferred", mailserver.Options{RefuseData: atData(reply(452, "Mailbox full"))}, "452", false},
		// The same From for every mail: an operator's problem, so retried.
		{"sender refused", mailserver.Options{RefuseFrom: always(reply(553, "Not allowed to send as this address"))}, "553", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.TLS = "none"
			srv := mailserver.Start(t, opts)
			err := mailer(t, srv.Port, "none", nil, "", "").SendMail(t.Context(), message())
			if err == nil {
				t.Fatal("sent")
			}
			if got := errors.Is(err, notify.ErrMailRejected); got != tt.rejected {
				t.Errorf("rejected = %v, want %v: %v", got, tt.rejected, err)
			}
			if text := err.Error(); !strings.HasPrefix(text, "smtp: send to zoe@example.org: ") || !strings.Contains(text, tt.code) {
				t.Errorf("error %q should name the recipient and the reply %s", text, tt.code)
			}
			if mails := srv.Messages(); len(mails) != 0 {
				t.Errorf("%d mails delivered", len(mails))
			}
		})
	}
}

// No mail server would take it, so it is refused for good without asking one.
func TestSendNotAnAddress(t *testing.T) {
	msg := message()
	msg.To = "Zoé, at the front desk"
	err := mailer(t, closedPort(t), "none", nil, "", "").SendMail(t.Context(), msg)
	if !errors.Is(err, notify.ErrMailRejected) {
		t.Fatalf("got %v, want a rejection", err)
	}
}

func TestSendServerDown(t *testing.T) {
	err := mailer(t, closedPort(t), "none", nil, "", "").SendMail(t.Context(), message())
	if !errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, notify.ErrMailRejected) {
		t.Fatalf("got %v, want a temporary connection refused", err)
	}
}

// go-mail only watches the context while dialling; SendMail must still stop
// when it ends later, long before the mailer's own timeout.
func TestSendCancelled(t *testing.T) {
	port, accepted := silentServer(t)
	m, err := smtp.New(smtp.Config{Host: "127.0.0.1", Port: port, TLS: "none", From: from, Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.SendMail(ctx, message()) }()
	<-accepted // connected, waiting for a greeting that never comes
	cancel()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("SendMail still running 10s after its context was cancelled")
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, notify.ErrMailRejected) {
		t.Fatalf("got %v, want a temporary context.Canceled", err)
	}
}

func TestSendTimeout(t *testing.T) {
	port, _ := silentServer(t)
	m, err := smtp.New(smtp.Config{Host: "localhost", Port: port, TLS: "none", From: from, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = m.SendMail(t.Context(), message())
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("got %v, want a timeout", err)
	}
}

// The Message-ID is built from the mail's ID, so every retry has the same one;
// an ID unfit for a header is hashed rather than sent as it is.
func TestMessageIDIsStable(t *testing.T) {
	srv := mailserver.Start(t, mailserver.Options{TLS: "none"})
	m := mailer(t, srv.Port, "none", nil, "", "")
	msg := message()
	msg.ID = "queue id <1>"
	for range 2 {
		if err := m.SendMail(t.Context(), msg); err != nil {
			t.Fatal(err)
		}
	}
	mails := srv.Messages()
	if len(mails) != 2 {
		t.Fatalf("%d mails delivered, want 2", len(mails))
	}
	id := func(raw []byte) string {
		for line := range strings.SplitSeq(string(raw), "\r\n") {
			if v, ok := strings.CutPrefix(line, "Message-ID: "); ok {
				return v
			}
		}
		return ""
	}
	first, second := id(mails[0].Raw), id(mails[1].Raw)
	if first != second || !strings.HasSuffix(first, "@id.example.com>") || strings.Contains(first, " ") {
		t.Errorf("Message-IDs %q and %q", first, second)
	}
}
