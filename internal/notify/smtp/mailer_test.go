package smtp_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/twofold-id/twofold/internal/notify/smtp"
)

func TestNewRefusesBadConfig(t *testing.T) {
	good := smtp.Config{Host: "smtp.example.com", Port: 587, Username: user, Password: password, From: from}
	tests := []struct {
		name string
		edit func(*smtp.Config)
		want string // in the error
	}{
		{"missing host", func(c *smtp.Config) { c.Host = "" }, "Host is required"},
		{"host with port", func(c *smtp.Config) { c.Host = "smtp.example.com:587" }, "with the port in Port"},
		{"port 0", func(c *smtp.Config) { c.Port = 0 }, "Port 0 is not a TCP port"},
		{"port too big", func(c *smtp.Config) { c.Port = 70000 }, "Port 70000 is not a TCP port"},
		{"unknown TLS", func(c *smtp.Config) { c.TLS = "ssl" }, `TLS "ssl" is not one of`},
		{"plaintext to another machine", func(c *smtp.Config) { c.TLS = "none" }, `TLS "none" is only allowed to a mail server on this machine`},
		{"plaintext to a look-alike", func(c *smtp.Config) { c.Host, c.TLS = "localhost.example.com", "none" }, `TLS "none" is only allowed`},
		{"bad From", func(c *smtp.Config) { c.From = "Contoso security" }, `From "Contoso security" is not a mail address`},
		{"non-ASCII From", func(c *smtp.Config) { c.From = "no-reply@bücher.example" }, "must have an ASCII address"},
		{"username without password", func(c *smtp.Config) { c.Password = "" }, `Username "twofold" has no Password`},
		{"password without username", func(c *smtp.Config) { c.Username = "" }, "a Password is set without a Username"},
		{"negative timeout", func(c *smtp.Config) { c.Timeout = -1 }, "Timeout -1ns is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			m, err := smtp.New(cfg)
			if err == nil || !strings.HasPrefix(err.Error(), "smtp: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, %v; want an error containing %q", m, err, tt.want)
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}

	t.Run("every problem at once", func(t *testing.T) {
		_, err := smtp.New(smtp.Config{TLS: "ssl"})
		for _, want := range []string{"Host", "Port", "TLS", "From"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v does not mention %s", err, want)
			}
		}
	})
}

func TestNewAcceptsGoodConfig(t *testing.T) {
	for _, cfg := range []smtp.Config{
		{Host: "smtp.example.com", Port: 587, Username: user, Password: password, From: from},
		{Host: "smtp.example.com", Port: 465, TLS: "tls", From: "no-reply@id.example.com"},
		{Host: "localhost", Port: 25, TLS: "none", From: from},
		{Host: "127.0.0.1", Port: 25, TLS: "none", Username: user, Password: password, From: from},
		{Host: "::1", Port: 25, TLS: "none", From: from},
	} {
		if _, err := smtp.New(cfg); err != nil {
			t.Errorf("New(%s:%d %q) = %v", cfg.Host, cfg.Port, cfg.TLS, err)
		}
	}
}

func TestConfigLogsNoPassword(t *testing.T) {
	var out bytes.Buffer
	cfg := smtp.Config{Host: "smtp.example.com", Port: 587, Username: user, Password: password, From: from}
	slog.New(slog.NewTextHandler(&out, nil)).Info("mail", "config", cfg)
	if strings.Contains(out.String(), password) || !strings.Contains(out.String(), "REDACTED") {
		t.Errorf("logged %s", out.String())
	}
	m, err := smtp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.String(); strings.Contains(s, password) || !strings.Contains(s, "smtp.example.com:587") {
		t.Errorf("String() = %q", s)
	}
}
