package methodkind

import (
	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/policy"
)

// Rules is what a kind decides under a policy. Together with the labels they
// make a Kind.
type Rules interface {
	// Preferences returns the default-sign-in values m offers under p, strongest
	// first; none when the policy allows no way to use it.
	Preferences(p twofold.Policy, m *twofold.Method) []twofold.SignInPreference
	// Limit is how many methods of the kind a member may hold under p; 0 for a
	// kind that cannot be registered (yet).
	Limit(p twofold.Policy) int
	// Room reports whether the member, with methods, may add one more.
	Room(p twofold.Policy, methods []*twofold.Method) bool
	// Restricted reports whether the kind is a restricted authenticator in NIST
	// SP 800-63B terms (§3.1.3.3): a member who may use one must always be able
	// to choose a stronger method.
	Restricted() bool
	// AtInterrupt reports whether the sign-in interrupt ("More information
	// required") can register the kind, as well as Security info.
	AtInterrupt() bool
}

// Usable returns the member's active methods that can be a second factor now: MFA
// capable, enabled by the policy, and reachable in a way the policy allows (a
// phone by a text or call). A disabled method is never usable, even if it was
// registered before the policy changed.
func Usable(p twofold.Policy, methods []*twofold.Method) []*twofold.Method {
	var out []*twofold.Method
	for _, m := range methods {
		if m.State == twofold.MethodActive && m.MFACapable() && p.MethodEnabled(m.Kind) && len(Preferences(p, m)) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// Preferences returns the default-sign-in values method m offers under p,
// strongest first: a mobile phone offers a call and a text, each only if the
// policy allows it.
func Preferences(p twofold.Policy, m *twofold.Method) []twofold.SignInPreference {
	return Of(m.Kind).Preferences(p, m)
}

// NeedsRegistration reports whether the member must register a second factor before
// a session is issued (the "More information required" interrupt).
func NeedsRegistration(p twofold.Policy, methods []*twofold.Method) bool {
	return p.MFARequired && len(Usable(p, methods)) == 0
}

// Limit returns how many methods of kind a member may hold under p.
func Limit(p twofold.Policy, kind twofold.MethodKind) int { return Of(kind).Limit(p) }

// Restricted reports whether kind is a restricted authenticator (a text or a
// call can be redirected by a SIM swap or a compromised phone network).
func Restricted(kind twofold.MethodKind) bool { return Of(kind).Restricted() }

// Registrable lists the kinds the member may add now, in the order the Add page
// offers them: enabled by policy, implemented, and with room for one more.
func Registrable(p twofold.Policy, methods []*twofold.Method) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range kinds {
		if p.MethodEnabled(k.Name()) && k.Room(p, methods) {
			out = append(out, k.Name())
		}
	}
	return out
}

// AtInterrupt lists the kinds the sign-in interrupt may register for a member
// who has none under p, in the Add page's order.
func AtInterrupt(p twofold.Policy) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range Registrable(p, []*twofold.Method{}) {
		if Of(k).AtInterrupt() {
			out = append(out, k)
		}
	}
	return out
}

// strength orders defaults from strongest to weakest: security key, then
// authenticator app, then phone calls (mobile, alternate, office), then text.
var strength = []twofold.SignInPreference{
	twofold.PreferenceFido2, twofold.PreferenceOath, twofold.PreferenceVoice,
	twofold.PreferenceVoiceAlternate, twofold.PreferenceVoiceOffice, twofold.PreferenceSMS,
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

// room is the plain rule: fewer than the limit.
func room(r Rules, kind twofold.MethodKind, p twofold.Policy, methods []*twofold.Method) bool {
	return policy.CountKind(methods, kind) < r.Limit(p)
}
