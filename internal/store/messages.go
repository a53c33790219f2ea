package store

import (
	"context"

	"github.com/twofold-id/twofold"
)

// messageDefaultLimit is what ListMessages uses for a limit of zero or less.
const messageDefaultLimit = 100

const messageColumns = `id, org_id, user_id, channel, recipient, subject, body, created_at,
challenge_id, call_state, delivery, attempts, next_attempt_at, sent_at, last_error`

// AppendMessage stores m; with Delivery MailPending that queues it for
// ClaimMail. Returns ECONFLICT if its ID is taken.
func (s *Store) AppendMessage(ctx context.Context, m *twofold.Message) error {
	_, err := s.write(ctx, `INSERT INTO messages (`+messageColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		m.ID, m.OrgID, m.UserID, m.Channel, m.To, m.Subject, m.Body, s.d.time(m.CreatedAt),
		m.ChallengeID, string(m.CallState), string(m.Delivery), m.Attempts, s.d.time(m.NextAttemptAt),
		s.d.time(m.SentAt), m.LastError)
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
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fail(err, "message", op, "")
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "message", op, "")
	}
	return out, nil
}

// MessageByID returns the message. Returns ENOTFOUND.
func (s *Store) MessageByID(ctx context.Context, id string) (*twofold.Message, error) {
	m, err := scanMessage(s.readRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id))
	if err != nil {
		return nil, fail(err, "message", "find message "+id, "")
	}
	return m, nil
}

// MoveCall moves the outbox call from state from to state to in one
// conditional update and reports whether it did; false, with no error, means
// the call was no longer in from (or does not exist), so of a pick-up and a
// time-out racing on one call exactly one takes effect.
func (s *Store) MoveCall(ctx context.Context, id string, from, to twofold.CallState) (bool, error) {
	n, err := s.exec(ctx, `UPDATE messages SET call_state = $3 WHERE id = $1 AND call_state = $2`,
		id, string(from), string(to))
	if err != nil {
		return false, fail(err, "message", "move call "+id+" to "+string(to), "")
	}
	return n == 1, nil
}

func scanMessage(row scanner) (*twofold.Message, error) {
	var (
		m                   twofold.Message
		callState, delivery string
	)
	err := row.Scan(&m.ID, &m.OrgID, &m.UserID, &m.Channel, &m.To, &m.Subject, &m.Body,
		timeCol{&m.CreatedAt}, &m.ChallengeID, &callState, &delivery, &m.Attempts,
		timeCol{&m.NextAttemptAt}, timeCol{&m.SentAt}, &m.LastError)
	if err != nil {
		return nil, err
	}
	m.CallState = twofold.CallState(callState)
	m.Delivery = twofold.MailDelivery(delivery)
	return &m, nil
}
