package policy_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/policy"
)

func phoneMethod(id string, t twofold.PhoneType, number string) *twofold.Method {
	return &twofold.Method{ID: id, Kind: twofold.KindPhone, State: twofold.MethodActive, PhoneType: t, PhoneNumber: number}
}

var (
	mobile    = phoneMethod("mob", twofold.PhoneMobile, "+14255551234")
	alternate = phoneMethod("alt", twofold.PhoneAlternateMobile, "+14255550100")
	office    = phoneMethod("off", twofold.PhoneOffice, "+442079460018")
)

func phonePolicy(change func(p *twofold.PhonePolicy)) twofold.Policy {
	return pol(func(p *twofold.Policy) { change(&p.Phone) })
}

func TestPhonePreferences(t *testing.T) {
	const (
		call       = twofold.PreferenceVoice
		text       = twofold.PreferenceSMS
		alt        = twofold.PreferenceVoiceAlternate
		officeCall = twofold.PreferenceVoiceOffice
	)
	noText := phonePolicy(func(p *twofold.PhonePolicy) { p.Text = false })
	noCall := phonePolicy(func(p *twofold.PhonePolicy) { p.Call = false })
	noOffice := phonePolicy(func(p *twofold.PhonePolicy) { p.Office = false })
	for _, tc := range []struct {
		name string
		p    twofold.Policy
		m    *twofold.Method
		want []twofold.SignInPreference
	}{
		{"mobile: a call, then a text", pol(nil), mobile, []twofold.SignInPreference{call, text}},
		{"mobile, texts off", noText, mobile, []twofold.SignInPreference{call}},
		{"mobile, calls off", noCall, mobile, []twofold.SignInPreference{text}},
		{"alternate: calls only", pol(nil), alternate, []twofold.SignInPreference{alt}},
		{"alternate, calls to mobiles off", noCall, alternate, []twofold.SignInPreference{alt}},
		{"office: calls only", pol(nil), office, []twofold.SignInPreference{officeCall}},
		{"office, office phones off", noOffice, office, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := methodkind.Preferences(tc.p, tc.m); !slices.Equal(got, tc.want) {
				t.Errorf("Preferences = %v, want %v", got, tc.want)
			}
			usable := len(methodkind.Usable(tc.p, []*twofold.Method{tc.m})) == 1
			if usable != (len(tc.want) > 0) {
				t.Errorf("Usable = %v, want %v", usable, len(tc.want) > 0)
			}
		})
	}
	apps := pol(enable(twofold.KindSoftwareOath))
	if got := methodkind.Usable(apps, []*twofold.Method{mobile, office}); len(got) != 0 {
		t.Errorf("phones usable with phones disabled: %v", ids(got))
	}
}

func TestPhoneOptions(t *testing.T) {
	app := &twofold.Method{ID: "app", Kind: twofold.KindSoftwareOath, State: twofold.MethodActive, Name: "Work phone app"}
	var got []string
	for _, o := range methodkind.Options(pol(nil), []*twofold.Method{app, mobile, office}) {
		got = append(got, string(o.Preference)+"|"+o.Channel()+"|"+o.Label)
	}
	want := []string{
		"oath||Use a code from your authenticator app (Work phone app)",
		"voiceMobile|voice|Call +1 XXXXXXX234",
		"sms|sms|Text +1 XXXXXXX234",
		"voiceOffice|voice|Call +44 XXXXXXX018",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Options =\n%q\nwant\n%q", got, want)
	}
}

func TestPhoneChoicesAndDefault(t *testing.T) {
	app := &twofold.Method{ID: "app", Kind: twofold.KindSoftwareOath, State: twofold.MethodActive}
	noText := phonePolicy(func(p *twofold.PhonePolicy) { p.Text = false })
	for _, tc := range []struct {
		name    string
		p       twofold.Policy
		pref    twofold.SignInPreference
		methods []*twofold.Method
		labels  []string
		def     twofold.SignInPreference
	}{
		{"strongest first: app, calls (mobile, alternate, office), text", pol(nil), "",
			[]*twofold.Method{office, mobile, alternate, app},
			[]string{"Authenticator app – code", "Phone – call +1 4255551234", "Alternate phone – call +1 4255550100",
				"Office phone – call +44 2079460018", "Phone – text +1 4255551234"}, twofold.PreferenceOath},
		{"text kept as chosen", pol(nil), twofold.PreferenceSMS, []*twofold.Method{mobile, app},
			[]string{"Authenticator app – code", "Phone – call +1 4255551234", "Phone – text +1 4255551234"}, twofold.PreferenceSMS},
		{"text chosen, texts turned off: the call", noText, twofold.PreferenceSMS, []*twofold.Method{mobile},
			[]string{"Phone – call +1 4255551234"}, twofold.PreferenceVoice},
		{"no default: a call before a text", pol(nil), twofold.PreferenceNone, []*twofold.Method{mobile},
			[]string{"Phone – call +1 4255551234", "Phone – text +1 4255551234"}, twofold.PreferenceVoice},
		{"office only", pol(nil), twofold.PreferenceVoice, []*twofold.Method{office},
			[]string{"Office phone – call +44 2079460018"}, twofold.PreferenceVoiceOffice},
		{"phones off", pol(enable(twofold.KindSoftwareOath)), twofold.PreferenceSMS, []*twofold.Method{mobile}, nil, twofold.PreferenceNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var labels []string
			for _, c := range methodkind.Choices(tc.p, tc.methods) {
				labels = append(labels, c.Label)
			}
			if !slices.Equal(labels, tc.labels) {
				t.Errorf("Choices =\n%q\nwant\n%q", labels, tc.labels)
			}
			if d := methodkind.EffectiveDefault(tc.p, &twofold.User{PreferredMethod: tc.pref}, tc.methods); d != tc.def {
				t.Errorf("EffectiveDefault = %q, want %q", d, tc.def)
			}
		})
	}
}

func TestPhoneTypes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		p       twofold.Policy
		methods []*twofold.Method
		want    []twofold.PhoneType
	}{
		{"nil is no methods: no alternate before a mobile", pol(nil), nil, []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneOffice}},
		{"no phones yet: no alternate before a mobile", pol(nil), []*twofold.Method{}, []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneOffice}},
		{"an app only", pol(nil), []*twofold.Method{app1}, []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneOffice}},
		{"a mobile", pol(nil), []*twofold.Method{mobile}, []twofold.PhoneType{twofold.PhoneAlternateMobile, twofold.PhoneOffice}},
		{"all three", pol(nil), []*twofold.Method{mobile, alternate, office}, nil},
		{"a pending mobile does not count", pol(nil),
			[]*twofold.Method{{Kind: twofold.KindPhone, State: twofold.MethodPending, PhoneType: twofold.PhoneMobile}},
			[]twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneOffice}},
		{"office phones off", phonePolicy(func(p *twofold.PhonePolicy) { p.Office = false }), []*twofold.Method{mobile},
			[]twofold.PhoneType{twofold.PhoneAlternateMobile}},
		{"mobiles off", phonePolicy(func(p *twofold.PhonePolicy) { p.Text, p.Call, p.AlternateMobile = false, false, false }),
			[]*twofold.Method{}, []twofold.PhoneType{twofold.PhoneOffice}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := policy.PhoneTypes(tc.p, tc.methods); !slices.Equal(got, tc.want) {
				t.Errorf("PhoneTypes = %v, want %v", got, tc.want)
			}
		})
	}
	if got := methodkind.Registrable(pol(nil), []*twofold.Method{mobile, alternate, office}); !slices.Equal(got, []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindFido2}) {
		t.Errorf("Registrable with every phone = %v, want apps and keys", got)
	}
}

func TestPhoneChannels(t *testing.T) {
	sms, voice := twofold.ChannelSMS, twofold.ChannelVoice
	noText := phonePolicy(func(p *twofold.PhonePolicy) { p.Text = false })
	for _, tc := range []struct {
		p    twofold.Policy
		t    twofold.PhoneType
		want []string
	}{
		{pol(nil), twofold.PhoneMobile, []string{sms, voice}},
		{pol(nil), twofold.PhoneAlternateMobile, []string{voice}},
		{pol(nil), twofold.PhoneOffice, []string{voice}},
		{noText, twofold.PhoneMobile, []string{voice}},
		{pol(nil), "pager", nil},
	} {
		if got := policy.PhoneChannels(tc.p, tc.t); !slices.Equal(got, tc.want) {
			t.Errorf("PhoneChannels(%s) = %v, want %v", tc.t, got, tc.want)
		}
	}
	for pref, want := range map[twofold.SignInPreference]string{
		twofold.PreferenceSMS: sms, twofold.PreferenceVoice: voice, twofold.PreferenceVoiceAlternate: voice,
		twofold.PreferenceVoiceOffice: voice, twofold.PreferenceOath: "", twofold.PreferenceNone: "",
	} {
		if got := policy.Channel(pref); got != want {
			t.Errorf("Channel(%s) = %q, want %q", pref, got, want)
		}
	}
}
