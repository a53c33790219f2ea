package twofold

import "time"

// FlowState is where a sign-in flow stands.
type FlowState string

// Sign-in flow states, named as the API reports them.
const (
	FlowMFARequired          FlowState = "mfa_required"
	FlowRegistrationRequired FlowState = "registration_required"
	// FlowPasswordChangeRequired: everything was proven, but the member holds an
	// admin's temporary password and must choose their own before a session.
	FlowPasswordChangeRequired FlowState = "password_change_required"
	FlowSignedIn               FlowState = "signed_in"
	FlowFailed                 FlowState = "failed"
)

// SignInFlow is a sign-in in progress after the password was accepted. Its ID is a
// bearer secret; only its hash (IDHash) is stored.
type SignInFlow struct {
	IDHash     string
	UserID     string
	OrgID      string
	State      FlowState
	Attempts   int // wrong codes entered in this flow
	CreatedAt  time.Time
	ExpiresAt  time.Time
	PasswordAt time.Time
	IP         string
	UserAgent  string
	// PendingMethodID is the authenticator app being registered during the interrupt.
	PendingMethodID string
}
