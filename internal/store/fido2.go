package store

import (
	"context"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

var _ twofold.FIDO2Store = (*Store)(nil)

// Credential IDs, public keys, handles and session data are bytes an attacker
// may have chosen or must never see; none of them go into error messages.

const credentialColumns = `method_id, user_id, credential_id, public_key, sign_count, aaguid,
transports, flags, created_at, last_used_at`

// The bits of fido2_credentials.flags.
const (
	flagBackupEligible = 1 << iota
	flagBackupState
	flagUserVerified
	flagDiscoverable
)

// CreateCredential stores c. Returns ENOTFOUND if its method or user does not
// exist and ECONFLICT if the credential ID is registered already; the unique
// index decides, so of racing registrations of one key exactly one succeeds.
func (s *Store) CreateCredential(ctx context.Context, c *twofold.Credential) error {
	_, err := s.write(ctx, `INSERT INTO fido2_credentials (`+credentialColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.MethodID, c.UserID, c.CredentialID, c.PublicKey, int64(c.SignCount), nonNil(c.AAGUID),
		strings.Join(c.Transports, ","), credentialFlags(c), s.d.time(c.CreatedAt), s.d.time(c.LastUsedAt))
	if err != nil {
		return fail(err, "method", "create credential of method "+c.MethodID, "That security key is already registered.")
	}
	return nil
}

// CredentialsOf returns the member's credentials, oldest first.
func (s *Store) CredentialsOf(ctx context.Context, userID string) ([]*twofold.Credential, error) {
	op := "list credentials of user " + userID
	rows, err := s.read(ctx, `SELECT `+credentialColumns+` FROM fido2_credentials
WHERE user_id = $1 ORDER BY created_at, method_id`, userID)
	if err != nil {
		return nil, fail(err, "credential", op, "")
	}
	defer rows.Close()
	var cs []*twofold.Credential
	for rows.Next() {
		c, err := scanCredential(rows)
		if err != nil {
			return nil, fail(err, "credential", op, "")
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "credential", op, "")
	}
	return cs, nil
}

// CredentialByID returns the credential with the authenticator's ID. Returns ENOTFOUND.
func (s *Store) CredentialByID(ctx context.Context, credentialID []byte) (*twofold.Credential, error) {
	c, err := scanCredential(s.readRow(ctx, `SELECT `+credentialColumns+` FROM fido2_credentials
WHERE credential_id = $1`, credentialID))
	if err != nil {
		return nil, fail(err, "security key", "find credential by ID", "")
	}
	return c, nil
}

// UpdateSignCount moves the counter from from to to in one conditional update
// and reports whether it did. The winner also stamps the key's method as used
// at at, as an accepted app code does, so its row can say when it was last used.
func (s *Store) UpdateSignCount(ctx context.Context, credentialID []byte, from, to uint32, at time.Time) (bool, error) {
	n, err := s.exec(ctx, `UPDATE fido2_credentials SET sign_count = $3, last_used_at = $4
WHERE credential_id = $1 AND sign_count = $2`, credentialID, int64(from), int64(to), s.d.time(at))
	if err != nil {
		return false, fail(err, "security key", "update sign count", "")
	}
	if n != 1 {
		return false, nil
	}
	if _, err := s.exec(ctx, `UPDATE methods SET last_used_at = $2
WHERE id = (SELECT method_id FROM fido2_credentials WHERE credential_id = $1)`, credentialID, s.d.time(at)); err != nil {
		return false, fail(err, "security key", "stamp method used", "")
	}
	return true, nil
}

// RenameCredential sets the name of the member's fido2 method. Returns ENOTFOUND.
func (s *Store) RenameCredential(ctx context.Context, userID, methodID, name string) error {
	return s.execOne(ctx, "security key", "rename method "+methodID+" of user "+userID,
		`UPDATE methods SET name = $3 WHERE id = $1 AND user_id = $2 AND kind = 'fido2'`,
		methodID, userID, name)
}

// WebAuthnHandle returns the member's handle, storing candidate if there is
// none. The upsert rewrites nothing of an existing row and returns its handle,
// so one statement both decides and answers. Returns ENOTFOUND if the user does
// not exist.
func (s *Store) WebAuthnHandle(ctx context.Context, userID string, candidate []byte) ([]byte, error) {
	var h []byte
	err := s.writeRow(ctx, `INSERT INTO webauthn_handles (user_id, handle) VALUES ($1, $2)
ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id RETURNING handle`, userID, candidate).Scan(&h)
	if err != nil {
		return nil, fail(err, "user", "WebAuthn handle of user "+userID, "That user handle is taken.")
	}
	return h, nil
}

// UserByWebAuthnHandle returns the member whose handle it is. Returns ENOTFOUND.
func (s *Store) UserByWebAuthnHandle(ctx context.Context, handle []byte) (*twofold.User, error) {
	u, err := scanUser(s.readRow(ctx, `SELECT `+userColumns+` FROM users
WHERE id = (SELECT user_id FROM webauthn_handles WHERE handle = $1)`, handle))
	if err != nil {
		return nil, fail(err, "user", "find user by WebAuthn handle", "")
	}
	return u, nil
}

func scanCredential(row scanner) (*twofold.Credential, error) {
	var (
		c          twofold.Credential
		count      int64
		transports string
		flags      int
	)
	err := row.Scan(&c.MethodID, &c.UserID, &c.CredentialID, &c.PublicKey, &count, &c.AAGUID,
		&transports, &flags, timeCol{&c.CreatedAt}, timeCol{&c.LastUsedAt})
	if err != nil {
		return nil, err
	}
	c.SignCount = uint32(count)
	if len(c.AAGUID) == 0 {
		c.AAGUID = nil // drivers differ on an empty blob
	}
	if transports != "" {
		c.Transports = strings.Split(transports, ",")
	}
	c.BackupEligible = flags&flagBackupEligible != 0
	c.BackupState = flags&flagBackupState != 0
	c.UserVerified = flags&flagUserVerified != 0
	c.Discoverable = flags&flagDiscoverable != 0
	return &c, nil
}

func credentialFlags(c *twofold.Credential) int {
	f := 0
	for _, b := range []struct {
		on  bool
		bit int
	}{{c.BackupEligible, flagBackupEligible}, {c.BackupState, flagBackupState},
		{c.UserVerified, flagUserVerified}, {c.Discoverable, flagDiscoverable}} {
		if b.on {
			f |= b.bit
		}
	}
	return f
}

// nonNil turns nil into an empty slice, for NOT NULL byte columns.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
