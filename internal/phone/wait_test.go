package phone_test

import (
	"errors"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A sign-in calls the member at once; that call and the member's first
// "Text me instead" or "Call again" both go out, and so does one more. The
// refusal after them says how long to wait, in words and as RetryAfter.
func TestBackoffAfterAutomaticCall(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	e.call("flow:a", testkit.Mobile) // placed by the sign-in itself
	e.text("flow:a", testkit.Mobile) // the first manual re-send
	e.call("flow:a", testkit.Mobile)
	for _, tc := range []struct {
		advance time.Duration
		channel string
		want    string
		wait    time.Duration
	}{
		{0, twofold.ChannelSMS, "You can ask for another text in 30 seconds.", 30 * time.Second},
		{30 * time.Second, "", "", 0}, // the 30 s are up: this one goes, and waits 2 minutes
		{0, twofold.ChannelVoice, "You can ask for another call in 2 minutes.", 2 * time.Minute},
	} {
		e.k.Clock.Advance(tc.advance)
		if tc.want == "" {
			e.text("flow:a", testkit.Mobile)
			continue
		}
		_, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:a", tc.channel, testkit.Mobile))
		if twofold.ErrorCode(err) != twofold.ERATELIMIT || twofold.ErrorMessage(err) != tc.want {
			t.Fatalf("send within the back-off: %v; want %q", err, tc.want)
		}
		var wait interface{ RetryAfter() time.Duration }
		if !errors.As(err, &wait) || wait.RetryAfter() != tc.wait {
			t.Errorf("RetryAfter of %v: want %v", err, tc.wait)
		}
	}
}

// A daily limit says it is today's and how many hours remain until it resets
// (midnight UTC; the fake clock starts at 09:00:05).
func TestDailyLimitSaysWhen(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	e.policy(func(p *twofold.Policy) { p.Phone.SendsPerMemberPerDay = 1 })
	e.text("flow:a", testkit.Mobile)
	_, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:a", twofold.ChannelVoice, testkit.Mobile2))
	want := "You've reached today's limit on verification calls. You can ask for another call in 15 hours."
	if twofold.ErrorMessage(err) != want {
		t.Fatalf("past the daily limit: %v; want %q", err, want)
	}
	var wait interface{ RetryAfter() time.Duration }
	if !errors.As(err, &wait) || wait.RetryAfter() != 14*time.Hour+59*time.Minute+55*time.Second {
		t.Errorf("RetryAfter of %v: want the time to midnight", err)
	}
}
