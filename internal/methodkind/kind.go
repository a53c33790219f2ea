package methodkind

import "github.com/twofold-id/twofold"

// Kind is what one kind of security info tells the use cases and the pages
// about itself: its names for people. A new kind implements it and is added
// to kinds.
type Kind interface {
	Rules
	Resetter
	Name() twofold.MethodKind
	// Label names the kind for people ("Authenticator app").
	Label() string
	// Description is the one-line help shown when choosing a method to add; ""
	// for kinds that cannot be added there.
	Description() string
	// PreferenceLabel names a default-sign-in value of this kind ("Phone – call"),
	// "" for a value that is not the kind's.
	PreferenceLabel(pref twofold.SignInPreference) string
	// OptionLabel names the second-factor option m by pref for a member who is
	// not signed in yet, numbers masked ("Text +1 XXXXXXX234").
	OptionLabel(m *twofold.Method, pref twofold.SignInPreference) string
	// ChoiceLabel names the default choice m by pref for the signed-in member,
	// with the full number where one applies ("Phone – call +1 4255551234").
	ChoiceLabel(m *twofold.Method, pref twofold.SignInPreference) string
	// Describe names one method in a notice: "Authenticator app (\"Work\")",
	// "Office phone (+1 XXXXXXX234)".
	Describe(m *twofold.Method) string
	// Row is how Security info lists m: a label and a detail ("Office phone",
	// "+44 2079460018").
	Row(m *twofold.Method) (label, detail string)
}

// kinds are the method kinds, in the order the Add page offers them.
var kinds = []Kind{appKind{}, phoneKind{}, keyKind{},
	emailKind{}, questionsKind{}, tapKind{},
	named{twofold.KindPassword, "Password"}}

// Of returns the kind named k; a kind it does not know is named by its value.
func Of(k twofold.MethodKind) Kind {
	for _, kind := range kinds {
		if kind.Name() == k {
			return kind
		}
	}
	return named{k, string(k)}
}

// Label names the kind k for people.
func Label(k twofold.MethodKind) string { return Of(k).Label() }

// Description is the Add page's help for kind k.
func Description(k twofold.MethodKind) string { return Of(k).Description() }

// PreferenceLabel names a default sign-in method for people, "" for none.
func PreferenceLabel(pref twofold.SignInPreference) string {
	for _, kind := range kinds {
		if l := kind.PreferenceLabel(pref); l != "" {
			return l
		}
	}
	return ""
}

// named is a kind that is only named so far: it cannot be registered or used.
// Its rules say so: no preferences, no room.
type named struct {
	kind  twofold.MethodKind
	label string
}

func (n named) Name() twofold.MethodKind                                     { return n.kind }
func (n named) Label() string                                                { return n.label }
func (named) Description() string                                            { return "" }
func (named) PreferenceLabel(twofold.SignInPreference) string                { return "" }
func (n named) OptionLabel(*twofold.Method, twofold.SignInPreference) string { return n.label }
func (n named) ChoiceLabel(*twofold.Method, twofold.SignInPreference) string { return n.label }
func (n named) Row(m *twofold.Method) (string, string)                       { return n.label, m.Name }
func (n named) Describe(m *twofold.Method) string                            { return describeNamed(n.label, m) }

func (named) Preferences(twofold.Policy, *twofold.Method) []twofold.SignInPreference { return nil }
func (named) Limit(twofold.Policy) int                                               { return 0 }
func (named) Room(twofold.Policy, []*twofold.Method) bool                            { return false }
func (named) Restricted() bool                                                       { return false }
func (named) AtInterrupt() bool                                                      { return false }
