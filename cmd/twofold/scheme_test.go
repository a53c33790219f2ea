package main

import (
	"net/http"
	"strings"
	"testing"
)

// A base URL written in capitals is still https: the service sends HSTS and
// keeps its cookies Secure, as it does for https://.
func TestUppercaseHTTPSBaseURLKeepsTheHTTPSGuards(t *testing.T) {
	a, srv := testApp(t, map[string]string{
		"TWOFOLD_BASE_URL": "HTTPS://ID.EXAMPLE.COM", "TWOFOLD_DELIVERY": "webhook",
		"TWOFOLD_WEBHOOK_URL": "https://gw.example.com/send", "TWOFOLD_WEBHOOK_SECRET": strings.Repeat("s", 32),
		"TWOFOLD_MAIL": "smtp", "TWOFOLD_SMTP_HOST": "mail.example.com", "TWOFOLD_MAIL_FROM": "no-reply@example.com",
	})
	if a.cfg.BaseURL != "https://id.example.com" {
		t.Errorf("base URL %q, want it written https://id.example.com", a.cfg.BaseURL)
	}
	resp, err := http.Get(srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS with an HTTPS:// base URL")
	}
	if a.cfg.ServesOutbox() {
		t.Error("the dev outbox is served with an HTTPS:// base URL")
	}
}
