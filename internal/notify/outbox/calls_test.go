package outbox_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/outbox"
)

func placeCall(t *testing.T, p *outbox.Provider) string {
	t.Helper()
	id, err := p.PlaceCall(context.Background(), notify.Call{ChallengeID: "ch1", To: "+14255551234", Prompt: "Press #."})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func state(t *testing.T, st *memStore, id string) twofold.CallState {
	t.Helper()
	m, err := st.MessageByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.CallState
}

func TestCallActions(t *testing.T) {
	type step struct {
		action string // answer, press, hangup
		digits string
	}
	tests := []struct {
		name   string
		steps  []step
		state  twofold.CallState
		events []notify.CallEvent
	}{
		{"answer", []step{{action: "answer"}}, twofold.CallAnswered,
			[]notify.CallEvent{{ChallengeID: "ch1", Kind: notify.CallAnswered}}},
		{"answer and press pound", []step{{action: "answer"}, {"press", "#"}}, twofold.CallEnded,
			[]notify.CallEvent{{ChallengeID: "ch1", Kind: notify.CallAnswered}, {ChallengeID: "ch1", Kind: notify.CallKeys, Digits: "#"}}},
		{"report fraud", []step{{action: "answer"}, {"press", "0#"}}, twofold.CallEnded,
			[]notify.CallEvent{{ChallengeID: "ch1", Kind: notify.CallAnswered}, {ChallengeID: "ch1", Kind: notify.CallKeys, Digits: "0#"}}},
		{"wrong key is reported as pressed", []step{{action: "answer"}, {"press", "5"}}, twofold.CallEnded,
			[]notify.CallEvent{{ChallengeID: "ch1", Kind: notify.CallAnswered}, {ChallengeID: "ch1", Kind: notify.CallKeys, Digits: "5"}}},
		{"decline", []step{{action: "hangup"}}, twofold.CallEnded,
			[]notify.CallEvent{{ChallengeID: "ch1", Kind: notify.CallNoAnswer}}},
		{"answer and hang up", []step{{action: "answer"}, {action: "hangup"}}, twofold.CallEnded,
			[]notify.CallEvent{{ChallengeID: "ch1", Kind: notify.CallAnswered}, {ChallengeID: "ch1", Kind: notify.CallHungUp}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, st, rec := newProvider()
			id := placeCall(t, p)
			ctx := context.Background()
			for _, s := range tt.steps {
				var err error
				switch s.action {
				case "answer":
					err = p.Answer(ctx, id)
				case "press":
					err = p.Press(ctx, id, s.digits)
				case "hangup":
					err = p.HangUp(ctx, id)
				}
				if err != nil {
					t.Fatalf("%s: %v", s.action, err)
				}
			}
			if got := state(t, st, id); got != tt.state {
				t.Errorf("state = %q, want %q", got, tt.state)
			}
			if got := rec.Events(); !reflect.DeepEqual(got, tt.events) {
				t.Errorf("events = %+v\nwant     %+v", got, tt.events)
			}
		})
	}
}

func TestCallActionInWrongState(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		prepare func(p *outbox.Provider, id string) error
		act     func(p *outbox.Provider, id string) error
		message string
	}{
		{"press while ringing", nil,
			func(p *outbox.Provider, id string) error { return p.Press(ctx, id, "#") },
			"This call hasn't been answered yet."},
		{"answer twice", func(p *outbox.Provider, id string) error { return p.Answer(ctx, id) },
			func(p *outbox.Provider, id string) error { return p.Answer(ctx, id) },
			"This call has already been answered."},
		{"answer after decline", func(p *outbox.Provider, id string) error { return p.HangUp(ctx, id) },
			func(p *outbox.Provider, id string) error { return p.Answer(ctx, id) },
			"This call has already ended."},
		{"hang up after end", func(p *outbox.Provider, id string) error { return p.HangUp(ctx, id) },
			func(p *outbox.Provider, id string) error { return p.HangUp(ctx, id) },
			"This call has already ended."},
		{"press after keys", func(p *outbox.Provider, id string) error {
			if err := p.Answer(ctx, id); err != nil {
				return err
			}
			return p.Press(ctx, id, "#")
		},
			func(p *outbox.Provider, id string) error { return p.Press(ctx, id, "#") },
			"This call has already ended."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, rec := newProvider()
			id := placeCall(t, p)
			if tt.prepare != nil {
				if err := tt.prepare(p, id); err != nil {
					t.Fatal(err)
				}
			}
			before := len(rec.Events())
			err := tt.act(p, id)
			if twofold.ErrorCode(err) != twofold.ECONFLICT || twofold.ErrorMessage(err) != tt.message {
				t.Fatalf("err = %v, want ECONFLICT %q", err, tt.message)
			}
			if len(rec.Events()) != before {
				t.Errorf("a refused action reported an event: %+v", rec.Events()[before:])
			}
		})
	}
}

func TestCallActionNotACall(t *testing.T) {
	p, _, rec := newProvider()
	ctx := context.Background()
	text, err := p.SendText(ctx, notify.Text{To: "+14255551234", Body: "123456"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{text, "no-such-id"} {
		for name, act := range map[string]func() error{
			"answer": func() error { return p.Answer(ctx, id) },
			"press":  func() error { return p.Press(ctx, id, "#") },
			"hangup": func() error { return p.HangUp(ctx, id) },
		} {
			if err := act(); twofold.ErrorCode(err) != twofold.ENOTFOUND {
				t.Errorf("%s %s: err = %v, want ENOTFOUND", name, id, err)
			}
		}
	}
	if len(rec.Events()) != 0 {
		t.Errorf("events reported: %+v", rec.Events())
	}
}

func TestPressDigitsValidated(t *testing.T) {
	p, st, rec := newProvider()
	id := placeCall(t, p)
	ctx := context.Background()
	if err := p.Answer(ctx, id); err != nil {
		t.Fatal(err)
	}
	for _, digits := range []string{"", "123456789", "a", "1 2", "#\n", "１"} {
		err := p.Press(ctx, id, digits)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "digits" {
			t.Errorf("Press(%q) err = %v, want EINVALID on digits", digits, err)
		}
	}
	if got := state(t, st, id); got != twofold.CallAnswered {
		t.Errorf("state after refused presses = %q, want answered", got)
	}
	for _, digits := range []string{"12345678", "*", "0#"} {
		p, _, _ := newProvider()
		id := placeCall(t, p)
		if err := p.Answer(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := p.Press(ctx, id, digits); err != nil {
			t.Errorf("Press(%q) = %v", digits, err)
		}
	}
	if len(rec.Events()) != 1 {
		t.Errorf("events = %+v, want only the answer", rec.Events())
	}
}

func TestRacingPressesReportOnce(t *testing.T) {
	p, _, rec := newProvider()
	id := placeCall(t, p)
	ctx := context.Background()
	if err := p.Answer(ctx, id); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { _ = p.Press(ctx, id, "#") })
	}
	wg.Wait()
	if n := len(rec.Events()); n != 2 {
		t.Fatalf("%d events, want answered and exactly one keys", n)
	}
}

func TestEventErrorsPassThrough(t *testing.T) {
	p, _, rec := newProvider()
	rec.Err = twofold.Errorf(twofold.ENOTFOUND, "no such challenge")
	id := placeCall(t, p)
	err := p.Answer(context.Background(), id)
	if twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Fatalf("err = %v, want the receiver's ENOTFOUND", err)
	}
}

func TestActionsNeedReceiver(t *testing.T) {
	st := &memStore{}
	p := outbox.New(st, time.Now)
	id := placeCall(t, p)
	err := p.Answer(context.Background(), id)
	if err == nil || twofold.ErrorCode(err) != twofold.EINTERNAL {
		t.Fatalf("Answer without SetEvents = %v, want an internal error", err)
	}
	if got := state(t, st, id); got != twofold.CallRinging {
		t.Errorf("state = %q, want the call left ringing", got)
	}
	var e *twofold.Error
	if errors.As(err, &e) {
		t.Errorf("miswiring surfaced as a user-facing error: %v", e)
	}
}
