package config

import (
	"fmt"
	"net"
	"net/mail"
)

// mailProblems validates where mail goes. The outbox only keeps mail in the
// database, so a production base URL (https://) needs a mail server: otherwise
// security notices and fraud alerts would silently go nowhere.
func (c Config) mailProblems() []string {
	var p []string
	switch c.Mail {
	case "outbox":
		if c.HTTPS() {
			p = append(p, "TWOFOLD_MAIL outbox keeps security notices and admin alerts in the database for developers; with an https:// TWOFOLD_BASE_URL set TWOFOLD_MAIL=smtp and TWOFOLD_SMTP_HOST")
		}
		return p
	case "smtp":
	default:
		return append(p, fmt.Sprintf("TWOFOLD_MAIL %q is not a mail provider this build has (outbox, smtp)", c.Mail))
	}
	if c.SMTPHost == "" {
		p = append(p, "TWOFOLD_MAIL smtp needs TWOFOLD_SMTP_HOST, the mail server to relay through")
	}
	if c.SMTPPort < 1 || c.SMTPPort > 65535 {
		p = append(p, "TWOFOLD_SMTP_PORT must be a port number (1–65535)")
	}
	switch c.SMTPTLS {
	case "starttls", "tls":
	case "none":
		if c.SMTPHost != "" && !loopback(c.SMTPHost) {
			p = append(p, "TWOFOLD_SMTP_TLS none sends mail in the clear: it is only allowed for a relay on this machine (localhost)")
		}
	default:
		p = append(p, fmt.Sprintf("TWOFOLD_SMTP_TLS %q must be starttls, tls or none", c.SMTPTLS))
	}
	if c.SMTPUsername != "" && c.SMTPPassword == "" {
		p = append(p, "TWOFOLD_SMTP_USERNAME needs TWOFOLD_SMTP_PASSWORD")
	}
	if c.MailFrom == "" {
		p = append(p, "TWOFOLD_MAIL smtp needs TWOFOLD_MAIL_FROM, the address mail comes from")
	} else if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		p = append(p, fmt.Sprintf("TWOFOLD_MAIL_FROM %q is not a mail address such as \"Contoso <no-reply@id.contoso.com>\"", c.MailFrom))
	}
	return p
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
