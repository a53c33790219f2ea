// Package mailserver runs a real SMTP server (github.com/emersion/go-smtp) on
// the loopback interface for tests: STARTTLS, implicit TLS or plaintext, AUTH
// PLAIN when a login is set, and every accepted message kept for the test to
// read back, headers and decoded body. Options can make it refuse the sender,
// a recipient or the message, and it counts MAIL FROM commands so that a test
// can tell a client gave up before sending.
package mailserver

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
	// RefuseFrom, when set, may refuse MAIL FROM with an *smtp.SMTPError.
	RefuseFrom func(from string) error
	// RefuseData, when set, may refuse a message at the end of DATA with an
	// *smtp.SMTPError; a refused message is not kept.
	RefuseData func(m Message) error
	// EchoPassword makes a failed AUTH answer quote the password it was given,
	// as a careless server might.
	EchoPassword bool
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
	Hello  string // the name the client gave in EHLO or HELO
}

// Server is a running SMTP server.
type Server struct {
	Host   string // 127.0.0.1
	Port   int
	CAFile string         // PEM of the CA that signed the server's certificate
	CAPool *x509.CertPool // the same CA, for clients in the test process

	opts  Options
	mu    sync.Mutex
	msgs  []Message
	mails int // MAIL FROM commands seen, refused or not
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
	// ln is closed here too: a test that ends before Serve has taken ln would
	// leave Serve waiting in Accept, and the cleanup waiting for it, forever.
	tb.Cleanup(func() { srv.Close(); ln.Close(); <-done })
	return s
}

// Messages returns the accepted mail, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// MailCommands returns how many MAIL FROM commands the server has seen on all
// its connections, refused or not: 0 means no client got as far as sending.
func (s *Server) MailCommands() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mails
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
