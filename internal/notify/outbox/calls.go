package outbox

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// Answer picks up the ringing call stored as message id and reports CallAnswered.
// Returns ENOTFOUND if id is not a stored call and ECONFLICT if it is not ringing.
func (p *Provider) Answer(ctx context.Context, id string) error {
	m, err := p.call(ctx, id)
	if err != nil {
		return err
	}
	return p.move(ctx, m, twofold.CallRinging, twofold.CallAnswered, notify.CallEvent{Kind: notify.CallAnswered})
}

// Press presses digits on the answered call stored as message id, which ends it,
// and reports CallKeys with the digits as pressed; what they mean ("#", "0#") is
// for the receiver to decide. Returns EINVALID (field "digits") unless digits are
// 1–8 of 0-9 * #, ENOTFOUND if id is not a stored call, and ECONFLICT if the call
// is not answered.
func (p *Provider) Press(ctx context.Context, id, digits string) error {
	if !validDigits(digits) {
		return twofold.FieldError("digits", "Press 1 to 8 keys: digits, * or #.")
	}
	m, err := p.call(ctx, id)
	if err != nil {
		return err
	}
	return p.move(ctx, m, twofold.CallAnswered, twofold.CallEnded, notify.CallEvent{Kind: notify.CallKeys, Digits: digits})
}

// HangUp ends the call stored as message id. A ringing call is declined and
// reported as CallNoAnswer; an answered one is reported as CallHungUp. Returns
// ENOTFOUND if id is not a stored call and ECONFLICT if it has already ended.
func (p *Provider) HangUp(ctx context.Context, id string) error {
	m, err := p.call(ctx, id)
	if err != nil {
		return err
	}
	if m.CallState == twofold.CallRinging {
		return p.move(ctx, m, twofold.CallRinging, twofold.CallEnded, notify.CallEvent{Kind: notify.CallNoAnswer})
	}
	return p.move(ctx, m, twofold.CallAnswered, twofold.CallEnded, notify.CallEvent{Kind: notify.CallHungUp})
}

// EndCall ends the call stored as message id for twofold (the member canceled):
// ringing or answered, it ends without a report, since twofold already knows.
// An ended call is left as it is. Returns ENOTFOUND if id is not a stored call.
func (p *Provider) EndCall(ctx context.Context, id string) error {
	m, err := p.call(ctx, id)
	if err != nil {
		return err
	}
	for _, from := range []twofold.CallState{twofold.CallRinging, twofold.CallAnswered} {
		ok, err := p.store.MoveCall(ctx, m.ID, from, twofold.CallEnded)
		if err != nil {
			return fmt.Errorf("outbox: end call %s: %w", m.ID, err)
		}
		if ok {
			return nil
		}
	}
	return nil
}

// call loads message id and makes sure it is a call. Mail and texts are "not
// found" so the page cannot be used to poke at them as calls.
func (p *Provider) call(ctx context.Context, id string) (*twofold.Message, error) {
	m, err := p.store.MessageByID(ctx, id)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "There is no such call in the outbox.")
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: load call %s: %w", id, err)
	}
	if m.Channel != twofold.ChannelVoice {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "There is no such call in the outbox.")
	}
	return m, nil
}

// move changes the call's state from → to and, only if this caller won the move,
// reports e. Checking the receiver first keeps a miswired setup from ending calls
// that nobody hears about.
func (p *Provider) move(ctx context.Context, m *twofold.Message, from, to twofold.CallState, e notify.CallEvent) error {
	events := p.events.Load()
	if events == nil || *events == nil {
		return fmt.Errorf("outbox: no call-event receiver attached (SetEvents)")
	}
	ok, err := p.store.MoveCall(ctx, m.ID, from, to)
	if err != nil {
		return fmt.Errorf("outbox: move call %s to %s: %w", m.ID, to, err)
	}
	if !ok {
		return p.conflict(ctx, m, from)
	}
	e.ChallengeID = m.ChallengeID
	if err := (*events).CallEvent(ctx, e); err != nil {
		return fmt.Errorf("outbox: report %s for call %s: %w", e.Kind, m.ID, err)
	}
	return nil
}

// conflict explains why a call is not in the state an action needs, reading the
// state again because the loaded copy may be what lost a race.
func (p *Provider) conflict(ctx context.Context, m *twofold.Message, want twofold.CallState) error {
	state := m.CallState
	if fresh, err := p.store.MessageByID(ctx, m.ID); err == nil {
		state = fresh.CallState
	}
	switch {
	case state == twofold.CallRinging:
		return twofold.Errorf(twofold.ECONFLICT, "This call hasn't been answered yet.")
	case state == twofold.CallAnswered && want == twofold.CallRinging:
		return twofold.Errorf(twofold.ECONFLICT, "This call has already been answered.")
	default:
		return twofold.Errorf(twofold.ECONFLICT, "This call has already ended.")
	}
}

// validDigits reports whether s is 1–8 phone keys, the most a callee can press in
// one report.
func validDigits(s string) bool {
	if len(s) < 1 || len(s) > 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '*' && c != '#' {
			return false
		}
	}
	return true
}
