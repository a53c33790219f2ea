package reset_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/testkit/softkey"
)

// A security key proves a member at reset with a login bound to the attempt:
// its answer counts once, a key the member doesn't hold is a failed
// verification, and an answer made for one attempt proves nothing on another.
func TestResetWithSecurityKey(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			m := e.NewMember(e.org, "ada")
			_, r := e.Enrol(m, e.c)
			p := e.Principal(r.SessionToken, e.c)
			c, err := e.SecInfo.BeginKey(e.Ctx, p)
			if err != nil {
				t.Fatalf("BeginKey: %v", err)
			}
			key := softkey.New(softkey.Options{})
			resp, err := key.Create(c.Options, testkit.KeyOrigin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.SecInfo.FinishKey(e.Ctx, p, c.ID, "Blue", string(resp)); err != nil {
				t.Fatalf("FinishKey: %v", err)
			}

			// An answer whose signature the member's key didn't make is refused.
			id := e.start(t, m.Username())
			keyOpt := choice(t, e.attempt(t, id), methodkind.ProofKey)
			v, err := e.svc.Begin(e.Ctx, id, keyOpt.Choice, "", e.c)
			if err != nil || v.Step == nil || v.Step.CeremonyID == "" || len(v.Step.KeyOptions) == 0 {
				t.Fatalf("Begin key: %+v, %v", v, err)
			}
			forged, err := key.WithForgedSignature().Get(v.Step.KeyOptions, testkit.KeyOrigin)
			if err != nil {
				t.Fatalf("softkey Get (forged): %v", err)
			}
			if _, err := e.svc.Verify(e.Ctx, id, reset.Answer{CeremonyID: v.Step.CeremonyID, Credential: string(forged)}, e.c); err == nil {
				t.Fatal("a forged key answer proved the member")
			}
			failed := 0
			for _, ev := range e.Events(m.User.ID, twofold.ActivityResetSelfService) {
				if ev.Result == twofold.ResultFailure {
					failed++
				}
			}
			if failed != 1 {
				t.Errorf("%d failed reset verifications audited after a forged key answer, want 1", failed)
			}

			// The member's own key proves them, once.
			v, err = e.svc.Begin(e.Ctx, id, keyOpt.Choice, "", e.c)
			if err != nil {
				t.Fatalf("Begin key again: %v", err)
			}
			ans, err := key.Get(v.Step.KeyOptions, testkit.KeyOrigin)
			if err != nil {
				t.Fatalf("softkey Get: %v", err)
			}
			answer := reset.Answer{CeremonyID: v.Step.CeremonyID, Credential: string(ans)}
			v, err = e.svc.Verify(e.Ctx, id, answer, e.c)
			if err != nil || v.State != twofold.ResetVerified {
				t.Fatalf("Verify key: %+v, %v", v, err)
			}

			// The same answer on another attempt proves nothing there.
			other := e.start(t, m.Username())
			if _, err := e.svc.Begin(e.Ctx, other, keyOpt.Choice, "", e.c); err != nil {
				t.Fatalf("Begin on another attempt: %v", err)
			}
			if _, err := e.svc.Verify(e.Ctx, other, answer, e.c); err == nil {
				t.Error("a key's answer made for one attempt proved another")
			}
			if err := e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse battery", e.c); err != nil {
				t.Fatalf("SetPassword after the key: %v", err)
			}
		})
	}
}
