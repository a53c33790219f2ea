package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// cooldownKeep is how long a cooldown row is kept after it ended. An ended row
// and a missing one mean the same to StartCooldown, but replicas' clocks differ
// a little, so a row is only swept once every replica agrees it has ended.
const cooldownKeep = time.Hour

// StartCooldown starts the cooldown named key, lasting until until, unless one
// is still running at now, and reports whether it did. The check and the write
// are one upsert whose update applies only to an ended cooldown, so of racing
// callers on any replica exactly one reports true.
//
// Cooldowns that ended cooldownKeep before now are deleted now and then, only
// by a call that started one, and at most once per sweepEvery per Store.
func (s *Store) StartCooldown(ctx context.Context, key string, now, until time.Time) (bool, error) {
	var got string
	err := s.writeRow(ctx, `INSERT INTO cooldowns (cooldown_key, until_at) VALUES ($1, $2)
ON CONFLICT (cooldown_key) DO UPDATE SET until_at = excluded.until_at
WHERE cooldowns.until_at <= $3
RETURNING cooldown_key`, key, s.d.time(until), s.d.time(now)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		// The update's condition failed: one is still running.
		return false, nil
	}
	if err != nil {
		// Keys may name a phone number, so the key stays out of op.
		return false, fail(err, "cooldown", "start cooldown", "")
	}
	s.sweep(ctx, &s.cooldownSweepAfter, now, `DELETE FROM cooldowns WHERE until_at < $1`, now.Add(-cooldownKeep))
	return true, nil
}
