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
	// Delivery is where a mail stands in the delivery queue; "" for a message that
	// is only kept (the dev outbox). The fields after it are the queue's bookkeeping.
	Delivery MailDelivery
	// Attempts counts the claims of the mail, the one in progress included.
	Attempts int
	// NextAttemptAt is when the mail may next be claimed: due at once when
	// queued, the end of the lease while claimed, the retry time after a failure.
	NextAttemptAt time.Time
	SentAt        time.Time
	// LastError says why the last attempt failed, in the provider's words with no
	// credentials; for operators, never shown to members.
	LastError string
}

// MailDelivery is where a mail stands in the delivery queue.
type MailDelivery string

// The delivery states of a queued mail.
const (
	MailPending MailDelivery = "pending" // waiting to be claimed, or claimed and being sent
	MailSent    MailDelivery = "sent"    // the mail server accepted it
	MailFailed  MailDelivery = "failed"  // refused for good, or out of attempts
)

// CallState is where an outbox call stands.
type CallState string

// The outbox call states.
const (
	CallRinging  CallState = "ringing"
	CallAnswered CallState = "answered"
	CallEnded    CallState = "ended"
)
