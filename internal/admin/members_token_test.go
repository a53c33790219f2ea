package admin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A token with every scope still can't reach an admin's or the help desk's
// account, nor make anyone admin or help desk: each would let its holder sign
// in with more than the token's scopes. Plain members stay manageable.
func TestTokenNeverTakesOverStaff(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	token := twofold.TokenActor(&twofold.APIToken{OrgID: e.org.ID, Name: "all", Scopes: twofold.AllScopes()}, e.c)
	m := e.NewMember(e.org, "ada")
	for _, staff := range []*testkit.Member{e.boss, e.helpdesk} {
		id := staff.User.ID
		_, err := e.Admin.ResetPassword(e.Ctx, token, id)
		wantCode(t, "reset a staff password", err, twofold.EFORBIDDEN)
		_, err = e.Admin.RequireReregistration(e.Ctx, token, id)
		wantCode(t, "remove a staff second factor", err, twofold.EFORBIDDEN)
		wantCode(t, "delete a staff method", e.Admin.DeleteMethodOfKind(e.Ctx, token, id, "x", twofold.KindSoftwareOath), twofold.EFORBIDDEN)
		wantCode(t, "disable staff", e.Admin.SetEnabled(e.Ctx, token, id, false), twofold.EFORBIDDEN)
	}
	wantCode(t, "make an admin", e.Admin.SetRole(e.Ctx, token, m.User.ID, twofold.RoleAdmin), twofold.EFORBIDDEN)
	_, _, err := e.Admin.CreateMember(e.Ctx, token, admin.NewMember{Username: "new@contoso.com", DisplayName: "New", Role: twofold.RoleHelpdesk})
	wantCode(t, "create help desk", err, twofold.EFORBIDDEN)
	if u := e.User(e.boss.User.ID); u.Role != twofold.RoleAdmin || u.MustChangePassword {
		t.Errorf("the admin changed: %+v", u)
	}
	_, err = e.Admin.ResetPassword(e.Ctx, token, m.User.ID)
	wantCode(t, "reset a member's password", err, "")
	_, _, err = e.Admin.CreateMember(e.Ctx, token, admin.NewMember{Username: "plain@contoso.com", DisplayName: "Plain"})
	wantCode(t, "create a member", err, "")
}
