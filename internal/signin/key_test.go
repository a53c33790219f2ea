package signin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/testkit/softkey"
	"github.com/twofold-id/twofold/internal/webauthn"
)

var keyClient = testkit.Client("198.51.100.9")

// keyMember is a member with an authenticator app and one security key.
type keyMember struct {
	*testkit.Member
	app      *testkit.App
	key      *softkey.Authenticator
	methodID string
}

// eachKeyBackend runs fn on SQLite, and on PostgreSQL when it is configured,
// with a member who registered a key on Security info.
func eachKeyBackend(t *testing.T, fn func(t *testing.T, k *testkit.Kit, m *keyMember)) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			app, r := k.Enrol(m, keyClient)
			p := k.Principal(r.SessionToken, keyClient)
			c, err := k.SecInfo.BeginKey(k.Ctx, p)
			if err != nil {
				t.Fatalf("BeginKey: %v", err)
			}
			key := softkey.New(softkey.Options{})
			resp, err := key.Create(c.Options, testkit.KeyOrigin)
			if err != nil {
				t.Fatal(err)
			}
			meth, err := k.SecInfo.FinishKey(k.Ctx, p, c.ID, "Blue", string(resp))
			if err != nil {
				t.Fatalf("FinishKey: %v", err)
			}
			fn(t, k, &keyMember{Member: m, app: app, key: key, methodID: meth.ID})
		})
	}
}

// keyAnswer starts a sign-in with the password, begins a key login and returns
// the flow, the ceremony and the key's answer.
func keyAnswer(t *testing.T, k *testkit.Kit, m *keyMember) (flow, ceremony, answer string) {
	t.Helper()
	r := startFlow(t, k, m.Member, keyClient, twofold.FlowMFARequired)
	c, err := k.SignIn.BeginKey(k.Ctx, r.FlowID)
	if err != nil {
		t.Fatalf("BeginKey: %v", err)
	}
	resp, err := m.key.Get(c.Options, testkit.KeyOrigin)
	if err != nil {
		t.Fatalf("softkey Get: %v", err)
	}
	return r.FlowID, c.ID, string(resp)
}

func TestVerifyKeySignsIn(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		flow, id, answer := keyAnswer(t, k, m)
		r, err := k.SignIn.VerifyKey(k.Ctx, flow, id, answer, keyClient)
		if err != nil || r.State != twofold.FlowSignedIn || r.Session.MFAMethod != m.methodID {
			t.Fatalf("VerifyKey: %+v, %v", r, err)
		}
		// The ceremony is single use.
		_, err = k.SignIn.VerifyKey(k.Ctx, flow, id, answer, keyClient)
		wantCode(t, "VerifyKey again", err, twofold.EEXPIRED)
	})
}

func TestForgedKeyAnswerCountsLikeAWrongCode(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		r := startFlow(t, k, m.Member, keyClient, twofold.FlowMFARequired)
		var err error
		for i := range 5 {
			c, berr := k.SignIn.BeginKey(k.Ctx, r.FlowID)
			if berr != nil {
				t.Fatalf("BeginKey %d: %v", i, berr)
			}
			resp, gerr := m.key.WithForgedSignature().Get(c.Options, testkit.KeyOrigin)
			if gerr != nil {
				t.Fatal(gerr)
			}
			_, err = k.SignIn.VerifyKey(k.Ctx, r.FlowID, c.ID, string(resp), keyClient)
			if i < 4 {
				wantCode(t, "forged answer", err, twofold.EUNAUTHORIZED)
			}
		}
		if !errors.Is(err, signin.ErrTooManyTries) {
			t.Fatalf("fifth forged answer: %v, want ErrTooManyTries", err)
		}
		if u := k.User(m.User.ID); u.FailedMFA != 5 {
			t.Errorf("FailedMFA = %d, want 5", u.FailedMFA)
		}
		if n := len(k.Events(m.User.ID, twofold.ActivitySignIn)); n == 0 {
			t.Error("no sign-in failure audited")
		}
	})
}

func TestClonedKeyRefusedAndAudited(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		flow, id, answer := keyAnswer(t, k, m)
		if _, err := k.SignIn.VerifyKey(k.Ctx, flow, id, answer, keyClient); err != nil {
			t.Fatalf("first sign-in: %v", err)
		}
		r := startFlow(t, k, m.Member, keyClient, twofold.FlowMFARequired)
		c, err := k.SignIn.BeginKey(k.Ctx, r.FlowID)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := m.key.WithSignCount(1).Get(c.Options, testkit.KeyOrigin)
		if err != nil {
			t.Fatal(err)
		}
		_, err = k.SignIn.VerifyKey(k.Ctx, r.FlowID, c.ID, string(resp), keyClient)
		if !errors.Is(err, webauthn.ErrPossibleClone) {
			t.Fatalf("VerifyKey with a counter that went back: %v", err)
		}
		found := false
		for _, e := range k.Events(m.User.ID, twofold.ActivitySignIn) {
			found = found || (e.Result == twofold.ResultFailure && e.Reason == "security key may have been copied")
		}
		if !found {
			t.Error("possible clone not audited")
		}
	})
}

func TestDeletedKeyRefusedAtFinish(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		flow, id, answer := keyAnswer(t, k, m)
		if err := k.Store.DeleteMethod(k.Ctx, m.User.ID, m.methodID); err != nil {
			t.Fatal(err)
		}
		_, err := k.SignIn.VerifyKey(k.Ctx, flow, id, answer, keyClient)
		if err == nil {
			t.Fatal("a deleted key signed in")
		}
	})
}

// passkey begins a passkey sign-in and returns its ceremony and key's answer.
func passkey(t *testing.T, k *testkit.Kit, key *softkey.Authenticator) (string, string) {
	t.Helper()
	c, err := k.SignIn.BeginPasskey(k.Ctx, keyClient)
	if err != nil {
		t.Fatalf("BeginPasskey: %v", err)
	}
	resp, err := key.Get(c.Options, testkit.KeyOrigin)
	if err != nil {
		t.Fatalf("softkey Get: %v", err)
	}
	return c.ID, string(resp)
}

func TestPasskeySignIn(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		id, answer := passkey(t, k, m.key)
		r, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
		if err != nil || r.State != twofold.FlowSignedIn || r.User.ID != m.User.ID || r.Session.MFAMethod != m.methodID {
			t.Fatalf("FinishPasskey: %+v, %v", r, err)
		}
		_, err = k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
		wantCode(t, "FinishPasskey again", err, twofold.EEXPIRED)

		// The ceremony ID alone, without its secret, cannot finish it.
		id, answer = passkey(t, k, m.key)
		bare, _, _ := strings.Cut(id, ".")
		_, err = k.SignIn.FinishPasskey(k.Ctx, bare+".x", answer, keyClient)
		wantCode(t, "FinishPasskey with another binding", err, twofold.EEXPIRED)
	})
}

func TestPasskeyNeedsUserVerification(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		id, answer := passkey(t, k, m.key.WithoutUV())
		_, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
		wantCode(t, "passkey without user verification", err, twofold.EUNAUTHORIZED)
	})
}

func TestPasskeyRefusedByPolicy(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		k.SetPolicy(m.Org, func(p *twofold.Policy) { p.PasskeySignIn = false })
		id, answer := passkey(t, k, m.key)
		_, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
		if !errors.Is(err, signin.ErrPasskeyNotAllowed) {
			t.Fatalf("passkey with passkeys off: %v", err)
		}
	})
}

func TestPasskeyOfDisabledMemberRefused(t *testing.T) {
	eachKeyBackend(t, func(t *testing.T, k *testkit.Kit, m *keyMember) {
		k.DisableUser(m.User.ID)
		id, answer := passkey(t, k, m.key)
		_, err := k.SignIn.FinishPasskey(k.Ctx, id, answer, keyClient)
		if !errors.Is(err, signin.ErrCredentials) {
			t.Fatalf("passkey of a disabled member: %v", err)
		}
	})
}
