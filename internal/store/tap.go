package store

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
)

var _ twofold.TAPStore = (*Store)(nil)

// passTaken is the conflict message when the unique index methods_one_pass
// refuses a second pass for one member (issuing replaces the old one first).
const passTaken = "The member already has a Temporary Access Pass."

// UseTemporaryAccessPass records a sign-in with the user's pass methodID at
// now. Whether the pass works (active, started, not expired, and for a
// one-time pass never used) is decided by the same UPDATE that records the
// use, so of any number of racing sign-ins with a one-time pass exactly one
// reports true.
func (s *Store) UseTemporaryAccessPass(ctx context.Context, userID, methodID string, now time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE methods SET last_used_at = $3
WHERE id = $2 AND user_id = $1 AND kind = 'temporaryAccessPass' AND state = 'active'
AND activated_at <= $3 AND expires_at > $3 AND (NOT usable_once OR last_used_at IS NULL)`,
		userID, methodID, s.d.time(now))
	if err != nil {
		return false, fail(err, "pass", "use pass "+methodID+" of user "+userID, "")
	}
	return n == 1, nil
}

// DeletePassesEndedBefore removes every pass whose end is before t and
// returns how many.
func (s *Store) DeletePassesEndedBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM methods WHERE kind = 'temporaryAccessPass' AND expires_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "pass", "delete ended passes", "")
	}
	return n, nil
}
