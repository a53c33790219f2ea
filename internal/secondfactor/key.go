package secondfactor

import (
	"context"

	"github.com/twofold-id/twofold"
)

// CheckKey runs check, a security-key assertion for u, as one guess: counted
// against the member before it runs, like a code, so a key that fails (a
// forged or copied key, a replayed answer) uses up the same budget as wrong
// codes, and a right one clears it. Returns ErrBlocked, or check's error.
func (c *Checker) CheckKey(ctx context.Context, u *twofold.User, p twofold.Policy, check func() error) error {
	if c.now().Before(u.MFABlockedUntil) {
		return ErrBlocked
	}
	return c.counted(ctx, u, p, check)
}
