package twofold

import (
	"context"
	"log/slog"
	"time"
)

// Credential is a WebAuthn public-key credential: a security key or passkey. It
// belongs to one method of kind KindFido2, which holds its name and state; the
// credential holds what the authenticator proved at registration.
type Credential struct {
	MethodID string
	UserID   string
	// CredentialID is the authenticator's ID for the credential, unique across
	// the service: one key cannot be registered twice, nor to two members.
	CredentialID []byte
	// PublicKey is the credential's public key, COSE-encoded as the
	// authenticator gave it.
	PublicKey []byte
	// SignCount is the last signature counter seen. Authenticators that keep no
	// counter always report 0; any other value must grow, or the key may have
	// been copied.
	SignCount  uint32
	AAGUID     []byte   // the authenticator model's ID (all zeros when not attested)
	Transports []string // "usb", "nfc", "ble", "internal", "hybrid": hints for the browser
	// BackupEligible and BackupState say whether the credential may be, and is,
	// synced between devices (a passkey in a password manager). Eligibility never
	// changes for a credential, so a login claiming otherwise is refused.
	BackupEligible bool
	BackupState    bool
	// UserVerified says the authenticator verified the person (PIN, biometrics)
	// when the credential was made.
	UserVerified bool
	// Discoverable says the credential is resident on the authenticator, so it
	// can sign in without a user name (a passkey).
	Discoverable bool
	CreatedAt    time.Time
	LastUsedAt   time.Time // zero until first used to sign in
}

// CeremonyPurpose says what a WebAuthn ceremony is for; a ceremony begun for one
// purpose cannot finish another.
type CeremonyPurpose string

// The ceremony purposes.
const (
	CeremonyRegister CeremonyPurpose = "register" // add a key to the member's security info
	CeremonyLogin    CeremonyPurpose = "login"    // a key as the second factor of a known member
	CeremonyPasskey  CeremonyPurpose = "passkey"  // a discoverable key, before the member is known
)

// Ceremony is one WebAuthn registration or login in progress. The challenge the
// browser signs lives in SessionData, kept on the server, and a ceremony is
// finished at most once, by the party it is bound to, before it expires.
type Ceremony struct {
	ID string
	// Binding ties the ceremony to who began it: "session:<id>", "flow:<id
	// hash>" or "passkey:<anonymous id>". A ceremony ID sent from elsewhere is
	// refused.
	Binding string
	Purpose CeremonyPurpose
	UserID  string // "" for a passkey login, whose member is not known yet
	// SessionData is the WebAuthn library's session data (JSON), including the
	// challenge. It never leaves the server.
	SessionData []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      time.Time // zero until consumed
}

// LogValue keeps the challenge and the binding, which may name a flow by its
// secret, out of logs.
func (c Ceremony) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", c.ID), slog.String("purpose", string(c.Purpose)),
		slog.String("user_id", c.UserID), slog.Time("expires_at", c.ExpiresAt), slog.Time("used_at", c.UsedAt))
}

// FIDO2Store keeps WebAuthn credentials, the members' WebAuthn user handles and
// ceremonies in progress.
type FIDO2Store interface {
	// CreateCredential stores c for its method, which must already exist (the
	// caller creates both in one InTx). Returns ENOTFOUND if the method does not
	// exist, and ECONFLICT if the credential ID is registered already, to anyone.
	CreateCredential(ctx context.Context, c *Credential) error
	// CredentialsOf returns the member's credentials, oldest first.
	CredentialsOf(ctx context.Context, userID string) ([]*Credential, error)
	// CredentialByID returns the credential with the authenticator's ID.
	// Returns ENOTFOUND.
	CredentialByID(ctx context.Context, credentialID []byte) (*Credential, error)
	// UpdateSignCount moves the credential's counter from from to to and stamps
	// LastUsedAt, in one statement that holds only while the counter is still
	// from. It reports false, with no error, when it was not (another login used
	// the counter first, or the credential is gone), so of racing logins with one
	// assertion exactly one wins.
	UpdateSignCount(ctx context.Context, credentialID []byte, from, to uint32, at time.Time) (bool, error)
	// RenameCredential sets the name of the member's security-key method.
	// Returns ENOTFOUND if the member has no such method of kind fido2.
	RenameCredential(ctx context.Context, userID, methodID, name string) error
	// WebAuthnHandle returns the member's WebAuthn user handle, storing candidate
	// as it if the member has none yet. The check and the store are one
	// statement, so racing callers all get the one handle that was stored. The
	// handle is random, never derived from the user name. Returns ENOTFOUND if
	// the user does not exist.
	WebAuthnHandle(ctx context.Context, userID string, candidate []byte) ([]byte, error)
	// UserByWebAuthnHandle returns the member whose handle it is. Returns ENOTFOUND.
	UserByWebAuthnHandle(ctx context.Context, handle []byte) (*User, error)
	// CreateCeremony stores c. Returns ECONFLICT if the ID is taken.
	CreateCeremony(ctx context.Context, c *Ceremony) error
	// ConsumeCeremony marks the ceremony used at now and returns it, in one
	// statement that holds only for an unused ceremony with this binding and
	// purpose that has not expired at now. It reports false, with no error,
	// otherwise, so a ceremony finishes at most once however many try at once.
	ConsumeCeremony(ctx context.Context, id, binding string, purpose CeremonyPurpose, now time.Time) (*Ceremony, bool, error)
	// DeleteCeremoniesBefore removes ceremonies that expired before t and
	// returns how many.
	DeleteCeremoniesBefore(ctx context.Context, t time.Time) (int, error)
}
