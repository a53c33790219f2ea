package securityinfo_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A number the member already has, under any phone type, is refused before
// anything is sent, so sign-in never lists two identical "Call …" choices.
func TestPhoneNumberAlreadyUsed(t *testing.T) {
	k := testkit.New(t)
	m, token := bareMember(t, k, k.NewOrg("contoso.com"), "ada")
	p := k.Principal(token, client)
	addPhone(t, k, p, twofold.PhoneOffice, testkit.Mobile, twofold.ChannelVoice)
	mobile := addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile2, twofold.ChannelSMS)
	sent := len(k.Sent("", ""))

	_, err := begin(k, p, twofold.PhoneAlternateMobile, "+1 425 555 1234", twofold.ChannelVoice)
	wantField(t, "adding the office number again", err, "phoneNumber")
	if got, want := twofold.ErrorMessage(err), "You already use +1 4255551234 as your office phone. Enter a different number."; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	_, err = k.SecInfo.BeginPhone(k.Ctx, p, securityinfo.PhoneRequest{MethodID: mobile.ID, Number: testkit.Mobile, Channel: twofold.ChannelSMS})
	wantField(t, "changing the mobile to the office number", err, "phoneNumber")
	if n := len(k.Sent("", "")); n != sent {
		t.Errorf("%d texts or calls went out for a number already in use", n-sent)
	}
	if n := len(activePhones(t, k, m)); n != 2 {
		t.Errorf("%d phones, want 2", n)
	}
}
