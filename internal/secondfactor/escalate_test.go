package secondfactor_test

import (
	"errors"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/testkit"
)

// TestBlocksInARowDouble: each block after a full budget of wrong codes lasts
// twice the one before (1 h, 2 h, 4 h with a 1 h policy), so the budget does not
// simply start again after every block; a right code ends the escalation.
func TestBlocksInARowDouble(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			org := k.NewOrg("contoso.com")
			m := k.NewMember(org, "ada")
			app, _ := k.Enrol(m, client)
			pol := k.SetPolicy(org, func(p *twofold.Policy) {
				p.MFAFailureLimit = 10
				p.MFABlockDuration = twofold.Duration(time.Hour)
			}).Policy
			exhaust := func(t *testing.T) {
				t.Helper()
				for i := 1; i <= pol.MFAFailureLimit; i++ {
					_, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", testkit.WrongCode(app.Secret, k.Clock.Now()))
					if want := i < pol.MFAFailureLimit; errors.Is(err, secondfactor.ErrWrongCode) != want {
						t.Fatalf("wrong code %d: %v", i, err)
					}
				}
			}
			for i, want := range []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour} {
				start := k.Clock.Now()
				exhaust(t)
				if got := k.User(m.User.ID).MFABlockedUntil.Sub(start); got != want {
					t.Fatalf("block %d lasts %v, want %v", i+1, got, want)
				}
				// Guesses during the block neither get checked nor push it later.
				_, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", k.FreshCode(app))
				if !errors.Is(err, secondfactor.ErrBlocked) {
					t.Fatalf("right code during block %d: %v", i+1, err)
				}
				if got := k.User(m.User.ID).MFABlockedUntil.Sub(start); got != want {
					t.Fatalf("block %d moved to %v by a guess during it", i+1, got)
				}
				k.Clock.Advance(want)
			}
			if _, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", k.FreshCode(app)); err != nil {
				t.Fatalf("right code after the third block: %v", err)
			}
			start := k.Clock.Now()
			exhaust(t)
			if got := k.User(m.User.ID).MFABlockedUntil.Sub(start); got != time.Hour {
				t.Fatalf("first block after a right code lasts %v, want the base 1h", got)
			}
		})
	}
}
