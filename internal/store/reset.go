package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// Reset attempt IDs are bearer secrets; their hashes stay out of error
// messages too.

const resetColumns = `id_hash, user_id, org_id, state, required, proven, step_method_id,
step_data, created_at, expires_at, ip, user_agent`

// CreateResetAttempt stores a. Returns ECONFLICT if the ID hash is taken.
func (s *Store) CreateResetAttempt(ctx context.Context, a *twofold.ResetAttempt) error {
	_, err := s.write(ctx, `INSERT INTO reset_attempts (`+resetColumns+`, proven_count)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		a.IDHash, a.UserID, a.OrgID, string(a.State), a.Required, provenList(a.Proven), a.StepMethodID,
		a.StepData, s.d.time(a.CreatedAt), s.d.time(a.ExpiresAt), a.IP, a.UserAgent, len(a.Proven))
	if err != nil {
		return fail(err, "reset", "create reset attempt", "That reset already exists.")
	}
	return nil
}

// provenList encodes method IDs between spaces, the form ProveResetMethod
// searches with LIKE. Method IDs are hex, so they hold no LIKE wildcard.
func provenList(ids []string) string {
	if len(ids) == 0 {
		return " "
	}
	return " " + strings.Join(ids, " ") + " "
}

// ResetAttemptByIDHash returns the attempt. Returns ENOTFOUND.
func (s *Store) ResetAttemptByIDHash(ctx context.Context, idHash string) (*twofold.ResetAttempt, error) {
	var (
		a             twofold.ResetAttempt
		state, proven string
	)
	err := s.readRow(ctx, `SELECT `+resetColumns+` FROM reset_attempts WHERE id_hash = $1`, idHash).Scan(
		&a.IDHash, &a.UserID, &a.OrgID, &state, &a.Required, &proven, &a.StepMethodID, &a.StepData,
		timeCol{&a.CreatedAt}, timeCol{&a.ExpiresAt}, &a.IP, &a.UserAgent)
	if err != nil {
		return nil, fail(err, "reset", "find reset attempt", "")
	}
	a.State = twofold.ResetState(state)
	if ids := strings.Fields(proven); len(ids) > 0 {
		a.Proven = ids
	}
	return &a, nil
}

// SetResetStep records the step under way in one conditional UPDATE.
func (s *Store) SetResetStep(ctx context.Context, idHash, methodID, data string, now time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE reset_attempts SET step_method_id = $2, step_data = $3
WHERE id_hash = $1 AND state = 'verifying' AND expires_at > $4`, idHash, methodID, data, s.d.time(now))
	if err != nil {
		return false, fail(err, "reset", "set reset step", "")
	}
	return n == 1, nil
}

// ProveResetMethod adds methodID to the proven list in one conditional UPDATE:
// the state, the expiry, the count below required and the method's absence
// from the list are all checked by the statement that changes them.
func (s *Store) ProveResetMethod(ctx context.Context, idHash, methodID string, now time.Time) (twofold.ResetState, bool, error) {
	var state string
	err := s.writeRow(ctx, `UPDATE reset_attempts SET proven = proven || CAST($2 AS TEXT) || ' ',
proven_count = proven_count + 1,
state = CASE WHEN proven_count + 1 >= required THEN 'verified' ELSE 'verifying' END,
step_method_id = '', step_data = ''
WHERE id_hash = $1 AND state = 'verifying' AND expires_at > $3 AND proven_count < required
AND proven NOT LIKE '% ' || CAST($2 AS TEXT) || ' %'
RETURNING state`, idHash, methodID, s.d.time(now)).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fail(err, "reset", "prove a reset method", "")
	}
	return twofold.ResetState(state), true, nil
}

// FinishResetAttempt moves a verified attempt to done in one conditional UPDATE.
func (s *Store) FinishResetAttempt(ctx context.Context, idHash string, now time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE reset_attempts SET state = 'done', step_method_id = '', step_data = ''
WHERE id_hash = $1 AND state = 'verified' AND expires_at > $2`, idHash, s.d.time(now))
	if err != nil {
		return false, fail(err, "reset", "finish reset attempt", "")
	}
	return n == 1, nil
}

// DeleteResetAttemptsBefore removes attempts that expired before t.
func (s *Store) DeleteResetAttemptsBefore(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM reset_attempts WHERE expires_at < $1`, s.d.time(t))
	if err != nil {
		return 0, fail(err, "reset", "delete expired reset attempts", "")
	}
	return n, nil
}

// ReserveResetCheck takes a place in one upsert: a member's first check makes
// the row, a window that has run out starts again at now with this check, and
// the update applies only while the member is unblocked at now and the window
// has a place left. No row back means no place.
func (s *Store) ReserveResetCheck(ctx context.Context, userID string, now time.Time, limit int, window time.Duration) (twofold.ResetGuess, bool, error) {
	var g twofold.ResetGuess
	if limit < 1 {
		return g, false, nil
	}
	nowP, cutP := s.d.timeParam(2), s.d.timeParam(3)
	err := s.writeRow(ctx, `INSERT INTO reset_guards (user_id, failures, window_start) VALUES ($1, 1, `+nowP+`)
ON CONFLICT (user_id) DO UPDATE SET
failures = CASE WHEN reset_guards.window_start <= `+cutP+` THEN 1 ELSE reset_guards.failures + 1 END,
window_start = CASE WHEN reset_guards.window_start <= `+cutP+` THEN `+nowP+` ELSE reset_guards.window_start END
WHERE (reset_guards.blocked_until IS NULL OR reset_guards.blocked_until <= `+nowP+`)
AND (reset_guards.failures < $4 OR reset_guards.window_start <= `+cutP+`)
RETURNING failures, window_start`, userID, s.d.time(now), s.d.time(now.Add(-window)), limit).Scan(
		&g.Count, timeCol{&g.WindowStart})
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, nil
	}
	if err != nil {
		return g, false, fail(err, "user", "reserve a reset check of user "+userID, "")
	}
	return g, true, nil
}

// ReleaseResetCheck gives a place back in the window it was taken in, never
// below zero.
func (s *Store) ReleaseResetCheck(ctx context.Context, userID string, g twofold.ResetGuess) error {
	_, err := s.exec(ctx, `UPDATE reset_guards SET failures = failures - 1
WHERE user_id = $1 AND window_start = $2 AND failures > 0`, userID, s.d.time(g.WindowStart))
	if err != nil {
		return fail(err, "user", "release a reset check of user "+userID, "")
	}
	return nil
}

// BlockReset sets the block in one conditional UPDATE, unless one runs at now.
func (s *Store) BlockReset(ctx context.Context, userID string, now, until time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE reset_guards SET blocked_until = $3
WHERE user_id = $1 AND (blocked_until IS NULL OR blocked_until <= $2)`, userID, s.d.time(now), s.d.time(until))
	if err != nil {
		return false, fail(err, "user", "block reset of user "+userID, "")
	}
	return n == 1, nil
}

// ResetBlockedUntil returns the end of the member's reset block, or zero.
func (s *Store) ResetBlockedUntil(ctx context.Context, userID string) (time.Time, error) {
	var until time.Time
	err := s.readRow(ctx, `SELECT blocked_until FROM reset_guards WHERE user_id = $1`, userID).Scan(timeCol{&until})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fail(err, "user", "read reset block of user "+userID, "")
	}
	return until, nil
}

// ClearResetBlock forgets the member's guard row: block and failures alike.
func (s *Store) ClearResetBlock(ctx context.Context, userID string) error {
	if _, err := s.exec(ctx, `DELETE FROM reset_guards WHERE user_id = $1`, userID); err != nil {
		return fail(err, "user", "clear reset block of user "+userID, "")
	}
	return nil
}

// ClearPasswordLock forgets the member's wrong passwords and lifts a running
// password lock, with its escalation.
func (s *Store) ClearPasswordLock(ctx context.Context, userID string) error {
	return s.execOne(ctx, "user", "clear password lock of user "+userID,
		`UPDATE users SET failed_passwords = 0, lockout_level = 0, locked_until = NULL WHERE id = $1`, userID)
}
