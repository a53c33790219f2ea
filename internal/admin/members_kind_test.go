package admin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A per-kind delete reaches only methods of its kind: an authenticator app
// is not found among phones and stays; among apps it is deleted and audited.
func TestDeleteMethodOfKind(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m := e.NewMember(e.org, "ada")
	app, _ := e.Enrol(m, e.c)
	wantCode(t, "an app as a phone", e.Admin.DeleteMethodOfKind(e.Ctx, e.admin(), m.User.ID, app.MethodID, twofold.KindPhone), twofold.ENOTFOUND)
	v, err := e.Admin.Member(e.Ctx, e.admin(), m.User.ID)
	must(t, "Member", err)
	if len(v.Methods) != 1 {
		t.Fatalf("the app was deleted through the phones: %+v", v.Methods)
	}
	wantCode(t, "another member's app", e.Admin.DeleteMethodOfKind(e.Ctx, e.admin(), e.boss.User.ID, app.MethodID, twofold.KindSoftwareOath), twofold.ENOTFOUND)
	wantCode(t, "no such method", e.Admin.DeleteMethodOfKind(e.Ctx, e.admin(), m.User.ID, "nope", twofold.KindSoftwareOath), twofold.ENOTFOUND)
	must(t, "DeleteMethodOfKind", e.Admin.DeleteMethodOfKind(e.Ctx, e.admin(), m.User.ID, app.MethodID, twofold.KindSoftwareOath))
	if ev := e.Events(m.User.ID, twofold.ActivityAdminDeleted); len(ev) != 1 {
		t.Errorf("delete events: %+v", ev)
	}
}
