package twofold

import "time"

// MethodState says whether a method can be used yet.
type MethodState string

// A method is pending from the moment its secret is made until the member proves
// they hold it; only active methods are listed and usable.
const (
	MethodPending MethodState = "pending"
	MethodActive  MethodState = "active"
)

// Method is one registered item of a member's security info.
type Method struct {
	ID     string
	UserID string
	Kind   MethodKind
	State  MethodState
	// Name is what the member calls it ("Authenticator app", "Work phone app").
	Name string
	// SecretSealed is the TOTP secret encrypted with the service's key (AES-GCM),
	// bound to the method ID. Only internal/totp opens it.
	SecretSealed []byte
	// LastStep is the last TOTP time step accepted; a step at or below it is refused,
	// so each code works once.
	LastStep    int64
	CreatedAt   time.Time
	ActivatedAt time.Time // zero while pending
	LastUsedAt  time.Time // zero until first used to sign in
}

// MFACapable reports whether the method can be a second factor at sign-in.
func (m *Method) MFACapable() bool {
	return m.Kind == KindSoftwareOath || m.Kind == KindPhone || m.Kind == KindFido2
}
