package policy_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/policy"
)

func method(id string, kind twofold.MethodKind, state twofold.MethodState) *twofold.Method {
	return &twofold.Method{ID: id, Kind: kind, State: state}
}

var (
	app1    = method("app1", twofold.KindSoftwareOath, twofold.MethodActive)
	app2    = method("app2", twofold.KindSoftwareOath, twofold.MethodActive)
	pending = method("pend", twofold.KindSoftwareOath, twofold.MethodPending)
	key     = method("key1", twofold.KindFido2, twofold.MethodActive)
	email   = method("mail", twofold.KindEmail, twofold.MethodActive)
	sq      = method("sq", twofold.KindSecurityQuestions, twofold.MethodActive)
)

func pol(change func(p *twofold.Policy)) twofold.Policy {
	p := twofold.DefaultPolicy()
	// These tests are about second factors: the kinds that only prove a member
	// at password reset (email, security questions) are left out.
	p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2}
	if change != nil {
		change(&p)
	}
	return p
}

func enable(kinds ...twofold.MethodKind) func(p *twofold.Policy) {
	return func(p *twofold.Policy) { p.EnabledMethods = kinds }
}

func ids(ms []*twofold.Method) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestUsable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		p       twofold.Policy
		methods []*twofold.Method
		want    []string
	}{
		{"none", pol(nil), nil, nil},
		{"active apps", pol(nil), []*twofold.Method{app1, app2}, []string{"app1", "app2"}},
		{"pending app", pol(nil), []*twofold.Method{pending}, nil},
		{"email and questions are never a second factor", pol(enable(twofold.KindSoftwareOath, twofold.KindEmail, twofold.KindSecurityQuestions)), []*twofold.Method{email, sq, app1}, []string{"app1"}},
		{"key disabled by policy", pol(enable(twofold.KindSoftwareOath, twofold.KindPhone)), []*twofold.Method{key, app1}, []string{"app1"}},
		{"key enabled", pol(enable(twofold.KindSoftwareOath, twofold.KindFido2)), []*twofold.Method{key, app1}, []string{"key1", "app1"}},
		{"apps disabled after registering", pol(enable(twofold.KindFido2)), []*twofold.Method{app1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(methodkind.Usable(tc.p, tc.methods)); !slices.Equal(got, tc.want) {
				t.Errorf("Usable = %v, want %v", got, tc.want)
			}
			if got, want := methodkind.NeedsRegistration(tc.p, tc.methods), tc.p.MFARequired && len(tc.want) == 0; got != want {
				t.Errorf("NeedsRegistration = %v, want %v", got, want)
			}
		})
	}
	if methodkind.NeedsRegistration(pol(func(p *twofold.Policy) { p.MFARequired = false }), nil) {
		t.Error("NeedsRegistration without MFA required")
	}
}

func TestRegistrable(t *testing.T) {
	five := []*twofold.Method{app1, app2, method("a3", twofold.KindSoftwareOath, twofold.MethodActive),
		method("a4", twofold.KindSoftwareOath, twofold.MethodActive), method("a5", twofold.KindSoftwareOath, twofold.MethodActive)}
	both := []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone}
	all := []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2}
	oath := []twofold.MethodKind{twofold.KindSoftwareOath}
	phonesKeys := []twofold.MethodKind{twofold.KindPhone, twofold.KindFido2}
	appsOnly := enable(twofold.KindSoftwareOath)
	for _, tc := range []struct {
		name    string
		p       twofold.Policy
		methods []*twofold.Method
		want    []twofold.MethodKind
	}{
		// The default policy enables apps, phones and keys; phones have room until
		// the member holds every phone type (see TestPhoneRegistrable), and keys
		// once the member has another method.
		{"nothing yet", pol(nil), nil, both},
		{"below the limit", pol(nil), five[:4], all},
		{"at the default limit", pol(nil), five, phonesKeys},
		{"pending ones do not count", pol(nil), append(slices.Clone(five[:4]), pending), all},
		{"policy limit 1", pol(func(p *twofold.Policy) { p.MaxAuthenticatorApps = 1 }), five[:1], phonesKeys},
		// With apps alone, the app limit is all that decides.
		{"apps only, nothing yet", pol(appsOnly), nil, oath},
		{"apps only, below the limit", pol(appsOnly), five[:4], oath},
		{"apps only, at the default limit", pol(appsOnly), five, nil},
		{"apps only, pending ones do not count", pol(appsOnly), append(slices.Clone(five[:4]), pending), oath},
		{"apps only, policy limit 1", pol(func(p *twofold.Policy) { appsOnly(p); p.MaxAuthenticatorApps = 1 }), five[:1], nil},
		{"apps disabled", pol(enable(twofold.KindFido2)), nil, nil},
		{"keys need another method first", pol(enable(twofold.KindFido2, twofold.KindSoftwareOath)), nil, oath},
		{"keys only", pol(enable(twofold.KindFido2, twofold.KindSoftwareOath)), []*twofold.Method{key}, oath},
		{"keys at the policy limit", pol(func(p *twofold.Policy) { p.MaxSecurityKeys = 1 }), []*twofold.Method{app1, key}, both},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := methodkind.Registrable(tc.p, tc.methods); !slices.Equal(got, tc.want) {
				t.Errorf("Registrable = %v, want %v", got, tc.want)
			}
		})
	}
	if got := policy.CountKind(append(five, pending, key), twofold.KindSoftwareOath); got != 5 {
		t.Errorf("CountKind = %d, want 5", got)
	}
	// A member may hold one phone of each type the policy allows.
	if got := methodkind.Limit(pol(nil), twofold.KindPhone); got != 3 {
		t.Errorf("Limit(phone) = %d under the default policy, want 3 (mobile, alternate, office)", got)
	}
	textOnly := pol(func(p *twofold.Policy) { p.Phone.Call, p.Phone.AlternateMobile, p.Phone.Office = false, false, false })
	if got := methodkind.Limit(textOnly, twofold.KindPhone); got != 1 {
		t.Errorf("Limit(phone) = %d with texts only, want 1 (the mobile)", got)
	}
	if got := methodkind.Limit(pol(nil), twofold.KindFido2); got != 10 {
		t.Errorf("Limit(fido2) = %d under the default policy, want 10", got)
	}
}

func TestChoicesAndEffectiveDefault(t *testing.T) {
	both := pol(enable(twofold.KindSoftwareOath, twofold.KindFido2))
	for _, tc := range []struct {
		name    string
		p       twofold.Policy
		pref    twofold.SignInPreference
		methods []*twofold.Method
		choices []twofold.SignInPreference
		def     twofold.SignInPreference
	}{
		{"no methods", pol(nil), twofold.PreferenceOath, nil, nil, twofold.PreferenceNone},
		{"one app, no preference", pol(nil), "", []*twofold.Method{app1}, []twofold.SignInPreference{twofold.PreferenceOath}, twofold.PreferenceOath},
		{"two apps give one choice", pol(nil), twofold.PreferenceOath, []*twofold.Method{app1, app2}, []twofold.SignInPreference{twofold.PreferenceOath}, twofold.PreferenceOath},
		{"strongest first", both, "", []*twofold.Method{app1, key}, []twofold.SignInPreference{twofold.PreferenceFido2, twofold.PreferenceOath}, twofold.PreferenceFido2},
		{"preference kept", both, twofold.PreferenceOath, []*twofold.Method{key, app1}, []twofold.SignInPreference{twofold.PreferenceFido2, twofold.PreferenceOath}, twofold.PreferenceOath},
		{"unusable preference falls back", pol(enable(twofold.KindSoftwareOath, twofold.KindPhone)), twofold.PreferenceFido2, []*twofold.Method{key, app1}, []twofold.SignInPreference{twofold.PreferenceOath}, twofold.PreferenceOath},
		{"preference for a registered but disabled kind", pol(enable(twofold.KindFido2)), twofold.PreferenceOath, []*twofold.Method{app1}, nil, twofold.PreferenceNone},
		{"pending app", pol(nil), twofold.PreferenceOath, []*twofold.Method{pending}, nil, twofold.PreferenceNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []twofold.SignInPreference
			for _, c := range methodkind.Choices(tc.p, tc.methods) {
				got = append(got, c.Preference)
				if c.Label != methodkind.PreferenceLabel(c.Preference) || c.Label == "" {
					t.Errorf("choice %s labelled %q", c.Preference, c.Label)
				}
			}
			if !slices.Equal(got, tc.choices) {
				t.Errorf("Choices = %v, want %v", got, tc.choices)
			}
			u := &twofold.User{PreferredMethod: tc.pref}
			if d := methodkind.EffectiveDefault(tc.p, u, tc.methods); d != tc.def {
				t.Errorf("EffectiveDefault = %q, want %q", d, tc.def)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	for pref, want := range map[twofold.SignInPreference]string{
		twofold.PreferenceOath: "Authenticator app – code", twofold.PreferenceFido2: "Security key",
		twofold.PreferenceVoice: "Phone – call", twofold.PreferenceSMS: "Phone – text",
		twofold.PreferenceNone: "", "": "", "bogus": "",
	} {
		if got := methodkind.PreferenceLabel(pref); got != want {
			t.Errorf("PreferenceLabel(%q) = %q, want %q", pref, got, want)
		}
	}
	for kind, want := range map[twofold.MethodKind]string{
		twofold.KindSoftwareOath: "Authenticator app", twofold.KindPhone: "Phone", twofold.KindFido2: "Security key",
		twofold.KindEmail: "Email", twofold.KindSecurityQuestions: "Security questions", twofold.KindPassword: "Password",
		"futureKind": "futureKind",
	} {
		if got := methodkind.Label(kind); got != want {
			t.Errorf("KindLabel(%q) = %q, want %q", kind, got, want)
		}
	}
	if methodkind.Description(twofold.KindSoftwareOath) == "" || methodkind.Description(twofold.KindPhone) == "" ||
		methodkind.Description(twofold.KindEmail) == "" || methodkind.Description(twofold.KindPassword) != "" {
		t.Error("KindDescription: want a description for the registrable kinds only")
	}
	for m, want := range map[*twofold.Method][]twofold.SignInPreference{
		app1: {twofold.PreferenceOath}, key: {twofold.PreferenceFido2}, email: nil,
	} {
		if got := methodkind.Preferences(twofold.DefaultPolicy(), m); !slices.Equal(got, want) {
			t.Errorf("Preferences(%s) = %q, want %q", m.Kind, got, want)
		}
	}
}
