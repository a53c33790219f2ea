package web

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// testKeyOptions stand in for go-webauthn's creation options; the pages only
// carry them to the script.
const testKeyOptions = `{"publicKey":{"challenge":"Y2hhbGxlbmdl","rp":{"name":"twofold","id":"localhost"},"user":{"name":"</script><b>x"}}}`

// The fake's keys: ceremony "cer-N" is the Nth begun; the credential "good"
// registers key k1, "again" is a key the member has already.
func (f *fakeSecurityInfo) BeginKey(_ context.Context, p *twofold.Principal) (*webauthn.Challenge, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	if f.keyRefusal != nil {
		return nil, f.keyRefusal
	}
	f.mu.Lock()
	f.n++
	id := "cer-" + string(rune('0'+f.n))
	f.mu.Unlock()
	return &webauthn.Challenge{ID: id, Options: json.RawMessage(testKeyOptions)}, nil
}

func (f *fakeSecurityInfo) FinishKey(_ context.Context, p *twofold.Principal, ceremonyID, name, credential string) (*twofold.Method, error) {
	f.record("FinishKey %s %s %s", ceremonyID, name, credential)
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, twofold.FieldError("name", "Give your security key a name, such as YubiKey 5.")
	}
	if credential == "again" {
		return nil, twofold.Errorf(twofold.ECONFLICT, "This security key is already registered.")
	}
	m := &twofold.Method{ID: "k1", Kind: twofold.KindFido2, Name: name, State: twofold.MethodActive,
		CreatedAt: testNow, ActivatedAt: testNow}
	f.methods = append(f.methods, m)
	return m, nil
}

func (f *fakeSecurityInfo) RenameKey(_ context.Context, p *twofold.Principal, id, name string) error {
	f.record("RenameKey %s %s", id, name)
	if err := f.fresh(p); err != nil {
		return err
	}
	if strings.TrimSpace(name) == "" {
		return twofold.FieldError("name", "Give your security key a name, such as YubiKey 5.")
	}
	for _, m := range f.methods {
		if m.ID == id && m.Kind == twofold.KindFido2 {
			m.Name = name
			return nil
		}
	}
	return twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of your security info.")
}

// keyFlow is "flow-key": a security key k1, the default, and an app m1.
func keyFlow(id string) *signin.Result {
	opts := []signin.Option{
		{MethodID: "k1", Kind: twofold.KindFido2, Preference: twofold.PreferenceFido2, Label: "Use your security key (YubiKey 5)", Name: "YubiKey 5"},
		{MethodID: "m1", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath, Label: "Use a code from your authenticator app (Work phone)", Name: "Work phone"},
	}
	d := opts[0]
	return &signin.Result{FlowID: id, State: twofold.FlowMFARequired, User: testUser, Org: testOrg, Options: opts, Default: &d}
}

// The fake's key logins: flow-key takes the credential "good"; "copied" is a
// key that may have been copied, "ended" a flow out of tries. The passkey
// "good" signs Ada in; "off" is a member whose organization turned passkeys off.
func (f *fakeSignin) BeginKey(ctx context.Context, id string) (*webauthn.Challenge, error) {
	if _, err := f.Resume(ctx, id); err != nil {
		return nil, err
	}
	if id != "flow-key" {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "You have no security key to sign in with. Choose another way to sign in.")
	}
	return &webauthn.Challenge{ID: "login-1", Options: json.RawMessage(`{"publicKey":{"challenge":"bG9naW4"}}`)}, nil
}

func (f *fakeSignin) VerifyKey(ctx context.Context, id, ceremonyID, credential string, _ twofold.Client) (*signin.Result, error) {
	f.record("VerifyKey %s %s %s", id, ceremonyID, credential)
	if _, err := f.Resume(ctx, id); err != nil {
		return nil, err
	}
	switch credential {
	case "good":
		return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-key"}, nil
	case "ended":
		return nil, signin.ErrTooManyTries
	case "copied":
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "This security key may have been copied, so it can't be used. Sign in another way and contact your help desk.")
	}
	return nil, twofold.Errorf(twofold.EUNAUTHORIZED, "That security key isn't registered to your account. Try another key, or sign in another way.")
}

func (f *fakeSignin) BeginPasskey(context.Context, twofold.Client) (*webauthn.Challenge, error) {
	return &webauthn.Challenge{ID: "pk-1", Options: json.RawMessage(`{"publicKey":{"challenge":"cGFzc2tleQ"}}`)}, nil
}

func (f *fakeSignin) FinishPasskey(_ context.Context, ceremonyID, credential string, _ twofold.Client) (*signin.Result, error) {
	f.record("FinishPasskey %s %s", ceremonyID, credential)
	if credential == "good" {
		return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-passkey"}, nil
	}
	return nil, signin.ErrCredentials
}

// keyOptions are the re-verify options of the member's security keys.
func (f *fakeSecurityInfo) keyOptions() []methodkind.Option {
	var out []methodkind.Option
	for _, m := range f.methods {
		if m.Kind == twofold.KindFido2 {
			out = append(out, methodkind.Option{Method: m, Preference: twofold.PreferenceFido2, Label: "Use your security key (" + m.Name + ")"})
		}
	}
	return out
}

// The fake's key re-verification: ceremony "rk-1" takes the credential "good";
// "copied" is a key that may have been copied. A member without a key gets
// ENOTFOUND.
func (f *fakeSecurityInfo) BeginReverifyKey(_ context.Context, p *twofold.Principal) (*webauthn.Challenge, error) {
	f.record("BeginReverifyKey")
	if len(f.keyOptions()) == 0 {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "You have no security key you can use to verify. Choose another method.")
	}
	return &webauthn.Challenge{ID: "rk-1", Options: json.RawMessage(testKeyOptions)}, nil
}

func (f *fakeSecurityInfo) ReverifyKey(_ context.Context, p *twofold.Principal, ceremonyID, credential string) (string, error) {
	f.record("ReverifyKey %s %s", ceremonyID, credential)
	switch {
	case len(f.keyOptions()) == 0:
		return "", twofold.Errorf(twofold.ENOTFOUND, "You have no security key you can use to verify. Choose another method.")
	case credential == "copied":
		return "", twofold.Errorf(twofold.EUNAUTHORIZED, "This security key may have been copied. Contact your help desk.")
	case ceremonyID != "rk-1" || credential != "good":
		return "", twofold.Errorf(twofold.EUNAUTHORIZED, "Your security key couldn't be verified. Try again.")
	}
	return steppedUp(nil)
}
