package twofold

import "time"

// Message channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
	ChannelVoice = "voice"
)

// Message is a text, call or mail handed to a delivery provider. The outbox provider
// keeps them in the database so developers and tests can read them.
type Message struct {
	ID      string
	OrgID   string
	UserID  string
	Channel string
	To      string
	Subject string
	Body    string
	// ChallengeID and CallState are set for calls: the challenge the call verifies,
	// and where the simulated call stands in the dev outbox.
	ChallengeID string
	CallState   CallState
	CreatedAt   time.Time
}

// CallState is where an outbox call stands.
type CallState string

// The outbox call states.
const (
	CallRinging  CallState = "ringing"
	CallAnswered CallState = "answered"
	CallEnded    CallState = "ended"
)
