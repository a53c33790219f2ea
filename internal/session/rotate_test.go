package session_test

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A fresh second factor on a signed-in session is a re-authentication: the
// session gets a new token, and the one it had stops working.
func TestStepUpRotatesToken(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			app, r := k.Enrol(m, client)
			old := r.SessionToken
			k.Clock.Advance(11 * time.Minute)
			p := k.Principal(old, client)
			id := p.Session.ID

			fresh, err := k.Session.StepUp(k.Ctx, p, app.MethodID)
			if err != nil {
				t.Fatalf("StepUp: %v", err)
			}
			if fresh == "" || fresh == old {
				t.Fatalf("StepUp token %q, want a new one", fresh)
			}
			if err := authenticate(k, old); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
				t.Errorf("old token after step-up: %v, want EUNAUTHORIZED", err)
			}
			q := k.Principal(fresh, client)
			if q.Session.ID != id || !q.Session.MFAAt.Equal(k.Clock.Now()) || q.Session.MFAMethod != app.MethodID {
				t.Errorf("session behind the new token: %+v; want session %s with MFA now by %s", q.Session, id, app.MethodID)
			}
			if p.Session.TokenHash != twofold.HashToken(fresh) || !p.Session.MFAAt.Equal(k.Clock.Now()) {
				t.Errorf("principal not updated: %+v", p.Session)
			}
			// The session that asked must still be the one that rotates: a
			// second step-up with the token it no longer has is refused.
			stale := k.Principal(fresh, client)
			stale.Session.TokenHash = twofold.HashToken(old)
			if _, err := k.Session.StepUp(k.Ctx, stale, app.MethodID); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
				t.Errorf("step-up with a replaced token: %v, want EUNAUTHORIZED", err)
			}
			if err := authenticate(k, fresh); err != nil {
				t.Errorf("new token after a refused step-up: %v", err)
			}
		})
	}
}

// A revoked session cannot be brought back by a step-up.
func TestStepUpOfRevokedSessionRefused(t *testing.T) {
	k, _, app, token := signedIn(t)
	p := k.Principal(token, client)
	if err := k.Session.SignOut(k.Ctx, p); err != nil {
		t.Fatal(err)
	}
	fresh, err := k.Session.StepUp(k.Ctx, p, app.MethodID)
	if twofold.ErrorCode(err) != twofold.EUNAUTHORIZED || fresh != "" {
		t.Fatalf("StepUp of a signed-out session = %q, %v; want EUNAUTHORIZED", fresh, err)
	}
	if err := authenticate(k, token); err == nil {
		t.Error("signed-out token works again")
	}
}
