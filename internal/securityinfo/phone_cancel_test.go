package securityinfo_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Cancel while a new number's call rings hangs it up, and the number is not
// saved.
func TestCancelPhoneEndsTheCall(t *testing.T) {
	k := testkit.New(t)
	m, token := bareMember(t, k, k.NewOrg("contoso.com"), "ada")
	p := k.Principal(token, client)
	s, err := begin(k, p, twofold.PhoneOffice, testkit.Office, twofold.ChannelVoice)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.SecInfo.CancelPhone(k.Ctx, p, s.Challenge.ID); err != nil {
		t.Fatal(err)
	}
	if st := k.Message(s.Challenge.Ref).CallState; st != twofold.CallEnded {
		t.Errorf("the call is %q after Cancel, want ended", st)
	}
	if _, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, ""); err == nil {
		t.Error("a canceled call still saved the number")
	}
	if n := len(activePhones(t, k, m)); n != 0 {
		t.Errorf("%d phones saved", n)
	}
}
