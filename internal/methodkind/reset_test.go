package methodkind_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

func TestResetMethodsFollowPolicyAndRole(t *testing.T) {
	active := func(kind twofold.MethodKind, pt twofold.PhoneType) *twofold.Method {
		return &twofold.Method{ID: string(kind) + string(pt), Kind: kind, State: twofold.MethodActive, PhoneType: pt}
	}
	app := active(twofold.KindSoftwareOath, "")
	mobile := active(twofold.KindPhone, twofold.PhoneMobile)
	alternate := active(twofold.KindPhone, twofold.PhoneAlternateMobile)
	pending := &twofold.Method{ID: "p", Kind: twofold.KindFido2, State: twofold.MethodPending}
	member := &twofold.User{Role: twofold.RoleMember}
	admin := &twofold.User{Role: twofold.RoleAdmin}
	all := []*twofold.Method{app, mobile, alternate, pending}

	p := twofold.DefaultPolicy()
	if got := len(methodkind.ResetMethods(p, member, all)); got != 2 {
		t.Errorf("ResetMethods counted %d, want 2 (app and mobile; not the alternate mobile or a pending key)", got)
	}
	if got := methodkind.ResetMissing(p, member, all); got != 0 {
		t.Errorf("member with 2 of 1 required: missing %d", got)
	}
	if got := methodkind.ResetRequired(p, admin); got != 2 {
		t.Errorf("admins prove %d methods, want 2 whatever the policy says", got)
	}
	if got := methodkind.ResetMissing(p, admin, []*twofold.Method{app}); got != 1 {
		t.Errorf("admin with one app: missing %d, want 1", got)
	}

	p.Reset.Methods = []twofold.MethodKind{twofold.KindPhone}
	if got := methodkind.ResetMethods(p, member, all); len(got) != 1 || got[0] != mobile {
		t.Errorf("with only phones counted, ResetMethods = %v, want the mobile", got)
	}
	p.Phone.Text, p.Phone.Call = false, false
	if got := len(methodkind.ResetMethods(p, member, all)); got != 0 {
		t.Errorf("a mobile the policy can neither text nor call still counted (%d)", got)
	}
	p.Reset.Enabled = false
	if got := methodkind.ResetMissing(p, admin, nil); got != 0 {
		t.Errorf("reset off: missing %d, want 0", got)
	}
}
