package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// runIn runs the command line in-process from dir, with env as its environment
// and no --data-dir, as an operator types it.
func runIn(t *testing.T, dir string, env map[string]string, args ...string) (string, error) {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	return out.String(), err
}

// Commands that only read never make an empty data directory where they are
// run; they say where they looked and how to point elsewhere.
func TestReadingCommandsNeedExistingData(t *testing.T) {
	for _, args := range [][]string{
		{"user", "list"}, {"audit", "list"}, {"org", "list"}, {"policy", "show", "--org", "contoso.test"},
		{"user", "unblock", "--username", "a@contoso.test"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			dir := t.TempDir()
			_, err := runIn(t, dir, nil, args...)
			if err == nil {
				t.Fatal("ran without data")
			}
			if msg := describe(err); !strings.Contains(msg, "no twofold data in data") || !strings.Contains(msg, "--data-dir or TWOFOLD_DATA_DIR") {
				t.Errorf("message %q", msg)
			}
			if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
				t.Errorf("a data directory was made: %v", err)
			}
		})
	}
	t.Run("creating commands make it", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := runIn(t, dir, nil, "org", "create", "--name", "Contoso", "--domain", "contoso.test"); err != nil {
			t.Fatal(describe(err))
		}
		if out, err := runIn(t, dir, nil, "org", "list"); err != nil || !strings.Contains(out, "contoso.test") {
			t.Fatalf("org list after create: %q %v", out, err)
		}
	})
}

func TestDatabaseSettingMustBeAFormWeOpen(t *testing.T) {
	dir := t.TempDir()
	_, err := runIn(t, dir, nil, "--database", "host=db user=twofold", "migrate")
	if err == nil {
		t.Fatal("a key=value connection string was accepted")
	}
	if msg := describe(err); !strings.Contains(msg, "--database") || !strings.Contains(msg, "postgres://") {
		t.Errorf("message %q", msg)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files were made: %v", entries)
	}
}

func TestPolicySetListsEveryProblem(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	_, err := c.run("", "policy", "set", "--org", "contoso.test", "--max-authenticator-apps", "9",
		"--lockout-threshold", "1", "--sends-per-member", "ten", "--mfa-block-duration", "1s")
	if err == nil {
		t.Fatal("accepted")
	}
	msg := describe(err)
	for _, want := range []string{"--max-authenticator-apps: ", "--lockout-threshold: ", "--sends-per-member: ", "--mfa-block-duration: "} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "maxAuthenticatorApps") || strings.Contains(msg, "lockoutThreshold") {
		t.Errorf("message names settings that are not flags:\n%s", msg)
	}
	if shown := c.must("", "policy", "show", "--org", "contoso.test"); !strings.Contains(shown, `"lockoutThreshold": 10`) {
		t.Errorf("a refused change was stored:\n%s", shown)
	}
}

func TestPolicyRefusals(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"set without --org", []string{"policy", "set", "--lockout-threshold", "5"}, []string{"--org is required: the organization's domain"}},
		{"show without --org", []string{"policy", "show"}, []string{"--org is required: the organization's domain"}},
		{"too many security keys", []string{"policy", "set", "--org", "contoso.test", "--max-security-keys", "11"}, []string{"--max-security-keys", "between 1 and 10"}},
		{"a key model that is not an AAGUID", []string{"policy", "set", "--org", "contoso.test", "--allowed-aaguids", "yubikey"}, []string{"--allowed-aaguids", "yubikey"}},
		{"a made-up method in a list", []string{"policy", "set", "--org", "contoso.test", "--methods", "softwareOath,telegram"}, []string{"--methods", "telegram", "this build offers"}},
		{"a method that does not exist", []string{"policy", "set", "--org", "contoso.test", "--enable", "carrierPigeon"}, []string{"--enable", "carrierPigeon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.run("", tc.args...)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if msg := describe(err); !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
	shown := c.must("", "policy", "show", "--org", "contoso.test")
	var stored twofold.Policy
	if err := json.Unmarshal([]byte(shown[strings.Index(shown, "{"):]), &stored); err != nil {
		t.Fatalf("policy show: %v\n%s", err, shown)
	}
	if stored.MethodEnabled("telegram") || stored.MaxSecurityKeys != 10 {
		t.Errorf("a method this build can't offer was enabled, or a refused key setting stored:\n%s", shown)
	}
}

func TestPolicySecurityKeyFlags(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("", "policy", "set", "--org", "contoso.test", "--disable", "fido2")
	c.must("", "policy", "set", "--org", "contoso.test", "--enable", "fido2", "--max-security-keys", "3",
		"--passkey-sign-in", "false", "--allowed-aaguids", "cb69481e-8ff7-4039-93ec-0a2729a154a8")
	shown := c.must("", "policy", "show", "--org", "contoso.test")
	for _, want := range []string{`"fido2"`, `"maxSecurityKeys": 3`, `"passkeySignIn": false`, `"cb69481e-8ff7-4039-93ec-0a2729a154a8"`} {
		if !strings.Contains(shown, want) {
			t.Errorf("policy lacks %s:\n%s", want, shown)
		}
	}
}

func TestAuditListLimitIsChecked(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	for _, n := range []string{"0", "1001", "-5"} {
		if _, err := c.run("", "audit", "list", "--limit", n); err == nil || !strings.Contains(describe(err), "--limit must be between 1 and 1000") {
			t.Errorf("--limit %s: %v", n, err)
		}
	}
	c.must("", "audit", "list", "--limit", "1000")
}

func TestHelpAndVersion(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	help := c.must("", "help")
	if !strings.Contains(help, "user unblock-reset") {
		t.Errorf("help does not list user unblock-reset:\n%s", help)
	}
	if !strings.Contains(help, "version") {
		t.Errorf("help does not list version:\n%s", help)
	}
	flags := c.must("", "--help")
	if strings.Contains(flags, "twofold twofold") {
		t.Errorf("--help says %q", flags)
	}
	if out := c.must("", "serve", "--help"); !strings.Contains(out, "Usage of twofold serve:") {
		t.Errorf("serve --help:\n%s", out)
	}
	v := c.must("", "version")
	if !strings.HasPrefix(v, "twofold ") || !strings.Contains(v, "go1.") {
		t.Errorf("version printed %q", v)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "twofold.db")); !os.IsNotExist(err) {
		t.Errorf("version opened the store: %v", err)
	}
}

func TestVersionLineNamesTheRevision(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionLine(info, true), "twofold v1.4.0 (revision 0123abcd, 2026-12-01T10:00:00Z, with local changes) go1.26.0"; got != want {
		t.Errorf("version line %q, want %q", got, want)
	}
	if got := versionLine(nil, false); !strings.HasPrefix(got, "twofold (version unknown) go") {
		t.Errorf("without build info: %q", got)
	}
}
