package methodkind_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

func TestResetMissingTable(t *testing.T) {
	active := func(kind twofold.MethodKind, pt twofold.PhoneType) *twofold.Method {
		return &twofold.Method{ID: string(kind) + string(pt), Kind: kind, State: twofold.MethodActive, PhoneType: pt}
	}
	app := active(twofold.KindSoftwareOath, "")
	key := active(twofold.KindFido2, "")
	office := active(twofold.KindPhone, twofold.PhoneOffice)
	alternate := active(twofold.KindPhone, twofold.PhoneAlternateMobile)
	questions := active(twofold.KindSecurityQuestions, "")
	member := &twofold.User{Role: twofold.RoleMember}
	admin := &twofold.User{Role: twofold.RoleAdmin}
	two := func(p twofold.Policy) twofold.Policy { p.Reset.MethodsRequired = 2; return p }
	onlyApps := func(p twofold.Policy) twofold.Policy {
		p.Reset.Methods = []twofold.MethodKind{twofold.KindSoftwareOath}
		return p
	}
	off := func(p twofold.Policy) twofold.Policy { p.Reset.Enabled = false; return p }
	withQuestions := func(p twofold.Policy) twofold.Policy {
		p.EnabledMethods = append(p.EnabledMethods, twofold.KindSecurityQuestions)
		return p
	}
	def := twofold.DefaultPolicy()
	for _, tc := range []struct {
		name    string
		p       twofold.Policy
		u       *twofold.User
		methods []*twofold.Method
		want    int
	}{
		{"member with one app, one required", def, member, []*twofold.Method{app}, 0},
		{"member with nothing", def, member, nil, 1},
		{"member with one app, two required", two(def), member, []*twofold.Method{app}, 1},
		{"member with an app and a key, two required", two(def), member, []*twofold.Method{app, key}, 0},
		{"admin always needs two", def, admin, []*twofold.Method{app}, 1},
		{"admin needs two even with reset set to one", def, admin, nil, 2},
		{"admin's security questions never count", withQuestions(def), admin, []*twofold.Method{app, questions}, 1},
		{"an alternate mobile never counts", two(def), member, []*twofold.Method{app, alternate}, 1},
		{"an office phone counts", two(def), member, []*twofold.Method{app, office}, 0},
		{"kinds the policy doesn't count are ignored", two(onlyApps(def)), member, []*twofold.Method{app, key, office}, 1},
		{"reset off needs nothing", off(two(def)), admin, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := methodkind.ResetMissing(tc.p, tc.u, tc.methods); got != tc.want {
				t.Errorf("ResetMissing = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestResetAddable(t *testing.T) {
	app := &twofold.Method{ID: "a", Kind: twofold.KindSoftwareOath, State: twofold.MethodActive}
	member := &twofold.User{Role: twofold.RoleMember}
	admin := &twofold.User{Role: twofold.RoleAdmin}
	p := twofold.DefaultPolicy()
	p.EnabledMethods = append(p.EnabledMethods, twofold.KindSecurityQuestions)
	questionsImplemented := methodkind.Limit(p, twofold.KindSecurityQuestions) > 0

	got := methodkind.ResetAddable(p, admin, []*twofold.Method{app})
	if slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("an admin is offered security questions for reset: %v", got)
	}
	for _, k := range []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2} {
		if !slices.Contains(got, k) {
			t.Errorf("admin with an app is not offered %s: %v", k, got)
		}
	}
	if questionsImplemented && !slices.Contains(methodkind.ResetAddable(p, member, []*twofold.Method{app}), twofold.KindSecurityQuestions) {
		t.Errorf("a member is not offered security questions for reset")
	}

	// A security key needs another method first; with nothing, it isn't offered.
	if got := methodkind.ResetAddable(p, member, nil); slices.Contains(got, twofold.KindFido2) {
		t.Errorf("a key offered to a member with no method: %v", got)
	}
	// Kinds reset doesn't count are not offered.
	p.Reset.Methods = []twofold.MethodKind{twofold.KindPhone}
	if got := methodkind.ResetAddable(p, member, []*twofold.Method{app}); !slices.Equal(got, []twofold.MethodKind{twofold.KindPhone}) {
		t.Errorf("with only phones counted: %v", got)
	}
	// Phones only as alternate mobiles can't prove a reset, so none is offered.
	p.Phone.Text, p.Phone.Call, p.Phone.Office = false, false, false
	if got := methodkind.ResetAddable(p, member, []*twofold.Method{app}); len(got) != 0 {
		t.Errorf("a phone that can't prove a reset is offered: %v", got)
	}
	// At the limit, a kind is not offered.
	p = twofold.DefaultPolicy()
	p.MaxAuthenticatorApps = 1
	p.Reset.Methods = []twofold.MethodKind{twofold.KindSoftwareOath}
	if got := methodkind.ResetAddable(p, member, []*twofold.Method{app}); len(got) != 0 {
		t.Errorf("an app offered past the limit: %v", got)
	}
}
