package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreTheEmbeddedSetup(t *testing.T) {
	c, err := Load("", env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database != filepath.Join("data", "twofold.db") || c.Postgres() {
		t.Errorf("database = %q, want the SQLite file in the data dir", c.Database)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://localhost:8080" {
		t.Errorf("addr %q base %q", c.Addr, c.BaseURL)
	}
	if c.SessionIdle != time.Hour || c.SessionAbsolute != 24*time.Hour || c.FreshMFA != 10*time.Minute {
		t.Errorf("timeouts %v %v %v", c.SessionIdle, c.SessionAbsolute, c.FreshMFA)
	}
}

func TestPrecedenceFileEnvFlag(t *testing.T) {
	file := filepath.Join(t.TempDir(), "twofold.conf")
	if err := os.WriteFile(file, []byte("# comment\nTWOFOLD_ADDR=127.0.0.1:1\nTWOFOLD_SESSION_IDLE=30m\nTWOFOLD_FRESH_MFA=5m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file, env(map[string]string{"TWOFOLD_ADDR": "127.0.0.1:2", "TWOFOLD_FRESH_MFA": "3m"}),
		map[string]string{"TWOFOLD_ADDR": "127.0.0.1:3"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:3" || c.SessionIdle != 30*time.Minute || c.FreshMFA != 3*time.Minute {
		t.Errorf("got addr %q idle %v fresh %v", c.Addr, c.SessionIdle, c.FreshMFA)
	}
}

func TestEveryProblemListedAtOnce(t *testing.T) {
	_, err := Load("", env(map[string]string{
		"TWOFOLD_ADDR":         "nope",
		"TWOFOLD_SESSION_IDLE": "soon",
		"TWOFOLD_DATABASE":     "postgres://db/twofold",
		"TWOFOLD_DELIVERY":     "pigeon",
		"TWOFOLD_FRESH_MFA":    "2h",
	}), nil)
	var cfgErr *Error
	if !errors.As(err, &cfgErr) {
		t.Fatalf("want *Error, got %v", err)
	}
	all := strings.Join(cfgErr.Problems, "\n")
	for _, want := range []string{"TWOFOLD_ADDR", "TWOFOLD_SESSION_IDLE", "TWOFOLD_SECRET_KEY", "TWOFOLD_DELIVERY", "TWOFOLD_FRESH_MFA"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems do not mention %s:\n%s", want, all)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c, err := Load("", env(map[string]string{"TWOFOLD_SECRET_KEY": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I="}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.SecretKey.String(); s != "REDACTED" {
		t.Errorf("String() = %q", s)
	}
	if v := c.SecretKey.LogValue().String(); v != "REDACTED" {
		t.Errorf("LogValue() = %q", v)
	}
}

func TestInsecureCookiesRefusedOverHTTPS(t *testing.T) {
	_, err := Load("", env(map[string]string{"TWOFOLD_BASE_URL": "https://id.contoso.com", "TWOFOLD_INSECURE_COOKIES": "true"}), nil)
	if err == nil || !strings.Contains(err.Error(), "TWOFOLD_INSECURE_COOKIES") {
		t.Fatalf("want a problem about insecure cookies, got %v", err)
	}
}
