package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// SearchUsers pages through an organization's members by user name (keyset
// paging: each page is an index range after the last name shown, or before
// the first one when paging back, so the hundredth page costs what the first
// does). Every filter is part of the one query; the kinds of the page's
// members come from a second one.
func (s *Store) SearchUsers(ctx context.Context, orgID string, f twofold.UserFilter) ([]*twofold.UserListing, error) {
	op := "search users of organization " + orgID
	if f.Limit < 1 {
		return nil, fmt.Errorf("store: %s: limit %d", op, f.Limit)
	}
	// Paging back reads the index downwards from the cursor; the rows are
	// put back in user-name order below.
	seek, cursor, order := ">", f.After, "username"
	if f.Before != "" {
		if f.After != "" {
			return nil, fmt.Errorf("store: %s: both After and Before", op)
		}
		seek, cursor, order = "<", f.Before, "username DESC"
	}
	args := []any{orgID, cursor}
	param := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var q strings.Builder
	q.WriteString(`SELECT ` + userColumns + `, blocked_until FROM users
LEFT JOIN reset_guards ON reset_guards.user_id = users.id
WHERE org_id = $1 AND username ` + seek + ` $2`)
	if f.Text != "" {
		p := param("%" + likeEscaper.Replace(strings.ToLower(f.Text)) + "%")
		fmt.Fprintf(&q, ` AND (LOWER(username) LIKE %s ESCAPE '\' OR LOWER(display_name) LIKE %s ESCAPE '\')`, p, p)
	}
	if f.Role != "" {
		fmt.Fprintf(&q, ` AND role = %s`, param(string(f.Role)))
	}
	switch f.Status {
	case "":
	case twofold.StatusEnabled:
		q.WriteString(` AND NOT disabled`)
	case twofold.StatusDisabled:
		q.WriteString(` AND disabled`)
	case twofold.StatusLocked:
		fmt.Fprintf(&q, ` AND locked_until > %s`, param(s.d.time(f.Now)))
	case twofold.StatusMFABlocked:
		fmt.Fprintf(&q, ` AND mfa_blocked_until > %s`, param(s.d.time(f.Now)))
	case twofold.StatusResetBlocked:
		fmt.Fprintf(&q, ` AND blocked_until > %s`, param(s.d.time(f.Now)))
	default:
		return nil, fmt.Errorf("store: %s: unknown status %q", op, f.Status)
	}
	switch f.Method {
	case "":
	case twofold.MethodNone:
		q.WriteString(` AND NOT EXISTS (SELECT 1 FROM methods WHERE methods.user_id = users.id AND methods.state = 'active')`)
	default:
		fmt.Fprintf(&q, ` AND EXISTS (SELECT 1 FROM methods WHERE methods.user_id = users.id AND methods.state = 'active' AND methods.kind = %s)`,
			param(string(f.Method)))
	}
	fmt.Fprintf(&q, ` ORDER BY %s LIMIT %s`, order, param(f.Limit))

	rows, err := s.read(ctx, q.String(), args...)
	if err != nil {
		return nil, fail(err, "user", op, "")
	}
	defer rows.Close()
	var (
		out  []*twofold.UserListing
		byID = map[string]*twofold.UserListing{}
	)
	for rows.Next() {
		var (
			l          twofold.UserListing
			u          twofold.User
			role, pref string
		)
		err := rows.Scan(&u.ID, &u.OrgID, &u.Username, &u.DisplayName, &role, &u.PasswordHash, &u.Disabled,
			&pref, timeCol{&u.CreatedAt}, &u.FailedPasswords, &u.LockoutLevel, timeCol{&u.LockedUntil},
			&u.FailedMFA, timeCol{&u.MFABlockedUntil}, &u.MFABlockLevel, &u.MustChangePassword,
			timeCol{&l.ResetBlockedUntil})
		if err != nil {
			return nil, fail(err, "user", op, "")
		}
		u.Role, u.PreferredMethod = twofold.Role(role), twofold.SignInPreference(pref)
		l.User = &u
		out = append(out, &l)
		byID[u.ID] = &l
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "user", op, "")
	}
	rows.Close()
	if f.Before != "" {
		slices.Reverse(out)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]any, 0, len(out))
	marks := make([]string, 0, len(out))
	for _, l := range out {
		ids = append(ids, l.User.ID)
		marks = append(marks, fmt.Sprintf("$%d", len(ids)))
	}
	krows, err := s.read(ctx, `SELECT DISTINCT user_id, kind FROM methods
WHERE state = 'active' AND user_id IN (`+strings.Join(marks, ", ")+`)`, ids...)
	if err != nil {
		return nil, fail(err, "method", op, "")
	}
	defer krows.Close()
	for krows.Next() {
		var id, kind string
		if err := krows.Scan(&id, &kind); err != nil {
			return nil, fail(err, "method", op, "")
		}
		if l := byID[id]; l != nil {
			l.Kinds = append(l.Kinds, twofold.MethodKind(kind))
		}
	}
	if err := krows.Err(); err != nil {
		return nil, fail(err, "method", op, "")
	}
	return out, nil
}

// likeEscaper makes a search text match itself only, escaping LIKE's
// wildcards with the ESCAPE character the query names.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// SetDisabled disables or enables the member, keeping an enabled admin.
func (s *Store) SetDisabled(ctx context.Context, userID string, disabled bool) error {
	op := "set disabled of user " + userID
	return s.keepingAdmin(ctx, userID, op, func(u *twofold.User) bool {
		return disabled && u.Role == twofold.RoleAdmin && !u.Disabled
	}, `UPDATE users SET disabled = $2 WHERE id = $1`, disabled)
}

// SetRole changes the member's role, keeping an enabled admin.
func (s *Store) SetRole(ctx context.Context, userID string, role twofold.Role) error {
	op := "set role of user " + userID
	return s.keepingAdmin(ctx, userID, op, func(u *twofold.User) bool {
		return role != twofold.RoleAdmin && u.Role == twofold.RoleAdmin && !u.Disabled
	}, `UPDATE users SET role = $2 WHERE id = $1`, string(role))
}

// lastAdmin is the conflict when a change would leave an organization without
// an enabled admin.
const lastAdmin = "This is the organization's last enabled admin. Make another member an admin first."

// keepingAdmin runs update (with userID as $1 and arg as $2) unless removes
// says it takes away an enabled admin and no other enabled admin remains. The
// organization's row is locked first, in the same transaction, so two racing
// changes to its last two admins are counted one after the other: a count
// taken without the lock would let each see the other still enabled.
func (s *Store) keepingAdmin(ctx context.Context, userID, op string, removes func(u *twofold.User) bool, update string, arg any) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		var orgID string
		if err := s.readRow(ctx, `SELECT org_id FROM users WHERE id = $1`, userID).Scan(&orgID); err != nil {
			return fail(err, "user", op, "")
		}
		var locked string
		if err := s.writeRow(ctx, `SELECT id FROM organizations WHERE id = $1`+s.d.forUpdate(), orgID).Scan(&locked); err != nil {
			return fail(err, "organization", op, "")
		}
		// Read again under the lock: the role or state may have changed meanwhile.
		u, err := scanUser(s.readRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
		if err != nil {
			return fail(err, "user", op, "")
		}
		if removes(u) {
			var others int
			err := s.readRow(ctx, `SELECT COUNT(*) FROM users
WHERE org_id = $1 AND role = 'admin' AND NOT disabled AND id <> $2`, orgID, userID).Scan(&others)
			if err != nil {
				return fail(err, "user", op, "")
			}
			if others == 0 {
				return &twofold.Error{Code: twofold.ECONFLICT, Message: lastAdmin}
			}
		}
		return s.execOne(ctx, "user", op, update, userID, arg)
	})
}

// AdminSetPassword sets an admin's password for the member and lifts the
// password lockout in one statement.
func (s *Store) AdminSetPassword(ctx context.Context, userID, hash string, mustChange bool) error {
	return s.execOne(ctx, "user", "admin set password of user "+userID, `UPDATE users SET password_hash = $2,
must_change_password = $3, failed_passwords = 0, lockout_level = 0, locked_until = NULL WHERE id = $1`,
		userID, hash, mustChange)
}

// ClearLockout lifts a running password lock in one conditional UPDATE.
func (s *Store) ClearLockout(ctx context.Context, userID string, now time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE users SET failed_passwords = 0, lockout_level = 0, locked_until = NULL
WHERE id = $1 AND locked_until > $2`, userID, s.d.time(now))
	if err != nil {
		return false, fail(err, "user", "clear lockout of user "+userID, "")
	}
	return n == 1, nil
}

// ClearMustChangePassword writes only when the flag is set.
func (s *Store) ClearMustChangePassword(ctx context.Context, userID string) error {
	_, err := s.exec(ctx, `UPDATE users SET must_change_password = FALSE WHERE id = $1 AND must_change_password`, userID)
	if err != nil {
		return fail(err, "user", "clear must-change-password of user "+userID, "")
	}
	return nil
}

// CountLiveSessions counts the member's unrevoked, unexpired sessions.
func (s *Store) CountLiveSessions(ctx context.Context, userID string, now time.Time) (int, error) {
	var n int
	err := s.readRow(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2`,
		userID, s.d.time(now)).Scan(&n)
	if err != nil {
		return 0, fail(err, "session", "count live sessions of user "+userID, "")
	}
	return n, nil
}
