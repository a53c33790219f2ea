package smtp_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// received is one mail as the test server got it.
type received struct {
	From string   // MAIL FROM
	To   []string // RCPT TO
	Data []byte   // the message, headers and body, with CRLF line ends
	Helo string   // the EHLO name
	User string   // who authenticated, "" for nobody
}

// server is a real SMTP server (go-smtp) on 127.0.0.1 that records what it
// receives. Set its fields before sending.
type server struct {
	Port int
	// User and Password, when User is set, are required (AUTH PLAIN) before MAIL.
	User, Password string
	// MailErr, RcptErr and DataErr, when set, are the answers to MAIL FROM, RCPT
	// TO and the end of DATA.
	MailErr, RcptErr, DataErr *gosmtp.SMTPError
	// EchoPassword makes a failed AUTH answer with the password it was given,
	// as a careless server might.
	EchoPassword bool

	mu        sync.Mutex
	mails     []received
	mailCalls int // MAIL FROM commands seen, refused or not
}

// The ways the test server speaks.
const (
	plainServer    = "plain"    // no TLS at all
	startTLSServer = "starttls" // offers STARTTLS
	implicitServer = "implicit" // TLS from the first byte
)

// startServer runs a server in mode with a certificate for 127.0.0.1 and
// localhost, issued by a CA made for the test, and returns it and the CA.
func startServer(t *testing.T, mode string) (*server, *x509.CertPool) {
	t.Helper()
	roots, cert := newCA(t)
	s := &server{}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) {
		return &session{srv: s, helo: c.Hostname()}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	switch mode {
	case startTLSServer:
		srv.TLSConfig = tlsConfig
	case implicitServer:
		l = tls.NewListener(l, tlsConfig)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return s, roots
}

// delivered returns the mails received so far and how many MAIL FROM were seen.
func (s *server) delivered() ([]received, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.mails...), s.mailCalls
}

// session is one SMTP connection to the test server.
type session struct {
	srv  *server
	helo string
	user string
	mail received
}

func (s *session) AuthMechanisms() []string {
	if s.srv.User == "" {
		return nil // no AUTH advertised
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		switch {
		case username == s.srv.User && password == s.srv.Password:
		case s.srv.EchoPassword:
			return &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 8}, Message: "Wrong password " + password}
		default:
			return gosmtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error {
	s.srv.mu.Lock()
	s.srv.mailCalls++
	s.srv.mu.Unlock()
	if s.srv.User != "" && s.user == "" {
		return gosmtp.ErrAuthRequired
	}
	if s.srv.MailErr != nil {
		return s.srv.MailErr
	}
	s.mail = received{From: from, Helo: s.helo, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if s.srv.RcptErr != nil {
		return s.srv.RcptErr
	}
	s.mail.To = append(s.mail.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.DataErr != nil {
		return s.srv.DataErr
	}
	s.mail.Data = data
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, s.mail)
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.mail = received{} }
func (s *session) Logout() error { return nil }

// newCA makes a self-signed CA and a server certificate it issued for
// 127.0.0.1 and localhost.
func newCA(t *testing.T) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "twofold test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return roots, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}
}

// closedPort returns a port on 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// silentServer accepts connections and never says a word; accepted gets a
// value as each connection is accepted.
func silentServer(t *testing.T) (port int, accepted <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	signal := make(chan struct{}, 8)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			signal <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	_, p, _ := net.SplitHostPort(l.Addr().String())
	port, _ = strconv.Atoi(p)
	return port, signal
}
