package methodkind_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// An email proves a member only at reset: never a second factor, never a
// default, one per member, listed with its address and masked in notices.
func TestEmailKind(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.EnabledMethods = append(p.EnabledMethods, twofold.KindEmail)
	k := methodkind.Of(twofold.KindEmail)
	m := &twofold.Method{ID: "e", Kind: twofold.KindEmail, State: twofold.MethodActive, Name: "Email", Email: "alex@contoso.com"}
	if k.Label() != "Email" || k.Description() == "" || k.Restricted() || !k.AtInterrupt() {
		t.Errorf("email kind: label %q, description %q, restricted %v, at interrupt %v", k.Label(), k.Description(), k.Restricted(), k.AtInterrupt())
	}
	if prefs := k.Preferences(p, m); len(prefs) != 0 {
		t.Errorf("Preferences = %v, want none", prefs)
	}
	if m.MFACapable() || len(methodkind.Usable(p, []*twofold.Method{m})) != 0 {
		t.Error("an email is usable as a second factor")
	}
	if d := methodkind.EffectiveDefault(p, &twofold.User{}, []*twofold.Method{m}); d != twofold.PreferenceNone {
		t.Errorf("EffectiveDefault with only an email = %q, want none", d)
	}
	if methodkind.Limit(p, twofold.KindEmail) != 1 {
		t.Errorf("Limit = %d, want 1", methodkind.Limit(p, twofold.KindEmail))
	}
	if got := methodkind.Registrable(p, []*twofold.Method{m}); slices.Contains(got, twofold.KindEmail) {
		t.Errorf("Registrable with an email = %v, want no second email", got)
	}
	if !slices.Contains(methodkind.Registrable(p, nil), twofold.KindEmail) {
		t.Error("email not registrable for a member without one")
	}
	if label, detail := k.Row(m); label != "Email" || detail != "alex@contoso.com" {
		t.Errorf("Row = %q %q", label, detail)
	}
	if got := k.Describe(m); got != "Email (a•••@contoso.com)" {
		t.Errorf("Describe = %q", got)
	}
	if n := methodkind.Noun(twofold.KindEmail); n != "email address" {
		t.Errorf("Noun = %q", n)
	}
	admin := &twofold.User{Role: twofold.RoleAdmin}
	if !k.ProvesReset(p, admin, m) {
		t.Error("an email does not prove an admin at reset")
	}
	// A policy that disables email offers it nowhere.
	p.EnabledMethods = slices.DeleteFunc(p.EnabledMethods, func(k twofold.MethodKind) bool { return k == twofold.KindEmail })
	if slices.Contains(methodkind.Registrable(p, nil), twofold.KindEmail) {
		t.Error("email registrable while the policy disables it")
	}
}
