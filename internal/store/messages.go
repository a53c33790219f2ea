package store

import (
	"context"

	"github.com/twofold-id/twofold"
)

// messageDefaultLimit is what ListMessages uses for a limit of zero or less.
const messageDefaultLimit = 100

const messageColumns = `id, org_id, user_id, channel, recipient, subject, body, created_at`

// AppendMessage stores m. Returns ECONFLICT if its ID is taken.
func (s *Store) AppendMessage(ctx context.Context, m *twofold.Message) error {
	_, err := s.write(ctx, `INSERT INTO messages (`+messageColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		m.ID, m.OrgID, m.UserID, m.Channel, m.To, m.Subject, m.Body, s.d.time(m.CreatedAt))
	if err != nil {
		return fail(err, "message", "append message "+m.ID, "That message already exists.")
	}
	return nil
}

// ListMessages returns messages to the address to ("" for all), newest first,
// at most limit (100 when limit is zero or less).
func (s *Store) ListMessages(ctx context.Context, to string, limit int) ([]*twofold.Message, error) {
	if limit <= 0 {
		limit = messageDefaultLimit
	}
	query, args := `SELECT `+messageColumns+` FROM messages ORDER BY created_at DESC, id DESC LIMIT $1`, []any{limit}
	if to != "" {
		query = `SELECT ` + messageColumns + ` FROM messages WHERE recipient = $2 ORDER BY created_at DESC, id DESC LIMIT $1`
		args = append(args, to)
	}
	const op = "list messages"
	rows, err := s.read(ctx, query, args...)
	if err != nil {
		return nil, fail(err, "message", op, "")
	}
	defer rows.Close()
	var out []*twofold.Message
	for rows.Next() {
		var m twofold.Message
		if err := rows.Scan(&m.ID, &m.OrgID, &m.UserID, &m.Channel, &m.To, &m.Subject, &m.Body,
			timeCol{&m.CreatedAt}); err != nil {
			return nil, fail(err, "message", op, "")
		}
		out = append(out, &m)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "message", op, "")
	}
	return out, nil
}
