package twofold

import (
	"testing"
	"time"
)

// An API token manages plain members only and never assigns roles, so no
// scope can be turned into an admin's or the help desk's account; admins,
// the help desk and the CLI keep their rules.
func TestTokensActOnMembersOnly(t *testing.T) {
	member := &User{OrgID: "o1", Role: RoleMember}
	desk := &User{OrgID: "o1", Role: RoleHelpdesk}
	admin := &User{OrgID: "o1", Role: RoleAdmin}
	elsewhere := &User{OrgID: "o2", Role: RoleMember}
	token := TokenActor(&APIToken{OrgID: "o1", Name: "all", Scopes: AllScopes()}, Client{})
	for _, c := range []struct {
		name  string
		a     *Actor
		want  [4]bool // member, help desk, admin, another organization's member
		roles bool
	}{
		{"token with every scope", token, [4]bool{true, false, false, false}, false},
		{"admin", &Actor{OrgID: "o1", UserID: "u", Role: RoleAdmin}, [4]bool{true, true, true, false}, true},
		{"help desk", &Actor{OrgID: "o1", UserID: "u", Role: RoleHelpdesk}, [4]bool{true, true, false, false}, false},
		{"cli", CLIActor(), [4]bool{true, true, true, true}, true},
	} {
		for i, u := range []*User{member, desk, admin, elsewhere} {
			if got := c.a.MayActOn(u); got != c.want[i] {
				t.Errorf("%s MayActOn(%s of %s) = %v, want %v", c.name, u.Role, u.OrgID, got, c.want[i])
			}
		}
		if got := c.a.MayAssignRoles(); got != c.roles {
			t.Errorf("%s MayAssignRoles = %v, want %v", c.name, got, c.roles)
		}
	}
}

// A session signed in with a Temporary Access Pass (no password proven) is
// never a fresh second factor for administration; a password or passkey
// sign-in is.
func TestStaffActorNeedsAPasswordSignIn(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	admin := &User{ID: "u1", OrgID: "o1", Role: RoleAdmin}
	for _, c := range []struct {
		name       string
		passwordAt time.Time
		fresh      bool
	}{
		{"password and second factor", now.Add(-time.Minute), true},
		{"Temporary Access Pass", time.Time{}, false},
	} {
		p := &Principal{User: admin, Session: &Session{PasswordAt: c.passwordAt, MFAAt: now.Add(-time.Minute)}}
		a, ok := StaffActor(p)
		if !ok {
			t.Fatalf("%s: not staff", c.name)
		}
		if got := a.Fresh(now, 5*time.Minute); got != c.fresh {
			t.Errorf("%s: Fresh = %v, want %v", c.name, got, c.fresh)
		}
	}
}
