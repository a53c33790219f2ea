package methodkind

import (
	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
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
