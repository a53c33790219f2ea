package store

import "context"

// ReplacePasswordHash sets the user's hash to newHash only while it is still
// oldHash, the one whose password the caller just checked, and reports whether
// it did. Of two changes racing from the same current password exactly one
// wins, so a password is never replaced by someone who proved a password that
// was no longer current. A missing user reports false. The member chose this
// password, so an admin's demand to change a temporary one is met.
func (s *Store) ReplacePasswordHash(ctx context.Context, userID, oldHash, newHash string) (bool, error) {
	n, err := s.exec(ctx, `UPDATE users SET password_hash = $3, must_change_password = FALSE
WHERE id = $1 AND password_hash = $2`,
		userID, oldHash, newHash)
	if err != nil {
		return false, fail(err, "user", "replace password of user "+userID, "")
	}
	return n == 1, nil
}
