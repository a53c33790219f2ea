package store

import (
	"context"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

const userColumns = `id, org_id, username, display_name, role, password_hash, disabled,
preferred_method, created_at, failed_passwords, lockout_level, locked_until, failed_mfa,
mfa_blocked_until, mfa_block_level, must_change_password`

// CreateUser stores u. Returns ECONFLICT if the user name is taken, EINVALID if
// it is not lower-case (lookups compare exactly), and ENOTFOUND if the
// organization does not exist.
func (s *Store) CreateUser(ctx context.Context, u *twofold.User) error {
	if u.Username != strings.ToLower(u.Username) {
		return twofold.FieldError("username", "The user name must be lower-case.")
	}
	_, err := s.write(ctx, `INSERT INTO users (`+userColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		u.ID, u.OrgID, u.Username, u.DisplayName, string(u.Role), u.PasswordHash, u.Disabled,
		string(u.PreferredMethod), s.d.time(u.CreatedAt), u.FailedPasswords, u.LockoutLevel,
		s.d.time(u.LockedUntil), u.FailedMFA, s.d.time(u.MFABlockedUntil), u.MFABlockLevel, u.MustChangePassword)
	if err != nil {
		return fail(err, "organization", "create user "+u.ID, "That user name is already taken.")
	}
	return nil
}

// UserByID returns the user. Returns ENOTFOUND.
func (s *Store) UserByID(ctx context.Context, id string) (*twofold.User, error) {
	u, err := scanUser(s.readRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return nil, fail(err, "user", "find user "+id, "")
	}
	return u, nil
}

// UserByUsername returns the user with the lower-case user name. Returns ENOTFOUND.
func (s *Store) UserByUsername(ctx context.Context, username string) (*twofold.User, error) {
	u, err := scanUser(s.readRow(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, username))
	if err != nil {
		return nil, fail(err, "user", "find user by name", "")
	}
	return u, nil
}

// ListUsers returns the organization's users ordered by user name.
func (s *Store) ListUsers(ctx context.Context, orgID string) ([]*twofold.User, error) {
	op := "list users of organization " + orgID
	rows, err := s.read(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = $1 ORDER BY username`, orgID)
	if err != nil {
		return nil, fail(err, "user", op, "")
	}
	defer rows.Close()
	var users []*twofold.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fail(err, "user", op, "")
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "user", op, "")
	}
	return users, nil
}

// SetPasswordHash replaces the stored hash. Returns ENOTFOUND.
func (s *Store) SetPasswordHash(ctx context.Context, userID, hash string) error {
	return s.execOne(ctx, "user", "set password of user "+userID,
		`UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
}

// SetPreferredMethod sets the default sign-in method. Returns ENOTFOUND.
func (s *Store) SetPreferredMethod(ctx context.Context, userID string, pref twofold.SignInPreference) error {
	return s.execOne(ctx, "user", "set preferred method of user "+userID,
		`UPDATE users SET preferred_method = $2 WHERE id = $1`, userID, string(pref))
}

// RecordPasswordSuccess clears the failure count and the lockout level. It is on
// every sign-in's path, so it writes only when there is something to clear, and
// it does not report a missing user.
func (s *Store) RecordPasswordSuccess(ctx context.Context, userID string) error {
	_, err := s.exec(ctx, `UPDATE users SET failed_passwords = 0, lockout_level = 0
WHERE id = $1 AND (failed_passwords <> 0 OR lockout_level <> 0)`, userID)
	if err != nil {
		return fail(err, "user", "record password success of user "+userID, "")
	}
	return nil
}

// RecordMFAFailure adds one to the wrong-code count and returns it; a block that
// ended by now is lifted in the same statement and the count restarts at 1.
// Returns ENOTFOUND.
func (s *Store) RecordMFAFailure(ctx context.Context, userID string, now time.Time) (int, error) {
	var n int
	err := s.writeRow(ctx, `UPDATE users SET
failed_mfa = CASE WHEN mfa_blocked_until IS NOT NULL AND mfa_blocked_until <= $2 THEN 1 ELSE failed_mfa + 1 END,
mfa_blocked_until = CASE WHEN mfa_blocked_until IS NOT NULL AND mfa_blocked_until <= $2 THEN NULL ELSE mfa_blocked_until END
WHERE id = $1 RETURNING failed_mfa`, userID, s.d.time(now)).Scan(&n)
	if err != nil {
		return 0, fail(err, "user", "record MFA failure of user "+userID, "")
	}
	return n, nil
}

// RecordMFASuccess clears the wrong-code count and the block level. Like
// RecordPasswordSuccess it writes only when there is something to clear and does
// not report a missing user.
func (s *Store) RecordMFASuccess(ctx context.Context, userID string) error {
	_, err := s.exec(ctx, `UPDATE users SET failed_mfa = 0, mfa_block_level = 0
WHERE id = $1 AND (failed_mfa <> 0 OR mfa_block_level <> 0)`, userID)
	if err != nil {
		return fail(err, "user", "record MFA success of user "+userID, "")
	}
	return nil
}

// increment runs an UPDATE … RETURNING of one counter column and returns the new
// value; the database does the addition, so concurrent callers never lose one.
func (s *Store) increment(ctx context.Context, noun, op, query string, id string) (int, error) {
	var n int
	if err := s.writeRow(ctx, query, id).Scan(&n); err != nil {
		return 0, fail(err, noun, op, "")
	}
	return n, nil
}

func scanUser(row scanner) (*twofold.User, error) {
	var (
		u          twofold.User
		role, pref string
	)
	err := row.Scan(&u.ID, &u.OrgID, &u.Username, &u.DisplayName, &role, &u.PasswordHash, &u.Disabled,
		&pref, timeCol{&u.CreatedAt}, &u.FailedPasswords, &u.LockoutLevel, timeCol{&u.LockedUntil},
		&u.FailedMFA, timeCol{&u.MFABlockedUntil}, &u.MFABlockLevel, &u.MustChangePassword)
	if err != nil {
		return nil, err
	}
	u.Role = twofold.Role(role)
	u.PreferredMethod = twofold.SignInPreference(pref)
	return &u, nil
}
