package policy

import "github.com/twofold-id/twofold"

// Usable returns the member's active methods that can be a second factor now: MFA
// capable and enabled by the policy. A disabled method is never usable, even if it
// was registered before the policy changed.
func Usable(p twofold.Policy, methods []*twofold.Method) []*twofold.Method {
	var out []*twofold.Method
	for _, m := range methods {
		if m.State == twofold.MethodActive && m.MFACapable() && p.MethodEnabled(m.Kind) {
			out = append(out, m)
		}
	}
	return out
}

// NeedsRegistration reports whether the member must register a second factor before
// a session is issued (the "More information required" interrupt).
func NeedsRegistration(p twofold.Policy, methods []*twofold.Method) bool {
	return p.MFARequired && len(Usable(p, methods)) == 0
}

// CountKind returns how many active methods of kind the member has.
func CountKind(methods []*twofold.Method, kind twofold.MethodKind) int {
	n := 0
	for _, m := range methods {
		if m.Kind == kind && m.State == twofold.MethodActive {
			n++
		}
	}
	return n
}

// Limit returns how many methods of kind a member may hold under p.
func Limit(p twofold.Policy, kind twofold.MethodKind) int {
	switch kind {
	case twofold.KindSoftwareOath:
		return p.MaxAuthenticatorApps
	default:
		return 0 // not registrable yet
	}
}

// Registrable lists the kinds the member may add now, in the order the Add page
// offers them: enabled by policy, implemented, and below the limit.
func Registrable(p twofold.Policy, methods []*twofold.Method) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range []twofold.MethodKind{twofold.KindSoftwareOath} {
		if p.MethodEnabled(k) && CountKind(methods, k) < Limit(p, k) {
			out = append(out, k)
		}
	}
	return out
}

// PreferenceOf returns the default-sign-in value that selects method m.
func PreferenceOf(m *twofold.Method) twofold.SignInPreference {
	switch m.Kind {
	case twofold.KindSoftwareOath:
		return twofold.PreferenceOath
	case twofold.KindFido2:
		return twofold.PreferenceFido2
	default:
		return twofold.PreferenceNone
	}
}

// Choice is one option of the "Change default sign-in method" list.
type Choice struct {
	Preference twofold.SignInPreference
	Label      string
}

// Choices lists the default sign-in methods the member can pick: one per usable
// preference, in order of strength.
func Choices(p twofold.Policy, methods []*twofold.Method) []Choice {
	have := map[twofold.SignInPreference]bool{}
	for _, m := range Usable(p, methods) {
		have[PreferenceOf(m)] = true
	}
	var out []Choice
	for _, pref := range strength {
		if have[pref] {
			out = append(out, Choice{Preference: pref, Label: PreferenceLabel(pref)})
		}
	}
	return out
}

// strength orders defaults from strongest to weakest (SPEC §3): security key, then
// authenticator app, then phone call, then text.
var strength = []twofold.SignInPreference{
	twofold.PreferenceFido2, twofold.PreferenceOath, twofold.PreferenceVoice, twofold.PreferenceSMS,
}

// EffectiveDefault returns the member's default if it is still usable, otherwise the
// strongest usable choice, otherwise PreferenceNone.
func EffectiveDefault(p twofold.Policy, u *twofold.User, methods []*twofold.Method) twofold.SignInPreference {
	choices := Choices(p, methods)
	for _, c := range choices {
		if c.Preference == u.PreferredMethod {
			return c.Preference
		}
	}
	if len(choices) > 0 {
		return choices[0].Preference
	}
	return twofold.PreferenceNone
}

// PreferenceLabel names a default sign-in method for people.
func PreferenceLabel(pref twofold.SignInPreference) string {
	switch pref {
	case twofold.PreferenceOath:
		return "Authenticator app – code"
	case twofold.PreferenceFido2:
		return "Security key"
	case twofold.PreferenceVoice:
		return "Phone – call"
	case twofold.PreferenceSMS:
		return "Phone – text"
	default:
		return ""
	}
}

// KindLabel names a method kind for people.
func KindLabel(k twofold.MethodKind) string {
	switch k {
	case twofold.KindSoftwareOath:
		return "Authenticator app"
	case twofold.KindPhone:
		return "Phone"
	case twofold.KindFido2:
		return "Security key"
	case twofold.KindEmail:
		return "Email"
	case twofold.KindSecurityQuestions:
		return "Security questions"
	case twofold.KindPassword:
		return "Password"
	default:
		return string(k)
	}
}

// KindDescription is the one-line help shown when choosing a method to add.
func KindDescription(k twofold.MethodKind) string {
	switch k {
	case twofold.KindSoftwareOath:
		return "Use an app on your phone, such as Microsoft Authenticator or Google Authenticator, to get sign-in codes."
	default:
		return ""
	}
}
