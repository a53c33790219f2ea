package signin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Cancel while the sign-in's call rings ends the call: the provider hangs up.
func TestCancelEndsTheSignInCall(t *testing.T) {
	k, m, _ := phoneMember(t, testkit.Options{}, twofold.PreferenceVoice)
	r := startFlow(t, k, m, phoneClient, twofold.FlowMFARequired)
	if r.Challenge == nil || r.Challenge.Channel != twofold.ChannelVoice {
		t.Fatalf("no call placed at sign-in: %+v", r.Challenge)
	}
	if err := k.SignIn.Cancel(k.Ctx, r.FlowID, phoneClient); err != nil {
		t.Fatal(err)
	}
	if st := k.Message(r.Challenge.Ref).CallState; st != twofold.CallEnded {
		t.Errorf("the call is %q after Cancel, want ended", st)
	}
	if c := k.Challenge(r.Challenge.ID); c.State != twofold.ChallengeFailed {
		t.Errorf("the challenge is %s after Cancel, want failed", c.State)
	}
}

// Cancel on the interrupt while the new phone's call rings ends that call too.
func TestCancelEndsTheInterruptCall(t *testing.T) {
	k, _, r := interruptMember(t)
	ch, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneOffice, Region: "US", Number: "425 555 1234", Channel: twofold.ChannelVoice}, phoneClient)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.SignIn.Cancel(k.Ctx, r.FlowID, phoneClient); err != nil {
		t.Fatal(err)
	}
	if st := k.Message(ch.Ref).CallState; st != twofold.CallEnded {
		t.Errorf("the call is %q after Cancel, want ended", st)
	}
}
