package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

// demoPassword returns four random words-like chunks: easy to type, 80+ bits.
func demoPassword() string {
	const letters = "abcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(letters[int(x)%len(letters)])
	}
	return sb.String()
}

func adminNewUser(username, display, pw string) admin.NewUser {
	return admin.NewUser{Username: username, DisplayName: display, Role: twofold.RoleMember, Password: pw}
}

// Demo admin: an admin of the demo organization, so the console at /admin can
// be tried. Its password is kept beside the member's, for the next start.
const (
	demoAdminUsername     = "admin@contoso.test"
	demoAdminPasswordFile = "demo-admin-password.txt"
)

// demoAdmin creates the demo admin once (after the demo organization) and
// prints how to sign in to the console.
func (a *app) demoAdmin(c *command) error {
	path := filepath.Join(a.cfg.DataDir, demoAdminPasswordFile)
	if _, err := a.store.UserByUsername(c.ctx, demoAdminUsername); err == nil {
		pw, _ := os.ReadFile(path)
		fmt.Fprintf(c.stdout, "Demo: the admin console is at %s/admin: sign in as %s with password %s\n", a.cfg.BaseURL, demoAdminUsername, string(pw))
		return nil
	}
	pw := demoPassword()
	u := admin.NewUser{Username: demoAdminUsername, DisplayName: "Contoso Admin", Role: twofold.RoleAdmin, Password: pw}
	if _, err := a.admin.CreateUser(c.ctx, cliActor, u); err != nil {
		return fmt.Errorf("demo admin: %w", err)
	}
	if err := os.WriteFile(path, []byte(pw), 0o600); err != nil {
		return fmt.Errorf("demo admin password file: %w", err)
	}
	fmt.Fprintf(c.stdout, "Demo: the admin console is at %s/admin: sign in as %s with password %s\n", a.cfg.BaseURL, demoAdminUsername, pw)
	return nil
}
