package reset

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
)

// maxPassword bounds the work a request can ask of the hasher.
const maxPassword = 1024

// SetPassword replaces the member's password once the attempt is verified:
// the two entries must match and the password pass the organization's rules
// (a reason for every refusal). It is hashed once, with the hasher's current
// parameters, before one transaction that finishes the attempt (at most once),
// replaces the hash, signs the member out of every session, clears failed
// passwords and any password lock (the old password is what they guarded, and
// the member just proved who they are), audits and tells the member. There is
// no sign-in: the member signs in with the new password, and their second
// factor, which reset never touches.
func (s *Service) SetPassword(ctx context.Context, id, password, confirm string, c twofold.Client) error {
	st, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if st.refusal != nil {
		return st.refusal
	}
	if st.a.State != twofold.ResetVerified {
		return ErrNotVerified
	}
	if password == "" {
		return twofold.FieldError("password", "Enter a new password.")
	}
	if len(password) > maxPassword {
		return twofold.FieldError("password", "Use at most 256 characters.")
	}
	if confirm != password {
		return twofold.FieldError("confirm", "The two passwords don't match. Type the same new password in both boxes.")
	}
	p := st.org.Policy
	if err := s.Validate(password, p.PasswordMinimum(), st.u.Username, st.u.DisplayName, st.org.Name); err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.Store.FinishResetAttempt(ctx, st.a.IDHash, now)
		if err != nil {
			return fmt.Errorf("reset: finish: %w", err)
		}
		if !ok {
			return ErrGone
		}
		if err := s.Store.SetPasswordHash(ctx, st.u.ID, hash); err != nil {
			return fmt.Errorf("reset: set password: %w", err)
		}
		if _, err := s.Store.RevokeUserSessions(ctx, st.u.ID, now); err != nil {
			return fmt.Errorf("reset: revoke sessions: %w", err)
		}
		if err := s.Store.ClearPasswordLock(ctx, st.u.ID); err != nil {
			return fmt.Errorf("reset: clear failures: %w", err)
		}
		pr := &twofold.Principal{User: st.u, Org: st.org, Client: c}
		reason := fmt.Sprintf("verified with %d methods", len(st.a.Proven))
		return s.Audit.SecurityChange(ctx, pr, twofold.ActivityResetSelfService, reason,
			"Your password was reset, and you were signed out everywhere. Sign in with your new password.")
	})
}
