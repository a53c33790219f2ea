package methodkind

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
)

// Store is what saving a verified method needs from the database.
type Store interface {
	SetPreferredMethod(ctx context.Context, userID string, pref twofold.SignInPreference) error
}

// Auditor records a security change and sends its notice.
type Auditor interface {
	SecurityChange(ctx context.Context, p *twofold.Principal, activity, reason, what string) error
}

// Sessions refreshes a session's second-factor proof.
type Sessions interface {
	RecordMFA(ctx context.Context, p *twofold.Principal, methodID string) error
}

// Verified is a method the member has just proven they hold, ready to be saved
// by its kind.
type Verified struct {
	// Save creates, activates or updates the method; it runs in the caller's
	// transaction.
	Save func(ctx context.Context) (*twofold.Method, error)
	// Preference is the default sign-in choice the method becomes when the member
	// has no usable default yet.
	Preference twofold.SignInPreference
	// Activity is the audit activity (twofold.ActivityRegistered, …Updated).
	Activity string
	// Describe returns the audit reason and the notice's sentence for the saved
	// method.
	Describe func(m *twofold.Method) (reason, notice string)
}

// Saver saves verified methods the same way wherever they are registered: the
// sign-in interrupt and Security info.
type Saver struct {
	Store    Store
	Audit    Auditor
	Sessions Sessions
}

// Save saves v for p inside the caller's transaction. methods are the member's
// active methods before it. The first second factor a member has becomes their
// default; then, when given, then runs (the interrupt signs the member in there
// and sets p.Session); then the change is audited and notified. A session that
// existed before (Security info) gets its second-factor proof refreshed when
// the method is the member's first: they just proved it. A session issued by
// then already carries the proof.
func (s *Saver) Save(ctx context.Context, p *twofold.Principal, methods []*twofold.Method, v Verified,
	then func(ctx context.Context, m *twofold.Method) error) (*twofold.Method, error) {
	// A method that cannot be a second factor (email) neither becomes the
	// default nor counts as the session's proof.
	first := v.Preference != twofold.PreferenceNone && EffectiveDefault(p.Org.Policy, p.User, methods) == twofold.PreferenceNone
	existing := p.Session
	m, err := v.Save(ctx)
	if err != nil {
		return nil, err
	}
	if first {
		if err := s.Store.SetPreferredMethod(ctx, p.User.ID, v.Preference); err != nil {
			return nil, fmt.Errorf("methodkind: set default: %w", err)
		}
		p.User.PreferredMethod = v.Preference
	}
	if then != nil {
		if err := then(ctx, m); err != nil {
			return nil, err
		}
	}
	reason, notice := v.Describe(m)
	if err := s.Audit.SecurityChange(ctx, p, v.Activity, reason, notice); err != nil {
		return nil, err
	}
	if first && existing != nil {
		if err := s.Sessions.RecordMFA(ctx, p, m.ID); err != nil {
			return nil, err
		}
	}
	return m, nil
}
