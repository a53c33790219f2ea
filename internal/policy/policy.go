package policy

import "github.com/twofold-id/twofold"

// Usable returns the member's active methods that can be a second factor now: MFA
// capable, enabled by the policy, and (for a phone) reachable by a text or call the
// policy allows. A disabled method is never usable, even if it was registered
// before the policy changed.
func Usable(p twofold.Policy, methods []*twofold.Method) []*twofold.Method {
	var out []*twofold.Method
	for _, m := range methods {
		if m.State == twofold.MethodActive && m.MFACapable() && p.MethodEnabled(m.Kind) && len(Preferences(p, m)) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// Preferences returns the default-sign-in values method m offers under p, strongest
// first: a mobile phone offers a call and a text, each only if the policy allows it.
func Preferences(p twofold.Policy, m *twofold.Method) []twofold.SignInPreference {
	switch m.Kind {
	case twofold.KindSoftwareOath:
		return []twofold.SignInPreference{twofold.PreferenceOath}
	case twofold.KindFido2:
		return []twofold.SignInPreference{twofold.PreferenceFido2}
	case twofold.KindPhone:
		var out []twofold.SignInPreference
		if p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelVoice) {
			out = append(out, VoicePreference(m.PhoneType))
		}
		if p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelSMS) {
			out = append(out, twofold.PreferenceSMS)
		}
		return out
	}
	return nil
}

// VoicePreference is the default-sign-in value of a call to a phone of type t.
func VoicePreference(t twofold.PhoneType) twofold.SignInPreference {
	switch t {
	case twofold.PhoneAlternateMobile:
		return twofold.PreferenceVoiceAlternate
	case twofold.PhoneOffice:
		return twofold.PreferenceVoiceOffice
	}
	return twofold.PreferenceVoice
}

// Channel returns how a default-sign-in value reaches the member: ChannelSMS,
// ChannelVoice, or "" for methods that send nothing.
func Channel(pref twofold.SignInPreference) string {
	switch pref {
	case twofold.PreferenceSMS:
		return twofold.ChannelSMS
	case twofold.PreferenceVoice, twofold.PreferenceVoiceAlternate, twofold.PreferenceVoiceOffice:
		return twofold.ChannelVoice
	}
	return ""
}

// ChannelAllowed reports whether p lets a phone of type t be verified or used
// over channel (ChannelSMS or ChannelVoice) now: phones enabled and the channel
// allowed for the type. A flow checks it again when it finishes, since the
// policy may have changed after its text or call went out.
func ChannelAllowed(p twofold.Policy, t twofold.PhoneType, channel string) bool {
	return p.MethodEnabled(twofold.KindPhone) && p.Phone.AllowsChannel(t, channel)
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
	case twofold.KindPhone:
		n := 0
		for _, t := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice} {
			if p.Phone.AllowsType(t) {
				n++
			}
		}
		return n
	default:
		return 0 // not registrable yet
	}
}

// Restricted reports whether kind is a restricted authenticator in NIST SP 800-63B
// terms (§3.1.3.3): a text or a call can be redirected by a SIM swap or a
// compromised phone network, so a member who may use one must always be able to
// choose a stronger method.
func Restricted(kind twofold.MethodKind) bool { return kind == twofold.KindPhone }

// Registrable lists the kinds the member may add now, in the order the Add page
// offers them: enabled by policy, implemented, and below the limit.
func Registrable(p twofold.Policy, methods []*twofold.Method) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone} {
		if !p.MethodEnabled(k) {
			continue
		}
		room := CountKind(methods, k) < Limit(p, k)
		if k == twofold.KindPhone {
			room = len(PhoneTypes(p, methods)) > 0
		}
		if room {
			out = append(out, k)
		}
	}
	return out
}

// PhoneTypes lists the phone types the member may add now: allowed by p, not
// registered yet, and, for an alternate mobile, only once a mobile exists.
func PhoneTypes(p twofold.Policy, methods []*twofold.Method) []twofold.PhoneType {
	have := map[twofold.PhoneType]bool{}
	for _, m := range methods {
		if m.Kind == twofold.KindPhone && m.State == twofold.MethodActive {
			have[m.PhoneType] = true
		}
	}
	var out []twofold.PhoneType
	for _, t := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice} {
		if !p.Phone.AllowsType(t) || have[t] {
			continue
		}
		if t == twofold.PhoneAlternateMobile && !have[twofold.PhoneMobile] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// PhoneChannels lists how a phone of type t may be verified under p: ChannelVoice
// and ChannelSMS, each only if allowed.
func PhoneChannels(p twofold.Policy, t twofold.PhoneType) []string {
	var out []string
	for _, ch := range []string{twofold.ChannelSMS, twofold.ChannelVoice} {
		if p.Phone.AllowsChannel(t, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// Choice is one usable default sign-in value and the method that offers it.
// People-facing labels are the kinds' (internal/methodkind).
type Choice struct {
	Preference twofold.SignInPreference
	Method     *twofold.Method
}

// Choices lists the default sign-in methods the member can pick: one per usable
// preference, in order of strength.
func Choices(p twofold.Policy, methods []*twofold.Method) []Choice {
	have := map[twofold.SignInPreference]*twofold.Method{}
	for _, m := range Usable(p, methods) {
		for _, pref := range Preferences(p, m) {
			if have[pref] == nil {
				have[pref] = m
			}
		}
	}
	var out []Choice
	for _, pref := range strength {
		if m := have[pref]; m != nil {
			out = append(out, Choice{Preference: pref, Method: m})
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
