package signin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// The interrupt decides "first default" as Security info does: a stored
// preference that no usable method backs (here a call to a phone the member no
// longer has) is no default, so the method registered at the interrupt becomes
// the default instead of leaving the stale value to come back later.
func TestInterruptReplacesAStaleDefault(t *testing.T) {
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	c := testkit.Client("198.51.100.7")
	if err := k.Store.SetPreferredMethod(k.Ctx, m.User.ID, twofold.PreferenceVoice); err != nil {
		t.Fatalf("SetPreferredMethod: %v", err)
	}

	r := startFlow(t, k, m, c, twofold.FlowRegistrationRequired)
	e, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID)
	if err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	secret, err := testkit.ParseSecret(e.GroupedSecret)
	if err != nil {
		t.Fatalf("ParseSecret: %v", err)
	}
	app := &testkit.App{MethodID: e.MethodID, Secret: secret}
	if _, err := k.SignIn.FinishRegistration(k.Ctx, r.FlowID, e.MethodID, "", k.FreshCode(app), c); err != nil {
		t.Fatalf("FinishRegistration: %v", err)
	}
	if got := k.User(m.User.ID).PreferredMethod; got != twofold.PreferenceOath {
		t.Errorf("default sign-in method = %q, want %q (the stale call must not stay)", got, twofold.PreferenceOath)
	}
}
