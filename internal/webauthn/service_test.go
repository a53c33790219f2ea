package webauthn_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/testkit/softkey"
	"github.com/twofold-id/twofold/internal/webauthn"
)

func TestRegisterThenLoginThenPasskey(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		aaguid := [16]byte{0xcb, 0x69, 1, 2, 3}
		key := softkey.New(softkey.Options{AAGUID: aaguid})
		c := e.register(t, ada, key)
		if !bytes.Equal(c.CredentialID, key.CredentialIDs()[0]) || !bytes.Equal(c.AAGUID, aaguid[:]) ||
			c.UserID != ada.ID || !c.UserVerified || !c.Discoverable || len(c.PublicKey) == 0 {
			t.Fatalf("registered credential %+v", c)
		}

		// The handle the key keeps is random and stable, never the user name.
		h, err := e.Store.WebAuthnHandle(e.Ctx, ada.ID, []byte("unused"))
		must(t, "WebAuthnHandle", err)
		if len(h) != 32 || bytes.Contains(h, []byte("ada")) {
			t.Fatalf("handle %q", h)
		}

		id, resp := e.answerLogin(t, ada, key)
		got, err := e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
		must(t, "FinishLogin", err)
		if got.SignCount != 1 || !got.LastUsedAt.Equal(e.Clock.Now()) || got.MethodID != c.MethodID {
			t.Fatalf("login credential %+v", got)
		}
		stored, err := e.Store.CredentialByID(e.Ctx, c.CredentialID)
		must(t, "CredentialByID", err)
		if stored.SignCount != 1 {
			t.Fatalf("stored sign count %d, want 1", stored.SignCount)
		}

		pid, popts, err := e.svc.BeginPasskey(e.Ctx, "passkey:anon-1")
		must(t, "BeginPasskey", err)
		var o struct {
			PublicKey struct {
				AllowCredentials []any  `json:"allowCredentials"`
				UserVerification string `json:"userVerification"`
			} `json:"publicKey"`
		}
		must(t, "decode passkey options", json.Unmarshal(popts, &o))
		if len(o.PublicKey.AllowCredentials) != 0 || o.PublicKey.UserVerification != "required" {
			t.Fatalf("passkey options %s", popts)
		}
		resp, err = key.Get(popts, origin)
		must(t, "softkey Get passkey", err)
		u, pc, err := e.svc.FinishPasskey(e.Ctx, pid, "passkey:anon-1", resp)
		must(t, "FinishPasskey", err)
		if u.ID != ada.ID || pc.SignCount != 2 {
			t.Fatalf("passkey login of %s with count %d", u.ID, pc.SignCount)
		}
	})
}

func TestRegistrationExcludesTheMembersKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		key := softkey.New(softkey.Options{})
		e.register(t, ada, key)
		_, opts, err := e.svc.BeginRegistration(e.Ctx, ada, e.org.Name, "session:s")
		must(t, "BeginRegistration", err)
		if _, err := key.Create(opts, origin); !errors.Is(err, softkey.ErrExcluded) {
			t.Fatalf("second registration on the same authenticator: %v, want ErrExcluded", err)
		}
	})
}

func TestAAGUIDAllowList(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		model := [16]byte{9, 9, 9}
		key := softkey.New(softkey.Options{AAGUID: model})
		for _, tc := range []struct {
			allow [][]byte
			want  string
		}{
			{[][]byte{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}, twofold.EFORBIDDEN},
			{[][]byte{model[:]}, ""},
		} {
			id, opts, err := e.svc.BeginRegistration(e.Ctx, ada, e.org.Name, "session:s")
			must(t, "BeginRegistration", err)
			resp, err := key.Create(opts, origin)
			must(t, "softkey Create", err)
			_, err = e.svc.FinishRegistration(e.Ctx, ada, id, "session:s", resp, tc.allow)
			if tc.want == "" {
				must(t, "FinishRegistration of an allowed model", err)
			} else {
				wantCode(t, "FinishRegistration of another model", err, tc.want)
			}
		}
	})
}

func TestReplayedCeremonyRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		key := softkey.New(softkey.Options{})
		e.register(t, ada, key)
		id, resp := e.answerLogin(t, ada, key)

		// Fifty copies of one answer at once: exactly one signs in.
		errs := testkit.Simultaneously(50, func(int) error {
			_, err := e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
			return err
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantCode(t, "replayed FinishLogin", err, twofold.EEXPIRED)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of 50 identical answers accepted, want 1", ok)
		}

		// A registration ceremony is single use too.
		rid, ropts, err := e.svc.BeginRegistration(e.Ctx, ada, e.org.Name, "session:s")
		must(t, "BeginRegistration", err)
		rresp, err := softkey.New(softkey.Options{}).Create(ropts, origin)
		must(t, "softkey Create", err)
		_, err = e.svc.FinishRegistration(e.Ctx, ada, rid, "session:s", rresp, nil)
		must(t, "FinishRegistration", err)
		_, err = e.svc.FinishRegistration(e.Ctx, ada, rid, "session:s", rresp, nil)
		wantCode(t, "FinishRegistration replayed", err, twofold.EEXPIRED)
	})
}

func TestCeremonyBoundToItsCaller(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		eve := e.NewMember(e.org, "eve").User
		key := softkey.New(softkey.Options{})
		e.register(t, ada, key)
		id, resp := e.answerLogin(t, ada, key)
		_, err := e.svc.FinishLogin(e.Ctx, ada, id, "flow:someone-else", resp)
		wantCode(t, "FinishLogin from another binding", err, twofold.EEXPIRED)
		_, _, err = e.svc.FinishPasskey(e.Ctx, id, "flow:"+ada.ID, resp)
		wantCode(t, "FinishPasskey of a login ceremony", err, twofold.EEXPIRED)
		_, err = e.svc.FinishLogin(e.Ctx, eve, id, "flow:"+ada.ID, resp)
		wantCode(t, "FinishLogin as another member", err, twofold.EEXPIRED)
	})
}

func TestExpiredCeremonyRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		key := softkey.New(softkey.Options{})
		e.register(t, ada, key)
		id, resp := e.answerLogin(t, ada, key)
		e.Clock.Advance(webauthn.DefaultTimeout)
		_, err := e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
		wantCode(t, "FinishLogin at expiry", err, twofold.EEXPIRED)
	})
}

// TestTamperedAnswersRefused: each tampered answer is refused, and the key's
// counter stays where it was.
func TestTamperedAnswersRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		origin string
		tamper func(k *softkey.Authenticator)
	}{
		{"WrongOrigin", "https://id.example.com.evil.net", nil},
		{"PlainHTTPOrigin", "http://id.example.com", nil},
		{"WrongRPIDHash", origin, func(k *softkey.Authenticator) { k.WithRPIDHashOf("evil.net") }},
		{"ForgedSignature", origin, func(k *softkey.Authenticator) { k.WithForgedSignature() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, e *env) {
				ada := e.NewMember(e.org, "ada").User
				key := softkey.New(softkey.Options{})
				c := e.register(t, ada, key)
				id, opts := e.beginLogin(t, ada)
				if tc.tamper != nil {
					tc.tamper(key)
				}
				resp, err := key.Get(opts, tc.origin)
				must(t, "softkey Get", err)
				_, err = e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
				wantCode(t, "FinishLogin", err, twofold.EUNAUTHORIZED)
				stored, err := e.Store.CredentialByID(e.Ctx, c.CredentialID)
				must(t, "CredentialByID", err)
				if stored.SignCount != 0 || !stored.LastUsedAt.IsZero() {
					t.Fatalf("refused login moved the key: %+v", stored)
				}

				// Registration is held to the same checks.
				rid, ropts, err := e.svc.BeginRegistration(e.Ctx, ada, e.org.Name, "session:s")
				must(t, "BeginRegistration", err)
				other := softkey.New(softkey.Options{Attestation: "packed"})
				if tc.tamper != nil {
					tc.tamper(other)
				}
				rresp, err := other.Create(ropts, tc.origin)
				must(t, "softkey Create", err)
				_, err = e.svc.FinishRegistration(e.Ctx, ada, rid, "session:s", rresp, nil)
				wantCode(t, "FinishRegistration", err, twofold.EINVALID)
			})
		})
	}
}

func TestSignCountRegressionRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		key := softkey.New(softkey.Options{})
		c := e.register(t, ada, key)
		for range 3 { // the key's counter reaches 3
			id, resp := e.answerLogin(t, ada, key)
			_, err := e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
			must(t, "FinishLogin", err)
		}
		for _, count := range []uint32{3, 2, 0} {
			id, opts := e.beginLogin(t, ada)
			resp, err := key.WithSignCount(count).Get(opts, origin)
			must(t, "softkey Get", err)
			_, err = e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
			wantCode(t, "FinishLogin with an old counter", err, twofold.ECONFLICT)
			if !errors.Is(err, webauthn.ErrPossibleClone) {
				t.Fatalf("count %d: %v does not say ErrPossibleClone", count, err)
			}
		}
		stored, err := e.Store.CredentialByID(e.Ctx, c.CredentialID)
		must(t, "CredentialByID", err)
		if stored.SignCount != 3 {
			t.Fatalf("stored count %d after refusals, want 3", stored.SignCount)
		}
	})
}

func TestAnotherMembersKeyRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		eve := e.NewMember(e.org, "eve").User
		e.register(t, ada, softkey.New(softkey.Options{}))
		evesKey := softkey.New(softkey.Options{})
		e.register(t, eve, evesKey)

		// Eve answers Ada's login with her own (valid, registered) key.
		id, opts := e.beginLogin(t, ada)
		resp, err := evesKey.Get(withoutAllowList(t, opts), origin)
		must(t, "softkey Get", err)
		_, err = e.svc.FinishLogin(e.Ctx, ada, id, "flow:"+ada.ID, resp)
		wantCode(t, "FinishLogin with another member's key", err, twofold.EUNAUTHORIZED)
	})
}

func TestPasskeyNeedsUserVerification(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		key := softkey.New(softkey.Options{})
		e.register(t, ada, key)
		id, opts, err := e.svc.BeginPasskey(e.Ctx, "passkey:anon")
		must(t, "BeginPasskey", err)
		resp, err := key.WithoutUV().Get(opts, origin)
		must(t, "softkey Get", err)
		_, _, err = e.svc.FinishPasskey(e.Ctx, id, "passkey:anon", resp)
		wantCode(t, "FinishPasskey without UV", err, twofold.EUNAUTHORIZED)

		// A key without UV still serves as a second factor after a password.
		lid, lopts := e.beginLogin(t, ada)
		resp, err = key.WithoutUV().Get(lopts, origin)
		must(t, "softkey Get", err)
		_, err = e.svc.FinishLogin(e.Ctx, ada, lid, "flow:"+ada.ID, resp)
		must(t, "FinishLogin without UV", err)
	})
}

func TestBeginLoginWithoutKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ada := e.NewMember(e.org, "ada").User
		_, _, err := e.svc.BeginLogin(e.Ctx, ada, "flow:x")
		wantCode(t, "BeginLogin", err, twofold.ENOTFOUND)
	})
}
