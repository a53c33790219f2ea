package signin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// The interrupt refuses a number the member already has as a phone (here one the
// policy no longer lets them use), before anything is sent.
func TestInterruptRefusesNumberAlreadyUsed(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	m := k.NewMember(org, "ada")
	k.AddPhone(m, twofold.PhoneOffice, testkit.Mobile)
	k.SetPolicy(org, func(p *twofold.Policy) { p.Phone.Office = false })
	r := startFlow(t, k, m, phoneClient, twofold.FlowRegistrationRequired)
	_, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, r.FlowID, signin.PhoneRegistration{
		Type: twofold.PhoneMobile, Number: "+1 425 555 1234", Channel: twofold.ChannelSMS}, phoneClient)
	want := "You already use +1 4255551234 as your office phone. Enter a different number."
	if twofold.ErrorField(err) != "phoneNumber" || twofold.ErrorMessage(err) != want {
		t.Fatalf("BeginPhoneRegistration = %v; want %q on phoneNumber", err, want)
	}
	if n := len(k.Sent("", "")); n != 0 {
		t.Errorf("%d texts or calls went out for a number already in use", n)
	}
}
