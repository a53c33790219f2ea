package web

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/twofold-id/twofold"
)

// testKeyOptions stand in for go-webauthn's creation options; the pages only
// carry them to the script.
const testKeyOptions = `{"publicKey":{"challenge":"Y2hhbGxlbmdl","rp":{"name":"twofold","id":"localhost"},"user":{"name":"</script><b>x"}}}`

// The fake's keys: ceremony "cer-N" is the Nth begun; the credential "good"
// registers key k1, "again" is a key the member has already.
func (f *fakeSecurityInfo) BeginKey(_ context.Context, p *twofold.Principal) (*keyCeremony, error) {
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
	return &keyCeremony{ID: id, Options: json.RawMessage(testKeyOptions)}, nil
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
