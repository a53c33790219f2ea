package phone_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/testkit"
)

func (e *env) take(binding string) (*twofold.Challenge, error) {
	return e.k.Phone.TakeCall(e.k.Ctx, binding, twofold.PurposeSignIn)
}

func TestCallPoundVerifiesOnce(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	ch := e.call("flow:a", testkit.Mobile)
	call := e.k.Call(ch)
	if call.CallState != twofold.CallRinging || call.To != testkit.Mobile ||
		!strings.Contains(call.Body, "press the pound key to finish your verification") {
		t.Fatalf("outbox call %+v, want a ringing call asking for #", call)
	}
	if got := e.k.RingingCall(testkit.Mobile); got.ID != call.ID {
		t.Fatalf("RingingCall = %s, want %s", got.ID, call.ID)
	}
	if _, err := e.take("flow:a"); !errors.Is(err, phone.ErrCallWaiting) {
		t.Fatalf("TakeCall while ringing: %v, want ErrCallWaiting", err)
	}
	if err := e.k.Outbox.Answer(e.k.Ctx, call.ID); err != nil {
		t.Fatal(err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeAnswered, "")
	if _, err := e.take("flow:a"); !errors.Is(err, phone.ErrCallWaiting) {
		t.Fatalf("TakeCall while answered: %v, want ErrCallWaiting", err)
	}
	if err := e.k.Outbox.Press(e.k.Ctx, call.ID, "#"); err != nil {
		t.Fatal(err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeVerified, "")
	if es := e.k.Events(e.m.User.ID, twofold.ActivityPhoneVerification); len(es) != 1 || es[0].Result != twofold.ResultSuccess {
		t.Errorf("phone-verification events %d, want the answered call audited as a success", len(es))
	}
	got, err := e.take("flow:a")
	if err != nil || got.ID != ch.ID || got.State != twofold.ChallengeUsed || got.MethodID != ch.MethodID {
		t.Fatalf("TakeCall: %+v, %v; want the call, used", got, err)
	}
	if _, err := e.take("flow:a"); !errors.Is(err, phone.ErrNoCall) {
		t.Fatalf("second TakeCall: %v, want ErrNoCall", err)
	}
	if _, err := e.k.Phone.TakeCall(e.k.Ctx, "flow:b", twofold.PurposeSignIn); !errors.Is(err, phone.ErrNoCall) {
		t.Fatalf("TakeCall on another binding: %v, want ErrNoCall", err)
	}
}

// Every way a call can fail ends it with a reason the page shows and the audit
// log keeps; a "#" afterwards changes nothing.
func TestCallFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		act    func(e *env, call *twofold.Message) error
		reason string
	}{
		{"wrong key", func(e *env, call *twofold.Message) error {
			if err := e.k.Outbox.Answer(e.k.Ctx, call.ID); err != nil {
				return err
			}
			return e.k.Outbox.Press(e.k.Ctx, call.ID, "1")
		}, "You pressed a different key. When the call asks, press # (the pound key)."},
		{"hang-up", func(e *env, call *twofold.Message) error {
			if err := e.k.Outbox.Answer(e.k.Ctx, call.ID); err != nil {
				return err
			}
			return e.k.Outbox.HangUp(e.k.Ctx, call.ID)
		}, "The call ended before you pressed #."},
		{"no answer", func(e *env, call *twofold.Message) error { return e.k.Outbox.HangUp(e.k.Ctx, call.ID) },
			"You didn't answer the call."},
		{"busy", func(e *env, call *twofold.Message) error {
			return e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: call.ChallengeID, Kind: notify.CallBusy})
		}, "Your line was busy."},
		{"provider failed", func(e *env, call *twofold.Message) error {
			return e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: call.ChallengeID, Kind: notify.CallFailed})
		}, "We couldn't place the call."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, testkit.Options{})
			ch := e.call("flow:a", testkit.Mobile)
			if err := tc.act(e, e.k.Call(ch)); err != nil {
				t.Fatal(err)
			}
			wantState(t, e.k, ch.ID, twofold.ChallengeFailed, tc.reason)
			_, err := e.take("flow:a")
			if twofold.ErrorCode(err) != twofold.EEXPIRED || !strings.HasPrefix(twofold.ErrorMessage(err), tc.reason) {
				t.Fatalf("TakeCall: %v, want EEXPIRED starting %q", err, tc.reason)
			}
			fails := e.failures(e.m)
			if len(fails) != 1 || !strings.Contains(fails[0].Reason, tc.reason) || strings.Contains(fails[0].Reason, testkit.Mobile) {
				t.Fatalf("failure events %+v, want one with the reason and the number masked", fails)
			}
			// A late "#" is ignored.
			if err := e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: ch.ID, Kind: notify.CallKeys, Digits: "#"}); err != nil {
				t.Fatalf("late #: %v", err)
			}
			wantState(t, e.k, ch.ID, twofold.ChallengeFailed, tc.reason)
			if n := len(e.failures(e.m)); n != 1 {
				t.Errorf("%d failure events after the late #, want 1", n)
			}
		})
	}
}

func TestCallTimesOut(t *testing.T) {
	e := newEnv(t, testkit.Options{Phone: phone.Config{CallTimeout: time.Minute}})
	ch := e.call("flow:a", testkit.Mobile)
	e.k.Clock.Advance(time.Minute - time.Second)
	if c, err := e.k.Phone.Status(e.k.Ctx, "flow:a", twofold.PurposeSignIn); err != nil || c.State != twofold.ChallengeSent {
		t.Fatalf("Status before the timeout: %+v, %v; want sent", c, err)
	}
	e.k.Clock.Advance(time.Second)
	c, err := e.k.Phone.Status(e.k.Ctx, "flow:a", twofold.PurposeSignIn)
	const reason = "We didn't hear back from the call in time."
	if err != nil || c.State != twofold.ChallengeFailed || c.Reason != reason {
		t.Fatalf("Status at the timeout: %+v, %v; want failed, timed out", c, err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeFailed, reason)
	// The callee picks up late and presses #: too late.
	e.k.AnswerAndPress(e.k.Call(ch), "#")
	wantState(t, e.k, ch.ID, twofold.ChallengeFailed, reason)
	if _, err := e.take("flow:a"); twofold.ErrorCode(err) != twofold.EEXPIRED {
		t.Fatalf("TakeCall after the timeout: %v, want EEXPIRED", err)
	}
}

// A "#" that arrives after the timeout fails the call even if nobody polled.
func TestLatePoundWithoutStatus(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	ch := e.call("flow:a", testkit.Mobile)
	call := e.k.Call(ch)
	if err := e.k.Outbox.Answer(e.k.Ctx, call.ID); err != nil {
		t.Fatal(err)
	}
	e.k.Clock.Advance(90 * time.Second) // the default call timeout
	if err := e.k.Outbox.Press(e.k.Ctx, call.ID, "#"); err != nil {
		t.Fatal(err)
	}
	wantState(t, e.k, ch.ID, twofold.ChallengeFailed, "We didn't hear back from the call in time.")
	if _, err := e.take("flow:a"); twofold.ErrorCode(err) != twofold.EEXPIRED {
		t.Fatalf("TakeCall: %v, want EEXPIRED", err)
	}
}

func TestCallEventErrors(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	err := e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: "no-such-challenge", Kind: notify.CallKeys, Digits: "#"})
	wantCode(t, "event for an unknown challenge", err, twofold.ENOTFOUND)
	ch := e.call("flow:a", testkit.Mobile)
	err = e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: ch.ID, Kind: "exploded"})
	wantCode(t, "unknown event kind", err, twofold.EINVALID)
	text := e.text("flow:b", testkit.Mobile)
	if err := e.k.Phone.CallEvent(e.k.Ctx, notify.CallEvent{ChallengeID: text.ID, Kind: notify.CallKeys, Digits: "#"}); err != nil {
		t.Fatalf("key event for a text: %v", err)
	}
	wantState(t, e.k, text.ID, twofold.ChallengeSent, "") // a text is not proven by a key
}
