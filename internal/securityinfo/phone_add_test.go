package securityinfo_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/testkit"
)

func TestAddMobileByText(t *testing.T) {
	k := testkit.New(t)
	m, token := bareMember(t, k, k.NewOrg("contoso.com"), "ada")
	p := k.Principal(token, client)
	s, err := begin(k, p, twofold.PhoneMobile, "+1 425 555 1234", twofold.ChannelSMS)
	if err != nil {
		t.Fatalf("BeginPhone: %v", err)
	}
	ch := s.Challenge
	if s.Number.E164 != testkit.Mobile || s.Number.Extension != "" || ch.Purpose != twofold.PurposeRegister || ch.PhoneNumber != testkit.Mobile {
		t.Fatalf("started %+v, challenge %+v", s.Number, ch)
	}
	if n := len(activePhones(t, k, m)); n != 0 {
		t.Fatalf("%d phones saved before the number was proven", n)
	}
	if n := len(k.Events(m.User.ID, twofold.ActivityStartedRegister)); n != 1 {
		t.Errorf("%d %q events, want 1", n, twofold.ActivityStartedRegister)
	}
	if st, err := k.SecInfo.PhoneStatus(k.Ctx, p, ch.ID); err != nil || st.State != twofold.ChallengeSent {
		t.Fatalf("PhoneStatus: %+v, %v", st, err)
	}
	code := k.Code(ch)
	if _, err := k.SecInfo.FinishPhone(k.Ctx, p, ch.ID, otherCode(code)); !errors.Is(err, phone.ErrWrongCode) {
		t.Fatalf("FinishPhone with a wrong code: %v, want ErrWrongCode", err)
	}
	if n := len(activePhones(t, k, m)); n != 0 {
		t.Fatalf("a wrong code saved the phone")
	}
	before := count(k, &member{Member: m})
	got, err := k.SecInfo.FinishPhone(k.Ctx, p, ch.ID, code)
	if err != nil {
		t.Fatalf("FinishPhone: %v", err)
	}
	if got.PhoneNumber != testkit.Mobile || got.PhoneType != twofold.PhoneMobile || got.State != twofold.MethodActive || got.Kind != twofold.KindPhone {
		t.Fatalf("method %+v", got)
	}
	if ps := activePhones(t, k, m); len(ps) != 1 || ps[0].ID != got.ID || ps[0].PhoneNumber != testkit.Mobile {
		t.Fatalf("stored phones %+v", ps)
	}
	// The first second factor becomes the default: here the text it was proven by.
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceSMS || p.User.PreferredMethod != twofold.PreferenceSMS {
		t.Errorf("default %q (principal %q), want sms", u.PreferredMethod, p.User.PreferredMethod)
	}
	after := count(k, &member{Member: m})
	if after.events[twofold.ActivityRegistered] != before.events[twofold.ActivityRegistered]+1 || after.messages != before.messages+1 {
		t.Errorf("events %v → %v, notices %d → %d; want one registration and one notice", before.events, after.events, before.messages, after.messages)
	}
	e := k.Events(m.User.ID, twofold.ActivityRegistered)[0]
	if strings.Contains(e.Reason, testkit.Mobile) || !strings.Contains(e.Reason, phone.Mask(testkit.Mobile)) || e.IP != client.IP {
		t.Errorf("registration event %+v, want the number masked and the client", e)
	}
}

// A member with an app adds a mobile: the app stays the default, the code works
// once, and the page lists the phone.
func TestAddMobileKeepsDefault(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	s, err := k.SecInfo.BeginPhone(k.Ctx, p, securityinfo.PhoneRequest{ // with the country picker
		Type: twofold.PhoneMobile, Region: "US", Number: "(425) 555-1234", Channel: twofold.ChannelSMS,
	})
	if err != nil {
		t.Fatal(err)
	}
	code := k.Code(s.Challenge)
	got, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, code)
	if err != nil {
		t.Fatalf("FinishPhone: %v", err)
	}
	if _, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, code); !errors.Is(err, phone.ErrCodeUsed) {
		t.Errorf("FinishPhone again with the used code: %v, want ErrCodeUsed", err)
	}
	if n := len(activePhones(t, k, m.Member)); n != 1 {
		t.Errorf("%d phones after a replay, want 1", n)
	}
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil || len(o.Methods) != 2 || o.Default != twofold.PreferenceOath {
		t.Fatalf("Overview %+v, %v; want the app and the phone, the app as default", o, err)
	}
	var row securityinfo.Row
	for _, r := range o.Methods {
		if r.Method.Kind == twofold.KindPhone {
			row = r
		}
	}
	if row.Method == nil || row.Method.ID != got.ID || row.Label != "Phone" || row.Detail != "+1 4255551234" || !row.Changeable || !row.Deletable {
		t.Errorf("phone row %+v", row)
	}
}

func TestAddMobileByCall(t *testing.T) {
	k := testkit.New(t)
	m, token := bareMember(t, k, k.NewOrg("contoso.com"), "ada")
	p := k.Principal(token, client)
	s, err := begin(k, p, twofold.PhoneMobile, "+1 425 555 1234", twofold.ChannelVoice)
	if err != nil {
		t.Fatalf("BeginPhone: %v", err)
	}
	if _, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, ""); !errors.Is(err, phone.ErrCallWaiting) {
		t.Fatalf("FinishPhone while the call rings: %v, want ErrCallWaiting", err)
	}
	k.AnswerAndPress(k.RingingCall(testkit.Mobile), "#")
	if st, err := k.SecInfo.PhoneStatus(k.Ctx, p, s.Challenge.ID); err != nil || st.State != twofold.ChallengeVerified {
		t.Fatalf("PhoneStatus after #: %+v, %v", st, err)
	}
	got, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, "")
	if err != nil || got.PhoneNumber != testkit.Mobile {
		t.Fatalf("FinishPhone: %+v, %v", got, err)
	}
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceVoice {
		t.Errorf("default %q, want voiceMobile (proven by a call)", u.PreferredMethod)
	}
}

// "+1 4255551234X12345 becomes +1 4255551234, and the member is told so".
func TestExtensionIsRemoved(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	s, err := begin(k, p, twofold.PhoneOffice, "+1 4255551234X12345", twofold.ChannelVoice)
	if err != nil {
		t.Fatalf("BeginPhone: %v", err)
	}
	if s.Number.E164 != "+14255551234" || s.Number.Extension != "12345" || s.Number.Display() != "+1 4255551234" {
		t.Fatalf("number %+v, want +14255551234 with extension 12345 reported", s.Number)
	}
	if call := k.Call(s.Challenge); call.To != "+14255551234" {
		t.Fatalf("call went to %q", call.To)
	}
	k.AnswerAndPress(k.Call(s.Challenge), "#")
	got, err := k.SecInfo.FinishPhone(k.Ctx, p, s.Challenge.ID, "")
	if err != nil || got.PhoneNumber != "+14255551234" || got.PhoneType != twofold.PhoneOffice {
		t.Fatalf("FinishPhone: %+v, %v", got, err)
	}
	if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceOath {
		t.Errorf("default %q, want the app kept", u.PreferredMethod)
	}
}

// Numbers no text or call should go to are refused on the field, with nothing sent.
func TestPhoneNumberRefused(t *testing.T) {
	for _, tc := range []struct {
		name, number, channel string
		allowed               []int
	}{
		{"invalid", "+1 555 555 5555", twofold.ChannelSMS, nil},
		{"not a number", "call me maybe", twofold.ChannelSMS, nil},
		{"toll-free", "+1 800 555 0199", twofold.ChannelVoice, nil},
		{"premium-rate", "+1 900 555 0199", twofold.ChannelVoice, nil},
		{"country not allowed", "+1 425 555 1234", twofold.ChannelSMS, []int{44}},
		{"landline for a text", "+44 20 7946 0018", twofold.ChannelSMS, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, m := setup(t)
			if tc.allowed != nil {
				k.SetPolicy(m.Org, func(p *twofold.Policy) { p.Phone.AllowedCountryCodes = tc.allowed })
			}
			_, err := begin(k, k.Principal(m.token, client), twofold.PhoneMobile, tc.number, tc.channel)
			wantField(t, "BeginPhone "+tc.number, err, "phoneNumber")
			if twofold.ErrorMessage(err) == "" {
				t.Error("no reason given")
			}
			if n := len(k.Sent("", twofold.ChannelSMS)) + len(k.Sent("", twofold.ChannelVoice)); n != 0 {
				t.Errorf("%d texts or calls sent for a refused number", n)
			}
		})
	}
}

func TestPhoneForm(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	types := func() map[twofold.PhoneType][]string {
		t.Helper()
		f, err := k.SecInfo.PhoneForm(k.Ctx, p, "")
		if err != nil {
			t.Fatalf("PhoneForm: %v", err)
		}
		if len(f.Countries) == 0 {
			t.Error("no countries to pick from")
		}
		out := map[twofold.PhoneType][]string{}
		for _, c := range f.Types {
			out[c.Type] = c.Channels
		}
		return out
	}
	got := types()
	if len(got) != 2 || !slices.Equal(got[twofold.PhoneMobile], []string{twofold.ChannelSMS, twofold.ChannelVoice}) ||
		!slices.Equal(got[twofold.PhoneOffice], []string{twofold.ChannelVoice}) {
		t.Fatalf("types before any phone: %v, want mobile (text, call) and office (call); no alternate without a mobile", got)
	}
	addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	if got := types(); len(got) != 2 || got[twofold.PhoneMobile] != nil || !slices.Equal(got[twofold.PhoneAlternateMobile], []string{twofold.ChannelVoice}) {
		t.Fatalf("types with a mobile: %v, want alternate and office", got)
	}
	addPhone(t, k, p, twofold.PhoneAlternateMobile, testkit.Mobile2, twofold.ChannelVoice)
	addPhone(t, k, p, twofold.PhoneOffice, testkit.Office, twofold.ChannelVoice)
	_, err := k.SecInfo.PhoneForm(k.Ctx, p, "")
	wantCode(t, "PhoneForm with every phone", err, twofold.ECONFLICT)
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath} })
	_, err = k.SecInfo.PhoneForm(k.Ctx, k.Principal(m.token, client), "")
	wantCode(t, "PhoneForm with phones disabled", err, twofold.EFORBIDDEN)
}

// What each phone type may do: an office phone is only called, an alternate
// mobile needs a mobile, and there is one phone of each type.
func TestPhoneTypeRules(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	_, err := begin(k, p, twofold.PhoneOffice, testkit.Office, twofold.ChannelSMS)
	wantField(t, "text to an office phone", err, "method")
	_, err = begin(k, p, twofold.PhoneAlternateMobile, testkit.Mobile2, twofold.ChannelVoice)
	wantField(t, "alternate mobile without a mobile", err, "phoneType")
	_, err = begin(k, p, "pager", testkit.Mobile, twofold.ChannelVoice)
	wantField(t, "unknown phone type", err, "phoneType")
	_, err = begin(k, p, twofold.PhoneMobile, testkit.Mobile, "carrier pigeon")
	wantField(t, "unknown channel", err, "method")
	addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	_, err = begin(k, p, twofold.PhoneMobile, testkit.UKMob, twofold.ChannelSMS)
	wantField(t, "second mobile", err, "phoneType")
	_, err = begin(k, p, twofold.PhoneAlternateMobile, testkit.Mobile2, twofold.ChannelSMS)
	wantField(t, "text to an alternate mobile", err, "method")
	addPhone(t, k, p, twofold.PhoneAlternateMobile, testkit.Mobile2, twofold.ChannelVoice)
	if n := len(activePhones(t, k, m.Member)); n != 2 {
		t.Fatalf("%d phones, want mobile and alternate", n)
	}
	n := len(k.Sent("", twofold.ChannelVoice))
	for _, msg := range k.Sent("", twofold.ChannelSMS) {
		if !strings.HasPrefix(msg.Body, notify.NoticeTextPrefix) { // the security notices of the two phones
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d texts and calls, want only the two verifications", n)
	}
}

// A member with no second factor at all is not offered an alternate mobile either.
func TestAlternateNeedsMobileWithNoMethods(t *testing.T) {
	k := testkit.New(t)
	m, token := bareMember(t, k, k.NewOrg("contoso.com"), "ada")
	p := k.Principal(token, client)
	f, err := k.SecInfo.PhoneForm(k.Ctx, p, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Types {
		if c.Type == twofold.PhoneAlternateMobile {
			t.Errorf("alternate mobile offered to a member without a mobile: %+v", f.Types)
		}
	}
	_, err = begin(k, p, twofold.PhoneAlternateMobile, testkit.Mobile2, twofold.ChannelVoice)
	wantField(t, "alternate mobile as the first phone", err, "phoneType")
	if n := len(activePhones(t, k, m)); n != 0 {
		t.Errorf("%d phones saved", n)
	}
}

// Two sessions verify a mobile each: the second to finish is refused, because a
// member has one mobile.
func TestSecondMobileRace(t *testing.T) {
	k, m := setup(t)
	p1 := k.Principal(m.token, client)
	p2 := k.Principal(k.IssueSession(m.Member, m.app.MethodID, client), client)
	s1, err1 := begin(k, p1, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	s2, err2 := begin(k, p2, twofold.PhoneMobile, testkit.UKMob, twofold.ChannelSMS)
	if err1 != nil || err2 != nil {
		t.Fatalf("BeginPhone: %v, %v", err1, err2)
	}
	if _, err := k.SecInfo.FinishPhone(k.Ctx, p1, s1.Challenge.ID, k.Code(s1.Challenge)); err != nil {
		t.Fatalf("first FinishPhone: %v", err)
	}
	_, err := k.SecInfo.FinishPhone(k.Ctx, p2, s2.Challenge.ID, k.Code(s2.Challenge))
	wantCode(t, "second mobile", err, twofold.ECONFLICT)
	if ps := activePhones(t, k, m.Member); len(ps) != 1 || ps[0].PhoneNumber != testkit.Mobile {
		t.Fatalf("phones %+v, want only the first mobile", ps)
	}
}
