// Package webauthn runs the mechanics of security-key and passkey ceremonies:
// it begins a registration or login, keeps the challenge on the server as a
// single-use ceremony bound to whoever began it, and finishes it by verifying the
// browser's answer with github.com/go-webauthn/webauthn.
//
// It decides nothing about who may register or use a key (that is the policy's
// and the sign-in flow's business) and saves no method: FinishRegistration
// returns the verified credential for the caller to store with its method in
// one transaction. What it does hold to, whoever calls it:
//
//   - a ceremony finishes at most once, only with the binding and purpose it
//     was begun with, and not after it expires (by the service's clock);
//   - the RP ID's hash, the origin, the challenge and the signature are checked
//     by the library against the configured relying party;
//   - a signature counter that does not grow is refused as a possibly copied
//     key (ErrPossibleClone), and counters move in one conditional statement;
//   - a passkey login needs user verification, since it replaces the password;
//   - a credential ID is registered to one member only;
//   - every error a person may see is a *twofold.Error in plain words; the
//     library's own text stays in the wrapped chain, for the log.
package webauthn
