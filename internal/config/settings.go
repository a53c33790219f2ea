package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// setting binds one TWOFOLD_* name to a field.
type setting struct {
	name string
	set  func(c *Config, v string) error
}

func settings() []setting {
	str := func(f func(c *Config) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *f(c) = v; return nil }
	}
	boolean := func(f func(c *Config) *bool) func(*Config, string) error {
		return func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("must be true or false")
			}
			*f(c) = b
			return nil
		}
	}
	dur := func(f func(c *Config) *time.Duration) func(*Config, string) error {
		return func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("must be a duration such as 90s, 10m or 24h")
			}
			*f(c) = d
			return nil
		}
	}
	integer := func(f func(c *Config) *int) func(*Config, string) error {
		return func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("must be a whole number")
			}
			*f(c) = n
			return nil
		}
	}
	return []setting{
		{"TWOFOLD_DATA_DIR", str(func(c *Config) *string { return &c.DataDir })},
		{"TWOFOLD_DATABASE", str(func(c *Config) *string { return &c.Database })},
		{"TWOFOLD_ADDR", str(func(c *Config) *string { return &c.Addr })},
		{"TWOFOLD_BASE_URL", str(func(c *Config) *string { return &c.BaseURL })},
		{"TWOFOLD_SECRET_KEY", func(c *Config, v string) error { c.SecretKey = Secret(v); return nil }},
		{"TWOFOLD_INSECURE_COOKIES", boolean(func(c *Config) *bool { return &c.InsecureCookies })},
		{"TWOFOLD_TRUST_PROXY", func(c *Config, v string) error {
			return fmt.Errorf("is no longer read: it trusted the left-most X-Forwarded-For entry, which clients write. " +
				"Remove it and list your reverse proxies' addresses in TWOFOLD_TRUSTED_PROXIES (such as 10.0.0.0/8,192.0.2.10)")
		}},
		{"TWOFOLD_TRUSTED_PROXIES", func(c *Config, v string) (err error) {
			c.TrustedProxies, err = parseTrustedProxies(v)
			return err
		}},
		{"TWOFOLD_SIGNIN_IP_LIMIT", integer(func(c *Config) *int { return &c.SignInIPLimit })},
		{"TWOFOLD_SIGNIN_IP_WINDOW", dur(func(c *Config) *time.Duration { return &c.SignInIPWindow })},
		{"TWOFOLD_SESSION_IDLE", dur(func(c *Config) *time.Duration { return &c.SessionIdle })},
		{"TWOFOLD_SESSION_ABSOLUTE", dur(func(c *Config) *time.Duration { return &c.SessionAbsolute })},
		{"TWOFOLD_FRESH_MFA", dur(func(c *Config) *time.Duration { return &c.FreshMFA })},
		{"TWOFOLD_ADMIN_FRESH_MFA", dur(func(c *Config) *time.Duration { return &c.AdminFreshMFA })},
		{"TWOFOLD_AUDIT_RETENTION", dur(func(c *Config) *time.Duration { return &c.AuditRetention })},
		{"TWOFOLD_POLICY_CACHE", dur(func(c *Config) *time.Duration { return &c.PolicyCache })},
		{"TWOFOLD_DELIVERY", str(func(c *Config) *string { return &c.Delivery })},
		{"TWOFOLD_DEV_OUTBOX", boolean(func(c *Config) *bool { return &c.DevOutbox })},
		{"TWOFOLD_DEV_OUTBOX_PUBLIC", boolean(func(c *Config) *bool { return &c.DevOutboxPublic })},
		{"TWOFOLD_CALL_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.CallTimeout })},
		{"TWOFOLD_MAIL", str(func(c *Config) *string { return &c.Mail })},
		{"TWOFOLD_SMTP_HOST", str(func(c *Config) *string { return &c.SMTPHost })},
		{"TWOFOLD_SMTP_PORT", integer(func(c *Config) *int { return &c.SMTPPort })},
		{"TWOFOLD_SMTP_USERNAME", str(func(c *Config) *string { return &c.SMTPUsername })},
		{"TWOFOLD_SMTP_PASSWORD", func(c *Config, v string) error { c.SMTPPassword = Secret(v); return nil }},
		{"TWOFOLD_SMTP_TLS", str(func(c *Config) *string { return &c.SMTPTLS })},
		{"TWOFOLD_MAIL_FROM", str(func(c *Config) *string { return &c.MailFrom })},
		{"TWOFOLD_TWILIO_ACCOUNT_SID", str(func(c *Config) *string { return &c.TwilioAccountSID })},
		{"TWOFOLD_TWILIO_AUTH_TOKEN", func(c *Config, v string) error { c.TwilioAuthToken = Secret(v); return nil }},
		{"TWOFOLD_TWILIO_FROM", str(func(c *Config) *string { return &c.TwilioFrom })},
		{"TWOFOLD_TWILIO_MESSAGING_SERVICE_SID", str(func(c *Config) *string { return &c.TwilioMessagingServiceSID })},
		{"TWOFOLD_TWILIO_API_URL", str(func(c *Config) *string { return &c.TwilioAPIURL })},
		{"TWOFOLD_WEBHOOK_URL", str(func(c *Config) *string { return &c.WebhookURL })},
		{"TWOFOLD_WEBHOOK_SECRET", func(c *Config, v string) error { c.WebhookSecret = Secret(v); return nil }},
		{"TWOFOLD_HASH_SLOTS", integer(func(c *Config) *int { return &c.HashSlots })},
		{"TWOFOLD_HASH_QUEUE", integer(func(c *Config) *int { return &c.HashQueue })},
		{"TWOFOLD_HASH_WAIT", dur(func(c *Config) *time.Duration { return &c.HashWait })},
		{"TWOFOLD_WEBAUTHN_RP_ID", func(c *Config, v string) error { c.WebAuthn.RPID = strings.ToLower(v); return nil }},
		{"TWOFOLD_WEBAUTHN_ORIGINS", func(c *Config, v string) error { c.WebAuthn.Origins = parseOrigins(v); return nil }},
		{"TWOFOLD_LOG_LEVEL", func(c *Config, v string) error {
			if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
				return fmt.Errorf("must be debug, info, warn or error")
			}
			return nil
		}},
	}
}

// Names lists every setting name, for the environment and the documentation.
func Names() []string {
	var out []string
	for _, s := range settings() {
		out = append(out, s.name)
	}
	return out
}

func (c *Config) set(name, value string) error {
	for _, s := range settings() {
		if s.name == name {
			if err := s.set(c, strings.TrimSpace(value)); err != nil {
				return fmt.Errorf("%s %s", name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%s: %w", name, errUnknown)
}
