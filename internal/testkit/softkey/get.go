package softkey

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// requestOptions is the part of PublicKeyCredentialRequestOptionsJSON the
// authenticator and browser act on.
type requestOptions struct {
	Challenge        b64          `json:"challenge"`
	RPID             string       `json:"rpId"`
	AllowCredentials []descriptor `json:"allowCredentials"`
}

// authenticationJSON is AuthenticationResponseJSON, what credential.toJSON()
// gives for an assertion.
type authenticationJSON struct {
	ID                      string         `json:"id"`
	RawID                   b64            `json:"rawId"`
	Response                assertionJSON  `json:"response"`
	AuthenticatorAttachment string         `json:"authenticatorAttachment"`
	ClientExtensionResults  map[string]any `json:"clientExtensionResults"`
	Type                    string         `json:"type"`
}

// assertionJSON is AuthenticatorAssertionResponseJSON; userHandle is left
// out, as browsers leave it, when the credential is not discoverable.
type assertionJSON struct {
	ClientDataJSON    b64 `json:"clientDataJSON"`
	AuthenticatorData b64 `json:"authenticatorData"`
	Signature         b64 `json:"signature"`
	UserHandle        b64 `json:"userHandle,omitempty"`
}

// Get answers PublicKeyCredentialRequestOptionsJSON (alone or wrapped as
// {"publicKey": ...}) for origin with the AuthenticationResponseJSON a
// browser would send. The RP ID is options.rpId, or origin's host when
// absent. It uses the first credential in allowCredentials it holds for that
// RP ID or, when the list is empty, the newest discoverable credential for
// it; with none it returns ErrNotAllowed. Each assertion adds one to the
// credential's signature counter (see WithSignCount).
//
// Like Create it does not check origin against the RP ID, so tests can see
// the server refuse a wrong origin.
func (a *Authenticator) Get(optionsJSON []byte, origin string) ([]byte, error) {
	raw, err := unwrap(optionsJSON)
	if err != nil {
		return nil, err
	}
	var o requestOptions
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("softkey: request options: %w", err)
	}
	if len(o.Challenge) == 0 {
		return nil, fmt.Errorf("softkey: request options carry no challenge")
	}
	rpID, err := rpIDOr(o.RPID, origin)
	if err != nil {
		return nil, err
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.takeTamper()
	cred := a.choose(rpID, o.AllowCredentials)
	if cred == nil {
		return nil, ErrNotAllowed
	}
	var count uint32
	if t.signCount != nil {
		count = *t.signCount
	} else {
		cred.signCount++
		count = cred.signCount
	}
	clientData := clientDataJSON("webauthn.get", o.Challenge, origin)
	authData, err := a.authData(t, rpID, count, nil)
	if err != nil {
		return nil, err
	}
	sig, err := sign(cred.key, authData, clientData, t.forgeSignature)
	if err != nil {
		return nil, err
	}
	resp := assertionJSON{ClientDataJSON: clientData, AuthenticatorData: authData, Signature: sig}
	if cred.resident {
		resp.UserHandle = cred.userHandle
	}
	out, err := json.Marshal(authenticationJSON{
		ID:                      base64.RawURLEncoding.EncodeToString(cred.id),
		RawID:                   cred.id,
		Response:                resp,
		AuthenticatorAttachment: cred.attachment,
		ClientExtensionResults:  map[string]any{},
		Type:                    "public-key",
	})
	if err != nil {
		return nil, fmt.Errorf("softkey: authentication response: %w", err)
	}
	return out, nil
}

// choose picks the credential to assert with. The caller holds a.mu.
func (a *Authenticator) choose(rpID string, allow []descriptor) *credential {
	if len(allow) == 0 {
		for i := len(a.creds) - 1; i >= 0; i-- {
			if c := a.creds[i]; c.rpID == rpID && c.resident {
				return c
			}
		}
		return nil
	}
	for _, d := range allow {
		if c := a.find(rpID, d.ID); c != nil {
			return c
		}
	}
	return nil
}
