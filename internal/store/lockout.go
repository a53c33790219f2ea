package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// ReservePasswordGuess takes one of the threshold places of the account's lock
// period in one conditional UPDATE: the count only goes up while the account is
// unlocked at now and below threshold, so concurrent guesses on any replica get
// distinct places and the ones past the threshold get none. Returns ENOTFOUND.
func (s *Store) ReservePasswordGuess(ctx context.Context, userID string, now time.Time, threshold int) (twofold.PasswordGuess, bool, error) {
	var g twofold.PasswordGuess
	err := s.writeRow(ctx, `UPDATE users SET failed_passwords = failed_passwords + 1
WHERE id = $1 AND failed_passwords < $2 AND (locked_until IS NULL OR locked_until <= $3)
RETURNING failed_passwords, lockout_level`, userID, threshold, s.d.time(now)).Scan(&g.Count, &g.Level)
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, s.userExists(ctx, userID, "reserve a password guess")
	}
	if err != nil {
		return g, false, fail(err, "user", "reserve a password guess of user "+userID, "")
	}
	return g, true, nil
}

// userExists returns ENOTFOUND when there is no user id; it tells a refused
// conditional update from a missing row on the slow path only.
func (s *Store) userExists(ctx context.Context, id, op string) error {
	var one int
	err := s.readRow(ctx, `SELECT 1 FROM users WHERE id = $1`, id).Scan(&one)
	if err != nil {
		return fail(err, "user", op+" of user "+id, "")
	}
	return nil
}

// ReleasePasswordGuess gives the place back if the account's level is still the
// one the guess was taken at (no lock came in between). It does not report a
// missing user.
func (s *Store) ReleasePasswordGuess(ctx context.Context, userID string, g twofold.PasswordGuess) error {
	_, err := s.exec(ctx, `UPDATE users SET failed_passwords = failed_passwords - 1
WHERE id = $1 AND lockout_level = $2 AND failed_passwords > 0`, userID, g.Level)
	if err != nil {
		return fail(err, "user", "release a password guess of user "+userID, "")
	}
	return nil
}

// LockUser locks for the length its current level calls for. The level is
// read and raised by the same UPDATE, so racing lockers cannot both lock at one
// level, and the condition on the guess's level makes a guess from before an
// earlier lock unable to lock again.
func (s *Store) LockUser(ctx context.Context, userID string, g twofold.PasswordGuess, now time.Time, lengths []time.Duration) (bool, error) {
	args := []any{userID, g.Level, s.d.time(now)}
	until, args := s.byLevel("lockout_level", now, lengths, args)
	n, err := s.exec(ctx, `UPDATE users SET locked_until = `+until+`,
failed_passwords = 0, lockout_level = lockout_level + 1
WHERE id = $1 AND lockout_level = $2 AND (locked_until IS NULL OR locked_until <= $3)`, args...)
	if err != nil {
		return false, fail(err, "user", "lock user "+userID, "")
	}
	if n == 0 {
		return false, s.userExists(ctx, userID, "lock")
	}
	return true, nil
}

// EscalateMFABlock blocks for the length the current block level calls for,
// unless a block is running at now; level read and raised in one UPDATE.
func (s *Store) EscalateMFABlock(ctx context.Context, userID string, now time.Time, lengths []time.Duration) (bool, error) {
	args := []any{userID, s.d.time(now)}
	until, args := s.byLevel("mfa_block_level", now, lengths, args)
	n, err := s.exec(ctx, `UPDATE users SET mfa_blocked_until = `+until+`, mfa_block_level = mfa_block_level + 1
WHERE id = $1 AND (mfa_blocked_until IS NULL OR mfa_blocked_until <= $2)`, args...)
	if err != nil {
		return false, fail(err, "user", "block MFA of user "+userID, "")
	}
	if n == 0 {
		return false, s.userExists(ctx, userID, "block MFA")
	}
	return true, nil
}

// BlockMFA sets MFABlockedUntil, keeping the count; the zero time also clears
// the block level. Returns ENOTFOUND.
func (s *Store) BlockMFA(ctx context.Context, userID string, until time.Time) error {
	if until.IsZero() {
		return s.execOne(ctx, "user", "unblock MFA of user "+userID,
			`UPDATE users SET mfa_blocked_until = NULL, mfa_block_level = 0 WHERE id = $1`, userID)
	}
	return s.execOne(ctx, "user", "block MFA of user "+userID,
		`UPDATE users SET mfa_blocked_until = $2 WHERE id = $1`, userID, s.d.time(until))
}

// byLevel returns a CASE expression choosing now+lengths[i] by the value of the
// column level (the last entry for higher levels), with its times appended to
// args as parameters. Computing the times here keeps the SQL the same on both
// databases, which store times differently.
func (s *Store) byLevel(level string, now time.Time, lengths []time.Duration, args []any) (string, []any) {
	if len(lengths) == 0 {
		panic("store: no lengths to escalate by") // a caller's bug
	}
	last := len(lengths) - 1
	if last == 0 {
		args = append(args, s.d.time(now.Add(lengths[0])))
		return s.d.timeParam(len(args)), args
	}
	var q strings.Builder
	q.WriteString("CASE")
	for i, d := range lengths[:last] {
		args = append(args, s.d.time(now.Add(d)))
		fmt.Fprintf(&q, " WHEN %s = %d THEN %s", level, i, s.d.timeParam(len(args)))
	}
	args = append(args, s.d.time(now.Add(lengths[last])))
	fmt.Fprintf(&q, " ELSE %s END", s.d.timeParam(len(args)))
	return q.String(), args
}
