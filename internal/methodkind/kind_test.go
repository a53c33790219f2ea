package methodkind_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Every method kind answers the seam's questions: the use cases iterate the
// kinds, so a kind that is only named (or not registrable yet) must say so
// rather than be skipped by a switch somewhere.
func TestKindsAnswerTheSeam(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.EnabledMethods = append(p.EnabledMethods, twofold.KindFido2, twofold.KindEmail)
	if got, want := methodkind.AtInterrupt(p), []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindEmail, twofold.KindSecurityQuestions}; !slices.Equal(got, want) {
		t.Errorf("AtInterrupt = %v, want %v (keys register on Security info only)", got, want)
	}
	if got, want := methodkind.Registrable(p, nil), []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindEmail, twofold.KindSecurityQuestions}; !slices.Equal(got, want) {
		t.Errorf("Registrable = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		kind       twofold.MethodKind
		label      string
		restricted bool
	}{
		{twofold.KindSoftwareOath, "Authenticator app", false},
		{twofold.KindPhone, "Phone", true},
		{twofold.KindFido2, "Security key", false},
		{twofold.KindEmail, "Email", false},
		{"futureKind", "futureKind", false},
	} {
		k := methodkind.Of(tc.kind)
		if k.Name() != tc.kind || k.Label() != tc.label || k.Restricted() != tc.restricted {
			t.Errorf("Of(%q) = %q %q restricted %v; want %q restricted %v", tc.kind, k.Name(), k.Label(), k.Restricted(), tc.label, tc.restricted)
		}
	}
	// A security key is the strongest default a member can have.
	key := &twofold.Method{ID: "k", Kind: twofold.KindFido2, State: twofold.MethodActive, Name: "YubiKey"}
	app := &twofold.Method{ID: "a", Kind: twofold.KindSoftwareOath, State: twofold.MethodActive}
	if d := methodkind.EffectiveDefault(p, &twofold.User{}, []*twofold.Method{app, key}); d != twofold.PreferenceFido2 {
		t.Errorf("EffectiveDefault with an app and a key = %q, want the key", d)
	}
	// Keys register once the member has another method, up to the policy's limit.
	if got, want := methodkind.Registrable(p, []*twofold.Method{app}), []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2, twofold.KindEmail, twofold.KindSecurityQuestions}; !slices.Equal(got, want) {
		t.Errorf("Registrable with an app = %v, want %v", got, want)
	}
	p.MaxSecurityKeys = 1
	if got := methodkind.Registrable(p, []*twofold.Method{app, key}); slices.Contains(got, twofold.KindFido2) {
		t.Errorf("Registrable at the key limit = %v, want no fido2", got)
	}
	if row, detail := methodkind.Of(twofold.KindFido2).Row(key); row != "Security key" || detail != "YubiKey" {
		t.Errorf("key row = %q %q", row, detail)
	}
}
