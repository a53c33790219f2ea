package config

import (
	"strings"
	"testing"
)

// The outbox keeps codes readable in the database: it is refused whenever the
// base URL says production (https), and so is serving /dev/outbox, and so is
// keeping mail there instead of sending it.
func TestOutboxRefusedInProduction(t *testing.T) {
	_, err := Load("", env(map[string]string{"TWOFOLD_BASE_URL": "https://id.contoso.com"}), nil)
	if err == nil || !strings.Contains(err.Error(), "TWOFOLD_DELIVERY outbox") || !strings.Contains(err.Error(), "TWOFOLD_DEV_OUTBOX") ||
		!strings.Contains(err.Error(), "TWOFOLD_MAIL outbox") {
		t.Fatalf("want problems about the outbox in production, got %v", err)
	}
	c, err := Load("", env(nil), nil)
	if err != nil || !c.ServesOutbox() {
		t.Fatalf("the embedded default serves the outbox: %v %v", c.ServesOutbox(), err)
	}
}

func TestDeliveryProvidersNeedTheirSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // every problem expected
	}{
		{"unknown provider", map[string]string{"TWOFOLD_DELIVERY": "pigeon"}, []string{`TWOFOLD_DELIVERY "pigeon"`}},
		{"twilio without credentials", map[string]string{"TWOFOLD_DELIVERY": "twilio"},
			[]string{"TWOFOLD_TWILIO_ACCOUNT_SID", "TWOFOLD_TWILIO_FROM"}},
		{"twilio with a bad API URL", map[string]string{"TWOFOLD_DELIVERY": "twilio", "TWOFOLD_TWILIO_ACCOUNT_SID": "AC1",
			"TWOFOLD_TWILIO_AUTH_TOKEN": "t", "TWOFOLD_TWILIO_FROM": "+14255550100", "TWOFOLD_TWILIO_API_URL": "ftp://x"},
			[]string{"TWOFOLD_TWILIO_API_URL"}},
		{"webhook without URL and with a short secret", map[string]string{"TWOFOLD_DELIVERY": "webhook", "TWOFOLD_WEBHOOK_SECRET": "short"},
			[]string{"TWOFOLD_WEBHOOK_URL", "TWOFOLD_WEBHOOK_SECRET"}},
		{"call timeout out of range", map[string]string{"TWOFOLD_CALL_TIMEOUT": "10s"}, []string{"TWOFOLD_CALL_TIMEOUT"}},
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
			if strings.Contains(err.Error(), "short") {
				t.Errorf("a secret was repeated in %q", err)
			}
		})
	}
	ok := map[string]map[string]string{
		"twilio": {"TWOFOLD_DELIVERY": "twilio", "TWOFOLD_TWILIO_ACCOUNT_SID": "AC1", "TWOFOLD_TWILIO_AUTH_TOKEN": "t",
			"TWOFOLD_TWILIO_FROM": "+14255550100", "TWOFOLD_BASE_URL": "https://id.contoso.com", "TWOFOLD_DEV_OUTBOX": "false"},
		"webhook": {"TWOFOLD_DELIVERY": "webhook", "TWOFOLD_WEBHOOK_URL": "https://gw.contoso.com/send",
			"TWOFOLD_WEBHOOK_SECRET": strings.Repeat("s", 32), "TWOFOLD_BASE_URL": "https://id.contoso.com"},
	}
	for name, e := range ok {
		e["TWOFOLD_MAIL"], e["TWOFOLD_SMTP_HOST"], e["TWOFOLD_MAIL_FROM"] = "smtp", "mail.contoso.com", "Contoso <no-reply@id.contoso.com>"
		c, err := Load("", env(e), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if c.ServesOutbox() {
			t.Errorf("%s: serves the outbox", name)
		}
	}
}
