package methodkind

import (
	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/policy"
)

// Option is one second factor the member can use now: a method and how.
type Option struct {
	Method     *twofold.Method
	Preference twofold.SignInPreference
	// Label names the option for a member who is not signed in yet, phone
	// numbers masked: "Text +1 XXXXXXX234", "Use a verification code".
	Label string
}

// Channel is how the option reaches the member ("" for an authenticator app).
func (o Option) Channel() string { return policy.Channel(o.Preference) }

// Options lists every usable way to prove the second factor, in the order of the
// member's methods, each phone giving its call and text separately.
func Options(p twofold.Policy, methods []*twofold.Method) []Option {
	var out []Option
	for _, m := range Usable(p, methods) {
		for _, pref := range Preferences(p, m) {
			out = append(out, Option{Method: m, Preference: pref, Label: Of(m.Kind).OptionLabel(m, pref)})
		}
	}
	return out
}

// Choice is one option of the "Change default sign-in method" list.
type Choice struct {
	Preference twofold.SignInPreference
	// Label names the choice with the phone number where one applies, for the
	// signed-in member: "Phone – call +1 4255551234".
	Label string
}

// Choices lists the default sign-in methods the member can pick: one per usable
// preference, in order of strength, each labeled by its kind.
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
			out = append(out, Choice{Preference: pref, Label: Of(m.Kind).ChoiceLabel(m, pref)})
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
