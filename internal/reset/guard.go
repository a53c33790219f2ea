package reset

import (
	"context"
	"errors"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/totp"
)

// guarded runs check, a verification of the member, under the reset guard: a
// place among the failures the member may make in a window is taken first, in
// one statement, so a burst of answers checks at most the window's limit.
// The place is given back when the answer proves right or was never judged
// (a busy hasher, an internal error, a second factor blocked already, a
// replayed right code); a failure keeps it, is audited with reason, and the
// one that fills the window blocks reset for the member.
func (s *Service) guarded(ctx context.Context, st *state, reason string, c twofold.Client, check func() error) error {
	now := s.Now().UTC()
	g, ok, err := s.Store.ReserveResetCheck(ctx, st.u.ID, now, s.cfg.GuardLimit, s.cfg.GuardWindow)
	if err != nil {
		return fmt.Errorf("reset: reserve check: %w", err)
	}
	if !ok {
		s.auditFailure(ctx, st, "blocked: too many failed verifications", c)
		return ErrBlocked
	}
	err = check()
	if err == nil || notJudged(err) {
		if rerr := s.Store.ReleaseResetCheck(context.WithoutCancel(ctx), st.u.ID, g); rerr != nil {
			s.Log.WarnContext(ctx, "reset: release check", "user", st.u.ID, "err", rerr)
		}
		return err
	}
	s.auditFailure(ctx, st, reason, c)
	if g.Count < s.cfg.GuardLimit {
		return err
	}
	if berr := s.block(ctx, st, c); berr != nil {
		return berr
	}
	return ErrBlocked
}

// notJudged reports whether err says the answer was never found wrong: a
// replay of a right code, a text that is gone (expired, used up) or an answer
// that could not be checked. A wrong code that also used up its text was
// judged.
func notJudged(err error) bool {
	switch twofold.ErrorCode(err) {
	case twofold.EINTERNAL, twofold.EUNAVAILABLE, twofold.ERATELIMIT:
		return true
	}
	if errors.Is(err, phone.ErrWrongCode) || errors.Is(err, email.ErrWrongCode) {
		return false
	}
	for _, e := range []error{totp.ErrCodeUsed, phone.ErrCodeUsed, phone.ErrNoCode, phone.ErrCodeExpired,
		phone.ErrTooManyTries, email.ErrCodeUsed, email.ErrNoCode, email.ErrCodeExpired, email.ErrTooManyTries} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// block blocks reset for the member for the guard's block length, audited and
// told to the member once however many failures race to it.
func (s *Service) block(ctx context.Context, st *state, c twofold.Client) error {
	now := s.Now().UTC()
	var blocked bool
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if blocked, err = s.Store.BlockReset(ctx, st.u.ID, now, now.Add(s.cfg.GuardBlock)); err != nil || !blocked {
			return err
		}
		p := &twofold.Principal{User: st.u, Org: st.org, Client: c}
		return s.Audit.SecurityChange(ctx, p, twofold.ActivityResetBlocked, "too many failed verifications",
			"Someone failed to verify your identity 5 times while trying to reset your password, so password reset is blocked for your account for 24 hours.")
	})
	if err != nil {
		return fmt.Errorf("reset: block: %w", err)
	}
	return nil
}

// auditFailure records a failed reset verification with its real reason.
func (s *Service) auditFailure(ctx context.Context, st *state, reason string, c twofold.Client) {
	err := s.Audit.Record(context.WithoutCancel(ctx), &twofold.AuditEvent{
		OrgID: st.u.OrgID, ActorName: st.u.Username, TargetID: st.u.ID, TargetName: st.u.Username,
		Activity: twofold.ActivityResetSelfService, Result: twofold.ResultFailure, Reason: reason,
		IP: c.IP, UserAgent: c.UserAgent,
	})
	if err != nil {
		s.Log.ErrorContext(ctx, "reset: audit failure", "err", err)
	}
}
