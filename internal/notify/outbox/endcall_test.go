package outbox_test

import (
	"context"
	"testing"

	"github.com/twofold-id/twofold"
)

// EndCall (twofold hanging up, when the member cancels) ends a ringing or an
// answered call without reporting anything back, and is harmless on an ended
// call; the outbox page then shows the call ended.
func TestEndCall(t *testing.T) {
	ctx := context.Background()
	for _, answered := range []bool{false, true} {
		p, st, rec := newProvider()
		id := placeCall(t, p)
		if answered {
			if err := p.Answer(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		before := len(rec.Events())
		if err := p.EndCall(ctx, id); err != nil {
			t.Fatalf("EndCall (answered %v): %v", answered, err)
		}
		if got := state(t, st, id); got != twofold.CallEnded {
			t.Errorf("state after EndCall (answered %v) = %q, want ended", answered, got)
		}
		if n := len(rec.Events()) - before; n != 0 {
			t.Errorf("EndCall reported %d events, want none: the caller ended it", n)
		}
		if err := p.EndCall(ctx, id); err != nil {
			t.Errorf("EndCall on an ended call: %v", err)
		}
		if err := p.HangUp(ctx, id); twofold.ErrorCode(err) != twofold.ECONFLICT {
			t.Errorf("the callee hanging up an ended call: %v, want ECONFLICT", err)
		}
	}
}
