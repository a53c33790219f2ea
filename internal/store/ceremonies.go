package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/twofold-id/twofold"
)

// A ceremony's binding may name a flow by its ID hash, a bearer secret, so it
// stays out of error messages, as its session data does.

const ceremonyColumns = `id, binding, purpose, user_id, session_data, created_at, expires_at, used_at`

// CreateCeremony stores c. Returns ECONFLICT if the ID is taken.
func (s *Store) CreateCeremony(ctx context.Context, c *twofold.Ceremony) error {
	_, err := s.write(ctx, `INSERT INTO webauthn_ceremonies (`+ceremonyColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.ID, c.Binding, string(c.Purpose), c.UserID, nonNil(c.SessionData),
		s.d.time(c.CreatedAt), s.d.time(c.ExpiresAt), s.d.time(c.UsedAt))
	if err != nil {
		return fail(err, "ceremony", "create ceremony "+c.ID, "That ceremony already exists.")
	}
	return nil
}

// ConsumeCeremony marks a live ceremony used and returns it, in one
// conditional update: of any number of racing calls exactly one gets it.
func (s *Store) ConsumeCeremony(ctx context.Context, id, binding string, purpose twofold.CeremonyPurpose, now time.Time) (*twofold.Ceremony, bool, error) {
	var (
		c    twofold.Ceremony
		purp string
	)
	err := s.writeRow(ctx, `UPDATE webauthn_ceremonies SET used_at = $4
WHERE id = $1 AND binding = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4
RETURNING `+ceremonyColumns, id, binding, string(purpose), s.d.time(now)).Scan(
		&c.ID, &c.Binding, &purp, &c.UserID, &c.SessionData,
		timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, timeCol{&c.UsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fail(err, "ceremony", "consume ceremony "+id, "")
	}
	c.Purpose = twofold.CeremonyPurpose(purp)
	return &c, true, nil
}

// DeleteCeremoniesBefore removes ceremonies that expired before t and returns how many.
func (s *Store) DeleteCeremoniesBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM webauthn_ceremonies WHERE expires_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "ceremony", "delete expired ceremonies", "")
	}
	return n, nil
}
