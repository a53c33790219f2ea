package methodkind

import (
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/policy"
)

// appKind is the authenticator app (TOTP).
type appKind struct{}

func (appKind) Name() twofold.MethodKind { return twofold.KindSoftwareOath }
func (appKind) Label() string            { return "Authenticator app" }
func (appKind) Description() string {
	return "Use an app on your phone, such as Microsoft Authenticator or Google Authenticator, to get sign-in codes."
}

func (appKind) PreferenceLabel(pref twofold.SignInPreference) string {
	if pref == twofold.PreferenceOath {
		return "Authenticator app – code"
	}
	return ""
}

// OptionLabel puts the kind first: apps are often named after the device they
// are on ("Work phone"), and the option must never read like a phone.
func (a appKind) OptionLabel(m *twofold.Method, _ twofold.SignInPreference) string {
	if m.Name == "" || m.Name == a.Label() {
		return "Use a code from your authenticator app"
	}
	return "Use a code from your authenticator app (" + m.Name + ")"
}

func (a appKind) ChoiceLabel(_ *twofold.Method, pref twofold.SignInPreference) string {
	return a.PreferenceLabel(pref)
}

func (a appKind) Describe(m *twofold.Method) string      { return describeNamed(a.Label(), m) }
func (a appKind) Row(m *twofold.Method) (string, string) { return a.Label(), m.Name }

// describeNamed names a method by its kind and the member's name for it.
func describeNamed(label string, m *twofold.Method) string {
	return fmt.Sprintf("%s (%q)", label, m.Name)
}

// keyKind is the security key (FIDO2): a key or passkey registered on
// Security info.
type keyKind struct{}

func (keyKind) Name() twofold.MethodKind { return twofold.KindFido2 }
func (keyKind) Label() string            { return "Security key" }
func (keyKind) Description() string {
	return "Use a security key or a passkey on your device, such as a YubiKey or your fingerprint."
}
func (k keyKind) PreferenceLabel(pref twofold.SignInPreference) string {
	if pref == twofold.PreferenceFido2 {
		return k.Label()
	}
	return ""
}
func (k keyKind) OptionLabel(_ *twofold.Method, pref twofold.SignInPreference) string {
	return k.PreferenceLabel(pref)
}
func (k keyKind) ChoiceLabel(_ *twofold.Method, pref twofold.SignInPreference) string {
	return k.PreferenceLabel(pref)
}
func (k keyKind) Describe(m *twofold.Method) string      { return describeNamed(k.Label(), m) }
func (k keyKind) Row(m *twofold.Method) (string, string) { return k.Label(), m.Name }

func (appKind) Preferences(twofold.Policy, *twofold.Method) []twofold.SignInPreference {
	return []twofold.SignInPreference{twofold.PreferenceOath}
}
func (appKind) Limit(p twofold.Policy) int { return p.MaxAuthenticatorApps }
func (a appKind) Room(p twofold.Policy, methods []*twofold.Method) bool {
	return room(a, a.Name(), p, methods)
}
func (appKind) Restricted() bool { return false }

// A security key offers itself as the strongest default, up to the policy's
// number of keys per member.
func (keyKind) Preferences(twofold.Policy, *twofold.Method) []twofold.SignInPreference {
	return []twofold.SignInPreference{twofold.PreferenceFido2}
}
func (keyKind) Limit(p twofold.Policy) int { return p.MaxSecurityKeys }

// Room also needs a method other than keys: keys alone would lock out a
// member who loses them.
func (k keyKind) Room(p twofold.Policy, methods []*twofold.Method) bool {
	return room(k, k.Name(), p, methods) && policy.CountKind(methods, k.Name()) < len(methods)
}
func (keyKind) Restricted() bool  { return false }
func (appKind) AtInterrupt() bool { return true }
func (keyKind) AtInterrupt() bool { return false }
