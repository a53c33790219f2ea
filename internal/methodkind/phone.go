package methodkind

import (
	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
)

// phoneKind is a phone that gets texts and calls.
type phoneKind struct{}

func (phoneKind) Name() twofold.MethodKind { return twofold.KindPhone }
func (phoneKind) Label() string            { return "Phone" }
func (phoneKind) Description() string      { return "Get a call or a text with a code on your phone." }

func (phoneKind) PreferenceLabel(pref twofold.SignInPreference) string {
	switch pref {
	case twofold.PreferenceVoice:
		return "Phone – call"
	case twofold.PreferenceVoiceAlternate:
		return "Alternate phone – call"
	case twofold.PreferenceVoiceOffice:
		return "Office phone – call"
	case twofold.PreferenceSMS:
		return "Phone – text"
	}
	return ""
}

func (phoneKind) OptionLabel(m *twofold.Method, pref twofold.SignInPreference) string {
	if pref == twofold.PreferenceSMS {
		return "Text " + phone.Mask(m.PhoneNumber)
	}
	return "Call " + phone.Mask(m.PhoneNumber)
}

func (k phoneKind) ChoiceLabel(m *twofold.Method, pref twofold.SignInPreference) string {
	return k.PreferenceLabel(pref) + " " + phone.DisplayE164(m.PhoneNumber)
}

func (phoneKind) Row(m *twofold.Method) (string, string) {
	return phone.TypeLabel(m.PhoneType), phone.DisplayE164(m.PhoneNumber)
}

func (phoneKind) Describe(m *twofold.Method) string {
	return phone.TypeLabel(m.PhoneType) + " (" + phone.Mask(m.PhoneNumber) + ")"
}

// Preferences are a call, then a text, each only if the policy allows it for
// the phone's type.
func (phoneKind) Preferences(p twofold.Policy, m *twofold.Method) []twofold.SignInPreference {
	var out []twofold.SignInPreference
	if p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelVoice) {
		out = append(out, policy.VoicePreference(m.PhoneType))
	}
	if p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelSMS) {
		out = append(out, twofold.PreferenceSMS)
	}
	return out
}

// Limit is one phone of each type the policy allows.
func (phoneKind) Limit(p twofold.Policy) int {
	n := 0
	for _, t := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice} {
		if p.Phone.AllowsType(t) {
			n++
		}
	}
	return n
}

// Room is a phone type still free (an alternate mobile only after a mobile).
func (phoneKind) Room(p twofold.Policy, methods []*twofold.Method) bool {
	return len(policy.PhoneTypes(p, methods)) > 0
}

// Restricted: a text or a call can be redirected by a SIM swap or a
// compromised phone network.
func (phoneKind) Restricted() bool  { return true }
func (phoneKind) AtInterrupt() bool { return true }
