package store

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
)

// LockMember holds the user's row until the transaction of ctx ends, so that
// what the transaction goes on to read of the member's methods stays true until
// it commits: on PostgreSQL another transaction locking the member waits here,
// and on SQLite every writing transaction already runs alone. Outside InTx it
// only checks that the user exists. Returns ENOTFOUND.
func (s *Store) LockMember(ctx context.Context, userID string) error {
	var id string
	err := s.writeRow(ctx, `SELECT id FROM users WHERE id = $1`+s.d.forUpdate(), userID).Scan(&id)
	if err != nil {
		return fail(err, "user", "lock member "+userID, "")
	}
	return nil
}

// LockOrg holds the organization's row until the transaction of ctx ends: on
// PostgreSQL another transaction locking it waits here, and on SQLite every
// writing transaction already runs alone. Returns ENOTFOUND.
func (s *Store) LockOrg(ctx context.Context, orgID string) error {
	var id string
	err := s.writeRow(ctx, `SELECT id FROM organizations WHERE id = $1`+s.d.forUpdate(), orgID).Scan(&id)
	if err != nil {
		return fail(err, "organization", "lock organization "+orgID, "")
	}
	return nil
}

// limitReached is the conflict message when a member holds as many methods of
// a kind as allowed; use cases word it better when they know the number.
const limitReached = "You already have as many of these as your organization allows. Delete one to add another."

// ActivateMethodWithin turns the user's pending method of kind active with name,
// recording step as its last used TOTP step, only while the user has fewer than
// limit active methods of kind. The member is locked first and the count is
// part of the activating statement, so of racing activations at most limit
// succeed on either database. Returns ECONFLICT at the limit (or, for a phone,
// when its type is taken) and ENOTFOUND if no such pending method exists.
func (s *Store) ActivateMethodWithin(ctx context.Context, userID, methodID string, kind twofold.MethodKind, limit int, name string, step int64, at time.Time) error {
	const noun = "pending method"
	op := "activate method " + methodID + " of user " + userID + " within limit"
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.LockMember(ctx, userID); err != nil {
			return err
		}
		n, err := s.exec(ctx, `UPDATE methods SET state = 'active', name = $3, last_step = $4, activated_at = $5
WHERE id = $1 AND user_id = $2 AND state = 'pending' AND kind = $6
AND (SELECT count(*) FROM methods WHERE user_id = $2 AND kind = $6 AND state = 'active') < $7`,
			methodID, userID, name, step, s.d.time(at), string(kind), limit)
		if err != nil {
			return fail(err, noun, op, phoneTypeTaken)
		}
		if n == 1 {
			return nil
		}
		m, err := s.MethodByID(ctx, userID, methodID)
		if err != nil || m.State != twofold.MethodPending || m.Kind != kind {
			return notFound(noun, op, nil)
		}
		return &twofold.Error{Code: twofold.ECONFLICT, Message: limitReached}
	})
}
