package outbox

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// Provider stores texts, calls and mail instead of delivering them. Create it with
// New and attach the call-event receiver with SetEvents before simulating calls.
type Provider struct {
	store twofold.MessageStore
	now   func() time.Time
	// events is set after construction because the receiver (the phone use case)
	// is itself built on this provider. atomic keeps a late SetEvents race-free.
	events atomic.Pointer[notify.CallEvents]
}

var (
	_ notify.Sender = (*Provider)(nil)
	_ notify.Phone  = (*Provider)(nil)
)

// New returns a Provider keeping messages in store and stamping them with now.
func New(store twofold.MessageStore, now func() time.Time) *Provider {
	return &Provider{store: store, now: now}
}

// SetEvents attaches the receiver that Answer, Press and HangUp report to.
func (p *Provider) SetEvents(e notify.CallEvents) { p.events.Store(&e) }

// Send stores the mail m, giving it an ID if it has none and stamping CreatedAt.
func (p *Provider) Send(ctx context.Context, m *twofold.Message) error {
	if m.ID == "" {
		m.ID = twofold.NewID()
	}
	m.CreatedAt = p.now().UTC()
	if err := p.store.AppendMessage(ctx, m); err != nil {
		return fmt.Errorf("outbox: store mail: %w", err)
	}
	return nil
}

// SendText stores t as a text message and returns its message ID as the ref.
func (p *Provider) SendText(ctx context.Context, t notify.Text) (string, error) {
	m := &twofold.Message{
		ID:      twofold.NewID(),
		OrgID:   t.OrgID,
		UserID:  t.UserID,
		Channel: twofold.ChannelSMS,
		To:      t.To,
		Body:    t.Body,
	}
	if err := p.Send(ctx, m); err != nil {
		return "", err
	}
	return m.ID, nil
}

// PlaceCall stores c as a ringing call, with the prompt as its body, and returns
// its message ID as the ref. c.Timeout is not enforced here: the phone use case
// owns the call deadline.
func (p *Provider) PlaceCall(ctx context.Context, c notify.Call) (string, error) {
	m := &twofold.Message{
		ID:          twofold.NewID(),
		OrgID:       c.OrgID,
		UserID:      c.UserID,
		Channel:     twofold.ChannelVoice,
		To:          c.To,
		Body:        c.Prompt,
		ChallengeID: c.ChallengeID,
		CallState:   twofold.CallRinging,
	}
	if err := p.Send(ctx, m); err != nil {
		return "", err
	}
	return m.ID, nil
}

// List returns the stored messages to the address to ("" for all), newest first,
// at most limit, for the /dev/outbox page and tests.
func (p *Provider) List(ctx context.Context, to string, limit int) ([]*twofold.Message, error) {
	ms, err := p.store.ListMessages(ctx, to, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox: list: %w", err)
	}
	return ms, nil
}
