package softkey

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// unwrap returns the options object itself, whether it came alone or inside
// {"publicKey": ...} as CredentialCreationOptions / CredentialRequestOptions.
func unwrap(optionsJSON []byte) ([]byte, error) {
	var outer struct {
		PublicKey json.RawMessage `json:"publicKey"`
	}
	if err := json.Unmarshal(optionsJSON, &outer); err != nil {
		return nil, fmt.Errorf("softkey: options are not a JSON object: %w", err)
	}
	if len(outer.PublicKey) > 0 && string(outer.PublicKey) != "null" {
		return outer.PublicKey, nil
	}
	return optionsJSON, nil
}

// b64 is a Base64URLString as the WebAuthn JSON forms carry binary: it decodes
// with or without padding and encodes without, as browsers do.
type b64 []byte

func (b b64) MarshalJSON() ([]byte, error) {
	return json.Marshal(base64.RawURLEncoding.EncodeToString(b))
}

func (b *b64) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("softkey: base64url value is not a string: %w", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return fmt.Errorf("softkey: %q is not base64url: %w", s, err)
	}
	*b = raw
	return nil
}

// clientDataJSON serialises CollectedClientData the way browsers do: members
// in the order type, challenge, origin, crossOrigin, so that even a relying
// party using the specification's limited verification algorithm (which
// matches the bytes rather than parsing JSON) accepts it.
func clientDataJSON(ceremony string, challenge []byte, origin string) []byte {
	str := func(s string) string {
		out, _ := json.Marshal(s) // a string always marshals
		return string(out)
	}
	return []byte(`{"type":` + str(ceremony) +
		`,"challenge":` + str(base64.RawURLEncoding.EncodeToString(challenge)) +
		`,"origin":` + str(origin) +
		`,"crossOrigin":false}`)
}

// rpIDOr returns rpID, or the origin's host when the options named none.
func rpIDOr(rpID, origin string) (string, error) {
	if rpID != "" {
		return rpID, nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("softkey: origin %q has no host to default the RP ID to", origin)
	}
	return u.Hostname(), nil
}
