package config

import "fmt"

// mailProblems validates where mail goes. The outbox only keeps mail in the
// database, so a production base URL (https://) needs a mail server: otherwise
// security notices and fraud alerts would silently go nowhere. The mail
// server's settings themselves (port, TLS mode, sender, login) are checked by
// smtp.New when the service is wired, as twilio.New and webhook.New check theirs.
func (c Config) mailProblems() []string {
	var p []string
	switch c.Mail {
	case "outbox":
		if c.HTTPS() {
			p = append(p, "TWOFOLD_MAIL outbox keeps security notices and admin alerts in the database for developers; with an https:// TWOFOLD_BASE_URL set TWOFOLD_MAIL=smtp and TWOFOLD_SMTP_HOST")
		}
	case "smtp":
		if c.SMTPHost == "" {
			p = append(p, "TWOFOLD_MAIL smtp needs TWOFOLD_SMTP_HOST, the mail server to relay through")
		}
		if c.MailFrom == "" {
			p = append(p, "TWOFOLD_MAIL smtp needs TWOFOLD_MAIL_FROM, the address mail comes from")
		}
	default:
		p = append(p, fmt.Sprintf("TWOFOLD_MAIL %q is not a mail provider this build has (outbox, smtp)", c.Mail))
	}
	return p
}
