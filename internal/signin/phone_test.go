package signin_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

var phoneClient = testkit.Client("198.51.100.60")

// phoneMember returns a kit and a member whose only second factor is a mobile
// phone, with pref as the default.
func phoneMember(t *testing.T, o testkit.Options, pref twofold.SignInPreference) (*testkit.Kit, *testkit.Member, *twofold.Method) {
	t.Helper()
	k := testkit.NewWith(t, o)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	ph := k.AddPhone(m, twofold.PhoneMobile, testkit.Mobile)
	k.SetDefault(m, pref)
	return k, m, ph
}

func TestTextSignIn(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceSMS)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	if r.SendError != nil || r.Challenge == nil || r.Challenge.Channel != twofold.ChannelSMS || r.Challenge.MethodID != ph.ID {
		t.Fatalf("Password: challenge %+v, send error %v; want a text to the phone at once", r.Challenge, r.SendError)
	}
	if r.Current == nil || r.Current.Preference != twofold.PreferenceSMS || r.Default == nil || r.Default.Preference != twofold.PreferenceSMS {
		t.Errorf("current %+v default %+v, want the text", r.Current, r.Default)
	}
	labels := map[twofold.SignInPreference]string{}
	for _, o := range r.Options {
		labels[o.Preference] = o.Label
		if o.Masked != "+1 XXXXXXX234" {
			t.Errorf("option %s shows the number as %q, want it masked", o.Preference, o.Masked)
		}
	}
	if len(r.Options) != 2 || labels[twofold.PreferenceVoice] != "Call +1 XXXXXXX234" || labels[twofold.PreferenceSMS] != "Text +1 XXXXXXX234" {
		t.Errorf("options %v, want a call and a text, numbers masked", labels)
	}
	texts := k.Sent(testkit.Mobile, twofold.ChannelSMS)
	if len(texts) != 1 || texts[0].UserID != m.User.ID {
		t.Fatalf("%d texts to the phone, want 1", len(texts))
	}
	code := k.CodeIn(texts[0])
	done, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, code, phoneClient)
	if err != nil || done.State != twofold.FlowSignedIn || done.SessionToken == "" {
		t.Fatalf("Verify with the texted code: %+v, %v", done, err)
	}
	if done.Session.MFAMethod != ph.ID || !done.Session.MFAAt.Equal(k.Clock.Now()) {
		t.Errorf("session MFA %q at %v, want the phone now", done.Session.MFAMethod, done.Session.MFAAt)
	}
	if es := k.Events(m.User.ID, twofold.ActivitySignIn); len(es) == 0 || es[0].Reason != "password and texted code" {
		t.Errorf("sign-in events %+v", es)
	}
	_, err = k.SignIn.Resume(k.Ctx, r.FlowID)
	wantCode(t, "Resume after sign-in", err, twofold.EEXPIRED)
	// The code proves nothing on a new sign-in.
	r2 := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	if _, err := k.SignIn.Verify(k.Ctx, r2.FlowID, ph.ID, code, phoneClient); err == nil {
		t.Fatal("the first sign-in's code signed in a second flow")
	}
}

func TestCallSignIn(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	if r.SendError != nil || r.Challenge == nil || r.Challenge.Channel != twofold.ChannelVoice {
		t.Fatalf("Password: challenge %+v, send error %v; want a call placed at once", r.Challenge, r.SendError)
	}
	status := func(want twofold.ChallengeState) {
		t.Helper()
		s, err := k.SignIn.CallStatus(k.Ctx, r.FlowID)
		if err != nil || s.State != twofold.FlowMFARequired || s.Challenge.State != want {
			t.Fatalf("CallStatus: %+v, %v; want the call %s", s, err, want)
		}
	}
	status(twofold.ChallengeSent)
	_, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient)
	if !errors.Is(err, phone.ErrCallWaiting) {
		t.Fatalf("CompleteCall before the call is answered: %v, want ErrCallWaiting", err)
	}
	call := k.RingingCall(testkit.Mobile)
	if err := k.Outbox.Answer(k.Ctx, call.ID); err != nil {
		t.Fatal(err)
	}
	status(twofold.ChallengeAnswered)
	if err := k.Outbox.Press(k.Ctx, call.ID, "#"); err != nil {
		t.Fatal(err)
	}
	status(twofold.ChallengeVerified)
	done, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient)
	if err != nil || done.State != twofold.FlowSignedIn || done.Session.MFAMethod != ph.ID {
		t.Fatalf("CompleteCall: %+v, %v; want signed in with the phone", done, err)
	}
	if es := k.Events(m.User.ID, twofold.ActivitySignIn); len(es) == 0 || es[0].Reason != "password and verification call" {
		t.Errorf("sign-in events %+v", es)
	}
	_, err = k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient)
	wantCode(t, "second CompleteCall", err, twofold.EEXPIRED)
}

// The page's script and its button complete the same call at once: one session.
func TestRacingCompleteCallSignsInOnce(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k, m, _ := phoneMember(t, testkit.Options{Backend: backend}, twofold.PreferenceVoice)
			r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
			k.AnswerAndPress(k.Call(r.Challenge), "#")
			const racers = 10
			errs := testkit.Simultaneously(racers, func(i int) error {
				_, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient)
				return err
			})
			won := 0
			for i, err := range errs {
				switch {
				case err == nil:
					won++
				case errors.Is(err, phone.ErrNoCall), errors.Is(err, signin.ErrFlowGone):
				default:
					t.Errorf("racer %d: %v", i, err)
				}
			}
			live, err := k.Store.ListSessions(k.Ctx, m.User.ID, k.Clock.Now())
			if won != 1 || err != nil || len(live) != 1 {
				t.Fatalf("%d racers signed in, %d live sessions (%v); want exactly 1 of each", won, len(live), err)
			}
		})
	}
}

// "Sign in another way": the default is a call, the member asks for a text. The
// call, once replaced, completes nothing.
func TestChooseTextInsteadOfCall(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	callCh := r.Challenge
	c, err := k.SignIn.Choose(k.Ctx, r.FlowID, ph.ID, twofold.PreferenceSMS, phoneClient)
	if err != nil || c.Challenge == nil || c.Challenge.Channel != twofold.ChannelSMS || c.Current == nil || c.Current.Preference != twofold.PreferenceSMS {
		t.Fatalf("Choose text: %+v, %v", c, err)
	}
	res, err := k.SignIn.Resume(k.Ctx, r.FlowID)
	if err != nil || res.Current == nil || res.Current.Preference != twofold.PreferenceSMS || res.Challenge.ID != c.Challenge.ID {
		t.Fatalf("Resume: %+v, %v; want the text as current", res, err)
	}
	// The old call is answered with # after all: it was replaced.
	k.AnswerAndPress(k.Call(callCh), "#")
	if _, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient); !errors.Is(err, phone.ErrNoCall) {
		t.Fatalf("CompleteCall with a replaced call: %v, want ErrNoCall", err)
	}
	done, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, k.Code(c.Challenge), phoneClient)
	if err != nil || done.State != twofold.FlowSignedIn {
		t.Fatalf("Verify with the chosen text's code: %+v, %v", done, err)
	}
}

func TestChooseRefusesOthersMethods(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceSMS)
	bob := k.NewMember(m.Org, "bob")
	bobPhone := k.AddPhone(bob, twofold.PhoneMobile, testkit.Mobile2)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	before := len(k.Sent("", ""))
	for _, tc := range []struct {
		methodID string
		pref     twofold.SignInPreference
	}{
		{bobPhone.ID, twofold.PreferenceSMS},
		{"no-such-method", twofold.PreferenceSMS},
		{ph.ID, twofold.PreferenceVoiceOffice}, // not an option of a mobile
	} {
		_, err := k.SignIn.Choose(k.Ctx, r.FlowID, tc.methodID, tc.pref, phoneClient)
		wantCode(t, "Choose "+tc.methodID+" "+string(tc.pref), err, twofold.ENOTFOUND)
	}
	if after := len(k.Sent("", "")); after != before {
		t.Errorf("refused choices sent %d messages", after-before)
	}
}

// Fifty identical submissions of the right texted code on one flow, released
// together, sign in exactly once: the losers neither sign in nor end the flow
// under the winner.
func TestParallelTextedCodeSignsInOnce(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k, m, ph := phoneMember(t, testkit.Options{Backend: backend}, twofold.PreferenceSMS)
			r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
			code := k.Code(r.Challenge)
			const racers = 50
			errs := testkit.Simultaneously(racers, func(i int) error {
				_, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, code, phoneClient)
				return err
			})
			won, answers := 0, map[string]int{}
			for _, err := range errs {
				if err == nil {
					won++
				}
				answers[twofold.ErrorMessage(err)]++
			}
			live, err := k.Store.ListSessions(k.Ctx, m.User.ID, k.Clock.Now())
			if won != 1 || err != nil || len(live) != 1 {
				t.Fatalf("%d racers signed in, %d live sessions (%v); want exactly 1; answers %v", won, len(live), err, answers)
			}
		})
	}
}
