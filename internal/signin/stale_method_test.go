package signin_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A text or call sent before its phone was deleted, or before the policy
// stopped allowing its channel, proves nothing when the sign-in finishes.

// wantNoSignIn checks that finishing the flow was refused with want and left
// the member without a session.
func wantNoSignIn(t *testing.T, k *testkit.Kit, m *testkit.Member, what string, r *signin.Result, err, want error) {
	t.Helper()
	if !errors.Is(err, want) || r != nil {
		t.Errorf("%s = %+v, %v; want %v", what, r, err, want)
	}
	if live, err := k.Store.ListSessions(k.Ctx, m.User.ID, k.Clock.Now()); err != nil || len(live) != 0 {
		t.Errorf("%d live sessions (%v), want none", len(live), err)
	}
}

func TestTextAfterPhoneDeletedRefused(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceSMS)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	code := k.Code(r.Challenge)
	if err := k.Store.DeleteMethod(k.Ctx, m.User.ID, ph.ID); err != nil {
		t.Fatal(err)
	}
	done, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, code, phoneClient)
	wantNoSignIn(t, k, m, "Verify after the phone was deleted", done, err, signin.ErrMethodGone)
}

func TestTextAfterTextsDisabledRefused(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceSMS)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	code := k.Code(r.Challenge)
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.Phone.Text = false })
	done, err := k.SignIn.Verify(k.Ctx, r.FlowID, ph.ID, code, phoneClient)
	wantNoSignIn(t, k, m, "Verify after texts were disabled", done, err, signin.ErrMethodUnavailable)
}

func TestCallAfterPhoneDeletedRefused(t *testing.T) {
	k, m, ph := phoneMember(t, testkit.Options{}, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	k.AnswerAndPress(k.Call(r.Challenge), "#")
	if err := k.Store.DeleteMethod(k.Ctx, m.User.ID, ph.ID); err != nil {
		t.Fatal(err)
	}
	done, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient)
	wantNoSignIn(t, k, m, "CompleteCall after the phone was deleted", done, err, signin.ErrMethodGone)
}

func TestCallAfterCallsDisabledRefused(t *testing.T) {
	k, m, _ := phoneMember(t, testkit.Options{}, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	k.AnswerAndPress(k.Call(r.Challenge), "#")
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.Phone.Call = false })
	done, err := k.SignIn.CompleteCall(k.Ctx, r.FlowID, phoneClient)
	wantNoSignIn(t, k, m, "CompleteCall after calls were disabled", done, err, signin.ErrMethodUnavailable)
}

// The interrupt's phone, verified by a text the policy stopped allowing after
// it was sent, is not saved.
func TestInterruptPhoneAfterTextsDisabledRefused(t *testing.T) {
	k, m, r := interruptMember(t)
	ch, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneMobile, Number: testkit.Mobile, Channel: twofold.ChannelSMS}, phoneClient)
	if err != nil {
		t.Fatalf("BeginPhoneRegistration: %v", err)
	}
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.Phone.Text = false })
	done, err := k.SignIn.FinishPhoneRegistration(k.Ctx, r.FlowID, k.Code(ch), phoneClient)
	wantNoSignIn(t, k, m, "FinishPhoneRegistration after texts were disabled", done, err, signin.ErrMethodUnavailable)
	if ms, _ := k.Store.ListMethods(k.Ctx, m.User.ID, ""); len(ms) != 0 {
		t.Errorf("methods saved: %+v", ms)
	}
}
