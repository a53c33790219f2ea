package account

import (
	"context"

	"github.com/twofold-id/twofold"
)

// PasswordForm is what the change-password form needs to explain the rules
// before the member types: the organization's minimum and the names a new
// password may not contain.
type PasswordForm struct {
	Minimum int
	// Words are the member's user name, display name and organization name.
	Words []string
}

// PasswordForm returns the rules of a new password for the signed-in member,
// or ErrReauth when they have a second factor not proven recently, so the
// form is not filled in only to be refused.
func (s *Service) PasswordForm(ctx context.Context, p *twofold.Principal) (*PasswordForm, error) {
	if err := s.fresh(ctx, p); err != nil {
		return nil, err
	}
	return &PasswordForm{Minimum: p.Org.Policy.PasswordMinimum(), Words: contextWords(p)}, nil
}

// contextWords are the names a new password may not contain.
func contextWords(p *twofold.Principal) []string {
	return []string{p.User.Username, p.User.DisplayName, p.Org.Name}
}
