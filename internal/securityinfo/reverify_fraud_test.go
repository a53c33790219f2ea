package securityinfo_test

import (
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// 0# on a re-verification call: the member did not ask for it, so whoever holds
// the session that did is signed out, in the transaction that blocks MFA, and
// the notice says what was stopped.
func TestFraudOnReverifyCallEndsSession(t *testing.T) {
	k, m := setup(t)
	ph := k.AddPhone(m.Member, twofold.PhoneMobile, testkit.Mobile)
	p := k.Principal(m.token, client)
	ch, err := k.SecInfo.ReverifyByPhone(k.Ctx, p, ph.ID, twofold.PreferenceVoice)
	if err != nil {
		t.Fatalf("ReverifyByPhone: %v", err)
	}
	k.AnswerAndPress(k.Call(ch), "0#")

	if _, err := k.Session.Authenticate(k.Ctx, m.token, client); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
		t.Errorf("session after 0# on its re-verification call: %v, want it signed out", err)
	}
	if u := k.User(m.User.ID); !k.Clock.Now().Before(u.MFABlockedUntil) {
		t.Errorf("MFABlockedUntil = %v, want blocked", u.MFABlockedUntil)
	}
	var notice *twofold.Message // messages at one fake instant have no order, so look for it
	for _, msg := range k.Messages(m.Member) {
		if strings.Contains(msg.Body, "as fraud") {
			notice = msg
		}
	}
	switch {
	case notice == nil:
		t.Fatal("no fraud notice to the member")
	case strings.Contains(notice.Body, "sign-in"):
		t.Errorf("notice speaks of a sign-in, but the call was a re-verification:\n%s", notice.Body)
	case !strings.Contains(notice.Body, "signed out the session that asked"):
		t.Errorf("notice does not say the session was signed out:\n%s", notice.Body)
	}
}
