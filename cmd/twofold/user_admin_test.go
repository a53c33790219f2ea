package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func TestMemberAdministrationFromTheCommandLine(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("correct horse battery staple\n", "user", "create", "--username", "alex@contoso.test", "--display-name", "Alex Wilber", "--password-stdin")
	ctx := context.Background()

	if out := c.must("", "user", "disable", "--user", "Alex@Contoso.test"); !strings.Contains(out, "disabled alex@contoso.test") {
		t.Errorf("disable: %q", out)
	}
	if list := c.must("", "user", "list"); !strings.Contains(list, "disabled") {
		t.Errorf("user list after disable:\n%s", list)
	}
	if out := c.must("", "user", "enable", "--user", "alex@contoso.test"); !strings.Contains(out, "enabled alex@contoso.test") {
		t.Errorf("enable: %q", out)
	}

	out, notes, err := c.runBoth("", "user", "reset-password", "--user", "alex@contoso.test")
	if err != nil {
		t.Fatalf("reset-password: %v", describe(err))
	}
	temp := strings.TrimSuffix(out, "\n")
	if temp == "" || strings.Contains(temp, "\n") || strings.Contains(temp, " ") {
		t.Fatalf("standard output %q: want the temporary password alone", out)
	}
	if strings.Contains(notes, temp) || !strings.Contains(notes, "next sign-in") {
		t.Errorf("standard error %q", notes)
	}
	a := c.openDir()
	u, err := a.store.UserByUsername(ctx, "alex@contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	if !u.MustChangePassword {
		t.Error("reset-password didn't make the member choose a new password")
	}
	if ok, _, err := a.hasher.Verify(ctx, u.PasswordHash, temp); err != nil || !ok {
		t.Errorf("the printed temporary password isn't the member's password: %v", err)
	}

	// A member blocked from two-step verification is unblocked.
	if err := a.store.BlockMFA(ctx, u.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if out := c.must("", "user", "unblock", "--user", "alex@contoso.test"); !strings.Contains(out, "unblocked two-step verification") {
		t.Errorf("unblock: %q", out)
	}
	if out := c.must("", "user", "unblock", "--username", "alex@contoso.test"); !strings.Contains(out, "not blocked") {
		t.Errorf("unblock with nothing blocked: %q", out)
	}
	if out := c.must("", "user", "revoke-sessions", "--user", "alex@contoso.test"); !strings.Contains(out, "revoked 0 sessions") {
		t.Errorf("revoke-sessions: %q", out)
	}
	if out := c.must("", "user", "require-mfa-registration", "--user", "alex@contoso.test"); !strings.Contains(out, "0 methods removed") {
		t.Errorf("require-mfa-registration: %q", out)
	}

	audit := c.must("", "audit", "list", "--user", "alex@contoso.test")
	for _, want := range []string{twofold.ActivityUserDisabled, twofold.ActivityUserEnabled, twofold.ActivityResetByAdmin,
		twofold.ActivityMFAUnblocked, twofold.ActivitySessionsRevoked} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit list lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, temp) {
		t.Error("the audit log holds the temporary password")
	}
}

func TestMemberActionRefusals(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("correct horse battery staple\n", "user", "create", "--username", "boss@contoso.test", "--display-name", "Boss", "--role", "admin", "--password-stdin")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no user", []string{"user", "disable"}, "--user"},
		{"unknown user", []string{"user", "reset-password", "--user", "ghost@contoso.test"}, "no member"},
		{"last admin", []string{"user", "disable", "--user", "boss@contoso.test"}, "last enabled admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := c.runBoth("", tc.args...)
			if err == nil {
				t.Fatalf("accepted: %q", out)
			}
			if msg := describe(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want it to mention %q", msg, tc.want)
			}
		})
	}
}
