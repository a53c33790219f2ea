package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// serve --demo makes the demo member and an admin of the demo organization,
// printing each one's password, and on later starts prints the same ones.
func TestDemoCreatesAnAdminForTheConsole(t *testing.T) {
	var out bytes.Buffer
	c := &command{ctx: context.Background(), global: &global{settings: map[string]string{"TWOFOLD_DATA_DIR": t.TempDir()}},
		stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }, creates: true}
	cfg, err := c.load(nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if err := a.demo(c); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`/admin: sign in as admin@contoso\.test with password (\S+)\n`)
	m := re.FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "as alex@contoso.test with password") {
		t.Fatalf("demo output:\n%s", out.String())
	}
	u, err := a.store.UserByUsername(c.ctx, "admin@contoso.test")
	if err != nil || u.Role != twofold.RoleAdmin || u.MustChangePassword {
		t.Fatalf("demo admin: %+v, %v", u, err)
	}
	if ok, _, err := a.hasher.Verify(c.ctx, u.PasswordHash, m[1]); err != nil || !ok {
		t.Errorf("the printed password is not the admin's: %v", err)
	}
	// The demo organization has passes on, so the console can issue one.
	org, err := a.admin.Org(c.ctx, "contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	if !org.Policy.MethodEnabled(twofold.KindTemporaryAccessPass) {
		t.Errorf("demo organization's methods: %v; want Temporary Access Passes on", org.Policy.EnabledMethods)
	}

	out.Reset()
	if err := a.demo(c); err != nil {
		t.Fatal(err)
	}
	if again := re.FindStringSubmatch(out.String()); again == nil || again[1] != m[1] {
		t.Errorf("second start printed:\n%s", out.String())
	}
}
