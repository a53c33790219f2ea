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
	ID        string
	OrgID     string
	UserID    string
	Channel   string
	To        string
	Subject   string
	Body      string
	CreatedAt time.Time
}
