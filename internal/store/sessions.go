package store

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
)

const sessionColumns = `id, token_hash, user_id, org_id, created_at, last_seen_at, expires_at,
password_at, mfa_at, mfa_method, ip, user_agent, revoked_at`

// CreateSession stores s. Returns ENOTFOUND if the user does not exist and
// ECONFLICT if the ID or token hash is taken.
func (s *Store) CreateSession(ctx context.Context, ss *twofold.Session) error {
	_, err := s.write(ctx, `INSERT INTO sessions (`+sessionColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		ss.ID, ss.TokenHash, ss.UserID, ss.OrgID, s.d.time(ss.CreatedAt), s.d.time(ss.LastSeenAt),
		s.d.time(ss.ExpiresAt), s.d.time(ss.PasswordAt), s.d.time(ss.MFAAt), ss.MFAMethod, ss.IP,
		ss.UserAgent, s.d.time(ss.RevokedAt))
	if err != nil {
		return fail(err, "user", "create session "+ss.ID, "That session already exists.")
	}
	return nil
}

// SessionByTokenHash returns the session, revoked or not. Returns ENOTFOUND.
func (s *Store) SessionByTokenHash(ctx context.Context, tokenHash string) (*twofold.Session, error) {
	ss, err := scanSession(s.readRow(ctx,
		`SELECT `+sessionColumns+` FROM sessions WHERE token_hash = $1`, tokenHash))
	if err != nil {
		// The hash stays out of the message: it identifies a live credential.
		return nil, fail(err, "session", "find session by token", "")
	}
	return ss, nil
}

// ListSessions returns the user's sessions that are neither revoked nor expired
// at now, newest first.
func (s *Store) ListSessions(ctx context.Context, userID string, now time.Time) ([]*twofold.Session, error) {
	op := "list sessions of user " + userID
	rows, err := s.read(ctx, `SELECT `+sessionColumns+` FROM sessions
WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
ORDER BY created_at DESC, id DESC`, userID, s.d.time(now))
	if err != nil {
		return nil, fail(err, "session", op, "")
	}
	defer rows.Close()
	var out []*twofold.Session
	for rows.Next() {
		ss, err := scanSession(rows)
		if err != nil {
			return nil, fail(err, "session", op, "")
		}
		out = append(out, ss)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "session", op, "")
	}
	return out, nil
}

// TouchSession moves LastSeenAt forward to at; it never moves it back, and a
// missing session is not an error.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = $2
WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2)`, id, s.d.time(at))
	if err != nil {
		return fail(err, "session", "touch session "+id, "")
	}
	return nil
}

// RecordSessionMFA records a second factor proven in the session. Returns ENOTFOUND.
func (s *Store) RecordSessionMFA(ctx context.Context, id, methodID string, at time.Time) error {
	return s.execOne(ctx, "session", "record MFA in session "+id,
		`UPDATE sessions SET mfa_at = $2, mfa_method = $3 WHERE id = $1`, id, s.d.time(at), methodID)
}

// RotateSession replaces the token hash of the live session id, if it is still
// oldHash, with newHash and records a second factor proven by methodID at at.
// Returns ENOTFOUND when the session is revoked or its token was replaced.
func (s *Store) RotateSession(ctx context.Context, id, oldHash, newHash, methodID string, at time.Time) error {
	return s.execOne(ctx, "session", "rotate session "+id,
		`UPDATE sessions SET token_hash = $3, mfa_at = $4, mfa_method = $5
WHERE id = $1 AND token_hash = $2 AND revoked_at IS NULL`, id, oldHash, newHash, s.d.time(at), methodID)
}

// RevokeSession marks one of the user's sessions revoked at at; a session that
// is already revoked keeps its first revocation time. Returns ENOTFOUND if the
// user has no such session.
func (s *Store) RevokeSession(ctx context.Context, userID, id string, at time.Time) error {
	return s.execOne(ctx, "session", "revoke session "+id+" of user "+userID,
		`UPDATE sessions SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND user_id = $2`,
		id, userID, s.d.time(at))
}

// RevokeUserSessions revokes the user's sessions that are live at at and
// returns how many.
func (s *Store) RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int, error) {
	n, err := s.exec(ctx, `UPDATE sessions SET revoked_at = $2
WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2`, userID, s.d.time(at))
	if err != nil {
		return 0, fail(err, "session", "revoke sessions of user "+userID, "")
	}
	return n, nil
}

func scanSession(row scanner) (*twofold.Session, error) {
	var ss twofold.Session
	err := row.Scan(&ss.ID, &ss.TokenHash, &ss.UserID, &ss.OrgID, timeCol{&ss.CreatedAt},
		timeCol{&ss.LastSeenAt}, timeCol{&ss.ExpiresAt}, timeCol{&ss.PasswordAt}, timeCol{&ss.MFAAt},
		&ss.MFAMethod, &ss.IP, &ss.UserAgent, timeCol{&ss.RevokedAt})
	if err != nil {
		return nil, err
	}
	return &ss, nil
}
