package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// cli runs the command line in-process against one data directory.
type cli struct {
	t   *testing.T
	dir string
}

func (c cli) run(stdin string, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	full := append([]string{"--data-dir", c.dir}, args...)
	err := run(context.Background(), full, strings.NewReader(stdin), &out, &errOut, func(string) string { return "" })
	return out.String(), err
}

func (c cli) must(stdin string, args ...string) string {
	c.t.Helper()
	out, err := c.run(stdin, args...)
	if err != nil {
		c.t.Fatalf("twofold %s: %v", strings.Join(args, " "), describe(err))
	}
	return out
}

func TestAdministrationFromTheCommandLine(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test,contoso.example")
	c.must("correct horse battery staple\n", "user", "create", "--username", "Alex@Contoso.test",
		"--display-name", "Alex Wilber", "--password-stdin")
	c.must("another long passphrase\n", "user", "create", "--username", "megan@contoso.example",
		"--display-name", "Megan Bowen", "--role", "admin", "--password-stdin")

	list := c.must("", "user", "list")
	for _, want := range []string{"alex@contoso.test", "Alex Wilber", "megan@contoso.example", "admin", "active"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list lacks %q:\n%s", want, list)
		}
	}

	out := c.must("", "policy", "set", "--org", "contoso.test", "--max-authenticator-apps", "3", "--lockout-threshold", "5", "--lockout-duration", "2m")
	var p twofold.Policy
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("policy JSON: %v\n%s", err, out)
	}
	if p.MaxAuthenticatorApps != 3 || p.LockoutThreshold != 5 || time.Duration(p.LockoutDuration) != 2*time.Minute || !p.MFARequired {
		t.Errorf("policy after set: %+v", p)
	}
	if shown := c.must("", "policy", "show", "--org", "contoso.example"); !strings.Contains(shown, `"maxAuthenticatorApps": 3`) {
		t.Errorf("policy show does not reflect the change:\n%s", shown)
	}

	audit := c.must("", "audit", "list", "--org", "contoso.test")
	for _, want := range []string{twofold.ActivityPolicyUpdate, twofold.ActivityUserCreated, "cli"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit list lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, "correct horse") {
		t.Error("audit log holds a password")
	}
}

func TestCommandLineRefusalsSayWhy(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"duplicate domain", "", []string{"org", "create", "--name", "Other", "--domain", "contoso.test"}, "already belongs"},
		{"bad domain", "", []string{"org", "create", "--name", "X", "--domain", "not a domain"}, "not a domain name"},
		{"unknown domain", "long enough password\n", []string{"user", "create", "--username", "a@fabrikam.test", "--display-name", "A", "--password-stdin"}, "No organization owns"},
		{"short password", "short\n", []string{"user", "create", "--username", "a@contoso.test", "--display-name", "A", "--password-stdin"}, "at least 8"},
		{"password on the command line", "", []string{"user", "create", "--username", "a@contoso.test", "--display-name", "A"}, "--password-stdin"},
		{"bad role", "long enough password\n", []string{"user", "create", "--username", "a@contoso.test", "--display-name", "A", "--role", "root", "--password-stdin"}, "member, helpdesk or admin"},
		{"policy out of range", "", []string{"policy", "set", "--org", "contoso.test", "--max-authenticator-apps", "9"}, "between 1 and 5"},
		{"policy not a number", "", []string{"policy", "set", "--org", "contoso.test", "--lockout-threshold", "ten"}, "not a whole number"},
		{"mfa without a method", "", []string{"policy", "set", "--org", "contoso.test", "--methods", ""}, "at least one method"},
		{"phones without anything stronger", "", []string{"policy", "set", "--org", "contoso.test", "--methods", "phone"}, "phones can't be the only second factor"},
		{"unknown command", "", []string{"frobnicate"}, "unknown command"},
		{"policy set without a setting", "", []string{"policy", "set", "--org", "contoso.test"}, "at least one setting"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.run(tc.stdin, tc.args...)
			if err == nil {
				t.Fatal("accepted")
			}
			if msg := describe(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want it to mention %q", msg, tc.want)
			}
		})
	}
	if list := c.must("", "user", "list"); strings.Contains(list, "a@contoso.test") {
		t.Errorf("a refused user was stored:\n%s", list)
	}
}

func TestHelpListsACommandsFlags(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	out := c.must("", "policy", "set", "--help")
	for _, want := range []string{"-max-authenticator-apps", "-lockout-threshold", "-mfa-required", "-data-dir"} {
		if !strings.Contains(out, want) {
			t.Errorf("policy set --help lacks %s:\n%s", want, out)
		}
	}
	if out := c.must("", "help"); !strings.Contains(out, "serve [--addr HOST:PORT] [--demo]") {
		t.Errorf("help:\n%s", out)
	}
}
