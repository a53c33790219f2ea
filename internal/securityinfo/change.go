package securityinfo

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/policy"
	"github.com/twofold-id/twofold/internal/totp"
)

// BeginApp starts adding an authenticator app: a pending method with a new secret.
// Returns ErrReauth, EFORBIDDEN when the policy does not allow apps, or ECONFLICT at
// the limit.
func (s *Service) BeginApp(ctx context.Context, p *twofold.Principal) (*totp.Enrolment, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := s.canAddApp(p, methods); err != nil {
		return nil, err
	}
	e, err := s.Enroller.Begin(ctx, p.User.ID, p.Org.Name, p.User.Username)
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Member(ctx, p, twofold.ActivityStartedRegister, "authenticator app"); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Service) canAddApp(p *twofold.Principal, methods []*twofold.Method) error {
	pol := p.Org.Policy
	if !pol.MethodEnabled(twofold.KindSoftwareOath) {
		return twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow authenticator apps.")
	}
	if policy.CountKind(methods, twofold.KindSoftwareOath) >= methodkind.Limit(pol, twofold.KindSoftwareOath) {
		return appLimitReached(pol)
	}
	return nil
}

func appLimitReached(pol twofold.Policy) error {
	return twofold.Errorf(twofold.ECONFLICT, "You already have %d authenticator apps, the most your organization allows. Delete one to add another.",
		methodkind.Limit(pol, twofold.KindSoftwareOath))
}

// PendingApp re-shows the setup of a pending app the member started.
func (s *Service) PendingApp(ctx context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error) {
	if _, err := s.activeMethods(ctx, p); err != nil {
		return nil, err
	}
	return s.Enroller.Pending(ctx, p.User.ID, id, p.Org.Name, p.User.Username)
}

// ActivateApp finishes adding an app with a current code and its name. The first
// second factor a member adds becomes their default. The activation, its audit
// event and its notice commit together.
func (s *Service) ActivateApp(ctx context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := s.canAddApp(p, methods); err != nil {
		return nil, err
	}
	// The check above read the count before the transaction; setups finished
	// together are held to the limit by the activation itself.
	m, err := s.saveVerified(ctx, p, methods, methodkind.App(s.Store, s.Enroller, p.Org.Policy, p.User.ID, id, name, code,
		func(m *twofold.Method) (string, string) {
			return "authenticator app " + m.ID, fmt.Sprintf("An authenticator app (%q) was added to your account.", m.Name)
		}))
	if twofold.ErrorCode(err) == twofold.ECONFLICT {
		return nil, appLimitReached(p.Org.Policy)
	}
	return m, err
}

// deletion is what deleting one method would do to the member's default.
type deletion struct {
	gone          *twofold.Method
	rest          []*twofold.Method
	before, after twofold.SignInPreference
}

// planDelete returns what deleting the method id would leave, or nil when it is
// not one of methods. The default moves to the strongest remaining choice.
func planDelete(pol twofold.Policy, u *twofold.User, methods []*twofold.Method, id string) *deletion {
	d := &deletion{before: methodkind.EffectiveDefault(pol, u, methods)}
	for _, m := range methods {
		if m.ID == id {
			d.gone = m
		} else {
			d.rest = append(d.rest, m)
		}
	}
	if d.gone == nil {
		return nil
	}
	d.after = methodkind.EffectiveDefault(pol, u, d.rest)
	return d
}

// note is what the delete confirmation says about the default, "" when it stays.
func (d *deletion) note(pol twofold.Policy) string {
	switch {
	case d.after == d.before:
		return ""
	case d.after == twofold.PreferenceNone:
		return "You will have no default sign-in method, and your organization may ask you to register again."
	}
	return fmt.Sprintf("Your default sign-in method will become %s.", methodkind.ChoiceLabel(pol, d.rest, d.after))
}

// Delete removes one of the member's methods. If it carried the default, the
// default moves to the strongest remaining second factor, or to none.
func (s *Service) Delete(ctx context.Context, p *twofold.Principal, id string) error {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return err
	}
	d := planDelete(p.Org.Policy, p.User, methods, id)
	if d == nil {
		return twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of your security info.")
	}
	gone, rest, before, after := d.gone, d.rest, d.before, d.after
	moved := after != before
	what := methodkind.Of(gone.Kind).Describe(gone) + " was deleted from your security info."
	switch {
	case moved && after == twofold.PreferenceNone:
		what += " You have no default sign-in method now, and your organization may ask you to register again."
	case moved:
		what += fmt.Sprintf(" Your default sign-in method is now %s.", methodkind.ChoiceLabel(p.Org.Policy, rest, after))
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.LockMember(ctx, p.User.ID); err != nil {
			return fmt.Errorf("securityinfo: lock member: %w", err)
		}
		if err := s.Store.DeleteMethod(ctx, p.User.ID, id); err != nil {
			return err
		}
		if after != p.User.PreferredMethod {
			if err := s.Store.SetPreferredMethod(ctx, p.User.ID, after); err != nil {
				return fmt.Errorf("securityinfo: move default: %w", err)
			}
		}
		if err := s.Audit.SecurityChange(ctx, p, twofold.ActivityDeleted, string(gone.Kind)+" "+gone.ID, what); err != nil {
			return err
		}
		if !moved {
			return nil
		}
		// The delete notice above already told the member the default moved.
		return s.Audit.Member(ctx, p, twofold.ActivityChangedDefault,
			fmt.Sprintf("default moved from %s to %s after a delete", before, after))
	})
	if err != nil {
		return err
	}
	p.User.PreferredMethod = after
	return nil
}

// SetDefault changes the default sign-in method to one of the member's choices.
func (s *Service) SetDefault(ctx context.Context, p *twofold.Principal, pref twofold.SignInPreference) error {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return err
	}
	valid := false
	for _, c := range methodkind.Choices(p.Org.Policy, methods) {
		valid = valid || c.Preference == pref
	}
	if !valid {
		return twofold.FieldError("preference", "Choose one of your sign-in methods.")
	}
	what := fmt.Sprintf("Your default sign-in method was changed to %s.", methodkind.ChoiceLabel(p.Org.Policy, methods, pref))
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.SetPreferredMethod(ctx, p.User.ID, pref); err != nil {
			return fmt.Errorf("securityinfo: set default: %w", err)
		}
		return s.Audit.SecurityChange(ctx, p, twofold.ActivityChangedDefault, string(pref), what)
	})
	if err != nil {
		return err
	}
	p.User.PreferredMethod = pref
	return nil
}
