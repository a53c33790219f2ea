package phone

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// stopAsker ends what asked for the call reported as fraud, in the transaction
// that blocks MFA: a sign-in flow waiting on it is denied, and a signed-in
// session that asked (to verify again, or to add or change a phone) is signed
// out, since whoever holds it is not the member.
func (s *Service) stopAsker(ctx context.Context, c *twofold.Challenge, now time.Time) error {
	if hash, ok := strings.CutPrefix(c.Binding, "flow:"); ok {
		// A sign-in's second factor, or the interrupt registering a phone.
		from := twofold.FlowMFARequired
		if c.Purpose == twofold.PurposeRegister {
			from = twofold.FlowRegistrationRequired
		}
		if _, err := s.Store.FinishFlow(ctx, hash, from, twofold.FlowFailed); err != nil {
			return fmt.Errorf("phone: deny sign-in: %w", err)
		}
		return nil
	}
	if id, ok := strings.CutPrefix(c.Binding, "session:"); ok {
		err := s.Store.RevokeSession(ctx, c.UserID, id, now)
		if err != nil && twofold.ErrorCode(err) != twofold.ENOTFOUND {
			return fmt.Errorf("phone: end session of fraud report: %w", err)
		}
	}
	return nil
}

// fraudStopped says, for the member's notice, what the report stopped.
func fraudStopped(c *twofold.Challenge) string {
	session := strings.HasPrefix(c.Binding, "session:")
	switch {
	case c.Purpose == twofold.PurposeReverify:
		return "We signed out the session that asked to verify your identity again"
	case c.Purpose == twofold.PurposeRegister && session:
		return "We didn't save the phone, and we signed out the session that asked to add or change it"
	case c.Purpose == twofold.PurposeRegister:
		return "We stopped the sign-in that was registering this phone"
	case c.Purpose == twofold.PurposeReset:
		return "We stopped the password reset it was for; your password was not changed"
	}
	return "We stopped the sign-in it was for"
}
