package securityinfo_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/testkit/softkey"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// withKey adds a security key to m on a fresh session and returns the key.
func withKey(t *testing.T, k *testkit.Kit, m *member) *softkey.Authenticator {
	t.Helper()
	key := softkey.New(softkey.Options{})
	if _, err := addKey(t, k, k.Principal(m.token, client), key, "Blue"); err != nil {
		t.Fatalf("add key: %v", err)
	}
	return key
}

// reverifyAnswer begins a key re-verification on token's session and returns
// the ceremony and key's answer to it.
func reverifyAnswer(t *testing.T, k *testkit.Kit, token string, key *softkey.Authenticator) (string, string) {
	t.Helper()
	c, err := k.SecInfo.BeginReverifyKey(k.Ctx, k.Principal(token, client))
	if err != nil {
		t.Fatalf("BeginReverifyKey: %v", err)
	}
	resp, err := key.Get(c.Options, testkit.KeyOrigin)
	if err != nil {
		t.Fatalf("softkey Get: %v", err)
	}
	return c.ID, string(resp)
}

func TestReverifyKeyRotatesToken(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		key := withKey(t, k, m)
		id, answer := reverifyAnswer(t, k, m.token, key)
		token, err := k.SecInfo.ReverifyKey(k.Ctx, k.Principal(m.token, client), id, answer)
		if err != nil || token == "" || token == m.token {
			t.Fatalf("ReverifyKey: %q, %v; want a new token", token, err)
		}
		if _, err := k.Session.Authenticate(k.Ctx, m.token, client); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
			t.Errorf("old token after re-verification: %v, want refused", err)
		}
		p := k.Principal(token, client)
		if creds, _ := k.Store.CredentialsOf(k.Ctx, m.User.ID); len(creds) != 1 || p.Session.MFAMethod != creds[0].MethodID {
			t.Errorf("session's second factor %q, want the key's method", p.Session.MFAMethod)
		}
		// The ceremony is single use.
		_, err = k.SecInfo.ReverifyKey(k.Ctx, p, id, answer)
		wantCode(t, "ReverifyKey again", err, twofold.EEXPIRED)
	})
}

func TestReverifyKeyForgedAnswerCounted(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		key := withKey(t, k, m)
		before := k.User(m.User.ID).FailedMFA
		c, err := k.SecInfo.BeginReverifyKey(k.Ctx, k.Principal(m.token, client))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := key.WithForgedSignature().Get(c.Options, testkit.KeyOrigin)
		if err != nil {
			t.Fatal(err)
		}
		_, err = k.SecInfo.ReverifyKey(k.Ctx, k.Principal(m.token, client), c.ID, string(resp))
		wantCode(t, "forged answer", err, twofold.EUNAUTHORIZED)
		if after := k.User(m.User.ID).FailedMFA; after != before+1 {
			t.Errorf("FailedMFA %d → %d, want one more", before, after)
		}
		if _, err := k.Session.Authenticate(k.Ctx, m.token, client); err != nil {
			t.Errorf("token after a refused answer: %v, want it unchanged", err)
		}
	})
}

func TestReverifyKeyCloneRefusedAndAudited(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		key := withKey(t, k, m)
		id, answer := reverifyAnswer(t, k, m.token, key)
		token, err := k.SecInfo.ReverifyKey(k.Ctx, k.Principal(m.token, client), id, answer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := k.SecInfo.BeginReverifyKey(k.Ctx, k.Principal(token, client))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := key.WithSignCount(1).Get(c.Options, testkit.KeyOrigin)
		if err != nil {
			t.Fatal(err)
		}
		_, err = k.SecInfo.ReverifyKey(k.Ctx, k.Principal(token, client), c.ID, string(resp))
		if !errors.Is(err, webauthn.ErrPossibleClone) {
			t.Fatalf("ReverifyKey with a counter that went back: %v", err)
		}
		found := false
		for _, e := range k.Events(m.User.ID, twofold.ActivitySignIn) {
			found = found || (e.Result == twofold.ResultFailure && e.Reason == "re-verification: security key may have been copied")
		}
		if !found {
			t.Error("possible clone not audited")
		}
	})
}

func TestReverifyKeyWithoutKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		_, err := k.SecInfo.BeginReverifyKey(k.Ctx, k.Principal(m.token, client))
		wantCode(t, "BeginReverifyKey without a key", err, twofold.ENOTFOUND)
		_, err = k.SecInfo.ReverifyKey(k.Ctx, k.Principal(m.token, client), "x", "{}")
		wantCode(t, "ReverifyKey without a key", err, twofold.ENOTFOUND)
	})
}

func TestReverifyKeyOtherSessionsCeremonyRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		key := withKey(t, k, m)
		other := k.SignInMFA(m.Member, m.app, client).SessionToken
		id, answer := reverifyAnswer(t, k, other, key)
		token, err := k.SecInfo.ReverifyKey(k.Ctx, k.Principal(m.token, client), id, answer)
		if err == nil {
			t.Fatalf("another session's ceremony re-verified this one: %q", token)
		}
		if _, err := k.Session.Authenticate(k.Ctx, m.token, client); err != nil {
			t.Errorf("token after a refused answer: %v, want it unchanged", err)
		}
	})
}
