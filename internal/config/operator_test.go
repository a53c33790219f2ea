package config

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// problems returns every configuration problem of env and flags, one string.
func problemsOf(t *testing.T, e, flags map[string]string) string {
	t.Helper()
	_, err := Load("", env(e), flags)
	if err == nil {
		return ""
	}
	var cfgErr *Error
	if !errors.As(err, &cfgErr) {
		t.Fatalf("want *Error, got %v", err)
	}
	return strings.Join(cfgErr.Problems, "\n")
}

func TestSettingsRefusedWithWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		flags map[string]string
		want  []string // every one must be in the problems
		not   []string // none may be
	}{
		{"the old proxy switch", map[string]string{"TWOFOLD_TRUST_PROXY": "true"}, nil,
			[]string{"TWOFOLD_TRUST_PROXY", "TWOFOLD_TRUSTED_PROXIES"}, nil},
		{"a proxy that is not an address", map[string]string{"TWOFOLD_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"}, nil,
			[]string{`TWOFOLD_TRUSTED_PROXIES entry "proxy.local" is not an IP address or network`}, []string{`"10.0.0.0/8"`}},
		{"a network with a bad length", map[string]string{"TWOFOLD_TRUSTED_PROXIES": "10.0.0.0/33"}, nil,
			[]string{`"10.0.0.0/33"`}, nil},
		{"trusting everyone", map[string]string{"TWOFOLD_TRUSTED_PROXIES": "0.0.0.0/0"}, nil,
			[]string{"0.0.0.0/0", "every client"}, nil},
		{"sign-in limit not a number", map[string]string{"TWOFOLD_SIGNIN_IP_LIMIT": "many"}, nil,
			[]string{"TWOFOLD_SIGNIN_IP_LIMIT"}, nil},
		{"sign-in limit zero", map[string]string{"TWOFOLD_SIGNIN_IP_LIMIT": "0"}, nil,
			[]string{"TWOFOLD_SIGNIN_IP_LIMIT must be between 1 and 1000000"}, nil},
		{"sign-in window too short", map[string]string{"TWOFOLD_SIGNIN_IP_WINDOW": "10s"}, nil,
			[]string{"TWOFOLD_SIGNIN_IP_WINDOW must be between 1m and 24h"}, nil},
		{"bad secret key", map[string]string{"TWOFOLD_SECRET_KEY": "hunter2"}, nil,
			[]string{"TWOFOLD_SECRET_KEY must be base64 of 32 random bytes; make one with: openssl rand -base64 32"}, []string{"hunter2"}},
		{"bad --addr", nil, map[string]string{"TWOFOLD_ADDR": "nope"},
			[]string{`--addr "nope" must be HOST:PORT`}, []string{"TWOFOLD_BASE_URL", "TWOFOLD_ADDR"}},
		{"bad TWOFOLD_ADDR", map[string]string{"TWOFOLD_ADDR": "nope"}, nil,
			[]string{`TWOFOLD_ADDR "nope" must be HOST:PORT`}, []string{"TWOFOLD_BASE_URL", "--addr"}},
		{"a key=value database", map[string]string{"TWOFOLD_DATABASE": "host=db user=twofold"}, nil,
			[]string{"TWOFOLD_DATABASE", "postgres://", "file path"}, []string{"host=db"}},
		{"another database URL", map[string]string{"TWOFOLD_DATABASE": "mysql://db/twofold"}, nil,
			[]string{"TWOFOLD_DATABASE", "postgres://"}, nil},
		{"a key=value --database", nil, map[string]string{"TWOFOLD_DATABASE": "host=db"},
			[]string{"--database"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := problemsOf(t, tc.env, tc.flags)
			if all == "" {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(all, n) {
					t.Errorf("problems mention %q:\n%s", n, all)
				}
			}
		})
	}
}

func TestTrustedProxiesAndSignInLimits(t *testing.T) {
	c, err := Load("", env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 0 || c.SignInIPLimit != 100 || c.SignInIPWindow != 15*time.Minute {
		t.Errorf("defaults: proxies %v, limit %d, window %v; want none, 100, 15m", c.TrustedProxies, c.SignInIPLimit, c.SignInIPWindow)
	}
	c, err = Load("", env(map[string]string{
		"TWOFOLD_TRUSTED_PROXIES":  " 10.0.0.0/8,192.0.2.10 , 2001:db8::/32,::ffff:198.51.100.1",
		"TWOFOLD_SIGNIN_IP_LIMIT":  "5000",
		"TWOFOLD_SIGNIN_IP_WINDOW": "1h",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.10/32"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("198.51.100.1/32")}
	if !slices.Equal(c.TrustedProxies, want) {
		t.Errorf("proxies %v, want %v", c.TrustedProxies, want)
	}
	if c.SignInIPLimit != 5000 || c.SignInIPWindow != time.Hour {
		t.Errorf("limit %d window %v", c.SignInIPLimit, c.SignInIPWindow)
	}
}

// A scheme in capitals is the same scheme: every https guard (HSTS, cookies,
// the outbox refusals) must see it.
func TestUppercaseHTTPSIsHTTPS(t *testing.T) {
	all := problemsOf(t, map[string]string{"TWOFOLD_BASE_URL": "HTTPS://ID.EXAMPLE.COM/", "TWOFOLD_INSECURE_COOKIES": "true"}, nil)
	for _, w := range []string{"TWOFOLD_DELIVERY outbox", "TWOFOLD_DEV_OUTBOX", "TWOFOLD_MAIL outbox", "TWOFOLD_INSECURE_COOKIES"} {
		if !strings.Contains(all, w) {
			t.Errorf("HTTPS:// base URL: problems lack %q:\n%s", w, all)
		}
	}
	c, err := Load("", env(map[string]string{"TWOFOLD_BASE_URL": "HTTPS://ID.EXAMPLE.COM/", "TWOFOLD_DELIVERY": "webhook",
		"TWOFOLD_WEBHOOK_URL": "https://gw.example.com/send", "TWOFOLD_WEBHOOK_SECRET": strings.Repeat("s", 32),
		"TWOFOLD_MAIL": "smtp", "TWOFOLD_SMTP_HOST": "mail.example.com", "TWOFOLD_MAIL_FROM": "no-reply@example.com"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HTTPS() || c.BaseURL != "https://id.example.com" {
		t.Errorf("HTTPS() %v, base URL %q; want true and https://id.example.com", c.HTTPS(), c.BaseURL)
	}
	if _, err := Load("", env(map[string]string{"TWOFOLD_DATABASE": "POSTGRESQL://db/twofold", "TWOFOLD_SECRET_KEY": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I="}), nil); err != nil {
		t.Errorf("POSTGRESQL:// refused: %v", err)
	}
}
