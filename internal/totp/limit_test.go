package totp

import (
	"testing"

	"github.com/twofold-id/twofold"
)

// Activate passes the member's limit to the store, which counts with the
// activation: a setup begun below the limit is refused once it is reached.
func TestActivateKeepsLimit(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	first, err := f.svc.Begin(ctx, "u1", "Contoso", "ada@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.Begin(ctx, "u1", "Contoso", "ada@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Activate(ctx, "u1", first.MethodID, "", appCode(t, first.Secret, f.clock.Now()), 1); err != nil {
		t.Fatalf("first app: %v", err)
	}
	err = f.svc.Activate(ctx, "u1", second.MethodID, "", appCode(t, second.Secret, f.clock.Now()), 1)
	if twofold.ErrorCode(err) != twofold.ECONFLICT {
		t.Fatalf("second app with a limit of 1: %v, want ECONFLICT", err)
	}
	if m, _ := f.store.MethodByID(ctx, "u1", second.MethodID); m.State != twofold.MethodPending {
		t.Errorf("refused app is %s, want still pending", m.State)
	}
}
