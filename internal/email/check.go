package email

import (
	"context"
	"crypto/hmac"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
)

// Check checks code against the newest challenge of binding, which must be a
// mailed code, and returns that challenge once proven: its Purpose, MethodID
// and Email say what was proven, and the caller must check they are what it
// asked for. Every entered code counts against the mail before it is compared,
// so parallel guesses each see their own count and at most MaxAttempts are
// ever compared; the code dies with the last wrong one. A right code is used
// exactly once, however many identical submissions race. Returns ErrWrongCode,
// ErrCodeExpired, ErrCodeUsed, ErrNoCode, ErrTooManyTries or an EINVALID error
// for a malformed code (not counted); the wrong code that uses up the mail is
// both ErrTooManyTries and ErrWrongCode (errors.Is). Counting wrong codes
// against the member across mails is the caller's part.
func (c *Codes) Check(ctx context.Context, binding, code string) (*twofold.Challenge, error) {
	code, err := NormalizeCode(code)
	if err != nil {
		return nil, err
	}
	ch, err := c.Latest(ctx, binding)
	if err != nil {
		return nil, err
	}
	switch ch.State {
	case twofold.ChallengeSent:
	case twofold.ChallengeUsed:
		return nil, ErrCodeUsed
	case twofold.ChallengeFailed:
		if ch.Reason == reasonTooManyCodes {
			return nil, ErrTooManyTries
		}
		return nil, ErrCodeExpired
	default:
		return nil, ErrNoCode
	}
	now := c.Now().UTC()
	if !now.Before(ch.ExpiresAt) {
		c.fail(ctx, ch, reasonCodeExpired, now)
		return nil, ErrCodeExpired
	}
	n, err := c.Store.RecordChallengeAttempt(ctx, ch.ID)
	if err != nil {
		return nil, fmt.Errorf("email: count attempt: %w", err)
	}
	if n > MaxAttempts {
		return nil, ErrTooManyTries
	}
	if !hmac.Equal([]byte(c.hashCode(ch.ID, code)), []byte(ch.CodeHash)) {
		if n == MaxAttempts {
			c.fail(ctx, ch, reasonTooManyCodes, now)
			return nil, errLastWrongCode
		}
		return nil, ErrWrongCode
	}
	ok, err := c.Store.MoveChallenge(ctx, ch.ID, []twofold.ChallengeState{twofold.ChallengeSent}, twofold.ChallengeUsed, "", now)
	if err != nil {
		return nil, fmt.Errorf("email: use code: %w", err)
	}
	if !ok {
		return nil, ErrCodeUsed
	}
	ch.State, ch.Attempts, ch.UpdatedAt = twofold.ChallengeUsed, n, now
	return ch, nil
}

// Latest returns the newest challenge of binding if it is a mailed code, in
// whatever state; ErrNoCode otherwise. Pages use it to say where the code went
// ("We emailed a code to a•••@contoso.com").
func (c *Codes) Latest(ctx context.Context, binding string) (*twofold.Challenge, error) {
	ch, err := c.Store.LatestChallenge(ctx, binding)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, ErrNoCode
	} else if err != nil {
		return nil, fmt.Errorf("email: latest challenge: %w", err)
	}
	if ch.Channel != twofold.ChannelEmail {
		return nil, ErrNoCode
	}
	return ch, nil
}

// fail ends ch with reason; a failure to record it is logged, since the
// member's answer does not depend on it (the expiry and the count still hold).
func (c *Codes) fail(ctx context.Context, ch *twofold.Challenge, reason string, now time.Time) {
	if _, err := c.Store.MoveChallenge(ctx, ch.ID, []twofold.ChallengeState{twofold.ChallengeSent},
		twofold.ChallengeFailed, reason, now); err != nil {
		c.Log.ErrorContext(ctx, "email: fail challenge", "challenge", ch.ID, "err", err)
	}
}
