package testkit

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
)

func TestPhoneHelpers(t *testing.T) {
	k := New(t)
	org := k.NewOrg("contoso.com")
	m := k.NewMember(org, "ada")
	ph := k.AddPhone(m, twofold.PhoneMobile, Mobile)
	k.SetDefault(m, twofold.PreferenceSMS)
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceSMS {
		t.Errorf("default %q, want sms", u.PreferredMethod)
	}
	if got, err := k.Store.MethodByID(k.Ctx, m.User.ID, ph.ID); err != nil || got.State != twofold.MethodActive || got.PhoneNumber != Mobile {
		t.Fatalf("stored phone %+v, %v", got, err)
	}
	if a := k.NewAdmin(org, "root"); a.User.Role != twofold.RoleAdmin {
		t.Errorf("NewAdmin role %q", a.User.Role)
	}

	r := phone.Request{User: m.User, Org: org, Binding: "flow:x", Purpose: twofold.PurposeSignIn,
		Channel: twofold.ChannelSMS, MethodID: ph.ID, PhoneType: twofold.PhoneMobile, Number: Mobile}
	ch, err := k.Phone.Send(k.Ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	code := k.Code(ch)
	if len(code) != 6 || code != k.LastCode(Mobile) {
		t.Fatalf("Code = %q, LastCode = %q", code, k.LastCode(Mobile))
	}
	if _, err := k.Phone.CheckCode(k.Ctx, "flow:x", twofold.PurposeSignIn, code); err != nil {
		t.Fatalf("the extracted code does not work: %v", err)
	}
	r.Channel, r.Binding = twofold.ChannelVoice, "flow:y"
	call, err := k.Phone.Send(k.Ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if got := k.RingingCall(Mobile); got.ID != k.Call(call).ID {
		t.Fatalf("RingingCall %s, want %s", got.ID, call.Ref)
	}
	k.AnswerAndPress(k.Call(call), "#")
	if c := k.Challenge(call.ID); c.State != twofold.ChallengeVerified {
		t.Fatalf("call %s after #", c.State)
	}

	for mfa, want := range map[string]bool{"": true, ph.ID: false} {
		p := k.Principal(k.IssueSession(m, mfa, Client("192.0.2.1")), Client("192.0.2.1"))
		if p.Session.MFAAt.IsZero() != want || p.Session.MFAMethod != mfa {
			t.Errorf("IssueSession(%q): MFA %v by %q", mfa, p.Session.MFAAt, p.Session.MFAMethod)
		}
	}
}
