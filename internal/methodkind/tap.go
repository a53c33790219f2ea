package methodkind

import "github.com/twofold-id/twofold"

// tapKind is a Temporary Access Pass: a time-limited passcode only an admin
// issues (internal/tap) so a member with no usable method can sign in and
// register one. Members never add it, it is never a default or a second factor
// at sign-in (the pass signs in on its own page), the interrupt never offers
// it, and it never proves a member at a password reset.
type tapKind struct{}

func (tapKind) Name() twofold.MethodKind                        { return twofold.KindTemporaryAccessPass }
func (tapKind) Label() string                                   { return "Temporary Access Pass" }
func (tapKind) Description() string                             { return "" }
func (tapKind) PreferenceLabel(twofold.SignInPreference) string { return "" }
func (t tapKind) OptionLabel(*twofold.Method, twofold.SignInPreference) string {
	return t.Label()
}
func (t tapKind) ChoiceLabel(*twofold.Method, twofold.SignInPreference) string {
	return t.Label()
}

// Describe never names the pass itself, which is not stored anyway.
func (t tapKind) Describe(*twofold.Method) string { return t.Label() }

// Row shows when the pass ends and whether it works once.
func (t tapKind) Row(m *twofold.Method) (string, string) { return t.Label(), PassDetail(m) }

// PassDetail says when pass m ends, in UTC, and whether it works once:
// "Ends 5 Dec 2026 09:30 UTC, one-time use".
func PassDetail(m *twofold.Method) string {
	d := "Ends " + m.ExpiresAt.UTC().Format("2 Jan 2006 15:04") + " UTC"
	if m.UsableOnce {
		d += ", one-time use"
	}
	return d
}

func (tapKind) Preferences(twofold.Policy, *twofold.Method) []twofold.SignInPreference { return nil }
func (tapKind) Limit(twofold.Policy) int                                               { return 0 }
func (tapKind) Room(twofold.Policy, []*twofold.Method) bool                            { return false }
func (tapKind) Restricted() bool                                                       { return false }
func (tapKind) AtInterrupt() bool                                                      { return false }

// ProvesReset: a pass proves nothing at a password reset; it only lets a
// member in to register security info.
func (tapKind) ProvesReset(twofold.Policy, *twofold.User, *twofold.Method) bool { return false }
