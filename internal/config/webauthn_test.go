package config

import (
	"slices"
	"strings"
	"testing"
)

func TestWebAuthnDefaultsFollowTheBaseURL(t *testing.T) {
	for _, tc := range []struct {
		name        string
		env         map[string]string
		wantRPID    string
		wantOrigins []string
	}{
		{"embedded setup", nil, "localhost", []string{"http://localhost:8080"}},
		{"https base URL", map[string]string{"TWOFOLD_BASE_URL": "HTTPS://ID.Contoso.com:8443/"},
			"id.contoso.com", []string{"https://id.contoso.com:8443"}},
		// An IP base URL cannot carry keys, but must not stop the service starting.
		{"IP base URL", map[string]string{"TWOFOLD_BASE_URL": "http://127.0.0.1:9000"}, "", []string{"http://127.0.0.1:9000"}},
		{"configured", map[string]string{"TWOFOLD_BASE_URL": "https://id.contoso.com",
			"TWOFOLD_WEBAUTHN_RP_ID": "Contoso.com", "TWOFOLD_WEBAUTHN_ORIGINS": " https://id.contoso.com/ ,https://contoso.com"},
			"contoso.com", []string{"https://id.contoso.com", "https://contoso.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// What a production base URL needs besides, so only WebAuthn is judged.
			e := map[string]string{"TWOFOLD_DATA_DIR": t.TempDir(), "TWOFOLD_DELIVERY": "webhook",
				"TWOFOLD_WEBHOOK_URL": "https://gw.example.com/send", "TWOFOLD_WEBHOOK_SECRET": strings.Repeat("s", 32),
				"TWOFOLD_MAIL": "smtp", "TWOFOLD_SMTP_HOST": "mail.example.com", "TWOFOLD_MAIL_FROM": "no-reply@example.com"}
			for k, v := range tc.env {
				e[k] = v
			}
			c, err := Load("", env(e), nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := c.WebAuthnRPID(); got != tc.wantRPID {
				t.Errorf("RP ID %q, want %q", got, tc.wantRPID)
			}
			if got := c.WebAuthnOrigins(); !slices.Equal(got, tc.wantOrigins) {
				t.Errorf("origins %q, want %q", got, tc.wantOrigins)
			}
		})
	}
}

func TestWebAuthnSettingsRefused(t *testing.T) {
	base := "https://id.contoso.com"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // every one must be in the problems
	}{
		{"IP RP ID", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "192.0.2.1"},
			[]string{`TWOFOLD_WEBAUTHN_RP_ID "192.0.2.1" is an IP address`, "use a name such as localhost"}},
		{"IPv6 RP ID", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "::1"},
			[]string{`"::1" is an IP address`}},
		{"RP ID with port", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "contoso.com:443"},
			[]string{`"contoso.com:443" must be a lower-case domain name without scheme or port`}},
		{"RP ID as URL", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "https://contoso.com"},
			[]string{`TWOFOLD_WEBAUTHN_RP_ID "https://contoso.com" must be a lower-case domain name`}},
		{"origins on an IP base URL", map[string]string{"TWOFOLD_BASE_URL": "http://10.0.0.5:8080",
			"TWOFOLD_WEBAUTHN_ORIGINS": "http://10.0.0.5:8080"},
			[]string{"the host of TWOFOLD_BASE_URL", "use a name such as localhost",
				`entry "http://10.0.0.5:8080" must be https://`}},
		{"plain http elsewhere than localhost", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "contoso.com",
			"TWOFOLD_WEBAUTHN_ORIGINS": "http://id.contoso.com"},
			[]string{`entry "http://id.contoso.com" must be https://`}},
		{"origin off the RP ID", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "contoso.com",
			"TWOFOLD_WEBAUTHN_ORIGINS": "https://id.contoso.com,https://evilcontoso.com,https://contoso.com.evil.net"},
			[]string{`"https://evilcontoso.com" must be on the RP ID "contoso.com"`,
				`"https://contoso.com.evil.net" must be on the RP ID "contoso.com"`}},
		{"base URL off a configured RP ID", map[string]string{"TWOFOLD_WEBAUTHN_RP_ID": "fabrikam.com"},
			[]string{`"https://id.contoso.com" must be on the RP ID "fabrikam.com"`}},
		{"origin with a path", map[string]string{"TWOFOLD_WEBAUTHN_ORIGINS": "https://id.contoso.com/signin"},
			[]string{`"https://id.contoso.com/signin" must be an origin`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := map[string]string{"TWOFOLD_DATA_DIR": t.TempDir(), "TWOFOLD_BASE_URL": base}
			for k, v := range tc.env {
				e[k] = v
			}
			all := problemsOf(t, e, nil)
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
		})
	}
	// Good settings: http on localhost, subdomains of the RP ID.
	for _, e := range []map[string]string{
		{"TWOFOLD_BASE_URL": "http://localhost:8080", "TWOFOLD_WEBAUTHN_RP_ID": "localhost"},
		{"TWOFOLD_BASE_URL": "http://app.localhost:8080", "TWOFOLD_WEBAUTHN_ORIGINS": "http://app.localhost:8080"},
		{"TWOFOLD_BASE_URL": base, "TWOFOLD_WEBAUTHN_RP_ID": "contoso.com",
			"TWOFOLD_WEBAUTHN_ORIGINS": "https://contoso.com,https://id.contoso.com,https://a.b.contoso.com:8443"},
	} {
		e["TWOFOLD_DATA_DIR"] = t.TempDir()
		if all := problemsOf(t, e, nil); strings.Contains(all, "WEBAUTHN") {
			t.Errorf("%v refused:\n%s", e, all)
		}
	}
}
