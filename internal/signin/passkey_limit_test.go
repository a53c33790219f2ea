package signin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// TestPasskeyOffersDoNotUseTheFailureBudget: every view of /signin offers a
// passkey, so an organization behind one address must not lose the offer after
// a hundred page views. The network's failure budget counts failed passkey
// answers instead, together with wrong passwords, and a passkey sign-in that
// works gives its place back.
func TestPasskeyOffersDoNotUseTheFailureBudget(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		const limit = 100 // the default per-network failure limit
		for i := range 3 * limit {
			if _, err := k.SignIn.BeginPasskey(k.Ctx, keyClient); err != nil {
				t.Fatalf("passkey offer %d from one network: %v", i+1, err)
			}
		}
		id, answer := passkey(t, k, m.key)
		if _, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient); err != nil {
			t.Fatalf("a passkey sign-in after %d offers: %v", 3*limit, err)
		}

		// Failed answers do count: forged ones, until the network is refused.
		for range limit {
			id, answer := passkey(t, k, m.key.WithForgedSignature())
			_, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
			wantCode(t, "a forged passkey answer", err, twofold.EUNAUTHORIZED)
		}
		id, answer = passkey(t, k, m.key)
		_, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
		wantCode(t, "a passkey after the network's failures", err, twofold.ERATELIMIT)
		_, err = k.SignIn.Password(k.Ctx, m.Username(), m.Password, keyClient)
		wantCode(t, "a password after the network's passkey failures", err, twofold.ERATELIMIT)
	})
}
