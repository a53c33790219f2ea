package twofold

import "time"

// PasswordGuess is one place taken among the wrong passwords an account allows
// per lock period, taken before the password is hashed (UserStore
// ReservePasswordGuess). Count is how many places are taken with it, Level the
// account's lockout level when it was taken: a lock raises the level, so a
// guess taken before a lock can neither lock again nor give its place back into
// the next period.
type PasswordGuess struct {
	Count int
	Level int
}

// maxEscalation is the longest a lock or block grows to by doubling.
const maxEscalation = 24 * time.Hour

// LockoutLengths returns how long each lock in a row lasts, indexed by the
// lockout level: LockoutDuration first, each next one twice the last, up to a
// day. The last entry holds for every higher level.
func (p Policy) LockoutLengths() []time.Duration {
	return doubling(time.Duration(p.LockoutDuration), maxEscalation)
}

// MFABlockLengths returns how long each second-factor block in a row lasts,
// indexed by the block level: MFABlockDuration first, each next one twice the
// last, up to a day (or the first block, when the policy sets it longer). Without
// the doubling, every block's end would give a guesser a fresh budget of
// MFAFailureLimit codes for ever.
func (p Policy) MFABlockLengths() []time.Duration {
	base := time.Duration(p.MFABlockDuration)
	return doubling(base, max(base, maxEscalation))
}

// doubling returns first, 2×first, 4×first … while below limit, then limit.
func doubling(first, limit time.Duration) []time.Duration {
	if first <= 0 {
		return []time.Duration{limit}
	}
	var out []time.Duration
	for d := first; d < limit; d *= 2 {
		out = append(out, d)
	}
	return append(out, limit)
}
