package smtp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold/internal/notify"
)

// The TLS modes of Config.TLS; see doc.go.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
	TLSNone     = "none"
)

// DefaultTimeout bounds one SendMail, connection and all, when Config.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// Config is how to reach the mail server.
type Config struct {
	Host     string
	Port     int    // 587 for starttls, 465 for tls, 25 typical for none
	Username string // "" for no authentication
	Password string // never logged nor put in an error
	// TLS is "starttls" (STARTTLS required, the default when ""), "tls"
	// (implicit TLS) or "none" (plaintext, only to a loopback Host).
	TLS       string
	From      string         // RFC 5322 address, e.g. "Contoso security <no-reply@id.example.com>"
	HelloName string         // EHLO name; "" leaves go-mail's default, the machine's host name
	Timeout   time.Duration  // per connection and send; 0 means DefaultTimeout
	RootCAs   *x509.CertPool // nil means the system roots; tests pass their own CA
}

// LogValue implements slog.LogValuer so a logged Config never shows the password.
func (c Config) LogValue() slog.Value {
	password := ""
	if c.Password != "" {
		password = "REDACTED"
	}
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.String("username", c.Username),
		slog.String("password", password),
		slog.String("tls", c.TLS),
		slog.String("from", c.From),
		slog.String("hello_name", c.HelloName),
		slog.Duration("timeout", c.Timeout),
	)
}

// Mailer sends mail through one mail server. It is safe for concurrent use.
type Mailer struct {
	cfg    Config
	addr   string        // host:port, IPv6-safe
	from   *mail.Address // cfg.From, parsed once
	domain string        // the From address's domain, for Message-IDs
	tls    *tls.Config
	// timedOut is the cause of a send running out of Config.Timeout.
	timedOut error
}

var _ notify.Mailer = (*Mailer)(nil)

// New checks cfg and returns a Mailer. Every problem is reported at once, in
// words meant for the operator who wrote the configuration.
func New(cfg Config) (*Mailer, error) {
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	var problems []error
	problem := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }

	switch {
	case cfg.Host == "":
		problem("Host is required: the name or address of the mail server")
	case strings.ContainsAny(cfg.Host, "/ \t[]") || (strings.Contains(cfg.Host, ":") && net.ParseIP(cfg.Host) == nil):
		problem("Host %q must be a bare name or address, such as \"smtp.example.com\", with the port in Port", cfg.Host)
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		problem("Port %d is not a TCP port: use 587 for starttls, 465 for tls or 25 for a local relay", cfg.Port)
	}
	switch cfg.TLS {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		if cfg.Host != "" && !isLoopback(cfg.Host) {
			problem("TLS \"none\" is only allowed to a mail server on this machine (localhost, 127.0.0.1, ::1), "+
				"because it would send mail and passwords to %s in the clear; use \"starttls\" or \"tls\"", cfg.Host)
		}
	default:
		problem("TLS %q is not one of \"starttls\" (the default), \"tls\" or \"none\"", cfg.TLS)
	}
	from, err := mail.ParseAddress(cfg.From)
	switch {
	case err != nil:
		problem("From %q is not a mail address such as \"Contoso security <no-reply@id.example.com>\"", cfg.From)
	case !isASCII(from.Address):
		problem("From %q must have an ASCII address (write an international domain in its xn-- form)", cfg.From)
	}
	if cfg.Username != "" && cfg.Password == "" {
		problem("Username %q has no Password", cfg.Username)
	}
	if cfg.Username == "" && cfg.Password != "" {
		problem("a Password is set without a Username")
	}
	if cfg.Timeout < 0 {
		problem("Timeout %s is negative", cfg.Timeout)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("smtp: %w", errors.Join(problems...))
	}

	return &Mailer{
		cfg:      cfg,
		addr:     net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		from:     from,
		domain:   strings.ToLower(from.Address[strings.LastIndexByte(from.Address, '@')+1:]),
		tls:      &tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		timedOut: fmt.Errorf("no answer within %s: %w", cfg.Timeout, context.DeadlineExceeded),
	}, nil
}

// String names the server without credentials, so printing a Mailer is safe.
func (m *Mailer) String() string { return "smtp.Mailer(" + m.cfg.TLS + "://" + m.addr + ")" }

// isLoopback reports whether host is this machine, where plaintext never
// crosses a network.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
