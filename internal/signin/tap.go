package signin

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/tap"
)

// ErrPass is the one answer to every failed sign-in with a Temporary Access
// Pass: unknown user, wrong pass, a pass that has not started, has expired or
// was used, a disabled or locked account all read the same.
var ErrPass = twofold.Errorf(twofold.EUNAUTHORIZED,
	"Your user name or Temporary Access Pass is incorrect, or the pass has expired or was already used. Ask your help desk for a new one.")

// maxPass bounds what a request may send as a pass; real ones are 19 characters.
const maxPass = 64

// errPassUnusable is the right pass refused by the store (not started yet,
// expired, or one-time and used): it never leaves this file.
var errPassUnusable = errors.New("pass not usable now")

// passReason is the audit reason of a sign-in with a pass.
const passReason = "Temporary Access Pass"

// TemporaryAccessPass signs a member in with their user name and a Temporary
// Access Pass an admin gave them, without their password. Every failure of the
// credentials is ErrPass, counted like a wrong password against the caller's
// network (ErrNetworkLimit past it) and the account (a locked account is
// refused without checking the pass). A member who lacks the methods the
// policy requires lands in the registration interrupt; anyone else is signed
// in at once. The pass proves both factors only for what a fresh second
// factor allows (adding security info): the session holds no password proof,
// and changing the password still asks for the current one.
func (s *Service) TemporaryAccessPass(ctx context.Context, username, pass string, c twofold.Client) (*Result, error) {
	username, err := normalizeUsername(username)
	if err != nil {
		return nil, err
	}
	if pass == "" {
		return nil, twofold.FieldError("pass", "Enter your Temporary Access Pass.")
	}
	now := s.Now()
	giveBack, err := s.takeNetworkPlace(ctx, c, now)
	if err != nil {
		return nil, err
	}
	if len(pass) > maxPass || !utf8.ValidString(pass) {
		s.auditFailure(ctx, nil, username, "malformed Temporary Access Pass", c)
		return nil, ErrPass
	}
	u, m, reason, err := s.checkPass(ctx, username, tap.Normalize(pass), now)
	if err != nil {
		giveBack()
		return nil, err
	}
	if reason != "" {
		s.auditFailure(ctx, u, username, reason, c)
		return nil, ErrPass
	}
	if err := s.notBlocked(u); err != nil {
		giveBack()
		s.auditFailure(ctx, u, u.Username, "second factor blocked", c)
		return nil, err
	}
	r, err := s.usePass(ctx, u, m, now, c)
	if errors.Is(err, errPassUnusable) {
		s.auditFailure(ctx, u, u.Username, "Temporary Access Pass not started, expired or used", c)
		return nil, ErrPass
	}
	if err != nil {
		return nil, err
	}
	giveBack()
	return r, nil
}

// checkPass returns the member and their pass when typed (normalized) is the
// member's pass, or a reason for the audit log. Like a password guess it takes
// one of the account's wrong-guess places first, keeps it when the pass is
// wrong (locking the account at the threshold) and gives it back when right.
func (s *Service) checkPass(ctx context.Context, username, typed string, now time.Time) (*twofold.User, *twofold.Method, string, error) {
	u, err := s.Store.UserByUsername(ctx, username)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		_, domain, _ := cut(username)
		return nil, nil, "unknown user name (Temporary Access Pass)", s.padFailure(ctx, "signin-unknown:"+domain, now)
	} else if err != nil {
		return nil, nil, "", fmt.Errorf("signin: find user: %w", err)
	}
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, nil, "", fmt.Errorf("signin: org: %w", err)
	}
	threshold := org.Policy.LockoutThreshold
	guess, ok, err := s.Store.ReservePasswordGuess(ctx, u.ID, now.UTC(), threshold)
	if err != nil {
		return nil, nil, "", fmt.Errorf("signin: reserve guess: %w", err)
	}
	if !ok {
		return u, nil, "account locked (Temporary Access Pass)", s.padFailure(ctx, "signin-locked:"+u.ID, now)
	}
	m, err := s.passOf(ctx, u.ID, typed)
	if err != nil {
		return nil, nil, "", err
	}
	if m == nil {
		if guess.Count >= threshold {
			if _, err := s.Store.LockUser(ctx, u.ID, guess, now.UTC(), org.Policy.LockoutLengths()); err != nil {
				return nil, nil, "", fmt.Errorf("signin: lock: %w", err)
			}
		}
		return u, nil, "wrong Temporary Access Pass", nil
	}
	// The pass was right: it was not a guess, so its place goes back.
	if err := s.Store.ReleasePasswordGuess(ctx, u.ID, guess); err != nil {
		return nil, nil, "", fmt.Errorf("signin: release guess: %w", err)
	}
	switch {
	case !org.Policy.MethodEnabled(twofold.KindTemporaryAccessPass):
		return u, nil, "Temporary Access Passes are off in the policy", nil
	case u.Disabled:
		return u, nil, "account disabled (Temporary Access Pass)", nil
	}
	return u, m, "", nil
}

// passOf returns the member's pass if its hash is typed's, else nil. The
// hashes are compared in constant time.
func (s *Service) passOf(ctx context.Context, userID, typed string) (*twofold.Method, error) {
	methods, err := s.Store.ListMethods(ctx, userID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("signin: methods: %w", err)
	}
	want := twofold.HashToken(typed)
	for _, m := range methods {
		if m.Kind == twofold.KindTemporaryAccessPass && m.PassHash != "" &&
			subtle.ConstantTimeCompare([]byte(m.PassHash), []byte(want)) == 1 {
			return m, nil
		}
	}
	return nil, nil
}

// usePass records the sign-in with pass m and takes the member on, in one
// transaction: the store's conditional use decides whether the pass still
// works (of racing sign-ins with a one-time pass exactly one goes on), and
// the flow or session, the audit events and the use commit together.
func (s *Service) usePass(ctx context.Context, u *twofold.User, m *twofold.Method, now time.Time, c twofold.Client) (*Result, error) {
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("signin: org: %w", err)
	}
	var r *Result
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.Store.UseTemporaryAccessPass(ctx, u.ID, m.ID, now.UTC())
		if err != nil {
			return fmt.Errorf("signin: use pass: %w", err)
		}
		if !ok {
			return errPassUnusable
		}
		methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
		if err != nil {
			return fmt.Errorf("signin: methods: %w", err)
		}
		used := "signed in"
		if methodkind.NeedsRegistration(org.Policy, methods) {
			used = "registration required"
			r, err = s.passInterrupt(ctx, u, org, methods, now, c)
		} else {
			// No password was proven (PasswordAt stays zero); the pass stands
			// for the second factor, so Security info lets the member add methods.
			r, err = s.finish(ctx, u, org, time.Time{}, now.UTC(), m.ID, passReason, c)
		}
		if err != nil {
			return err
		}
		return s.Audit.Record(ctx, &twofold.AuditEvent{
			OrgID: org.ID, ActorID: u.ID, ActorName: u.Username, TargetID: u.ID, TargetName: u.Username,
			Activity: twofold.ActivityTemporaryPassUsed, Result: twofold.ResultSuccess, Reason: used,
			IP: c.IP, UserAgent: c.UserAgent,
		})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// passInterrupt starts the "More information required" interrupt for a member
// who signed in with a pass. The flow records no password proof.
func (s *Service) passInterrupt(ctx context.Context, u *twofold.User, org *twofold.Organization, methods []*twofold.Method, now time.Time, c twofold.Client) (*Result, error) {
	id := twofold.NewToken()
	f := &twofold.SignInFlow{
		IDHash: twofold.HashToken(id), UserID: u.ID, OrgID: u.OrgID, State: twofold.FlowRegistrationRequired,
		CreatedAt: now.UTC(), ExpiresAt: now.UTC().Add(s.cfg.FlowLifetime), IP: c.IP, UserAgent: c.UserAgent,
	}
	if err := s.Store.CreateFlow(ctx, f); err != nil {
		return nil, fmt.Errorf("signin: create flow: %w", err)
	}
	return s.result(id, f, u, org, methods), nil
}
