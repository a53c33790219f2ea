// Package mailserver runs a real SMTP server (github.com/emersion/go-smtp) on
// the loopback interface for tests: STARTTLS, implicit TLS or plaintext, AUTH
// PLAIN when a login is set, and every accepted message kept for the test to
// read back, headers and decoded body.
package mailserver

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options say how the server behaves.
type Options struct {
	TLS string // "starttls" (the default), "tls" (implicit) or "none"
	// Username and Password, when set, are the one login AUTH PLAIN accepts; mail
	// is then refused before authentication.
	Username, Password string
	// Refuse, when set, may refuse a recipient with an *smtp.SMTPError
	// (550 for good, 451 for now).
	Refuse func(rcpt string) error
}

// Message is one accepted mail.
type Message struct {
	From   string
	To     []string
	Raw    []byte
	Header mail.Header
	Body   string // decoded from its Content-Transfer-Encoding
	TLS    bool   // the connection was encrypted
	User   string // the authenticated login, "" without AUTH
}

// Server is a running SMTP server.
type Server struct {
	Host   string // 127.0.0.1
	Port   int
	CAFile string         // PEM of the CA that signed the server's certificate
	CAPool *x509.CertPool // the same CA, for clients in the test process

	opts Options
	mu   sync.Mutex
	msgs []Message
}

// Start runs a server until tb ends.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	if o.TLS == "" {
		o.TLS = "starttls"
	}
	ca, cert := certificates(tb)
	s := &Server{Host: "127.0.0.1", CAPool: x509.NewCertPool(), opts: o}
	s.CAPool.AddCert(ca.Leaf)
	s.CAFile = filepath.Join(tb.TempDir(), "mail-ca.pem")
	if err := os.WriteFile(s.CAFile, pemCert(ca.Leaf.Raw), 0o600); err != nil {
		tb.Fatal(err)
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	switch o.TLS {
	case "starttls":
		srv.TLSConfig = tlsConfig
	case "tls":
		ln = tls.NewListener(ln, tlsConfig)
	case "none":
		srv.AllowInsecureAuth = true
	default:
		tb.Fatalf("mailserver: unknown TLS mode %q", o.TLS)
	}
	s.Port = ln.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			tb.Errorf("mailserver: %v", err)
		}
	}()
	tb.Cleanup(func() { srv.Close(); <-done })
	return s
}

// Messages returns the accepted mail, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor returns the first mail to rcpt, waiting up to timeout for it.
func (s *Server) WaitFor(tb testing.TB, rcpt string, timeout time.Duration) Message {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range s.Messages() {
			for _, to := range m.To {
				if strings.EqualFold(to, rcpt) {
					return m
				}
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailserver: no mail to %s within %s (got %d others)", rcpt, timeout, len(s.Messages()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{s: b.s, tls: isTLS, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	tls  bool
	user string
	from string
	to   []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (se *session) AuthMechanisms() []string {
	if se.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != se.s.opts.Username || pass != se.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
		}
		se.user = user
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.opts.Username != "" && se.user == "" {
		return errAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if se.s.opts.Refuse != nil {
		if err := se.s.opts.Refuse(to); err != nil {
			return err
		}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: se.from, To: se.to, Raw: raw, User: se.user}
	if _, ok := se.conn.TLSConnectionState(); ok {
		m.TLS = true
	}
	if parsed, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = parsed.Header
		m.Body = decodeBody(parsed)
	}
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, m)
	se.s.mu.Unlock()
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// decodeBody undoes the body's Content-Transfer-Encoding.
func decodeBody(m *mail.Message) string {
	var r io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, _ := io.ReadAll(r)
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}
