package methodkind_test

import (
	"slices"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// A Temporary Access Pass is only ever issued by an admin: even with the kind
// enabled, members cannot add it, the interrupt does not offer it, it is not a
// second factor or a default, and it proves nothing at a reset.
func TestTemporaryAccessPassIsNeverOfferedToMembers(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.EnabledMethods = append(p.EnabledMethods, twofold.KindTemporaryAccessPass)
	p.Reset.Methods = append(p.Reset.Methods, twofold.KindTemporaryAccessPass)
	pass := &twofold.Method{ID: "t", Kind: twofold.KindTemporaryAccessPass, State: twofold.MethodActive,
		ExpiresAt: time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC), UsableOnce: true}
	member := &twofold.User{Role: twofold.RoleMember}
	methods := []*twofold.Method{pass}
	if got := methodkind.RegistrableFor(p, member, methods); slices.Contains(got, twofold.KindTemporaryAccessPass) {
		t.Errorf("RegistrableFor = %v, offers the pass", got)
	}
	if got := methodkind.AtInterruptFor(p, member); slices.Contains(got, twofold.KindTemporaryAccessPass) {
		t.Errorf("AtInterruptFor = %v, offers the pass", got)
	}
	if got := methodkind.Usable(p, methods); len(got) != 0 {
		t.Errorf("Usable = %v, want none", got)
	}
	if got := methodkind.Options(p, methods); len(got) != 0 {
		t.Errorf("Options = %v, want none", got)
	}
	if !methodkind.NeedsRegistration(p, methods) {
		t.Error("a member with only a pass does not need to register")
	}
	if got := methodkind.EffectiveDefault(p, member, methods); got != twofold.PreferenceNone {
		t.Errorf("EffectiveDefault = %q, want none", got)
	}
	if got := methodkind.ResetMethods(p, member, methods); len(got) != 0 {
		t.Errorf("ResetMethods = %v, want none", got)
	}
	k := methodkind.Of(twofold.KindTemporaryAccessPass)
	if k.Label() != "Temporary Access Pass" || k.Description() != "" || k.Restricted() {
		t.Errorf("kind = %q %q restricted %v", k.Label(), k.Description(), k.Restricted())
	}
	if label, detail := k.Row(pass); label != "Temporary Access Pass" || detail != "Ends 5 Dec 2026 09:30 UTC, one-time use" {
		t.Errorf("Row = %q %q", label, detail)
	}
}
