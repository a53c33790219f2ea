package methodkind

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
)

// emailKind is an email address a code can be mailed to. It proves a member
// only at password reset: a mailbox is often reached with the very password
// being protected, so it is never a second factor and never a default.
type emailKind struct{}

func (emailKind) Name() twofold.MethodKind { return twofold.KindEmail }
func (emailKind) Label() string            { return "Email" }
func (emailKind) Description() string {
	return "Get a code by email, so you can reset your password if you forget it. Use an address other than your work one."
}
func (emailKind) PreferenceLabel(twofold.SignInPreference) string { return "" }

// OptionLabel and ChoiceLabel are never shown at sign-in (the kind offers no
// preferences); they name the masked and the full address for completeness.
func (e emailKind) OptionLabel(m *twofold.Method, _ twofold.SignInPreference) string {
	return "Email " + email.Mask(m.Email)
}
func (e emailKind) ChoiceLabel(m *twofold.Method, _ twofold.SignInPreference) string {
	return "Email " + m.Email
}

// Describe masks the address: a notice may be read by someone else.
func (e emailKind) Describe(m *twofold.Method) string {
	return e.Label() + " (" + email.Mask(m.Email) + ")"
}

// Noun names one email method inside a sentence ("Delete this email address?").
func (emailKind) Noun() string { return "email address" }

// Row shows the member their own address in full.
func (e emailKind) Row(m *twofold.Method) (string, string) { return e.Label(), m.Email }

func (emailKind) Preferences(twofold.Policy, *twofold.Method) []twofold.SignInPreference { return nil }
func (emailKind) Limit(twofold.Policy) int                                               { return 1 }
func (e emailKind) Room(p twofold.Policy, methods []*twofold.Method) bool {
	return room(e, e.Name(), p, methods)
}
func (emailKind) Restricted() bool  { return false }
func (emailKind) AtInterrupt() bool { return true }

// ProvesReset: a code mailed to the address proves any member at reset.
func (emailKind) ProvesReset(twofold.Policy, *twofold.User, *twofold.Method) bool { return true }

// NewEmail is the email method whose address the mailed code ch proved,
// created for userID as Save runs. It is never a default sign-in choice.
func NewEmail(st MethodStore, userID string, ch *twofold.Challenge, now func() time.Time,
	describe func(m *twofold.Method) (reason, notice string)) Verified {
	return Verified{
		Save: func(ctx context.Context) (*twofold.Method, error) {
			t := now().UTC()
			m := &twofold.Method{
				ID: twofold.NewID(), UserID: userID, Kind: twofold.KindEmail, State: twofold.MethodActive,
				Name: "Email", Email: ch.Email, CreatedAt: t, ActivatedAt: t,
			}
			if err := st.CreateMethod(ctx, m); err != nil {
				return nil, err
			}
			return m, nil
		},
		Preference: twofold.PreferenceNone,
		Activity:   twofold.ActivityRegistered,
		Describe:   describe,
	}
}
