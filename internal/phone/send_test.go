package phone_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/testkit"
)

const (
	noTexts = "Your organization doesn't allow text messages to this phone. Choose another method."
	noCalls = "Your organization doesn't allow calls to this phone. Choose another method."
)

// Sends the policy does not allow are refused before anything is counted or sent.
func TestSendRefusedByPolicy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(p *twofold.Policy)
		typ     twofold.PhoneType
		channel string
		message string
	}{
		{"text to an office phone", nil, twofold.PhoneOffice, twofold.ChannelSMS, noTexts},
		{"text to an alternate mobile", nil, twofold.PhoneAlternateMobile, twofold.ChannelSMS, noTexts},
		{"phones disabled, text", func(p *twofold.Policy) { p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath} },
			twofold.PhoneMobile, twofold.ChannelSMS, noTexts},
		{"phones disabled, call", func(p *twofold.Policy) { p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath} },
			twofold.PhoneMobile, twofold.ChannelVoice, noCalls},
		{"texts disabled", func(p *twofold.Policy) { p.Phone.Text = false }, twofold.PhoneMobile, twofold.ChannelSMS, noTexts},
		{"calls to mobiles disabled", func(p *twofold.Policy) { p.Phone.Call = false }, twofold.PhoneMobile, twofold.ChannelVoice, noCalls},
		{"office phones disabled", func(p *twofold.Policy) { p.Phone.Office = false }, twofold.PhoneOffice, twofold.ChannelVoice, noCalls},
		{"alternate mobiles disabled", func(p *twofold.Policy) { p.Phone.AlternateMobile = false },
			twofold.PhoneAlternateMobile, twofold.ChannelVoice, noCalls},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, testkit.Options{})
			if tc.change != nil {
				e.policy(tc.change)
			}
			r := e.req(e.m, "flow:a", tc.channel, testkit.Mobile)
			r.PhoneType = tc.typ
			ch, err := e.k.Phone.Send(e.k.Ctx, r)
			if ch != nil || twofold.ErrorCode(err) != twofold.EFORBIDDEN || twofold.ErrorMessage(err) != tc.message {
				t.Fatalf("Send = %+v, %v; want EFORBIDDEN %q", ch, err, tc.message)
			}
			if ms := e.k.Sent("", ""); len(ms) != 0 {
				t.Errorf("outbox holds %d messages after a refusal", len(ms))
			}
			if _, err := e.k.Store.LatestChallenge(e.k.Ctx, "flow:a"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
				t.Errorf("a refused send stored a challenge: %v", err)
			}
			if tc.change != nil {
				return
			}
			// Nothing was counted: three texts at once still pass the back-off.
			r.PhoneType, r.Channel = twofold.PhoneMobile, twofold.ChannelSMS
			for i := range 3 {
				if _, err := e.k.Phone.Send(e.k.Ctx, r); err != nil {
					t.Fatalf("allowed text %d after the refusal: %v", i+1, err)
				}
			}
		})
	}
}

// A member whose second factor is blocked gets no texts or calls.
func TestSendRefusedWhileBlocked(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	if err := e.k.Store.BlockMFA(e.k.Ctx, e.m.User.ID, e.k.Clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, channel := range []string{twofold.ChannelSMS, twofold.ChannelVoice} {
		_, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:a", channel, testkit.Mobile))
		wantCode(t, channel+" while blocked", err, twofold.EFORBIDDEN)
	}
	if ms := e.k.Sent("", ""); len(ms) != 0 {
		t.Errorf("outbox holds %d messages", len(ms))
	}
	e.k.Clock.Advance(time.Hour)
	e.text("flow:a", testkit.Mobile) // the block has ended
}

// A provider that fails leaves nothing usable: the challenge is failed, the
// member hears ErrUnavailable, and the failure is audited.
func TestSendProviderDown(t *testing.T) {
	broken := &testkit.BrokenPhone{}
	e := newEnv(t, testkit.Options{Provider: broken})
	for _, channel := range []string{twofold.ChannelSMS, twofold.ChannelVoice} {
		binding := "flow:" + channel
		ch, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, binding, channel, testkit.Mobile))
		if ch != nil || !errors.Is(err, phone.ErrUnavailable) || twofold.ErrorCode(err) != twofold.EUNAVAILABLE {
			t.Fatalf("%s with the provider down: %+v, %v; want ErrUnavailable", channel, ch, err)
		}
		c, err := e.k.Store.LatestChallenge(e.k.Ctx, binding)
		if err != nil || c.State != twofold.ChallengeFailed || c.Reason != "We couldn't reach your phone." {
			t.Fatalf("challenge after the failure: %+v, %v; want failed", c, err)
		}
		if channel == twofold.ChannelSMS {
			for _, code := range []string{"000000", "123456", "999999"} {
				if _, err := e.check(binding, code); err == nil {
					t.Fatalf("code %s proved an unsent text", code)
				}
			}
		} else {
			_, err := e.k.Phone.TakeCall(e.k.Ctx, binding, twofold.PurposeSignIn)
			wantCode(t, "TakeCall of an unplaced call", err, twofold.EEXPIRED)
		}
	}
	if broken.Tries() != 2 {
		t.Errorf("provider tried %d times, want 2", broken.Tries())
	}
	if n := len(e.failures(e.m)); n != 2 {
		t.Errorf("%d failed phone-verification events, want 2", n)
	}
}

func TestBackoffSchedule(t *testing.T) {
	for n, want := range map[int]time.Duration{
		1: 0, 2: 0, 3: 30 * time.Second, 4: time.Minute, 5: 2 * time.Minute, 6: 4 * time.Minute,
		9: 32 * time.Minute, 10: time.Hour, 11: time.Hour, 100: time.Hour,
	} {
		if got := phone.Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

// Three sends to a number go at once; the fourth waits out the back-off, and
// the refusal is the product's fixed sentence, audited.
func TestBackoffPerNumber(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	bob := e.k.NewMember(e.org, "bob")
	for i := range 3 {
		e.text("flow:"+string(rune('a'+i)), testkit.Mobile)
	}
	before := len(e.failures(e.m))
	_, err := e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:d", twofold.ChannelSMS, testkit.Mobile))
	if twofold.ErrorCode(err) != twofold.ERATELIMIT || twofold.ErrorMessage(err) != "You can ask for another text in 30 seconds." {
		t.Fatalf("4th text within the back-off: %v", err)
	}
	fails := e.failures(e.m)
	if len(fails) != before+1 || !strings.Contains(fails[0].Reason, "back-off") || strings.Contains(fails[0].Reason, testkit.Mobile) ||
		fails[0].IP != client.IP || fails[0].OrgID != e.org.ID {
		t.Fatalf("refusal events %d → %d, newest %+v; want one more naming the back-off, number masked", before, len(fails), fails[0])
	}
	// The back-off is the number's, whoever asks, and covers calls too. The wait
	// named is the longest the running back-off can have left: impatient
	// requests count, so it grows with them.
	_, err = e.k.Phone.Send(e.k.Ctx, e.req(bob, "flow:bob", twofold.ChannelVoice, testkit.Mobile))
	if twofold.ErrorCode(err) != twofold.ERATELIMIT || twofold.ErrorMessage(err) != "You can ask for another call in 1 minute." {
		t.Fatalf("call by another member within the back-off: %v", err)
	}
	// Another number is not held back.
	e.text("flow:other", testkit.Mobile2)

	e.k.Clock.Advance(29 * time.Second)
	_, err = e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:d", twofold.ChannelSMS, testkit.Mobile))
	wantCode(t, "4th text after 29 s", err, twofold.ERATELIMIT)
	e.k.Clock.Advance(time.Second)
	e.text("flow:d", testkit.Mobile) // 30 s after the 3rd
	// The 4th starts a longer back-off at once.
	e.k.Clock.Advance(30 * time.Second)
	_, err = e.k.Phone.Send(e.k.Ctx, e.req(e.m, "flow:e", twofold.ChannelSMS, testkit.Mobile))
	wantCode(t, "5th text 30 s after the 4th", err, twofold.ERATELIMIT)
	if n := len(e.k.Sent(testkit.Mobile, "")); n != 4 {
		t.Errorf("%d messages to the number, want 4", n)
	}
	e.k.Clock.Advance(time.Hour)
	e.text("flow:e", testkit.Mobile) // no back-off lasts longer than an hour
}

// Each daily limit refuses the send past it, audited, and resets the next day.
func TestDailyLimits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *twofold.Policy)
		// send makes the i-th send (0-based) of the test; the third must be refused.
		send func(e *env, bob *testkit.Member, i int) phone.Request
		// other is a send that the limit does not cover and must go through.
		other func(e *env, bob *testkit.Member) phone.Request
	}{
		{"per member", func(p *twofold.Policy) { p.Phone.SendsPerMemberPerDay = 2 },
			func(e *env, _ *testkit.Member, i int) phone.Request {
				return e.req(e.m, "flow:m", twofold.ChannelSMS, []string{"+14255550101", "+14255550102", "+14255550103"}[i])
			},
			func(e *env, bob *testkit.Member) phone.Request {
				return e.req(bob, "flow:b", twofold.ChannelSMS, "+14255550104")
			}},
		{"per number", func(p *twofold.Policy) { p.Phone.SendsPerNumberPerDay = 2 },
			func(e *env, bob *testkit.Member, i int) phone.Request {
				who := []*testkit.Member{e.m, bob, e.m}[i] // across members
				return e.req(who, "flow:n", []string{twofold.ChannelSMS, twofold.ChannelVoice, twofold.ChannelSMS}[i], testkit.Mobile)
			},
			func(e *env, bob *testkit.Member) phone.Request {
				return e.req(bob, "flow:b", twofold.ChannelSMS, testkit.Mobile2)
			}},
		{"per country", func(p *twofold.Policy) { p.Phone.SendsPerCountryPerDay = 2 },
			func(e *env, bob *testkit.Member, i int) phone.Request {
				who := []*testkit.Member{e.m, bob, e.m}[i]
				return e.req(who, "flow:c", twofold.ChannelSMS, []string{"+14255550101", "+14255550102", "+14255550103"}[i])
			},
			func(e *env, bob *testkit.Member) phone.Request {
				return e.req(bob, "flow:b", twofold.ChannelSMS, testkit.UKMob)
			}},
		{"per organization", func(p *twofold.Policy) { p.Phone.SendsPerOrgPerDay = 2 },
			func(e *env, bob *testkit.Member, i int) phone.Request {
				who := []*testkit.Member{e.m, bob, e.m}[i]
				return e.req(who, "flow:o", twofold.ChannelSMS, []string{"+14255550101", testkit.UKMob, "+14255550103"}[i])
			},
			func(e *env, _ *testkit.Member) phone.Request {
				fab := e.k.NewMember(e.k.NewOrg("fabrikam.com"), "eve")
				return e.req(fab, "flow:f", twofold.ChannelSMS, "+14255550105")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, testkit.Options{})
			e.policy(tc.change)
			bob := e.k.NewMember(e.org, "bob")
			for i := range 2 {
				if _, err := e.k.Phone.Send(e.k.Ctx, tc.send(e, bob, i)); err != nil {
					t.Fatalf("send %d: %v", i+1, err)
				}
			}
			third := tc.send(e, bob, 2)
			before := len(e.failures(e.m))
			_, err := e.k.Phone.Send(e.k.Ctx, third)
			if twofold.ErrorCode(err) != twofold.ERATELIMIT || !strings.HasPrefix(twofold.ErrorMessage(err), "You've reached today's limit on verification") ||
				!strings.HasSuffix(twofold.ErrorMessage(err), "in 15 hours.") {
				t.Fatalf("3rd send: %v, want ERATELIMIT", err)
			}
			if fails := e.failures(e.m); len(fails) != before+1 || !strings.Contains(fails[0].Reason, "limit") || !strings.HasSuffix(fails[0].Reason, "reached") {
				t.Errorf("refusal audit: %d → %d events (%v), want one more naming the limit", before, len(fails), fails)
			}
			if _, err := e.k.Phone.Send(e.k.Ctx, tc.other(e, bob)); err != nil {
				t.Fatalf("a send the limit does not cover: %v", err)
			}
			if n := len(e.k.Sent("", twofold.ChannelSMS)) + len(e.k.Sent("", twofold.ChannelVoice)); n != 3 {
				t.Errorf("%d texts and calls sent, want 3", n)
			}
			// Still refused later that day; allowed again the next.
			e.k.Clock.Advance(2 * time.Hour)
			_, err = e.k.Phone.Send(e.k.Ctx, tc.send(e, bob, 2))
			wantCode(t, "3rd send two hours later", err, twofold.ERATELIMIT)
			e.k.Clock.Advance(24 * time.Hour)
			if _, err := e.k.Phone.Send(e.k.Ctx, tc.send(e, bob, 2)); err != nil {
				t.Fatalf("3rd send the next day: %v", err)
			}
		})
	}
}
