package signin

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/password"
)

// ErrPasswordChangedMeanwhile ends a password-change step whose temporary
// password is no longer the member's (an admin reset it again).
var ErrPasswordChangedMeanwhile = twofold.Errorf(twofold.EEXPIRED,
	"Your password was changed while you were signing in. Sign in again with the newest password you were given.")

// requireNewPassword is finish for a member who must change a temporary
// password, once a password (or a passkey, which stands for one) was proven.
// A Temporary Access Pass proves none: it lets a member register methods, not
// set a password without the temporary one, so it is left out (passwordAt is
// zero). Instead of a session, a new flow in twofold.FlowPasswordChangeRequired
// that remembers what was proven. The flow's PendingMethodID keeps the method
// that proved the second factor ("" when none was asked), and its CreatedAt is
// when it was proven, so the session issued after the change is the one the
// sign-in earned.
func (s *Service) requireNewPassword(ctx context.Context, u *twofold.User, org *twofold.Organization, passwordAt, mfaAt time.Time, methodID string, c twofold.Client) (*Result, error) {
	now := s.Now().UTC()
	if !mfaAt.IsZero() {
		now = mfaAt
	}
	id := twofold.NewToken()
	f := &twofold.SignInFlow{
		IDHash: twofold.HashToken(id), UserID: u.ID, OrgID: u.OrgID, State: twofold.FlowPasswordChangeRequired,
		CreatedAt: now, ExpiresAt: s.Now().UTC().Add(s.cfg.FlowLifetime), PasswordAt: passwordAt.UTC(),
		IP: c.IP, UserAgent: c.UserAgent, PendingMethodID: methodID,
	}
	if err := s.Store.CreateFlow(ctx, f); err != nil {
		return nil, fmt.Errorf("signin: create password-change flow: %w", err)
	}
	return &Result{FlowID: id, State: twofold.FlowPasswordChangeRequired, User: u, Org: org}, nil
}

// PasswordChange returns the password-change step of flow id, for showing
// its page; ErrFlowGone for any other flow.
func (s *Service) PasswordChange(ctx context.Context, id string) (*Result, error) {
	_, u, org, err := s.loadFlow(ctx, id, twofold.FlowPasswordChangeRequired)
	if err != nil {
		return nil, err
	}
	return &Result{FlowID: id, State: twofold.FlowPasswordChangeRequired, User: u, Org: org}, nil
}

// NewPassword replaces the temporary password of flow id's member with one
// they choose, and signs them in. The rules are the Change password ones: typed
// twice the same (confirm), different from the temporary one, and allowed by
// the organization's policy (minimum length, not common, not the member's or
// organization's names); each refusal is a field error on newPassword or
// confirmPassword and the flow stays open for another try. The flow is used at
// most once: the change, its audit event and notice, and the session commit
// together, and only while the temporary password is still the member's and
// the method that proved the second factor is still usable.
func (s *Service) NewPassword(ctx context.Context, id, newPassword, confirm string, c twofold.Client) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowPasswordChangeRequired)
	if err != nil {
		return nil, err
	}
	if !u.MustChangePassword {
		return nil, ErrPasswordChangedMeanwhile
	}
	switch {
	case newPassword == "":
		return nil, twofold.FieldError("newPassword", "Enter a new password.")
	case len(newPassword) > maxPassword:
		return nil, twofold.FieldError("newPassword", "Use at most 256 characters.")
	case confirm != newPassword:
		return nil, twofold.FieldError("confirmPassword", "The two new passwords don't match. Type the same new password in both boxes.")
	}
	if err := password.ValidateFor(newPassword, org.Policy.PasswordMinimum(), u.Username, u.DisplayName, org.Name); err != nil {
		if twofold.ErrorCode(err) == twofold.EINVALID {
			return nil, twofold.FieldError("newPassword", twofold.ErrorMessage(err))
		}
		return nil, err
	}
	same, _, err := s.Hasher.Verify(ctx, u.PasswordHash, newPassword)
	if err != nil {
		return nil, err
	}
	if same {
		return nil, twofold.FieldError("newPassword", "Choose a password of your own, not the temporary one you were given.")
	}
	hash, err := s.Hasher.Hash(ctx, newPassword)
	if err != nil {
		return nil, err
	}
	var r *Result
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if f.PendingMethodID != "" {
			// The second factor was accepted under the policy of its moment;
			// what must still hold is that the method exists (an admin's
			// "require re-registration" removes it and should end this).
			if err := s.stillUsable(ctx, u, org, f.PendingMethodID, ""); err != nil && err != ErrMethodUnavailable {
				return err
			}
		}
		if err := s.finishFlow(ctx, f, twofold.FlowPasswordChangeRequired); err != nil {
			return err
		}
		// Conditional on the hash the flow's member had: an admin's reset in
		// between wins, and this change is refused rather than undoing it.
		replaced, err := s.Store.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, hash)
		if err != nil {
			return fmt.Errorf("signin: replace temporary password: %w", err)
		}
		if !replaced {
			return ErrPasswordChangedMeanwhile
		}
		p := &twofold.Principal{User: u, Org: org, Client: c}
		if err := s.Audit.SecurityChange(ctx, p, twofold.ActivityChangePassword, "temporary password replaced at sign-in",
			"You chose a new password in place of the temporary one your admin gave you."); err != nil {
			return err
		}
		chosen := *u
		chosen.MustChangePassword, chosen.PasswordHash = false, hash
		var mfaAt time.Time
		if f.PendingMethodID != "" {
			mfaAt = f.CreatedAt
		}
		r, err = s.finish(ctx, &chosen, org, f.PasswordAt, mfaAt, f.PendingMethodID, "temporary password changed at sign-in", c)
		return err
	})
	return s.refusedAtEnd(ctx, u, r, err, c)
}
