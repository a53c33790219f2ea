package store

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
)

const methodColumns = `id, user_id, kind, state, name, secret_sealed, last_step, created_at,
activated_at, last_used_at, phone_number, phone_type, email, pass_hash, expires_at, usable_once`

// phoneTypeTaken is the conflict message when the unique index
// methods_one_phone_per_type refuses a second active phone of one type.
const phoneTypeTaken = "You already have a phone of that type."

// emailTaken is the conflict message when the unique index methods_one_email
// refuses a second active email address.
const emailTaken = "You already have an email address. Change it instead."

// CreateMethod stores m. Returns ENOTFOUND if the user does not exist, and
// ECONFLICT if the ID is taken or m is an active phone and the user already has
// an active phone of m.PhoneType, or m is an active email and the user already
// has one. The last two are left to unique indexes rather than checked first,
// so that of racing registrations exactly one succeeds.
func (s *Store) CreateMethod(ctx context.Context, m *twofold.Method) error {
	_, err := s.write(ctx, `INSERT INTO methods (`+methodColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		m.ID, m.UserID, string(m.Kind), string(m.State), m.Name, m.SecretSealed, m.LastStep,
		s.d.time(m.CreatedAt), s.d.time(m.ActivatedAt), s.d.time(m.LastUsedAt), m.PhoneNumber,
		string(m.PhoneType), m.Email, m.PassHash, s.d.time(m.ExpiresAt), m.UsableOnce)
	if err != nil {
		return fail(err, "user", "create method "+m.ID, methodConflict(err, m.Kind))
	}
	return nil
}

// methodConflict words a unique violation on methods of kind: the primary key,
// or the kind's one-per-member index (a phone's per type, an email's).
func methodConflict(err error, kind twofold.MethodKind) string {
	if isPrimaryKeyViolation(err) {
		return "That method already exists."
	}
	switch kind {
	case twofold.KindEmail:
		return emailTaken
	case twofold.KindTemporaryAccessPass:
		return passTaken
	}
	return phoneTypeTaken
}

// MethodByID returns the user's method. Returns ENOTFOUND if it does not exist
// or belongs to someone else.
func (s *Store) MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error) {
	m, err := scanMethod(s.readRow(ctx,
		`SELECT `+methodColumns+` FROM methods WHERE id = $1 AND user_id = $2`, methodID, userID))
	if err != nil {
		return nil, fail(err, "method", "find method "+methodID+" of user "+userID, "")
	}
	return m, nil
}

// ListMethods returns the user's methods in state ("" for all), oldest first.
func (s *Store) ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error) {
	op := "list methods of user " + userID
	query, args := `SELECT `+methodColumns+` FROM methods WHERE user_id = $1 ORDER BY created_at, id`, []any{userID}
	if state != "" {
		query = `SELECT ` + methodColumns + ` FROM methods WHERE user_id = $1 AND state = $2 ORDER BY created_at, id`
		args = append(args, string(state))
	}
	rows, err := s.read(ctx, query, args...)
	if err != nil {
		return nil, fail(err, "method", op, "")
	}
	defer rows.Close()
	var ms []*twofold.Method
	for rows.Next() {
		m, err := scanMethod(rows)
		if err != nil {
			return nil, fail(err, "method", op, "")
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "method", op, "")
	}
	return ms, nil
}

// ActivateMethod turns the user's pending method active with name, recording
// step as its last used TOTP step. Returns ENOTFOUND if no such pending method
// exists, so a method is activated at most once, and ECONFLICT if it is a phone
// and the user already has an active phone of its type.
func (s *Store) ActivateMethod(ctx context.Context, userID, methodID, name string, step int64, at time.Time) error {
	const noun = "pending method"
	op := "activate method " + methodID + " of user " + userID
	n, err := s.exec(ctx, `UPDATE methods SET state = 'active', name = $3, last_step = $4, activated_at = $5
WHERE id = $1 AND user_id = $2 AND state = 'pending'`,
		methodID, userID, name, step, s.d.time(at))
	if err != nil {
		return fail(err, noun, op, phoneTypeTaken)
	}
	if n == 0 {
		return notFound(noun, op, nil)
	}
	return nil
}

// UpdatePhoneNumber replaces the number of the user's phone method. Returns
// ENOTFOUND if the user has no such method or it is not a phone.
func (s *Store) UpdatePhoneNumber(ctx context.Context, userID, methodID, number string) error {
	// The number stays out of op: it is personal data, and op is logged.
	return s.execOne(ctx, "phone", "update number of method "+methodID+" of user "+userID,
		`UPDATE methods SET phone_number = $3 WHERE id = $1 AND user_id = $2 AND kind = 'phone'`,
		methodID, userID, number)
}

// UpdateEmail replaces the address of the user's email method. Returns
// ENOTFOUND if the user has no such method or it is not an email.
func (s *Store) UpdateEmail(ctx context.Context, userID, methodID, email string) error {
	// The address stays out of op: it is personal data, and op is logged.
	return s.execOne(ctx, "email", "update address of method "+methodID+" of user "+userID,
		`UPDATE methods SET email = $3 WHERE id = $1 AND user_id = $2 AND kind = 'email'`,
		methodID, userID, email)
}

// DeleteMethod removes the user's method. Returns ENOTFOUND.
func (s *Store) DeleteMethod(ctx context.Context, userID, methodID string) error {
	return s.execOne(ctx, "method", "delete method "+methodID+" of user "+userID,
		`DELETE FROM methods WHERE id = $1 AND user_id = $2`, methodID, userID)
}

// DeletePendingBefore removes pending methods created before t and returns how many.
func (s *Store) DeletePendingBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM methods WHERE state = 'pending' AND created_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "method", "delete pending methods", "")
	}
	return n, nil
}

// ConsumeStep records step as the method's last used TOTP step if it is newer
// than the stored one and the method is active. The comparison and the write are
// one statement, so of many identical submissions exactly one reports true.
func (s *Store) ConsumeStep(ctx context.Context, methodID string, step int64, at time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE methods SET last_step = $1, last_used_at = $2
WHERE id = $3 AND state = 'active' AND last_step < $1`, step, s.d.time(at), methodID)
	if err != nil {
		return false, fail(err, "method", "consume step of method "+methodID, "")
	}
	return n == 1, nil
}

func scanMethod(row scanner) (*twofold.Method, error) {
	var (
		m                      twofold.Method
		kind, state, phoneType string
	)
	err := row.Scan(&m.ID, &m.UserID, &kind, &state, &m.Name, &m.SecretSealed, &m.LastStep,
		timeCol{&m.CreatedAt}, timeCol{&m.ActivatedAt}, timeCol{&m.LastUsedAt}, &m.PhoneNumber, &phoneType, &m.Email,
		&m.PassHash, timeCol{&m.ExpiresAt}, &m.UsableOnce)
	if err != nil {
		return nil, err
	}
	m.Kind = twofold.MethodKind(kind)
	m.State = twofold.MethodState(state)
	m.PhoneType = twofold.PhoneType(phoneType)
	return &m, nil
}
