package securityinfo_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A phone verified by a text that the policy stopped allowing after it was
// sent is not saved: the check made when it was sent is made again at the end.
func TestFinishPhoneAfterTextsDisabledRefused(t *testing.T) {
	k, m := setup(t)
	started, err := begin(k, k.Principal(m.token, client), twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	if err != nil {
		t.Fatalf("BeginPhone: %v", err)
	}
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.Phone.Text = false })
	p := k.Principal(m.token, client) // the next request reads the new policy
	_, err = k.SecInfo.FinishPhone(k.Ctx, p, started.Challenge.ID, k.Code(started.Challenge))
	wantCode(t, "FinishPhone after texts were disabled", err, twofold.EFORBIDDEN)
	if phones := activePhones(t, k, m.Member); len(phones) != 0 {
		t.Errorf("phones saved: %+v", phones)
	}
}
