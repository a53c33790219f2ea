package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// keySecurityInfo is the security-key part of Security info
// (*securityinfo.Service). Deleting a key is the generic delete.
type keySecurityInfo interface {
	// ListKeys lists the member's keys with what their authenticators proved.
	ListKeys(ctx context.Context, p *twofold.Principal) ([]securityinfo.Key, error)
	// BeginKey starts a registration. EFORBIDDEN when keys are off or the member
	// has no other method, ECONFLICT at the limit, EUNAVAILABLE on an address
	// that cannot carry keys.
	BeginKey(ctx context.Context, p *twofold.Principal) (*securityinfo.KeyCeremony, error)
	// FinishKey verifies the answer and saves the key under name (EINVALID on
	// "name"), EEXPIRED for a used or expired ceremony.
	FinishKey(ctx context.Context, p *twofold.Principal, ceremonyID, name, credentialJSON string) (*twofold.Method, error)
	RenameKey(ctx context.Context, p *twofold.Principal, methodID, name string) error
}

// keySignin is the security-key part of sign-in (*signin.Service).
type keySignin interface {
	BeginKey(ctx context.Context, flowID string) (*webauthn.Challenge, error)
	VerifyKey(ctx context.Context, flowID, ceremonyID, credentialJSON string, c twofold.Client) (*signin.Result, error)
	BeginPasskey(ctx context.Context, c twofold.Client) (*webauthn.Challenge, error)
	FinishPasskey(ctx context.Context, ceremonyID, credentialJSON string, c twofold.Client) (*signin.Result, error)
}

// errNoKeys answers when the use cases behind the API cannot do keys.
var errNoKeys = twofold.Errorf(twofold.EUNAVAILABLE, "Security keys aren't available here.")

func (h *handler) keyInfo() (keySecurityInfo, error) {
	if k, ok := h.SecurityInfo.(keySecurityInfo); ok {
		return k, nil
	}
	return nil, errNoKeys
}

func (h *handler) keySignin() (keySignin, error) {
	if k, ok := h.Signin.(keySignin); ok {
		return k, nil
	}
	return nil, errNoKeys
}

// fido2View is Graph's fido2AuthenticationMethod.
type fido2View struct {
	ID               string `json:"id"`
	DisplayName      string `json:"displayName"`
	CreatedDateTime  string `json:"createdDateTime"`
	LastUsedDateTime string `json:"lastUsedDateTime,omitempty"`
	AAGUID           string `json:"aaGuid"`
}

func newFido2View(k securityinfo.Key) fido2View {
	return fido2View{ID: k.Method.ID, DisplayName: k.Method.Name, CreatedDateTime: dateTime(k.Method.CreatedAt),
		LastUsedDateTime: dateTime(k.Credential.LastUsedAt), AAGUID: twofold.FormatAAGUID(k.Credential.AAGUID)}
}

// ceremonyView is a ceremony for the client to run with
// navigator.credentials.create or .get: publicKey is the options' inner object.
type ceremonyView struct {
	CeremonyID string          `json:"ceremonyId"`
	PublicKey  json.RawMessage `json:"publicKey"`
}

func newCeremonyView(c *webauthn.Challenge) ceremonyView {
	var outer struct {
		PublicKey json.RawMessage `json:"publicKey"`
	}
	_ = json.Unmarshal(c.Options, &outer) // the webauthn package wrote it
	return ceremonyView{CeremonyID: c.ID, PublicKey: outer.PublicKey}
}

// keyAnswer is a body carrying the browser's answer to a ceremony.
type keyAnswer struct {
	CeremonyID  string          `json:"ceremonyId"`
	DisplayName string          `json:"displayName,omitempty"`
	Credential  json.RawMessage `json:"credential"`
}

func (in *keyAnswer) read(w http.ResponseWriter, r *http.Request, named bool) error {
	if err := readRequired(w, r, in, "ceremonyId", &in.CeremonyID); err != nil {
		return err
	}
	if len(in.Credential) == 0 || string(in.Credential) == "null" {
		return required("credential", "")
	}
	if named {
		return required("displayName", in.DisplayName)
	}
	return nil
}

// listKeys lists the member's security keys.
func (h *handler) listKeys(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	keys, err := h.keys(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[fido2View]{Value: []fido2View{}}
	for _, k := range keys {
		out.Value = append(out.Value, newFido2View(k))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getKey shows one security key; another kind's ID is not found here.
func (h *handler) getKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	k, err := h.key(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newFido2View(*k))
}

// deleteKey removes one security key (its credential goes with it).
func (h *handler) deleteKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	k, err := h.key(r, p)
	if err == nil {
		err = h.SecurityInfo.Delete(r.Context(), p, k.Method.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// renameKey changes a key's displayName.
func (h *handler) renameKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in struct {
		DisplayName string `json:"displayName"`
	}
	ks, err := h.keyInfo()
	var k *securityinfo.Key
	if err == nil {
		err = readRequired(w, r, &in, "displayName", &in.DisplayName)
	}
	if err == nil {
		k, err = h.key(r, p)
	}
	if err == nil {
		err = renameField(ks.RenameKey(r.Context(), p, k.Method.ID, in.DisplayName), "name", "displayName")
	}
	if err == nil {
		k, err = h.key(r, p)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newFido2View(*k))
}

// beginKey starts registering a key: 200 with the creation options.
func (h *handler) beginKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ks, err := h.keyInfo()
	if err == nil {
		err = readOptionalJSON(w, r, &struct{}{})
	}
	var c *securityinfo.KeyCeremony
	if err == nil {
		c, err = ks.BeginKey(r.Context(), p)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCeremonyView(c))
}

// addKey finishes registering a key: 201 with the new key.
func (h *handler) addKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in keyAnswer
	ks, err := h.keyInfo()
	if err == nil {
		err = in.read(w, r, true)
	}
	var m *twofold.Method
	if err == nil {
		m, err = ks.FinishKey(r.Context(), p, in.CeremonyID, in.DisplayName, string(in.Credential))
	}
	var keys []securityinfo.Key
	if err == nil {
		keys, err = ks.ListKeys(r.Context(), p)
	}
	if err != nil {
		h.fail(w, r, renameField(err, "name", "displayName"))
		return
	}
	for _, k := range keys {
		if k.Method.ID == m.ID {
			w.Header().Set("Location", prefix+"/me/authentication/fido2Methods/"+m.ID)
			httpx.WriteJSON(w, http.StatusCreated, newFido2View(k))
			return
		}
	}
	h.fail(w, r, errNotFound) // deleted between the save and the read
}

// keys lists the member's keys through the use case.
func (h *handler) keys(r *http.Request, p *twofold.Principal) ([]securityinfo.Key, error) {
	ks, err := h.keyInfo()
	if err != nil {
		return nil, err
	}
	return ks.ListKeys(r.Context(), p)
}

// key returns the member's key named by the path's id, or ENOTFOUND.
func (h *handler) key(r *http.Request, p *twofold.Principal) (*securityinfo.Key, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	keys, err := h.keys(r, p)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.Method.ID == id {
			return &k, nil
		}
	}
	return nil, errNotFound
}

// signinKeyOptions begins a key login as the flow's second factor.
func (h *handler) signinKeyOptions(w http.ResponseWriter, r *http.Request) {
	ks, err := h.keySignin()
	var id string
	if err == nil {
		id, err = pathID(r, "flowId")
	}
	if err == nil {
		err = readOptionalJSON(w, r, &struct{}{})
	}
	var c *webauthn.Challenge
	if err == nil {
		c, err = ks.BeginKey(r.Context(), id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCeremonyView(c))
}

// signinKey finishes the flow with the key's answer, like verify.
func (h *handler) signinKey(w http.ResponseWriter, r *http.Request) {
	ks, err := h.keySignin()
	var id string
	if err == nil {
		id, err = pathID(r, "flowId")
	}
	var in keyAnswer
	if err == nil {
		err = in.read(w, r, false)
	}
	var res *signin.Result
	if err == nil {
		res, err = ks.VerifyKey(r.Context(), id, in.CeremonyID, string(in.Credential), httpx.Client(r))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}

// passkeyOptions begins a passwordless sign-in.
func (h *handler) passkeyOptions(w http.ResponseWriter, r *http.Request) {
	ks, err := h.keySignin()
	if err == nil {
		err = readOptionalJSON(w, r, &struct{}{})
	}
	var c *webauthn.Challenge
	if err == nil {
		c, err = ks.BeginPasskey(r.Context(), httpx.Client(r))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCeremonyView(c))
}

// passkey signs in with a passkey: the signed-in answer.
func (h *handler) passkey(w http.ResponseWriter, r *http.Request) {
	ks, err := h.keySignin()
	var in keyAnswer
	if err == nil {
		err = in.read(w, r, false)
	}
	var res *signin.Result
	if err == nil {
		res, err = ks.FinishPasskey(r.Context(), in.CeremonyID, string(in.Credential), httpx.Client(r))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}
