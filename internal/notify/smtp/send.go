package smtp

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/twofold-id/twofold"
)

// authMechanisms is go-mail's auto-discovery order. It is given as a preference
// list because go-mail's auto-discovery leaves out PLAIN and LOGIN when it has
// not dialled the TLS itself, as with our dialer in "tls" mode; the PLAIN and
// LOGIN chosen from this list still refuse a connection without TLS.
var authMechanisms = []gomail.SMTPAuthType{
	gomail.SMTPAuthSCRAMSHA256PLUS, gomail.SMTPAuthSCRAMSHA256,
	gomail.SMTPAuthSCRAMSHA1PLUS, gomail.SMTPAuthSCRAMSHA1,
	gomail.SMTPAuthCramMD5, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin,
}

// SendMail sends msg as one plain-text mail. It returns nil once the server has
// accepted it, an error wrapping notify.ErrMailRejected when the server refused
// the mail for good, and any other error when a later attempt may succeed (see
// doc.go). ctx bounds the whole exchange, as does Config.Timeout.
func (m *Mailer) SendMail(ctx context.Context, msg *twofold.Message) error {
	if msg.ID == "" {
		return fmt.Errorf("smtp: send to %s: the mail has no ID to build its Message-ID from", msg.To)
	}
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return m.fail(ctx, msg.To, fmt.Errorf("%q is not a mail address", msg.To), true)
	}
	// No User-Agent: go-mail's default would advertise the library and version.
	email := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent())
	email.FromMailAddress(m.from)
	email.ToMailAddress(to)
	email.Subject(msg.Subject)
	email.SetDate()
	email.SetMessageIDWithValue(messageIDLocal(msg.ID) + "@" + m.domain)
	email.SetGenHeader("Auto-Submitted", "auto-generated")
	email.SetBodyString(gomail.TypeTextPlain, msg.Body)

	ctx, cancel := context.WithTimeoutCause(ctx, m.cfg.Timeout, m.timedOut)
	defer cancel()
	var conn net.Conn // the TCP connection, closed however go-mail leaves it
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	client, err := gomail.NewClient(m.cfg.Host, m.options(ctx, &conn)...)
	if err != nil {
		return m.fail(ctx, to.Address, err, false)
	}
	smtpClient, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return m.fail(ctx, to.Address, err, false)
	}
	err = client.SendWithSMTPClient(smtpClient, email)
	if email.IsDelivered() {
		// The server took the mail; a failing QUIT must not make the queue send
		// it again.
		_ = client.CloseWithSMTPClient(smtpClient)
		return nil
	}
	if err == nil {
		err = errors.New("the mail server did not confirm the mail")
	}
	return m.fail(ctx, to.Address, err, isRejection(err))
}

// options configures a go-mail client for one send. The dialer stores the TCP
// connection in *conn and closes it when ctx ends, which is what makes ctx
// cancel the exchange: go-mail itself only uses ctx while dialling.
func (m *Mailer) options(ctx context.Context, conn *net.Conn) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(m.cfg.Port),
		// go-mail's own per-command deadline is set past the whole exchange's, so
		// a silent server is always ended by ctx, whose cause says what happened.
		gomail.WithTimeout(m.cfg.Timeout + time.Second),
		gomail.WithTLSConfig(m.tls),
		gomail.WithDialContextFunc(m.dialer(ctx, conn)),
		// A new connection needs no NOOP to check it is alive, and the RSET after
		// the mail is pointless before QUIT; go-mail reports a failing RSET as a
		// failed send even though the server already took the mail.
		gomail.WithoutNoop(),
		gomail.WithoutRset(),
	}
	switch m.cfg.TLS {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL()) // the dialer does the TLS
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if m.cfg.HelloName != "" {
		opts = append(opts, gomail.WithHELO(m.cfg.HelloName))
	}
	if m.cfg.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(authMechanisms...),
			gomail.WithUsername(m.cfg.Username),
			gomail.WithPassword(m.cfg.Password))
	}
	return opts
}

// dialer connects to the server, ignoring go-mail's address, which it builds
// as host:port and so breaks IPv6 literals, and shakes hands in "tls" mode.
func (m *Mailer) dialer(ctx context.Context, conn *net.Conn) gomail.DialContextFunc {
	return func(dialCtx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(dialCtx, "tcp", m.addr)
		if err != nil {
			return nil, err
		}
		*conn = c
		// ctx, not dialCtx: go-mail cancels dialCtx as soon as it has said hello.
		context.AfterFunc(ctx, func() { c.Close() })
		if m.cfg.TLS != TLSImplicit {
			return c, nil
		}
		tc := tls.Client(c, m.tls)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			return nil, err
		}
		return tc, nil
	}
}

// messageIDLocal is the part of the Message-ID before the "@": the message's ID
// when it is safe in a header (twofold IDs are hex), else a hash of it, so that
// every retry of a mail still gets the same Message-ID.
func messageIDLocal(id string) string {
	for _, c := range id {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			sum := sha256.Sum256([]byte(id))
			return hex.EncodeToString(sum[:16])
		}
	}
	return id
}
