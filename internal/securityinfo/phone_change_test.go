package securityinfo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Changing a number verifies the new number first; until then the old one stays.
func TestChangeNumber(t *testing.T) {
	for _, channel := range []string{twofold.ChannelSMS, twofold.ChannelVoice} {
		t.Run(channel, func(t *testing.T) {
			k, m := setup(t)
			p := k.Principal(m.token, client)
			ph := addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
			f, err := k.SecInfo.PhoneForm(k.Ctx, p, ph.ID)
			if err != nil || f.Changing == nil || f.Changing.ID != ph.ID || len(f.Types) != 1 || f.Types[0].Type != twofold.PhoneMobile {
				t.Fatalf("PhoneForm for a change: %+v, %v", f, err)
			}
			_, err = k.SecInfo.BeginPhone(k.Ctx, p, securityinfo.PhoneRequest{MethodID: ph.ID, Number: "+1 (425) 555-1234", Channel: channel})
			wantField(t, "change to the same number", err, "phoneNumber")
			before := count(k, m)
			s, err := k.SecInfo.BeginPhone(k.Ctx, p, securityinfo.PhoneRequest{MethodID: ph.ID, Number: "+44 7400 123456", Channel: channel})
			if err != nil {
				t.Fatalf("BeginPhone for a change: %v", err)
			}
			if s.Challenge.PhoneNumber != testkit.UKMob || s.Challenge.MethodID != ph.ID {
				t.Fatalf("challenge %+v, want the new number for the phone", s.Challenge)
			}
			if got, _ := k.Store.MethodByID(k.Ctx, m.User.ID, ph.ID); got.PhoneNumber != testkit.Mobile {
				t.Fatalf("number changed to %s before the new one was proven", got.PhoneNumber)
			}
			if channel == twofold.ChannelSMS && len(k.Sent(testkit.UKMob, twofold.ChannelSMS)) != 1 {
				t.Errorf("the code did not go to the new number")
			}
			got, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, prove(t, k, s.Challenge))
			if err != nil || got.ID != ph.ID || got.PhoneNumber != testkit.UKMob || got.PhoneType != twofold.PhoneMobile {
				t.Fatalf("FinishPhone: %+v, %v; want the same phone with the new number", got, err)
			}
			if ps := activePhones(t, k, m.Member); len(ps) != 1 || ps[0].PhoneNumber != testkit.UKMob {
				t.Fatalf("phones %+v", ps)
			}
			after := count(k, m)
			if after.events[twofold.ActivityUpdated] != before.events[twofold.ActivityUpdated]+1 || after.messages != before.messages+1 {
				t.Errorf("events %v → %v, notices %d → %d; want one update and one notice", before.events, after.events, before.messages, after.messages)
			}
			if !hasNotice(k, m.Member, "The number of your phone was changed to "+phone.Mask(testkit.UKMob)+".") {
				t.Errorf("no notice of the change naming the new number masked")
			}
		})
	}
}

func TestChangeRefusals(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	bob := newMember(t, k, m.Org, "bob")
	bobPhone := addPhone(t, k, k.Principal(bob.token, client), twofold.PhoneMobile, testkit.Mobile2, twofold.ChannelSMS)
	for name, id := range map[string]string{"another member's phone": bobPhone.ID, "an app": m.app.MethodID, "unknown": "nope"} {
		_, err := k.SecInfo.BeginPhone(k.Ctx, p, securityinfo.PhoneRequest{MethodID: id, Number: testkit.UKMob, Channel: twofold.ChannelSMS})
		wantCode(t, "change of "+name, err, twofold.ENOTFOUND)
	}
}

// FinishPhone only takes the session's newest verification.
func TestFinishPhoneChallengeID(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	first, err := begin(k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	if err != nil {
		t.Fatal(err)
	}
	second, err := begin(k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]string{"unknown": "no-such-challenge", "replaced": first.Challenge.ID} {
		_, err := k.SecInfo.FinishPhone(k.Ctx, p, id, k.Code(second.Challenge))
		wantCode(t, "FinishPhone with a "+name+" challenge", err, twofold.ENOTFOUND)
		_, err = k.SecInfo.PhoneStatus(k.Ctx, p, id)
		wantCode(t, "PhoneStatus of a "+name+" challenge", err, twofold.ENOTFOUND)
	}
	// Another session of the same member cannot finish it either.
	other := k.Principal(k.IssueSession(m.Member, m.app.MethodID, client), client)
	_, err = k.SecInfo.FinishPhone(k.Ctx, other, second.Challenge.ID, k.Code(second.Challenge))
	if err == nil {
		t.Fatal("another session finished this session's verification")
	}
	if _, err := k.SecInfo.FinishPhone(k.Ctx, p, second.Challenge.ID, k.Code(second.Challenge)); err != nil {
		t.Fatalf("FinishPhone with the newest challenge: %v", err)
	}
}

// Deleting the default phone moves the default to the strongest remaining
// choice (a call before a text); deleting the last leaves none.
func TestDeleteDefaultPhone(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	m := k.NewMember(org, "ada")
	mobile := k.AddPhone(m, twofold.PhoneMobile, testkit.Mobile)
	office := k.AddPhone(m, twofold.PhoneOffice, testkit.Office)
	k.SetDefault(m, twofold.PreferenceVoice)
	p := k.Principal(k.IssueSession(m, mobile.ID, client), client)
	if err := k.SecInfo.Delete(k.Ctx, p, mobile.ID); err != nil {
		t.Fatalf("Delete mobile: %v", err)
	}
	if got := k.User(m.User.ID).PreferredMethod; got != twofold.PreferenceVoiceOffice {
		t.Fatalf("default after deleting the mobile = %q, want voiceOffice", got)
	}
	if !hasNotice(k, m, "Your default sign-in method is now Office phone – call +44 2079460018.") {
		t.Errorf("no delete notice naming the new default")
	}
	if err := k.SecInfo.Delete(k.Ctx, p, office.ID); err != nil {
		t.Fatalf("Delete office: %v", err)
	}
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil || o.Default != twofold.PreferenceNone || !o.NoDefaultNotice || len(o.Methods) != 0 {
		t.Fatalf("Overview %+v, %v; want no methods and no default", o, err)
	}
	if got := k.User(m.User.ID).PreferredMethod; got != twofold.PreferenceNone {
		t.Errorf("stored default %q, want none", got)
	}
}

func TestDeleteAppMovesDefaultToCall(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); err != nil {
		t.Fatal(err)
	}
	if got := k.User(m.User.ID).PreferredMethod; got != twofold.PreferenceVoice {
		t.Fatalf("default after deleting the app = %q, want voiceMobile (a call before a text)", got)
	}
}

func TestSetDefaultBetweenTextAndCall(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[twofold.SignInPreference]string{}
	for _, c := range o.Choices {
		labels[c.Preference] = c.Label
	}
	if len(labels) != 3 || labels[twofold.PreferenceVoice] != "Phone – call +1 4255551234" || labels[twofold.PreferenceSMS] != "Phone – text +1 4255551234" {
		t.Fatalf("choices %v", labels)
	}
	for _, pref := range []twofold.SignInPreference{twofold.PreferenceSMS, twofold.PreferenceVoice, twofold.PreferenceSMS} {
		if err := k.SecInfo.SetDefault(k.Ctx, p, pref); err != nil {
			t.Fatalf("SetDefault(%s): %v", pref, err)
		}
		if got := k.User(m.User.ID).PreferredMethod; got != pref {
			t.Fatalf("default %q, want %q", got, pref)
		}
	}
	for _, bad := range []twofold.SignInPreference{twofold.PreferenceVoiceOffice, twofold.PreferenceVoiceAlternate} {
		wantField(t, "SetDefault("+string(bad)+")", k.SecInfo.SetDefault(k.Ctx, p, bad), "preference")
	}
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.Phone.Text = false })
	p = k.Principal(m.token, client)
	wantField(t, "SetDefault(sms) with texts disabled", k.SecInfo.SetDefault(k.Ctx, p, twofold.PreferenceSMS), "preference")
}

// A stale session proves its second factor again with a text or a call.
func TestReverifyByPhone(t *testing.T) {
	for _, pref := range []twofold.SignInPreference{twofold.PreferenceSMS, twofold.PreferenceVoice} {
		t.Run(string(pref), func(t *testing.T) {
			k := testkit.New(t)
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			ph := k.AddPhone(m, twofold.PhoneMobile, testkit.Mobile)
			token := k.IssueSession(m, ph.ID, client)
			k.Clock.Advance(10*time.Minute + time.Second)
			p := k.Principal(token, client)
			_, err := begin(k, p, twofold.PhoneOffice, testkit.Office, twofold.ChannelVoice)
			wantCode(t, "BeginPhone with a stale second factor", err, twofold.EREAUTH)
			if n := len(k.Sent(testkit.Office, "")); n != 0 {
				t.Fatalf("%d calls placed for a stale session", n)
			}
			opts, err := k.SecInfo.ReverifyOptions(k.Ctx, p)
			if err != nil || len(opts) != 2 {
				t.Fatalf("ReverifyOptions: %+v, %v; want call and text", opts, err)
			}
			_, err = k.SecInfo.ReverifyByPhone(k.Ctx, p, ph.ID, twofold.PreferenceVoiceOffice)
			wantCode(t, "ReverifyByPhone with an option the phone lacks", err, twofold.ENOTFOUND)
			ch, err := k.SecInfo.ReverifyByPhone(k.Ctx, p, ph.ID, pref)
			if err != nil || ch.Purpose != twofold.PurposeReverify {
				t.Fatalf("ReverifyByPhone: %+v, %v", ch, err)
			}
			if pref == twofold.PreferenceSMS {
				code := k.Code(ch)
				if _, err := k.SecInfo.Reverify(k.Ctx, p, ph.ID, otherCode(code)); !errors.Is(err, phone.ErrWrongCode) {
					t.Fatalf("Reverify of a wrong texted code: %v", err)
				}
				if n := k.User(m.User.ID).FailedMFA; n != 1 {
					t.Errorf("FailedMFA = %d, want the wrong code counted", n)
				}
				token, err = k.SecInfo.Reverify(k.Ctx, p, ph.ID, code)
			} else {
				if _, err := k.SecInfo.ReverifyCall(k.Ctx, p); !errors.Is(err, phone.ErrCallWaiting) {
					t.Fatalf("ReverifyCall while ringing: %v", err)
				}
				k.AnswerAndPress(k.Call(ch), "#")
				token, err = k.SecInfo.ReverifyCall(k.Ctx, p)
			}
			if err != nil {
				t.Fatalf("reverify: %v", err)
			}
			fresh := k.Principal(token, client)
			if !fresh.Session.MFAAt.Equal(k.Clock.Now()) || fresh.Session.MFAMethod != ph.ID {
				t.Fatalf("session MFA %v by %q, want now by the phone", fresh.Session.MFAAt, fresh.Session.MFAMethod)
			}
			addPhone(t, k, fresh, twofold.PhoneOffice, testkit.Office, twofold.ChannelVoice)
		})
	}
}
