// Package smtp delivers mail through the operator's mail server (an SMTP relay
// such as Postfix, Exchange, Microsoft 365, Google Workspace, SES or Mailgun)
// with github.com/wneessen/go-mail. Mailer implements notify.Mailer: the delivery
// queue hands it one mail at a time and retries what fails for now.
//
// # The mail
//
// Each call sends one plain-text mail on its own connection (mail volume is
// low, and a fresh connection never finds a half-closed one):
//
//	From:           Config.From
//	To:             Message.To
//	Subject:        Message.Subject, RFC 2047-encoded when not ASCII
//	Date:           the time of the attempt
//	Message-ID:     <Message.ID@domain of From>, the same on every retry, so a
//	                mail the server took but whose answer was lost arrives as a
//	                duplicate that clients can recognise
//	Auto-Submitted: auto-generated (RFC 3834: no out-of-office replies)
//	Content-Type:   text/plain; charset=UTF-8, quoted-printable
//
// The envelope (MAIL FROM, RCPT TO) carries the bare addresses of From and To.
//
// # TLS modes
//
//	"starttls" (the default) connects in plaintext, normally to port 587, and
//	           requires the server to offer STARTTLS; a server that does not, or
//	           whose certificate does not verify, gets nothing, so a
//	           man in the middle cannot downgrade the connection.
//	"tls"      speaks TLS from the first byte (implicit TLS, RFC 8314), normally
//	           on port 465.
//	"none"     plaintext. New allows it only to a loopback Host ("localhost",
//	           127.0.0.0/8, ::1), for a relay on the same machine; anything
//	           else would send mail, and possibly a password, across a network
//	           in the clear.
//
// Certificates are verified against the system roots, or Config.RootCAs, with
// TLS 1.2 at least and the Host as the expected name.
//
// With a Username, the mailer authenticates with the strongest mechanism the
// server offers among SCRAM-SHA-256(-PLUS), SCRAM-SHA-1(-PLUS), CRAM-MD5, PLAIN
// and LOGIN. go-mail's PLAIN and LOGIN refuse to send the password over a
// connection that is not TLS unless Host is "localhost", "127.0.0.1" or "::1".
// A server that offers none of these, or no AUTH at all, gets nothing: the mail
// is never sent unauthenticated when a Username is configured.
//
// # Errors
//
// SendMail returns nil once the server has accepted the mail at the end of DATA,
// even if closing the connection fails afterwards (reporting that as a failure
// would make the queue send the mail twice). Otherwise it returns an error that
// starts with "smtp: send to <address>:" and says what happened in the server's
// or the network's words. Errors never contain the password.
//
// An error wraps notify.ErrMailRejected when sending the same mail again would
// fail the same way:
//
//   - a 5xx reply to RCPT TO (550 unknown user), DATA or the end of DATA
//     (554 content refused);
//   - a To that is not a mail address.
//
// Everything else may succeed later and wraps nothing special: 4xx replies
// (451 try again later), refused connections, TLS failures, timeouts and a
// cancelled context (wrapped, so errors.Is(err, context.Canceled) works). So do
// two 5xx refusals that are about the configuration rather than the mail, because
// every mail would fail alike and should wait for the operator to fix it rather
// than be given up: a failed authentication (535) and a refused sender
// (a 5xx reply to MAIL FROM, such as 553 "not allowed to send as this address").
package smtp
