package policy

import (
	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
)

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

// Option is one second factor the member can use now: a method and how.
type Option struct {
	Method     *twofold.Method
	Preference twofold.SignInPreference
	// Label names the option for a member who is not signed in yet, phone
	// numbers masked: "Text +1 XXXXXXX234", "Use a verification code".
	Label string
}

// Channel is how the option reaches the member ("" for an authenticator app).
func (o Option) Channel() string { return Channel(o.Preference) }

// Options lists every usable way to prove the second factor, in the order of the
// member's methods, each phone giving its call and text separately.
func Options(p twofold.Policy, methods []*twofold.Method) []Option {
	var out []Option
	for _, m := range Usable(p, methods) {
		for _, pref := range Preferences(p, m) {
			out = append(out, Option{Method: m, Preference: pref, Label: optionLabel(m, pref)})
		}
	}
	return out
}

func optionLabel(m *twofold.Method, pref twofold.SignInPreference) string {
	switch Channel(pref) {
	case twofold.ChannelSMS:
		return "Text " + phone.Mask(m.PhoneNumber)
	case twofold.ChannelVoice:
		return "Call " + phone.Mask(m.PhoneNumber)
	}
	if m.Kind == twofold.KindSoftwareOath {
		// Apps are often named after the device they are on ("Work phone"); the
		// kind comes first so the option never reads like a phone.
		if m.Name == "" || m.Name == KindLabel(m.Kind) {
			return "Use a code from your authenticator app"
		}
		return "Use a code from your authenticator app (" + m.Name + ")"
	}
	return PreferenceLabel(pref)
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

// PhoneTypeLabel names a phone type for people.
func PhoneTypeLabel(t twofold.PhoneType) string {
	switch t {
	case twofold.PhoneAlternateMobile:
		return "Alternate phone"
	case twofold.PhoneOffice:
		return "Office phone"
	}
	return "Phone"
}

// Choice is one option of the "Change default sign-in method" list.
type Choice struct {
	Preference twofold.SignInPreference
	// Label names the choice with the phone number where one applies, for the
	// signed-in member: "Phone – call +1 4255551234".
	Label string
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
			label := PreferenceLabel(pref)
			if m.Kind == twofold.KindPhone {
				label += " " + phone.DisplayE164(m.PhoneNumber)
			}
			out = append(out, Choice{Preference: pref, Label: label})
		}
	}
	return out
}

// ChoiceLabel returns the label of pref among the member's choices, or the bare
// preference label when it is not one of them.
func ChoiceLabel(p twofold.Policy, methods []*twofold.Method, pref twofold.SignInPreference) string {
	for _, c := range Choices(p, methods) {
		if c.Preference == pref {
			return c.Label
		}
	}
	return PreferenceLabel(pref)
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

// PreferenceLabel names a default sign-in method for people.
func PreferenceLabel(pref twofold.SignInPreference) string {
	switch pref {
	case twofold.PreferenceOath:
		return "Authenticator app – code"
	case twofold.PreferenceFido2:
		return "Security key"
	case twofold.PreferenceVoice:
		return "Phone – call"
	case twofold.PreferenceVoiceAlternate:
		return "Alternate phone – call"
	case twofold.PreferenceVoiceOffice:
		return "Office phone – call"
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
	case twofold.KindPhone:
		return "Get a call or a text with a code on your phone."
	default:
		return ""
	}
}
