package testkit

import "github.com/twofold-id/twofold/internal/webauthn"

// The relying party every kit's security keys are bound to, as the binary
// derives it from a base URL of http://localhost:<port>. A softkey answers for
// KeyOrigin.
const (
	KeyRPID   = "localhost"
	KeyOrigin = "http://localhost:8080"
)

// keyConfig is the kit's WebAuthn relying party.
func keyConfig() webauthn.Config {
	return webauthn.Config{RPID: KeyRPID, Origins: []string{KeyOrigin}}
}
