package store

import (
	"context"
	"time"
)

// ConsumeOnce inserts key and lets the primary key decide: of racing inserts
// exactly one adds the row, and every other one conflicts and does nothing, so
// the affected row count says who used the key first.
func (s *Store) ConsumeOnce(ctx context.Context, key string, expiresAt time.Time) (bool, error) {
	n, err := s.exec(ctx, `INSERT INTO used_once (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		key, s.d.time(expiresAt))
	if err != nil {
		return false, fail(err, "key", "consume key once", "")
	}
	return n == 1, nil
}

// DeleteOnceBefore removes used keys that expired before t and returns how many.
func (s *Store) DeleteOnceBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM used_once WHERE expires_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "key", "delete expired used keys", "")
	}
	return n, nil
}
