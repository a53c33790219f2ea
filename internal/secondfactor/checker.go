package secondfactor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/totp"
)

// Store is what the checker needs from the database.
type Store interface {
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
	RecordMFAFailure(ctx context.Context, userID string, now time.Time) (int, error)
	RecordMFASuccess(ctx context.Context, userID string) error
	EscalateMFABlock(ctx context.Context, userID string, now time.Time, lengths []time.Duration) (bool, error)
}

// CodeVerifier checks and consumes an authenticator-app code.
type CodeVerifier interface {
	Verify(ctx context.Context, m *twofold.Method, code string) (bool, error)
}

// TextVerifier checks and uses a texted code (internal/phone).
type TextVerifier interface {
	CheckCode(ctx context.Context, binding string, purpose twofold.ChallengePurpose, code string) (*twofold.Challenge, error)
}

// Checker verifies second-factor codes, counting every guess against the member
// across all sessions.
type Checker struct {
	store Store
	codes CodeVerifier
	texts TextVerifier
	now   func() time.Time
}

// New returns a Checker.
func New(store Store, codes CodeVerifier, texts TextVerifier, now func() time.Time) *Checker {
	return &Checker{store: store, codes: codes, texts: texts, now: now}
}

// ErrBlocked is returned while a member's second factor is blocked, after too
// many wrong codes or a fraud report.
var ErrBlocked = twofold.Errorf(twofold.ERATELIMIT,
	"Two-step verification is blocked for your account right now, after too many wrong codes or a fraud report. Try again later or contact your help desk.")

// CheckText checks a texted code for u against the newest challenge of binding.
// Like Check it counts the guess against the member before checking, and a new
// text never resets that count. Returns ErrBlocked, the phone package's code
// errors, or the challenge that was proven.
func (c *Checker) CheckText(ctx context.Context, u *twofold.User, p twofold.Policy, binding string, purpose twofold.ChallengePurpose, code string) (*twofold.Challenge, error) {
	if c.now().Before(u.MFABlockedUntil) {
		return nil, ErrBlocked
	}
	// A malformed code was never a guess: refused before it is counted.
	code, err := phone.NormalizeCode(code)
	if err != nil {
		return nil, err
	}
	var ch *twofold.Challenge
	err = c.counted(ctx, u, p, func() error {
		var err error
		ch, err = c.texts.CheckCode(ctx, binding, purpose, code)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// counted counts one guess against u, then runs check, which returns nil for a
// right guess, a twofold error for a refused one, or an internal error. Counting
// comes first so that a burst of parallel guesses each sees its own count. Past
// the limit the member is blocked: the count only restarts when a block ends,
// and each block in a row lasts twice the one before, so the budget of guesses
// shrinks per day instead of starting again after every block. Blocking is a
// no-op while a block runs, so racing guesses block once and a refused attempt
// never pushes a block later. A right guess clears the count and the escalation.
func (c *Checker) counted(ctx context.Context, u *twofold.User, p twofold.Policy, check func() error) error {
	n, err := c.store.RecordMFAFailure(ctx, u.ID, c.now().UTC())
	if err != nil {
		return fmt.Errorf("secondfactor: count attempt: %w", err)
	}
	if n > p.MFAFailureLimit {
		// Blocked already, or the policy lowered the limit below the count.
		if err := c.block(ctx, u, p); err != nil {
			return err
		}
		return ErrBlocked
	}
	err = check()
	switch {
	case err == nil:
		if err := c.store.RecordMFASuccess(ctx, u.ID); err != nil {
			return fmt.Errorf("secondfactor: reset count: %w", err)
		}
		return nil
	case twofold.ErrorCode(err) == twofold.EINTERNAL:
		return err
	case n == p.MFAFailureLimit:
		if err := c.block(ctx, u, p); err != nil {
			return err
		}
		return ErrBlocked
	}
	return err
}

func (c *Checker) block(ctx context.Context, u *twofold.User, p twofold.Policy) error {
	if _, err := c.store.EscalateMFABlock(ctx, u.ID, c.now().UTC(), p.MFABlockLengths()); err != nil {
		return fmt.Errorf("secondfactor: block: %w", err)
	}
	return nil
}

// ErrWrongCode is returned for a code that matched none of the methods tried.
var ErrWrongCode = twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")

// Check verifies code for u against the method methodID, or against every usable
// authenticator app when methodID is empty, and returns the method that matched.
// Returns ErrBlocked, ErrWrongCode, totp.ErrCodeUsed for a right code whose step
// was already used (a replay or a double submission), an EINVALID error for a malformed code (not
// counted: it was never a guess), or ENOTFOUND for a method that is not the
// member's or not usable.
func (c *Checker) Check(ctx context.Context, u *twofold.User, p twofold.Policy, methodID, code string) (*twofold.Method, error) {
	if c.now().Before(u.MFABlockedUntil) {
		return nil, ErrBlocked
	}
	code, err := totp.NormalizeCode(code)
	if err != nil {
		return nil, err
	}
	candidates, err := c.candidates(ctx, u, p, methodID)
	if err != nil {
		return nil, err
	}
	var found *twofold.Method
	err = c.counted(ctx, u, p, func() error {
		replayed := false
		for _, m := range candidates {
			ok, err := c.codes.Verify(ctx, m, code)
			if errors.Is(err, totp.ErrCodeUsed) {
				replayed = true
				continue
			}
			if err != nil {
				return fmt.Errorf("secondfactor: verify: %w", err)
			}
			if ok {
				found = m
				return nil
			}
		}
		if replayed {
			return totp.ErrCodeUsed
		}
		return ErrWrongCode
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

func (c *Checker) candidates(ctx context.Context, u *twofold.User, p twofold.Policy, methodID string) ([]*twofold.Method, error) {
	var all []*twofold.Method
	if methodID != "" {
		m, err := c.store.MethodByID(ctx, u.ID, methodID)
		if err != nil {
			return nil, err
		}
		all = []*twofold.Method{m}
	} else {
		var err error
		if all, err = c.store.ListMethods(ctx, u.ID, twofold.MethodActive); err != nil {
			return nil, fmt.Errorf("secondfactor: list methods: %w", err)
		}
	}
	var apps []*twofold.Method
	for _, m := range methodkind.Usable(p, all) {
		if m.Kind == twofold.KindSoftwareOath {
			apps = append(apps, m)
		}
	}
	if len(apps) == 0 {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That sign-in method isn't available. Choose another way to sign in.")
	}
	return apps, nil
}
