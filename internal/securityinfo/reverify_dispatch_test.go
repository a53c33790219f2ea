package securityinfo_test

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Re-verification is dispatched here, by the method's kind, so the page and its
// JSON twin cannot decide differently: an authenticator app's ID (or none) takes
// an app code, a phone's ID takes the code texted to it, and an ID that is not
// one of the member's ways to verify checks no code at all.
func TestReverifyDispatchesByMethodKind(t *testing.T) {
	k, m := setup(t)
	ph := k.AddPhone(m.Member, twofold.PhoneMobile, testkit.Mobile)
	stale := func(token string) *twofold.Principal {
		k.Clock.Advance(10*time.Minute + time.Second)
		return k.Principal(token, client)
	}

	token, err := k.SecInfo.Reverify(k.Ctx, stale(m.token), "", k.FreshCode(m.app))
	if err != nil {
		t.Fatalf("Reverify without a method: %v", err)
	}
	token, err = k.SecInfo.Reverify(k.Ctx, stale(token), m.app.MethodID, k.FreshCode(m.app))
	if err != nil {
		t.Fatalf("Reverify with the app's ID: %v", err)
	}

	p := stale(token)
	ch, err := k.SecInfo.ReverifyByPhone(k.Ctx, p, ph.ID, twofold.PreferenceSMS)
	if err != nil {
		t.Fatalf("ReverifyByPhone: %v", err)
	}
	code := k.Code(ch)
	_, err = k.SecInfo.Reverify(k.Ctx, p, "not-a-method-of-ada", code)
	wantCode(t, "Reverify with a foreign method ID", err, twofold.ENOTFOUND)
	if n := k.User(m.User.ID).FailedMFA; n != 0 {
		t.Errorf("FailedMFA = %d after a foreign method ID; no code may be checked", n)
	}
	// The texted code is no app code.
	_, err = k.SecInfo.Reverify(k.Ctx, p, "", code)
	wantCode(t, "Reverify of the texted code as an app code", err, twofold.EINVALID)
	token, err = k.SecInfo.Reverify(k.Ctx, p, ph.ID, code)
	if err != nil {
		t.Fatalf("Reverify with the phone's ID: %v", err)
	}
	if s := k.Principal(token, client).Session; s.MFAMethod != ph.ID || !s.MFAAt.Equal(k.Clock.Now()) {
		t.Errorf("session MFA by %q at %v, want the phone now", s.MFAMethod, s.MFAAt)
	}
}
