package account

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/password"
)

// maxPassword bounds, in bytes, the work a request can ask of the hasher; the
// rules refuse anything past 256 characters anyway.
const maxPassword = 1024

// Refusals of ChangePassword that are not about the new password's rules.
var (
	// ErrWrongCurrent is a current password that is not the member's. It is a
	// field error: the member is signed in, so it tells nobody anything new.
	ErrWrongCurrent = twofold.FieldError("currentPassword", "That isn't your current password. Check it and try again.")
	// ErrLocked answers while too many wrong passwords (here or at sign-in)
	// have locked the account.
	ErrLocked = &twofold.Error{Code: twofold.ERATELIMIT, Field: "currentPassword",
		Message: "There have been too many wrong passwords, so your account is locked for a few minutes. Try again later."}
	// ErrChangedMeanwhile answers a change that lost to another one made at
	// the same time (another window, another device).
	ErrChangedMeanwhile = twofold.Errorf(twofold.ECONFLICT,
		"Your password was changed a moment ago somewhere else. Enter the new current password to change it again.")
)

// Changed is what a successful ChangePassword did.
type Changed struct {
	// SessionsEnded is how many of the member's other sessions were signed out.
	SessionsEnded int
}

// ChangePassword replaces the signed-in member's password.
//
// The new password must be typed twice the same, differ from the current one
// and pass the organization's rules (password.ValidateFor with the policy's
// minimum and the member's and organization's names); each refusal is a field
// error on currentPassword, newPassword or confirmPassword. A member with a
// second factor must have proven one in this session within the fresh window
// (ErrReauth). The current password is checked like a sign-in: a place among the
// account's wrong-password threshold is taken before the slow hash, a wrong one
// keeps it and locks the account at the threshold, and while locked nothing is
// checked (ErrLocked). The new hash replaces the stored one only if that is
// still the hash just checked (ErrChangedMeanwhile otherwise). With
// signOutOthers every other session of the member ends; this one stays. The
// change, its audit event and its notice commit together.
func (s *Service) ChangePassword(ctx context.Context, p *twofold.Principal, current, newPassword, confirm string, signOutOthers bool) (*Changed, error) {
	if err := checkInput(current, newPassword, confirm); err != nil {
		return nil, err
	}
	if err := s.fresh(ctx, p); err != nil {
		return nil, err
	}
	u := p.User
	if err := password.ValidateFor(newPassword, p.Org.Policy.PasswordMinimum(), contextWords(p)...); err != nil {
		return nil, asField(err, "newPassword")
	}
	now := s.Now().UTC()
	if err := s.checkCurrent(ctx, p, current); err != nil {
		return nil, err
	}
	hash, err := s.Hasher.Hash(ctx, newPassword)
	if err != nil {
		return nil, err
	}
	out := &Changed{}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.Store.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, hash)
		if err != nil {
			return fmt.Errorf("account: replace password: %w", err)
		}
		if !ok {
			return ErrChangedMeanwhile
		}
		if signOutOthers {
			if out.SessionsEnded, err = s.Store.RevokeOtherSessions(ctx, u.ID, p.Session.ID, now); err != nil {
				return fmt.Errorf("account: sign out other sessions: %w", err)
			}
		}
		reason, what := "other sessions kept", "Your password was changed."
		if signOutOthers {
			reason = fmt.Sprintf("%d other sessions signed out", out.SessionsEnded)
			what = "Your password was changed, and you were signed out everywhere else."
		}
		return s.Audit.SecurityChange(ctx, p, twofold.ActivityChangePassword, reason, what)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkInput refuses missing, oversized and mismatched entries before any
// work is done.
func checkInput(current, newPassword, confirm string) error {
	switch {
	case current == "":
		return twofold.FieldError("currentPassword", "Enter your current password.")
	case len(current) > maxPassword || !utf8.ValidString(current):
		return ErrWrongCurrent
	case newPassword == "":
		return twofold.FieldError("newPassword", "Enter a new password.")
	case len(newPassword) > maxPassword:
		return twofold.FieldError("newPassword", "Use at most 256 characters.")
	case confirm != newPassword:
		return twofold.FieldError("confirmPassword", "The two new passwords don't match. Type the same new password in both boxes.")
	case newPassword == current:
		return twofold.FieldError("newPassword", "Your new password must be different from your current one.")
	}
	return nil
}

// checkCurrent checks the current password as sign-in does, counting a wrong
// one against the account: its place is taken in one statement before the
// hash, so parallel guesses cannot get past the threshold.
func (s *Service) checkCurrent(ctx context.Context, p *twofold.Principal, current string) error {
	u, pol := p.User, p.Org.Policy
	now := s.Now().UTC()
	guess, ok, err := s.Store.ReservePasswordGuess(ctx, u.ID, now, pol.LockoutThreshold)
	if err != nil {
		return fmt.Errorf("account: reserve guess: %w", err)
	}
	if !ok {
		s.auditFailure(ctx, p, "account locked")
		return ErrLocked
	}
	right, _, err := s.Hasher.Verify(ctx, u.PasswordHash, current)
	if err != nil {
		// Never checked: the place goes back.
		if rerr := s.Store.ReleasePasswordGuess(context.WithoutCancel(ctx), u.ID, guess); rerr != nil {
			return fmt.Errorf("account: release guess after %w: %v", err, rerr)
		}
		return err
	}
	if !right {
		if guess.Count >= pol.LockoutThreshold {
			if _, err := s.Store.LockUser(ctx, u.ID, guess, now, pol.LockoutLengths()); err != nil {
				return fmt.Errorf("account: lock: %w", err)
			}
		}
		s.auditFailure(ctx, p, "wrong current password")
		return ErrWrongCurrent
	}
	if err := s.Store.RecordPasswordSuccess(ctx, u.ID); err != nil {
		return fmt.Errorf("account: clear failures: %w", err)
	}
	return nil
}

// auditFailure records a refused change. A record that cannot be written is
// logged: the refusal stands either way.
func (s *Service) auditFailure(ctx context.Context, p *twofold.Principal, reason string) {
	err := s.Audit.Record(context.WithoutCancel(ctx), &twofold.AuditEvent{
		OrgID: p.Org.ID, ActorID: p.User.ID, ActorName: p.User.Username,
		TargetID: p.User.ID, TargetName: p.User.Username,
		Activity: twofold.ActivityChangePassword, Result: twofold.ResultFailure, Reason: reason,
		IP: p.Client.IP, UserAgent: p.Client.UserAgent,
	})
	if err != nil {
		s.Log.WarnContext(ctx, "change password: audit failure", "user", p.User.ID, "err", err)
	}
}

// asField moves a field error of the password rules onto the form's field.
func asField(err error, field string) error {
	if twofold.ErrorCode(err) != twofold.EINVALID {
		return err
	}
	return twofold.FieldError(field, twofold.ErrorMessage(err))
}
