package signin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// Wrong texted codes count against the flow: the fifth ends it, and the right
// code then signs nothing in.
func TestWrongTextedCodesEndFlow(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceSMS)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	code := k.Code(r.Challenge)
	for i := 1; i <= 4; i++ {
		_, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, otherCode(code), phoneClient)
		if !errors.Is(err, phone.ErrWrongCode) {
			t.Fatalf("wrong code %d: %v, want ErrWrongCode", i, err)
		}
	}
	_, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, otherCode(code), phoneClient)
	if !errors.Is(err, signin.ErrTooManyTries) {
		t.Fatalf("5th wrong code: %v, want signin.ErrTooManyTries (the flow ends)", err)
	}
	_, err = k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, code, phoneClient)
	wantCode(t, "right code after the flow died", err, twofold.EEXPIRED)
	_, err = k.SignIn.Resume(k.Ctx, r.FlowID)
	wantCode(t, "Resume after the flow died", err, twofold.EEXPIRED)
	// The five wrong codes count against the member; the code sent to a dead flow
	// never reached a check.
	if n := k.User(m.User.ID).FailedMFA; n != 5 {
		t.Errorf("FailedMFA = %d, want the 5 wrong codes counted against the member", n)
	}
}

// New texts do not buy a flow more tries: 5 wrong codes over two texts end it.
func TestResendDoesNotResetFlowCount(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceSMS)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	code := k.Code(r.Challenge)
	for range 3 {
		if _, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, otherCode(code), phoneClient); !errors.Is(err, phone.ErrWrongCode) {
			t.Fatal(err)
		}
	}
	c, err := k.SignIn.Choose(k.Ctx, r.FlowID, ph.ID, twofold.PreferenceSMS, phoneClient)
	if err != nil {
		t.Fatalf("resend: %v", err)
	}
	code = k.Code(c.Challenge)
	if _, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, otherCode(code), phoneClient); !errors.Is(err, phone.ErrWrongCode) {
		t.Fatalf("4th wrong code: %v", err)
	}
	if _, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, otherCode(code), phoneClient); !errors.Is(err, signin.ErrTooManyTries) {
		t.Fatalf("5th wrong code, on the second text: %v, want signin.ErrTooManyTries", err)
	}
}

// 0# during the sign-in call: the sign-in is denied and later ones are blocked.
func TestFraudDuringSignInCall(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	k.AnswerAndPress(k.Call(r.Challenge), "0#")

	s, err := k.SignIn.CallStatus(k.Ctx, r.FlowID)
	if err != nil || s.State != twofold.FlowFailed || s.Challenge.State != twofold.ChallengeFraud {
		t.Fatalf("CallStatus: %+v, %v; want the flow failed by the fraud report", s, err)
	}
	if _, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient); !errors.Is(err, signin.ErrFraudReported) {
		t.Fatalf("CompleteCall: %v, want ErrFraudReported (denied, and saying why)", err)
	}
	if _, err := k.SignIn.Resume(k.Ctx, r.FlowID); !errors.Is(err, signin.ErrFlowGone) {
		t.Fatalf("Resume: %v, want ErrFlowGone", err)
	}
	if _, err := k.SignIn.Choose(k.Ctx, r.FlowID, ph.ID, twofold.PreferenceSMS, phoneClient); !errors.Is(err, signin.ErrFlowGone) {
		t.Fatalf("Choose on the denied flow: %v, want ErrFlowGone", err)
	}

	// The right password no longer opens a second-factor step: the block stops the
	// sign-in there, no text or call goes out, and the refusal is audited.
	before := len(k.Sent(testkit.Mobile, ""))
	if _, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, phoneClient); !errors.Is(err, signin.ErrMFABlocked) {
		t.Fatalf("sign-in after the report: %v, want ErrMFABlocked", err)
	}
	if after := len(k.Sent(testkit.Mobile, "")); after != before {
		t.Errorf("%d messages went to the phone after the report", after-before)
	}
	if es := k.Events(m.User.ID, twofold.ActivitySignIn); len(es) == 0 || es[0].Result != twofold.ResultFailure || !strings.Contains(es[0].Reason, "blocked") {
		t.Errorf("newest sign-in event %+v, want a failure for the block", es)
	}
	_ = ph
}

// A member who also has an app and reports fraud cannot use the app either.
func TestFraudBlocksEveryMethod(t *testing.T) {
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	app, _ := k.Enrol(m, phoneClient)
	k.AddPhone(m, twofold.PhoneMobile, testkit.Mobile)
	k.SetDefault(m, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	// A flow opened before the report: its app code is refused too.
	open := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	k.AnswerAndPress(k.Call(r.Challenge), "0#")
	if _, err := k.SignIn.Verify(k.Ctx, open.FlowID, app.MethodID, k.FreshCode(app), phoneClient); !errors.Is(err, secondfactor.ErrBlocked) {
		t.Fatalf("app code after the fraud report: %v, want ErrBlocked", err)
	}
	if _, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, phoneClient); !errors.Is(err, signin.ErrMFABlocked) {
		t.Fatalf("new sign-in after the fraud report: %v, want ErrMFABlocked", err)
	}
}

// When the default's text cannot go out, the password step still succeeds, says
// why, and the member can sign in another way.
func TestSendErrorLeavesOtherWays(t *testing.T) {
	for _, tc := range []struct {
		name     string
		provider func() *testkit.BrokenPhone
		prepare  func(t *testing.T, k *testkit.Kit, m *testkit.Member)
		want     string
	}{
		{"throttled", func() *testkit.BrokenPhone { return nil }, func(t *testing.T, k *testkit.Kit, m *testkit.Member) {
			for range 3 { // three texts go at once; the 4th waits out the back-off
				startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
			}
		}, twofold.ERATELIMIT},
		{"provider down", func() *testkit.BrokenPhone { return &testkit.BrokenPhone{} }, nil, twofold.EUNAVAILABLE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testkit.Options{}
			if p := tc.provider(); p != nil {
				o.Provider = p
			}
			k := testkit.NewWith(t, o)
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			app, _ := k.Enrol(m, phoneClient)
			k.AddPhone(m, twofold.PhoneMobile, testkit.Mobile)
			k.SetDefault(m, twofold.PreferenceSMS)
			if tc.prepare != nil {
				tc.prepare(t, k, m)
			}
			r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
			if r.Challenge != nil || twofold.ErrorCode(r.SendError) != tc.want {
				t.Fatalf("Password: challenge %+v, send error %v; want %s", r.Challenge, r.SendError, tc.want)
			}
			if r.Default == nil || r.Default.Preference != twofold.PreferenceSMS || len(r.Options) != 3 {
				t.Fatalf("default %+v, %d options; want the text as default among app, call and text", r.Default, len(r.Options))
			}
			done, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, k.FreshCode(app), phoneClient)
			if err != nil || done.State != twofold.FlowSignedIn {
				t.Fatalf("Verify with the app: %+v, %v", done, err)
			}
		})
	}
}
