package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
)

// ErrMailRejected marks a mail the mail server refused for good (an SMTP 5xx
// reply to the message or its recipient): sending it again would fail the same
// way, so the queue gives it up at once instead of retrying.
var ErrMailRejected = errors.New("notify: the mail server refused the mail")

// Mailer hands one mail to a mail server. It returns an error wrapping
// ErrMailRejected when the server refused the mail for good, and any other
// error when the attempt may succeed later.
type Mailer interface {
	SendMail(ctx context.Context, m *twofold.Message) error
}

// Queue is the Sender of mail when a mail server is configured: it appends the
// mail to the delivery queue with the caller's context, so a notice is queued in
// the same transaction as the change it tells of, or not at all. A Dispatcher
// sends it afterwards.
type Queue struct {
	Store twofold.MessageStore
	Now   func() time.Time
}

var _ Sender = (*Queue)(nil)

// Send queues m for delivery, due at once. Only mail can be queued.
func (q *Queue) Send(ctx context.Context, m *twofold.Message) error {
	if m.Channel != twofold.ChannelEmail {
		return fmt.Errorf("notify: queue: %s is not mail", m.Channel)
	}
	if m.ID == "" {
		m.ID = twofold.NewID()
	}
	now := q.Now().UTC()
	m.CreatedAt, m.NextAttemptAt, m.Delivery, m.Attempts = now, now, twofold.MailPending, 0
	if err := q.Store.AppendMessage(ctx, m); err != nil {
		return fmt.Errorf("notify: queue mail: %w", err)
	}
	return nil
}
