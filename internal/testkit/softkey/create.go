package softkey

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
)

// creationOptions is the part of PublicKeyCredentialCreationOptionsJSON the
// authenticator and browser act on.
type creationOptions struct {
	RP struct {
		ID string `json:"id"`
	} `json:"rp"`
	User struct {
		ID b64 `json:"id"`
	} `json:"user"`
	Challenge              b64          `json:"challenge"`
	PubKeyCredParams       []credParam  `json:"pubKeyCredParams"`
	ExcludeCredentials     []descriptor `json:"excludeCredentials"`
	AuthenticatorSelection struct {
		AuthenticatorAttachment string `json:"authenticatorAttachment"`
		ResidentKey             string `json:"residentKey"`
		RequireResidentKey      bool   `json:"requireResidentKey"`
	} `json:"authenticatorSelection"`
	Extensions struct {
		CredProps bool `json:"credProps"`
	} `json:"extensions"`
}

// credParam is a PublicKeyCredentialParameters entry.
type credParam struct {
	Type string `json:"type"`
	Alg  int    `json:"alg"`
}

// descriptor is a PublicKeyCredentialDescriptorJSON.
type descriptor struct {
	Type string `json:"type"`
	ID   b64    `json:"id"`
}

// registrationJSON is RegistrationResponseJSON, what credential.toJSON()
// gives for a new credential.
type registrationJSON struct {
	ID                      string          `json:"id"`
	RawID                   b64             `json:"rawId"`
	Response                attestationJSON `json:"response"`
	AuthenticatorAttachment string          `json:"authenticatorAttachment"`
	ClientExtensionResults  map[string]any  `json:"clientExtensionResults"`
	Type                    string          `json:"type"`
}

// attestationJSON is AuthenticatorAttestationResponseJSON.
type attestationJSON struct {
	ClientDataJSON     b64      `json:"clientDataJSON"`
	AuthenticatorData  b64      `json:"authenticatorData"`
	Transports         []string `json:"transports"`
	PublicKey          b64      `json:"publicKey"`
	PublicKeyAlgorithm int      `json:"publicKeyAlgorithm"`
	AttestationObject  b64      `json:"attestationObject"`
}

// Create answers PublicKeyCredentialCreationOptionsJSON (alone or wrapped as
// {"publicKey": ...}) for origin with the RegistrationResponseJSON a browser
// would send. The RP ID is options.rp.id, or origin's host when absent. The
// credential is discoverable, keeping user.id as its user handle, when
// residentKey is "required" or "preferred" or requireResidentKey is set.
//
// It checks what the authenticator itself would (ES256 offered, nothing in
// excludeCredentials already held) but not the origin against the RP ID:
// that is the server's job, and tests want to see the server do it.
func (a *Authenticator) Create(optionsJSON []byte, origin string) ([]byte, error) {
	raw, err := unwrap(optionsJSON)
	if err != nil {
		return nil, err
	}
	var o creationOptions
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("softkey: creation options: %w", err)
	}
	if len(o.Challenge) == 0 {
		return nil, fmt.Errorf("softkey: creation options carry no challenge")
	}
	if len(o.PubKeyCredParams) > 0 && !slices.Contains(o.PubKeyCredParams, credParam{"public-key", coseAlgES256}) {
		return nil, ErrUnsupported
	}
	rpID, err := rpIDOr(o.RP.ID, origin)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("softkey: generate key: %w", err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("softkey: public key: %w", err)
	}
	attachment, transports := "platform", []string{"internal"}
	if o.AuthenticatorSelection.AuthenticatorAttachment == "cross-platform" {
		attachment, transports = "cross-platform", []string{"usb"}
	}
	cred := &credential{
		id:         make([]byte, 32),
		attachment: attachment,
		key:        key,
		rpID:       rpID,
		userHandle: slices.Clone([]byte(o.User.ID)),
		resident: o.AuthenticatorSelection.ResidentKey == "required" ||
			o.AuthenticatorSelection.ResidentKey == "preferred" ||
			o.AuthenticatorSelection.RequireResidentKey,
	}
	if _, err := rand.Read(cred.id); err != nil {
		return nil, fmt.Errorf("softkey: credential id: %w", err)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.takeTamper()
	for _, ex := range o.ExcludeCredentials {
		if a.find(rpID, ex.ID) != nil {
			return nil, ErrExcluded
		}
	}
	if t.signCount != nil {
		cred.signCount = *t.signCount
	}
	clientData := clientDataJSON("webauthn.create", o.Challenge, origin)
	authData, err := a.authData(t, rpID, cred.signCount, cred)
	if err != nil {
		return nil, err
	}
	attStmt := cborMap{}
	if a.attestation == "packed" {
		sig, err := sign(key, authData, clientData, t.forgeSignature)
		if err != nil {
			return nil, err
		}
		attStmt = cborMap{{"alg", coseAlgES256}, {"sig", sig}}
	}
	attObj := appendCBOR(nil, cborMap{
		{"fmt", a.attestation},
		{"attStmt", attStmt},
		{"authData", authData},
	})

	ext := map[string]any{}
	if o.Extensions.CredProps {
		ext["credProps"] = map[string]bool{"rk": cred.resident}
	}
	out, err := json.Marshal(registrationJSON{
		ID:    base64.RawURLEncoding.EncodeToString(cred.id),
		RawID: cred.id,
		Response: attestationJSON{
			ClientDataJSON:     clientData,
			AuthenticatorData:  authData,
			Transports:         transports,
			PublicKey:          spki,
			PublicKeyAlgorithm: coseAlgES256,
			AttestationObject:  attObj,
		},
		AuthenticatorAttachment: attachment,
		ClientExtensionResults:  ext,
		Type:                    "public-key",
	})
	if err != nil {
		return nil, fmt.Errorf("softkey: registration response: %w", err)
	}
	a.creds = append(a.creds, cred)
	return out, nil
}

// find returns the credential held for rpID with this ID, or nil. The caller
// holds a.mu.
func (a *Authenticator) find(rpID string, id []byte) *credential {
	for _, c := range a.creds {
		if c.rpID == rpID && bytes.Equal(c.id, id) {
			return c
		}
	}
	return nil
}
