package smtp_test

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/smtp"
	"github.com/twofold-id/twofold/internal/testkit/mailserver"
)

const (
	user     = "twofold"
	password = "correct horse battery staple"
	from     = "Contoso security <no-reply@id.example.com>"
)

// message is a mail with what tends to break: non-ASCII in the subject and
// body, and a body line longer than SMTP allows.
func message() *twofold.Message {
	return &twofold.Message{
		ID:      "9b1d0c2e4f6a8b0c9b1d0c2e4f6a8b0c",
		Channel: twofold.ChannelEmail,
		To:      "zoe@example.org",
		Subject: "Vos informations de sécurité ont changé — vérifiez-les dès maintenant",
		Body: "Bonjour Zoé,\n\nUne application d'authentification a été ajoutée.\n\n" +
			strings.Repeat("Si ce n'était pas vous, contactez le support. ", 40) + "\n",
	}
}

// mailer returns a Mailer for the test server at port.
func mailer(t *testing.T, port int, tlsMode string, roots *x509.CertPool, username, pw string) *smtp.Mailer {
	t.Helper()
	m, err := smtp.New(smtp.Config{
		Host: "127.0.0.1", Port: port, Username: username, Password: pw, TLS: tlsMode,
		From: from, HelloName: "mailer.test", Timeout: 10 * time.Second, RootCAs: roots,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendStartTLSWithAuth(t *testing.T) {
	srv := mailserver.Start(t, mailserver.Options{TLS: "starttls", Username: user, Password: password})
	msg := message()
	if err := mailer(t, srv.Port, "starttls", srv.CAPool, user, password).SendMail(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	mails := srv.Messages()
	if len(mails) != 1 {
		t.Fatalf("%d mails delivered, want 1", len(mails))
	}
	got := mails[0]
	if got.From != "no-reply@id.example.com" || len(got.To) != 1 || got.To[0] != "zoe@example.org" {
		t.Errorf("envelope MAIL FROM %q RCPT TO %q", got.From, got.To)
	}
	if got.User != user || got.Hello != "mailer.test" {
		t.Errorf("authenticated as %q after EHLO %q", got.User, got.Hello)
	}
	checkMail(t, got.Raw, msg)
}

// checkMail reads raw back the way a mail client would and compares it with msg.
func checkMail(t *testing.T, raw []byte, msg *twofold.Message) {
	t.Helper()
	for line := range strings.SplitSeq(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d characters; SMTP allows 998", len(line))
		}
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := parsed.Header
	if list, err := h.AddressList("From"); err != nil || len(list) != 1 || list[0].Name != "Contoso security" || list[0].Address != "no-reply@id.example.com" {
		t.Errorf("From %q (%v)", h.Get("From"), err)
	}
	if list, err := h.AddressList("To"); err != nil || len(list) != 1 || list[0].Address != msg.To {
		t.Errorf("To %q (%v)", h.Get("To"), err)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || subject != msg.Subject {
		t.Errorf("Subject %q decodes to %q (%v), want %q", h.Get("Subject"), subject, err, msg.Subject)
	}
	if id := h.Get("Message-ID"); id != "<"+msg.ID+"@id.example.com>" {
		t.Errorf("Message-ID %q", id)
	}
	if v := h.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted %q", v)
	}
	if date, err := h.Date(); err != nil || time.Since(date).Abs() > time.Minute {
		t.Errorf("Date %q (%v)", h.Get("Date"), err)
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "UTF-8") {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	var body io.Reader
	switch cte := strings.ToLower(h.Get("Content-Transfer-Encoding")); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(parsed.Body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, parsed.Body)
	default:
		t.Fatalf("Content-Transfer-Encoding %q", cte)
	}
	decoded, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	// Mail has CRLF line ends; the body we were given has LF.
	if got := strings.ReplaceAll(string(decoded), "\r\n", "\n"); got != msg.Body {
		t.Errorf("body decodes to\n%q\nwant\n%q", got, msg.Body)
	}
}

// With implicit TLS go-mail's own auth discovery would leave out PLAIN, the
// only mechanism this server offers.
func TestSendImplicitTLS(t *testing.T) {
	srv := mailserver.Start(t, mailserver.Options{TLS: "tls", Username: user, Password: password})
	if err := mailer(t, srv.Port, "tls", srv.CAPool, user, password).SendMail(t.Context(), message()); err != nil {
		t.Fatal(err)
	}
	if mails := srv.Messages(); len(mails) != 1 || mails[0].User != user {
		t.Fatalf("delivered %+v, want one mail from %s", mails, user)
	}
}

func TestSendPlaintextToLoopback(t *testing.T) {
	srv := mailserver.Start(t, mailserver.Options{TLS: "none"})
	msg := message()
	if err := mailer(t, srv.Port, "none", nil, "", "").SendMail(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	mails := srv.Messages()
	if len(mails) != 1 {
		t.Fatalf("%d mails delivered, want 1", len(mails))
	}
	checkMail(t, mails[0].Raw, msg)
}

// The mailer must not fall back to plaintext, and the failure may pass (the
// server is fixed), so it is temporary.
func TestSendStartTLSRequired(t *testing.T) {
	srv := mailserver.Start(t, mailserver.Options{TLS: "none"}) // no STARTTLS offered
	err := mailer(t, srv.Port, "starttls", srv.CAPool, "", "").SendMail(t.Context(), message())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || errors.Is(err, notify.ErrMailRejected) {
		t.Fatalf("got %v, want a temporary error about STARTTLS", err)
	}
	if calls := srv.MailCommands(); calls != 0 {
		t.Errorf("%d MAIL FROM sent without TLS", calls)
	}
}

func TestSendUntrustedCertificate(t *testing.T) {
	srv := mailserver.Start(t, mailserver.Options{TLS: "starttls"})
	otherRoots := mailserver.Start(t, mailserver.Options{TLS: "none"}).CAPool // a CA that did not issue srv's certificate
	err := mailer(t, srv.Port, "starttls", otherRoots, "", "").SendMail(t.Context(), message())
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) || errors.Is(err, notify.ErrMailRejected) {
		t.Fatalf("got %v, want a temporary unknown-authority error", err)
	}
	if calls := srv.MailCommands(); calls != 0 {
		t.Errorf("%d MAIL FROM sent over an unverified connection", calls)
	}
}

// A 535 is permanent for the server but an operator's mistake for us: every mail
// would fail alike, so they wait to be retried once the password is fixed.
func TestSendWrongPassword(t *testing.T) {
	const wrong = "Tr0ub4dor&3-not-the-password"
	for _, echo := range []bool{false, true} {
		srv := mailserver.Start(t, mailserver.Options{TLS: "starttls", Username: user, Password: password, EchoPassword: echo})
		err := mailer(t, srv.Port, "starttls", srv.CAPool, user, wrong).SendMail(t.Context(), message())
		if err == nil || !strings.Contains(err.Error(), "535") || errors.Is(err, notify.ErrMailRejected) {
			t.Fatalf("got %v, want a temporary 535 error", err)
		}
		if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), base64.StdEncoding.EncodeToString([]byte(wrong))) {
			t.Errorf("the error shows the password: %v", err)
		}
		if echo && !strings.Contains(err.Error(), "Wrong password REDACTED") {
			t.Errorf("the echoed password is not redacted: %v", err)
		}
		if calls := srv.MailCommands(); calls != 0 {
			t.Errorf("%d MAIL FROM after failed authentication", calls)
		}
	}
}
