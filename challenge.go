package twofold

import "time"

// ChallengePurpose says what a proven challenge is used for.
type ChallengePurpose string

// The challenge purposes.
const (
	// PurposeSignIn proves the second factor of a sign-in flow.
	PurposeSignIn ChallengePurpose = "signin"
	// PurposeReverify refreshes the second factor of a signed-in session.
	PurposeReverify ChallengePurpose = "reverify"
	// PurposeRegister proves a new phone number before it is saved (adding a phone,
	// or changing a phone's number).
	PurposeRegister ChallengePurpose = "register"
	// PurposeReset proves a member at a self-service password reset (a code
	// mailed to their email method, bound to the reset attempt).
	PurposeReset ChallengePurpose = "reset"
)

// ChallengeState is where a text or call challenge stands.
type ChallengeState string

// The challenge states. Sent and Answered are waiting; Verified is a call that got
// its "#" and waits to be taken; Used, Failed and Fraud are final.
const (
	ChallengeSent     ChallengeState = "sent"     // the text went out, or the call is ringing
	ChallengeAnswered ChallengeState = "answered" // the call was picked up; no key yet
	ChallengeVerified ChallengeState = "verified" // the call got "#"
	ChallengeUsed     ChallengeState = "used"     // proven and taken, once
	ChallengeFailed   ChallengeState = "failed"   // wrong key, hang-up, no answer, timeout, too many codes
	ChallengeFraud    ChallengeState = "fraud"    // the member pressed 0# to report fraud
)

// Final reports whether nothing can happen to the challenge any more.
func (s ChallengeState) Final() bool {
	return s == ChallengeUsed || s == ChallengeFailed || s == ChallengeFraud
}

// Challenge is one text code or verification call sent to a phone. It is bound to
// what asked for it (a sign-in flow or a session), so it proves nothing anywhere
// else.
type Challenge struct {
	ID     string
	UserID string
	OrgID  string
	// Binding names what asked for the challenge: "flow:" + the flow's ID hash, or
	// "session:" + the session ID. Only the newest challenge of a binding counts.
	Binding string
	Purpose ChallengePurpose
	Channel string // ChannelSMS, ChannelVoice or ChannelEmail
	// MethodID is the phone method used (sign-in, re-verify) or whose number is
	// being changed; "" while adding a new phone.
	MethodID    string
	PhoneType   PhoneType
	PhoneNumber string // E.164, extension removed
	// Email is the address a mailed code went to; "" for texts and calls.
	Email string
	// CodeHash is a text's code, hashed with the service key; "" for calls. A
	// text that replaced a waiting one adds a space and that text's ID, so a code
	// from the replaced text can be told apart from a wrong one.
	CodeHash  string
	Attempts  int // wrong codes entered
	State     ChallengeState
	Reason    string // why it failed, in words for people ("You pressed a different key.")
	Ref       string // the provider's ID for the text or call
	CreatedAt time.Time
	ExpiresAt time.Time
	UpdatedAt time.Time
}
