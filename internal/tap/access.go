package tap

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
)

// defaultFreshMFA is the admin window when the Service is built without one.
const defaultFreshMFA = 5 * time.Minute

func errNoMember() error {
	return twofold.Errorf(twofold.ENOTFOUND, "There is no such member in your organization.")
}

// target finds the member userID the actor may act on with scope: ENOTFOUND
// outside the actor's organization (it reads the same as no such member),
// EFORBIDDEN for the help desk on an admin or a token without the scope.
func (s *Service) target(ctx context.Context, a *twofold.Actor, userID string, scope twofold.Scope) (*twofold.User, error) {
	switch {
	case a == nil:
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Sign in as an admin or help desk member first.")
	case !a.Role.Staff():
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Only admins and the help desk can manage Temporary Access Passes.")
	case !a.Allows(scope):
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "This token doesn't have the %s permission.", scope)
	case userID == "":
		return nil, errNoMember()
	}
	u, err := s.Store.UserByID(ctx, userID)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, errNoMember()
	} else if err != nil {
		return nil, fmt.Errorf("tap: find member: %w", err)
	}
	if !a.InOrg(u.OrgID) {
		return nil, errNoMember()
	}
	if !a.MayActOn(u) && a.Scopes != nil {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "API tokens give passes to members only, not to admins or the help desk. Ask an admin to do this in the console.")
	} else if !a.MayActOn(u) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "The help desk can't give an admin a Temporary Access Pass. Ask an admin to do this.")
	}
	return u, nil
}

// change is target for a change: the actor must also have proven a second
// factor within the admin window. It returns the member's organization too.
func (s *Service) change(ctx context.Context, a *twofold.Actor, userID string) (*twofold.User, *twofold.Organization, error) {
	u, err := s.target(ctx, a, userID, twofold.ScopeMethodsManage)
	if err != nil {
		return nil, nil, err
	}
	window := s.FreshMFA
	if window <= 0 {
		window = defaultFreshMFA
	}
	if !a.Fresh(s.now(), window) {
		return nil, nil, twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes: it's been more than %d minutes since you last did.", int(window/time.Minute))
	}
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, nil, fmt.Errorf("tap: organization of %s: %w", u.ID, err)
	}
	return u, org, nil
}

func (s *Service) now() time.Time { return s.Now().UTC() }
