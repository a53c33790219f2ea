package methodkind_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

func TestSecurityQuestionsKind(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindSecurityQuestions}
	member := &twofold.User{ID: "u", Role: twofold.RoleMember}
	admin := &twofold.User{ID: "a", Role: twofold.RoleAdmin}
	set := &twofold.Method{ID: "q", Kind: twofold.KindSecurityQuestions, State: twofold.MethodActive, Name: "5 questions"}
	app := &twofold.Method{ID: "a", Kind: twofold.KindSoftwareOath, State: twofold.MethodActive}

	k := methodkind.Of(twofold.KindSecurityQuestions)
	if k.Label() != "Security questions" || k.Description() == "" || k.Restricted() || !k.AtInterrupt() {
		t.Errorf("kind = %q %q restricted %v interrupt %v", k.Label(), k.Description(), k.Restricted(), k.AtInterrupt())
	}
	if label, detail := k.Row(set); label != "Security questions" || detail != "5 questions" {
		t.Errorf("Row = %q %q", label, detail)
	}
	if d := k.Describe(set); d != "Security questions" {
		t.Errorf("Describe = %q", d)
	}
	// Never a second factor, never a default.
	if prefs := methodkind.Preferences(p, set); len(prefs) != 0 {
		t.Errorf("Preferences = %v, want none", prefs)
	}
	if u := methodkind.Usable(p, []*twofold.Method{set}); len(u) != 0 {
		t.Errorf("Usable = %v, want none", u)
	}
	if d := methodkind.EffectiveDefault(p, member, []*twofold.Method{set}); d != twofold.PreferenceNone {
		t.Errorf("EffectiveDefault with only questions = %q", d)
	}
	if !methodkind.NeedsRegistration(p, []*twofold.Method{set}) {
		t.Error("questions alone satisfied the second-factor requirement")
	}
	// One set per member; members may add it, admins may not.
	if got := methodkind.RegistrableFor(p, member, []*twofold.Method{app}); !slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("RegistrableFor member = %v, want questions", got)
	}
	if got := methodkind.RegistrableFor(p, member, []*twofold.Method{app, set}); slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("RegistrableFor member with a set = %v, want no questions", got)
	}
	if got := methodkind.RegistrableFor(p, admin, []*twofold.Method{app}); slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("RegistrableFor admin = %v, want no questions", got)
	}
	if got := methodkind.AtInterruptFor(p, admin); slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("AtInterruptFor admin = %v, want no questions", got)
	}
	if got := methodkind.AtInterruptFor(p, member); !slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("AtInterruptFor member = %v, want questions", got)
	}
	if !methodkind.For(twofold.KindSoftwareOath, admin) || methodkind.For(twofold.KindSecurityQuestions, admin) {
		t.Error("For: apps are for admins, questions are not")
	}
	// At reset they prove a member, never an admin.
	if got := methodkind.ResetMethods(p, member, []*twofold.Method{set}); len(got) != 1 {
		t.Errorf("ResetMethods member = %v, want the set", got)
	}
	if got := methodkind.ResetMethods(p, admin, []*twofold.Method{set}); len(got) != 0 {
		t.Errorf("ResetMethods admin = %v, want none", got)
	}
	// Disabled by policy: not offered.
	p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath}
	if got := methodkind.RegistrableFor(p, member, nil); slices.Contains(got, twofold.KindSecurityQuestions) {
		t.Errorf("RegistrableFor with questions off = %v", got)
	}
}

func TestNoun(t *testing.T) {
	if n := methodkind.Noun(twofold.KindSecurityQuestions); n != "set of security questions" {
		t.Errorf("Noun(questions) = %q", n)
	}
	if n := methodkind.Noun(twofold.KindSoftwareOath); n != "authenticator app" {
		t.Errorf("Noun(app) = %q", n)
	}
}
