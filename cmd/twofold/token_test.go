package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// runBoth runs the command line and returns standard output and standard
// error apart, for commands that print a secret alone on one of them.
func (c cli) runBoth(stdin string, args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	full := append([]string{"--data-dir", c.dir}, args...)
	err := run(context.Background(), full, strings.NewReader(stdin), &out, &errOut, func(string) string { return "" })
	return out.String(), errOut.String(), err
}

// openDir opens the service on the cli's data directory, as serve would.
func (c cli) openDir() *app {
	c.t.Helper()
	cmd := &command{ctx: context.Background(), global: &global{settings: map[string]string{"TWOFOLD_DATA_DIR": c.dir}},
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	cfg, err := cmd.load(nil)
	if err != nil {
		c.t.Fatal(err)
	}
	a, err := cmd.open(cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(a.close)
	return a
}

func TestTokenCreateListRevoke(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("", "org", "create", "--name", "Fabrikam", "--domain", "fabrikam.test")
	out, notes, err := c.runBoth("", "token", "create", "--org", "contoso.test", "--name", "hr-sync", "--scopes", "users.read, audit.read", "--lifetime", "30d")
	if err != nil {
		t.Fatalf("token create: %v", describe(err))
	}
	secret := strings.TrimSuffix(out, "\n")
	if !strings.HasPrefix(secret, "tf_") || strings.ContainsAny(secret, " \n\t") {
		t.Fatalf("standard output %q: want the secret alone on one line", out)
	}
	if !strings.Contains(notes, "shown once") || strings.Contains(notes, secret) {
		t.Errorf("standard error %q: want the shown-once note without the secret", notes)
	}
	c.must("", "token", "create", "--org", "fabrikam.test", "--name", "theirs", "--scopes", "policy.manage")

	a := c.openDir()
	actor, err := a.tokens.Authenticate(context.Background(), secret, twofold.Client{IP: "192.0.2.1"})
	if err != nil {
		t.Fatalf("the printed secret doesn't authenticate: %v", err)
	}
	if actor.Name != "token:hr-sync" || !actor.Allows(twofold.ScopeAuditRead) || actor.Allows(twofold.ScopeUsersManage) {
		t.Errorf("actor %+v", actor)
	}

	list := c.must("", "token", "list", "--org", "contoso.test")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "hr-sync") || !strings.Contains(lines[1], "users.read,audit.read") || strings.Contains(list, "theirs") {
		t.Fatalf("token list --org:\n%s", list)
	}
	if strings.Contains(list, secret) || strings.Contains(list, twofold.HashToken(secret)) {
		t.Fatal("token list shows the secret or its hash")
	}
	if all := c.must("", "token", "list"); !strings.Contains(all, "theirs") || !strings.Contains(all, "Fabrikam") {
		t.Errorf("token list of every organization:\n%s", all)
	}
	id := strings.Fields(lines[1])[0]
	if out := c.must("", "token", "revoke", "--org", "contoso.test", "--id", id); !strings.Contains(out, "revoked") {
		t.Errorf("token revoke: %q", out)
	}
	if _, err := a.tokens.Authenticate(context.Background(), secret, twofold.Client{}); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
		t.Errorf("revoked token: %v", err)
	}
	if _, err := c.run("", "token", "revoke", "--org", "contoso.test", "--id", id); err == nil || !strings.Contains(describe(err), "already revoked") {
		t.Errorf("second revoke: %v", err)
	}
	audit := c.must("", "audit", "list", "--org", "contoso.test")
	for _, want := range []string{twofold.ActivityTokenCreated, twofold.ActivityTokenRevoked, "hr-sync"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit list lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, secret) {
		t.Error("the audit log holds the secret")
	}
}

func TestTokenRefusalsSayWhy(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("", "token", "create", "--org", "contoso.test", "--name", "taken", "--scopes", "users.read")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no org", []string{"token", "create", "--name", "x", "--scopes", "users.read"}, "--org"},
		{"unknown org", []string{"token", "create", "--org", "nowhere.test", "--name", "x", "--scopes", "users.read"}, "No organization owns"},
		{"no scopes", []string{"token", "create", "--org", "contoso.test", "--name", "x"}, "at least one scope"},
		{"unknown scope", []string{"token", "create", "--org", "contoso.test", "--name", "x", "--scopes", "users.read,everything"}, `"everything" is not a scope`},
		{"no name", []string{"token", "create", "--org", "contoso.test", "--scopes", "users.read"}, "1 to 64"},
		{"lifetime too long", []string{"token", "create", "--org", "contoso.test", "--name", "x", "--scopes", "users.read", "--lifetime", "400d"}, "1 hour to 1 year"},
		{"lifetime not a duration", []string{"token", "create", "--org", "contoso.test", "--name", "x", "--scopes", "users.read", "--lifetime", "soon"}, "not a duration"},
		{"duplicate name", []string{"token", "create", "--org", "contoso.test", "--name", "taken", "--scopes", "audit.read"}, "already has a live token"},
		{"revoke unknown", []string{"token", "revoke", "--org", "contoso.test", "--id", "nope"}, "no token with that ID"},
		{"revoke without id", []string{"token", "revoke", "--org", "contoso.test"}, "--id"},
		{"unknown subcommand", []string{"token", "rotate"}, "unknown subcommand"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := c.runBoth("", tc.args...)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(out, "tf_") {
				t.Errorf("printed a secret with a refusal: %q", out)
			}
			if msg := describe(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want it to mention %q", msg, tc.want)
			}
		})
	}
	if list := c.must("", "token", "list"); strings.Count(strings.TrimSpace(list), "\n") != 1 {
		t.Errorf("refused tokens were stored:\n%s", list)
	}
}
