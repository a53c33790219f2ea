package config

import (
	"strings"
	"testing"
)

func TestMailNeedsItsSettings(t *testing.T) {
	smtp := func(extra map[string]string) map[string]string {
		e := map[string]string{"TWOFOLD_MAIL": "smtp", "TWOFOLD_SMTP_HOST": "mail.contoso.com",
			"TWOFOLD_MAIL_FROM": "Contoso <no-reply@id.contoso.com>"}
		for k, v := range extra {
			e[k] = v
		}
		return e
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"unknown provider", map[string]string{"TWOFOLD_MAIL": "pigeon"}, []string{`TWOFOLD_MAIL "pigeon"`}},
		{"smtp without host or sender", map[string]string{"TWOFOLD_MAIL": "smtp"}, []string{"TWOFOLD_SMTP_HOST", "TWOFOLD_MAIL_FROM"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("", env(tc.env), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems %q lack %q", err, w)
				}
			}
		})
	}
	for name, e := range map[string]map[string]string{
		"starttls with a login": smtp(map[string]string{"TWOFOLD_SMTP_USERNAME": "twofold", "TWOFOLD_SMTP_PASSWORD": "hunter2-hunter2"}),
		"implicit TLS":          smtp(map[string]string{"TWOFOLD_SMTP_TLS": "tls", "TWOFOLD_SMTP_PORT": "465"}),
		"local relay":           smtp(map[string]string{"TWOFOLD_SMTP_TLS": "none", "TWOFOLD_SMTP_HOST": "127.0.0.1", "TWOFOLD_SMTP_PORT": "25"}),
	} {
		c, err := Load("", env(e), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.Mail != "smtp" {
			t.Errorf("%s: Mail = %q", name, c.Mail)
		}
	}
	if c, err := Load("", env(smtp(nil)), nil); err != nil || c.SMTPPort != 587 || c.SMTPTLS != "starttls" {
		t.Errorf("smtp defaults: port %d, TLS %q, %v; want 587 and starttls", c.SMTPPort, c.SMTPTLS, err)
	}
}

func TestSMTPPasswordNeverPrints(t *testing.T) {
	c, err := Load("", env(map[string]string{"TWOFOLD_MAIL": "smtp", "TWOFOLD_SMTP_HOST": "mail.contoso.com",
		"TWOFOLD_MAIL_FROM": "no-reply@contoso.com", "TWOFOLD_SMTP_USERNAME": "u", "TWOFOLD_SMTP_PASSWORD": "hunter2-hunter2"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.SMTPPassword.String(); strings.Contains(s, "hunter2") {
		t.Errorf("the SMTP password prints as %q", s)
	}
}
