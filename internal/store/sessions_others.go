package store

import (
	"context"
	"time"
)

// RevokeOtherSessions revokes the user's sessions that are live at at, except
// keepID (the one a member changing their password stays signed in with), and
// returns how many. One UPDATE: a session signed in meanwhile on another
// replica is either revoked or was created after the statement, and a session
// already revoked keeps its first revocation time.
func (s *Store) RevokeOtherSessions(ctx context.Context, userID, keepID string, at time.Time) (int, error) {
	n, err := s.exec(ctx, `UPDATE sessions SET revoked_at = $3
WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > $3`, userID, keepID, s.d.time(at))
	if err != nil {
		return 0, fail(err, "session", "revoke other sessions of user "+userID, "")
	}
	return n, nil
}
