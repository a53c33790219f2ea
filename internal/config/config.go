package config

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold/internal/secretbox"
)

// Config is the whole configuration. Each field's setting name is its TWOFOLD_*
// environment variable; the same names work in the config file.
type Config struct {
	DataDir  string // TWOFOLD_DATA_DIR: where the embedded setup keeps everything
	Database string // TWOFOLD_DATABASE: SQLite file path, or a postgres:// URL
	Addr     string // TWOFOLD_ADDR: listen address
	BaseURL  string // TWOFOLD_BASE_URL: how members reach us; links in mail use it
	// SecretKey is the base64 AES-256 key sealing authenticator secrets
	// (TWOFOLD_SECRET_KEY). Empty with SQLite: generated into DataDir/secret.key.
	SecretKey       Secret
	InsecureCookies bool // TWOFOLD_INSECURE_COOKIES: dev switch for plain-HTTP non-localhost use
	// TrustedProxies are the reverse proxies' networks (TWOFOLD_TRUSTED_PROXIES,
	// comma-separated CIDRs or addresses): only a connection from one of them
	// has its X-Forwarded-For read, from the right.
	TrustedProxies  []netip.Prefix
	SignInIPLimit   int           // TWOFOLD_SIGNIN_IP_LIMIT: wrong passwords per client network per window
	SignInIPWindow  time.Duration // TWOFOLD_SIGNIN_IP_WINDOW
	SessionIdle     time.Duration // TWOFOLD_SESSION_IDLE
	SessionAbsolute time.Duration // TWOFOLD_SESSION_ABSOLUTE
	FreshMFA        time.Duration // TWOFOLD_FRESH_MFA: how recent a second factor must be to change security info
	// AdminFreshMFA is how recent an admin's or the help desk's second factor
	// must be for a change in the admin console (TWOFOLD_ADMIN_FRESH_MFA);
	// never longer than FreshMFA. Zero means AdminFresh's default.
	AdminFreshMFA time.Duration
	// AuditRetention is how long audit events are kept before the background
	// worker deletes them (TWOFOLD_AUDIT_RETENTION).
	AuditRetention time.Duration
	PolicyCache    time.Duration // TWOFOLD_POLICY_CACHE: how long an organization (its policy) is reused from memory
	Delivery       string        // TWOFOLD_DELIVERY: provider of texts and calls: outbox (development), twilio or webhook
	DevOutbox      bool          // TWOFOLD_DEV_OUTBOX: serve /dev/outbox (default on; only with the outbox provider)
	// DevOutboxPublic lets serve offer /dev/outbox on an address other than
	// loopback (TWOFOLD_DEV_OUTBOX_PUBLIC): anyone who reaches it reads codes.
	DevOutboxPublic bool
	CallTimeout     time.Duration // TWOFOLD_CALL_TIMEOUT: how long a verification call may take to get its "#"
	// Twilio (TWOFOLD_DELIVERY=twilio).
	TwilioAccountSID          string // TWOFOLD_TWILIO_ACCOUNT_SID
	TwilioAuthToken           Secret // TWOFOLD_TWILIO_AUTH_TOKEN: also verifies Twilio's webhook signatures
	TwilioFrom                string // TWOFOLD_TWILIO_FROM: the caller ID and text sender, E.164
	TwilioMessagingServiceSID string // TWOFOLD_TWILIO_MESSAGING_SERVICE_SID: sends texts instead of TWOFOLD_TWILIO_FROM
	TwilioAPIURL              string // TWOFOLD_TWILIO_API_URL: https://api.twilio.com unless testing
	// The operator's own gateway (TWOFOLD_DELIVERY=webhook).
	WebhookURL    string // TWOFOLD_WEBHOOK_URL: where texts and calls are POSTed
	WebhookSecret Secret // TWOFOLD_WEBHOOK_SECRET: HMAC key both ways, at least 32 characters
	// Mail: notices to members and alerts to admins.
	Mail         string // TWOFOLD_MAIL: outbox (kept in the database, development) or smtp
	SMTPHost     string // TWOFOLD_SMTP_HOST: the mail server (relay)
	SMTPPort     int    // TWOFOLD_SMTP_PORT: 587 by default
	SMTPUsername string // TWOFOLD_SMTP_USERNAME: "" for no authentication
	SMTPPassword Secret // TWOFOLD_SMTP_PASSWORD
	SMTPTLS      string // TWOFOLD_SMTP_TLS: starttls (default), tls (implicit, port 465) or none (loopback relays only)
	MailFrom     string // TWOFOLD_MAIL_FROM: the From address, e.g. "Contoso <no-reply@id.contoso.com>"

	HashSlots int           // TWOFOLD_HASH_SLOTS: concurrent password hashes (0: one per CPU)
	HashQueue int           // TWOFOLD_HASH_QUEUE: hashes that may wait for a slot
	HashWait  time.Duration // TWOFOLD_HASH_WAIT: longest wait for a slot before 503
	LogLevel  slog.Level    // TWOFOLD_LOG_LEVEL: debug, info, warn or error
	// WebAuthn is the relying party of security keys and passkeys (TWOFOLD_WEBAUTHN_*).
	WebAuthn WebAuthn

	baseScheme  string          // BaseURL's scheme, lower-cased, parsed once by fillDerived
	baseDerived bool            // BaseURL was made from Addr, not given
	fromFlag    map[string]bool // settings given as command-line flags, named by their flag in problems
}

// Secret is a configuration value that never prints.
type Secret string

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String keeps the secret out of fmt output.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// Defaults returns the embedded development setup.
func Defaults() Config {
	return Config{
		DataDir:         "data",
		Addr:            "127.0.0.1:8080",
		SignInIPLimit:   100,
		SignInIPWindow:  15 * time.Minute,
		SessionIdle:     time.Hour,
		SessionAbsolute: 24 * time.Hour,
		FreshMFA:        10 * time.Minute,
		AuditRetention:  365 * 24 * time.Hour,
		PolicyCache:     10 * time.Second,
		Delivery:        "outbox",
		DevOutbox:       true,
		CallTimeout:     90 * time.Second,
		Mail:            "outbox",
		SMTPPort:        587,
		SMTPTLS:         "starttls",
		TwilioAPIURL:    "https://api.twilio.com",
		HashQueue:       1024,
		HashWait:        5 * time.Second,
		LogLevel:        slog.LevelInfo,
	}
}

// Load builds the configuration: defaults, then the file (if file is not ""), then
// the environment (getenv), then flags (settings given on the command line, by
// setting name). Every problem is reported at once.
func Load(file string, getenv func(string) string, flags map[string]string) (Config, error) {
	settings := map[string]string{}
	var problems []string
	if file != "" {
		fromFile, err := readFile(file)
		if err != nil {
			return Config{}, err
		}
		for k, v := range fromFile {
			settings[k] = v
		}
	}
	for _, name := range Names() {
		if v := getenv(name); v != "" {
			settings[name] = v
		}
	}
	c := Defaults()
	c.fromFlag = map[string]bool{}
	for k, v := range flags {
		settings[k] = v
		c.fromFlag[k] = true
	}
	for _, k := range sortedKeys(settings) {
		if err := c.set(k, settings[k]); err != nil {
			problems = append(problems, err.Error())
		}
	}
	c.fillDerived()
	problems = append(problems, c.problems()...)
	if len(problems) > 0 {
		return c, &Error{Problems: problems}
	}
	return c, nil
}

// Error lists every configuration problem found.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "configuration has " + strconv.Itoa(len(e.Problems)) + " problem(s):\n  - " + strings.Join(e.Problems, "\n  - ")
}

// Postgres reports whether the database is PostgreSQL. fillDerived has
// lower-cased the URL's scheme.
func (c Config) Postgres() bool {
	return strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://")
}

// HTTPS reports whether members reach the service over TLS. The scheme is
// compared as parsed and lower-cased, so HTTPS:// turns on every https guard.
func (c Config) HTTPS() bool {
	if c.baseScheme == "" { // a Config not made by Load
		u, err := url.Parse(c.BaseURL)
		return err == nil && u.Scheme == "https"
	}
	return c.baseScheme == "https"
}

// fillDerived sets values that follow from others when they were not given, and
// writes URLs in one form: scheme and host in lower case, no trailing slash.
func (c *Config) fillDerived() {
	if c.Database == "" && c.DataDir != "" {
		c.Database = filepath.Join(c.DataDir, "twofold.db")
	}
	if scheme, rest, ok := strings.Cut(c.Database, "://"); ok {
		c.Database = strings.ToLower(scheme) + "://" + rest
	}
	if c.BaseURL == "" {
		c.BaseURL, c.baseDerived = baseURLFor(c.Addr), true
	}
	if u, err := url.Parse(strings.TrimRight(c.BaseURL, "/")); err == nil && u.Host != "" {
		u.Host = strings.ToLower(u.Host)
		c.BaseURL, c.baseScheme = u.String(), u.Scheme
	}
}

// baseURLFor is the base URL of a service listening on addr: http on
// localhost for any loopback or wildcard address; "" for a bad addr.
func baseURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if host == "" || host == "127.0.0.1" || host == "::1" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Listening returns the configuration of a service that listens on addr (the
// address actually bound, such as the real port for :0): a base URL that was
// made from the configured address is made again from addr.
func (c Config) Listening(addr string) Config {
	if c.baseDerived {
		if u := baseURLFor(addr); u != "" {
			c.BaseURL = u
		}
	}
	return c
}

// name is how problems name a setting: by its flag when it was given as one.
func (c Config) name(setting string) string {
	if c.fromFlag[setting] {
		if f, ok := flagNames[setting]; ok {
			return f
		}
	}
	return setting
}

// flagNames are the command-line flags that set a setting.
var flagNames = map[string]string{
	"TWOFOLD_ADDR": "--addr", "TWOFOLD_DATA_DIR": "--data-dir", "TWOFOLD_DATABASE": "--database",
}

// problems validates the whole configuration.
func (c Config) problems() []string {
	var p []string
	_, _, addrErr := net.SplitHostPort(c.Addr)
	if addrErr != nil {
		p = append(p, fmt.Sprintf("%s %q must be HOST:PORT, such as 127.0.0.1:8080", c.name("TWOFOLD_ADDR"), c.Addr))
	}
	// A base URL made from a bad address is that address's problem, said once.
	if u, err := url.Parse(c.BaseURL); (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") && !(c.baseDerived && addrErr != nil) {
		p = append(p, fmt.Sprintf("TWOFOLD_BASE_URL %q must be an http:// or https:// URL", c.BaseURL))
	}
	if c.DataDir == "" && !c.Postgres() {
		p = append(p, c.name("TWOFOLD_DATA_DIR")+" is required with the embedded SQLite database")
	}
	p = append(p, c.databaseProblems()...)
	if c.Postgres() && c.SecretKey == "" {
		p = append(p, "TWOFOLD_SECRET_KEY is required with PostgreSQL, so every replica shares it; make one with: openssl rand -base64 32")
	}
	if c.SecretKey != "" {
		if _, err := secretbox.ParseKey(string(c.SecretKey)); err != nil {
			p = append(p, "TWOFOLD_SECRET_KEY must be base64 of 32 random bytes; make one with: openssl rand -base64 32")
		}
	}
	p = append(p, c.clientProblems()...)
	if c.SessionIdle < time.Minute || c.SessionIdle > c.SessionAbsolute {
		p = append(p, "TWOFOLD_SESSION_IDLE must be at least 1m and not longer than TWOFOLD_SESSION_ABSOLUTE")
	}
	if c.SessionAbsolute > 30*24*time.Hour {
		p = append(p, "TWOFOLD_SESSION_ABSOLUTE must be at most 720h")
	}
	if c.FreshMFA < time.Minute || c.FreshMFA > time.Hour {
		p = append(p, "TWOFOLD_FRESH_MFA must be between 1m and 1h")
	}
	if c.AdminFreshMFA != 0 && (c.AdminFreshMFA < time.Minute || c.AdminFreshMFA > c.FreshMFA) {
		p = append(p, "TWOFOLD_ADMIN_FRESH_MFA must be between 1m and TWOFOLD_FRESH_MFA")
	}
	if c.AuditRetention < 24*time.Hour || c.AuditRetention > 10*365*24*time.Hour {
		p = append(p, "TWOFOLD_AUDIT_RETENTION must be between 24h and 87600h (10 years)")
	}
	if c.PolicyCache < 0 || c.PolicyCache > 5*time.Minute {
		p = append(p, "TWOFOLD_POLICY_CACHE must be between 0s (off) and 5m")
	}
	p = append(p, c.deliveryProblems()...)
	p = append(p, c.mailProblems()...)
	p = append(p, c.webAuthnProblems()...)
	if c.HashSlots < 0 || c.HashQueue < 0 || c.HashWait < 0 {
		p = append(p, "TWOFOLD_HASH_SLOTS, TWOFOLD_HASH_QUEUE and TWOFOLD_HASH_WAIT must not be negative")
	}
	if c.HTTPS() && c.InsecureCookies {
		p = append(p, "TWOFOLD_INSECURE_COOKIES must not be set when TWOFOLD_BASE_URL is https://")
	}
	return p
}

// deliveryProblems validates the texts-and-calls provider and its settings.
func (c Config) deliveryProblems() []string {
	var p []string
	switch c.Delivery {
	case "outbox":
		if c.HTTPS() {
			p = append(p, "TWOFOLD_DELIVERY outbox keeps texts and calls in the database for developers; with an https:// TWOFOLD_BASE_URL choose twilio or webhook")
		}
	case "twilio":
		if c.TwilioAccountSID == "" || c.TwilioAuthToken == "" {
			p = append(p, "TWOFOLD_DELIVERY twilio needs TWOFOLD_TWILIO_ACCOUNT_SID and TWOFOLD_TWILIO_AUTH_TOKEN")
		}
		if c.TwilioFrom == "" {
			p = append(p, "TWOFOLD_DELIVERY twilio needs TWOFOLD_TWILIO_FROM, the number calls come from")
		}
		if u, err := url.Parse(c.TwilioAPIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p = append(p, fmt.Sprintf("TWOFOLD_TWILIO_API_URL %q must be an http:// or https:// URL", c.TwilioAPIURL))
		}
	case "webhook":
		if u, err := url.Parse(c.WebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p = append(p, fmt.Sprintf("TWOFOLD_WEBHOOK_URL %q must be an http:// or https:// URL", c.WebhookURL))
		}
		if len(c.WebhookSecret) < 32 {
			p = append(p, "TWOFOLD_WEBHOOK_SECRET must be at least 32 characters")
		}
	default:
		p = append(p, fmt.Sprintf("TWOFOLD_DELIVERY %q is not a provider this build has (outbox, twilio, webhook)", c.Delivery))
	}
	if c.DevOutbox && c.Delivery == "outbox" && c.HTTPS() {
		p = append(p, "TWOFOLD_DEV_OUTBOX must be off with an https:// TWOFOLD_BASE_URL")
	}
	if c.CallTimeout < 30*time.Second || c.CallTimeout > 5*time.Minute {
		p = append(p, "TWOFOLD_CALL_TIMEOUT must be between 30s and 5m")
	}
	return p
}

// ServesOutbox reports whether /dev/outbox is served: the outbox provider with
// TWOFOLD_DEV_OUTBOX on.
func (c Config) ServesOutbox() bool { return c.Delivery == "outbox" && c.DevOutbox }

// readFile reads NAME=VALUE lines; blank lines and lines starting with # are skipped.
func readFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	var problems []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			problems = append(problems, fmt.Sprintf("%s:%d: expected NAME=VALUE", path, n))
			continue
		}
		out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return out, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var errUnknown = errors.New("unknown setting")

// AdminFresh is the admin console's fresh-MFA window: AdminFreshMFA, or by
// default 5 minutes (FreshMFA when that is shorter).
func (c Config) AdminFresh() time.Duration {
	if c.AdminFreshMFA != 0 {
		return c.AdminFreshMFA
	}
	return min(5*time.Minute, c.FreshMFA)
}
