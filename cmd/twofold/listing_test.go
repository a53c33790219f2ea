package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// Names, user agents and reasons come from the people the listings are about.
// A newline or a terminal escape in one must be shown escaped, so no one can
// forge a line of `twofold audit list` or recolour the operator's terminal.
func TestListingsEscapeWhatMembersWrote(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")

	const forgedLine = "\n2030-01-07T09:00:05Z  user.unblocked  success  admin@contoso.test"
	const red = "\x1b[31m"
	cmd := &command{ctx: context.Background(), global: &global{settings: map[string]string{"TWOFOLD_DATA_DIR": c.dir}},
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	cfg, err := cmd.load(nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := cmd.open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	org, err := a.admin.Org(cmd.ctx, "contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	// Rows as an older build, or another way in, may have stored them.
	if err := a.store.CreateUser(cmd.ctx, &twofold.User{ID: twofold.NewID(), OrgID: org.ID, Username: "eve@contoso.test",
		DisplayName: "Eve" + forgedLine + red, Role: twofold.RoleMember, CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	if err := a.audit.Record(cmd.ctx, &twofold.AuditEvent{OrgID: org.ID, ActorName: "eve@contoso.test" + forgedLine,
		TargetName: red + "eve", Activity: twofold.ActivitySignIn, Result: twofold.ResultFailure,
		Reason: "wrong\tpassword" + red, IP: "192.0.2.7", UserAgent: "curl" + forgedLine}); err != nil {
		t.Fatal(err)
	}
	a.close()

	for _, args := range [][]string{{"audit", "list"}, {"user", "list"}, {"org", "list"}} {
		out := c.must("", args...)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s prints a raw ESC:\n%q", strings.Join(args, " "), out)
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if strings.HasPrefix(line, "2030-01-07T09:00:05Z") {
				t.Errorf("%s prints a forged line: %q", strings.Join(args, " "), line)
			}
		}
	}
	audit := c.must("", "audit", "list")
	if !strings.Contains(audit, `\n2030-01-07T09:00:05Z`) || !strings.Contains(audit, `\x1b[31m`) || !strings.Contains(audit, `"wrong\tpassword`) {
		t.Errorf("audit list should show the control characters escaped:\n%s", audit)
	}
	if users := c.must("", "user", "list"); !strings.Contains(users, `"Eve\n2030`) {
		t.Errorf("user list should show the display name quoted and escaped:\n%s", users)
	}
}
