package totp

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
)

// Verify reports whether code is a valid, unused code of the active
// authenticator app m, and if so consumes its time step so it never works
// again. It tries the newest matching step after m.LastStep among the current
// step and one either side. Of many parallel calls with one code, exactly one
// returns true, because the store consumes the step atomically.
//
// A malformed code returns the NormalizeCode error; a wrong or expired code
// returns false with no error; a code whose step was already used (a replay, or
// the loser of a race) returns false with ErrCodeUsed, so callers can tell a
// double submission from a guess. Callers should count the attempt before
// calling, so parallel guesses are throttled too. m must be an active
// authenticator app; anything else is a caller bug and an EINTERNAL error.
func (s *Service) Verify(ctx context.Context, m *twofold.Method, code string) (bool, error) {
	if m.Kind != twofold.KindSoftwareOath || m.State != twofold.MethodActive {
		return false, fmt.Errorf("totp: verify: method %s is not an active authenticator app", m.ID)
	}
	code, err := NormalizeCode(code)
	if err != nil {
		return false, err
	}
	secret, err := s.box.Open(m.SecretSealed, []byte(m.ID))
	if err != nil {
		return false, fmt.Errorf("totp: open secret of method %s: %w", m.ID, err)
	}
	defer clear(secret)
	now := s.now()
	step, ok, used := matchStep(secret, code, now, m.LastStep)
	if used {
		return false, ErrCodeUsed
	}
	if !ok {
		return false, nil
	}
	ok, err = s.methods.ConsumeStep(ctx, m.ID, step, now)
	if err != nil {
		return false, fmt.Errorf("totp: consume step of method %s: %w", m.ID, err)
	}
	if !ok {
		return false, ErrCodeUsed
	}
	return true, nil
}

// ErrCodeUsed is returned for a right code whose time step was already used.
var ErrCodeUsed = twofold.FieldError("code", "That code has already been used. Wait for the next code in your authenticator app, then enter it.")
