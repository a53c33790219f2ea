package phone_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Cancel on a call's page ends the call: the challenge fails with the reason,
// the provider hangs up (the outbox shows the call ended), and it is audited.
// With nothing ringing it does nothing.
func TestCancelCall(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			for _, answered := range []bool{false, true} {
				e := newEnv(t, testkit.Options{Backend: backend})
				ch := e.call("flow:a", testkit.Mobile)
				if answered {
					if err := e.k.Outbox.Answer(e.k.Ctx, ch.Ref); err != nil {
						t.Fatal(err)
					}
				}
				before := len(e.failures(e.m))
				if err := e.k.Phone.CancelCall(e.k.Ctx, "flow:a", twofold.PurposeSignIn); err != nil {
					t.Fatalf("CancelCall (answered %v): %v", answered, err)
				}
				wantState(t, e.k, ch.ID, twofold.ChallengeFailed, "You canceled the call.")
				if st := e.k.Message(ch.Ref).CallState; st != twofold.CallEnded {
					t.Errorf("the outbox call is %q after Cancel (answered %v), want ended", st, answered)
				}
				if n := len(e.failures(e.m)); n != before+1 {
					t.Errorf("%d new failure events, want 1", n-before)
				}
				if err := e.k.Phone.CancelCall(e.k.Ctx, "flow:a", twofold.PurposeSignIn); err != nil {
					t.Errorf("canceling again: %v", err)
				}
			}
			e := newEnv(t, testkit.Options{Backend: backend})
			if err := e.k.Phone.CancelCall(e.k.Ctx, "flow:none", twofold.PurposeSignIn); err != nil {
				t.Errorf("canceling with nothing sent: %v", err)
			}
			text := e.text("flow:t", testkit.Mobile)
			if err := e.k.Phone.CancelCall(e.k.Ctx, "flow:t", twofold.PurposeSignIn); err != nil {
				t.Errorf("canceling a text: %v", err)
			}
			wantState(t, e.k, text.ID, twofold.ChallengeSent, "")
		})
	}
}
