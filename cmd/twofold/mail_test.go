package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Mail server settings that smtp.New refuses stop every command at start, with
// every problem named, before anything could be queued for a server that can't
// be reached.
func TestBadMailServerSettingsRefusedAtStart(t *testing.T) {
	env := map[string]string{
		"TWOFOLD_MAIL": "smtp", "TWOFOLD_SMTP_HOST": "smtp.contoso.com", "TWOFOLD_MAIL_FROM": "Contoso",
		"TWOFOLD_SMTP_TLS": "none", "TWOFOLD_SMTP_PORT": "70000", "TWOFOLD_SMTP_USERNAME": "twofold",
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"--data-dir", t.TempDir(), "migrate"}, strings.NewReader(""),
		&out, &errOut, func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("started with a mail server it cannot use")
	}
	msg := describe(err)
	for _, want := range []string{`From "Contoso" is not a mail address`, "Port 70000 is not a TCP port",
		`TLS "none" is only allowed to a mail server on this machine`, `Username "twofold" has no Password`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal %q does not say %q", msg, want)
		}
	}
}
