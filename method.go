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
	LastStep int64
	// PhoneNumber is a phone method's number in E.164 form ("+14255551234"), with any
	// extension already removed; "" for other kinds.
	PhoneNumber string
	// PhoneType says which of the member's phones this is; "" for other kinds.
	PhoneType PhoneType
	// Email is an email method's address, its domain lower-cased
	// ("Alex@contoso.com"); "" for other kinds.
	Email string
	// PassHash is a Temporary Access Pass's HashToken (the pass itself is shown
	// once and never stored); "" for other kinds.
	PassHash string
	// ExpiresAt ends a Temporary Access Pass; zero for kinds that do not expire.
	ExpiresAt time.Time
	// UsableOnce makes a Temporary Access Pass work for one sign-in.
	UsableOnce  bool
	CreatedAt   time.Time
	ActivatedAt time.Time // zero while pending
	LastUsedAt  time.Time // zero until first used to sign in
}

// MFACapable reports whether the method can be a second factor at sign-in.
func (m *Method) MFACapable() bool {
	return m.Kind == KindSoftwareOath || m.Kind == KindPhone || m.Kind == KindFido2
}

// PhoneType is one of the three phones a member may register, one of each.
type PhoneType string

// The phone types, named with the Microsoft Graph phoneType values.
const (
	PhoneMobile          PhoneType = "mobile"          // texts and calls
	PhoneAlternateMobile PhoneType = "alternateMobile" // calls only; needs a mobile first
	PhoneOffice          PhoneType = "office"          // calls only
)

// Valid reports whether t is one of the phone types.
func (t PhoneType) Valid() bool {
	return t == PhoneMobile || t == PhoneAlternateMobile || t == PhoneOffice
}

// CanText reports whether texts may be sent to this phone type (only a mobile).
func (t PhoneType) CanText() bool { return t == PhoneMobile }
