package store

import (
	"context"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

const tokenColumns = `id, org_id, name, scopes, token_hash, created_at, expires_at, last_used_at, revoked_at, created_by`

// CreateAPIToken inserts t; the partial unique index on live names makes two
// racing creations of one name a conflict for all but one.
func (s *Store) CreateAPIToken(ctx context.Context, t *twofold.APIToken) error {
	scopes := make([]string, len(t.Scopes))
	for i, sc := range t.Scopes {
		scopes[i] = string(sc)
	}
	_, err := s.write(ctx, `INSERT INTO api_tokens (`+tokenColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		t.ID, t.OrgID, t.Name, strings.Join(scopes, " "), t.TokenHash, s.d.time(t.CreatedAt),
		s.d.time(t.ExpiresAt), s.d.time(t.LastUsedAt), s.d.time(t.RevokedAt), t.CreatedBy)
	if err != nil {
		return fail(err, "organization", "create API token "+t.ID,
			"The organization already has a token of that name; revoke it first or choose another name.")
	}
	return nil
}

// APITokenByHash finds a token by the hash of its secret.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string) (*twofold.APIToken, error) {
	t, err := scanToken(s.readRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1`, tokenHash))
	if err != nil {
		// The hash stays out of the message: it identifies a live credential.
		return nil, fail(err, "token", "find API token by hash", "")
	}
	return t, nil
}

// ListAPITokens lists an organization's tokens, or every token for "".
func (s *Store) ListAPITokens(ctx context.Context, orgID string) ([]*twofold.APIToken, error) {
	op := "list API tokens of organization " + orgID
	rows, err := s.read(ctx, `SELECT `+tokenColumns+` FROM api_tokens
WHERE org_id = $1 OR $1 = '' ORDER BY created_at, id`, orgID)
	if err != nil {
		return nil, fail(err, "token", op, "")
	}
	defer rows.Close()
	out := []*twofold.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fail(err, "token", op, "")
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "token", op, "")
	}
	return out, nil
}

// RevokeAPIToken revokes in one conditional UPDATE, so of racing revocations
// exactly one reports that it revoked (and is audited).
func (s *Store) RevokeAPIToken(ctx context.Context, orgID, id string, now time.Time) (bool, error) {
	op := "revoke API token " + id
	n, err := s.exec(ctx, `UPDATE api_tokens SET revoked_at = $3
WHERE id = $1 AND (org_id = $2 OR $2 = '') AND revoked_at IS NULL`, id, orgID, s.d.time(now))
	if err != nil {
		return false, fail(err, "token", op, "")
	}
	if n == 1 {
		return true, nil
	}
	var found string
	err = s.readRow(ctx, `SELECT id FROM api_tokens WHERE id = $1 AND (org_id = $2 OR $2 = '')`, id, orgID).Scan(&found)
	if err != nil {
		return false, fail(err, "token", op, "")
	}
	return false, nil
}

// TouchAPIToken moves last_used_at at most once per every, never on a
// revoked token and never backward.
func (s *Store) TouchAPIToken(ctx context.Context, id string, now time.Time, every time.Duration) (bool, error) {
	n, err := s.exec(ctx, `UPDATE api_tokens SET last_used_at = $2
WHERE id = $1 AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= $3)`,
		id, s.d.time(now), s.d.time(now.Add(-every)))
	if err != nil {
		return false, fail(err, "token", "touch API token "+id, "")
	}
	return n == 1, nil
}

func scanToken(row scanner) (*twofold.APIToken, error) {
	var (
		t      twofold.APIToken
		scopes string
	)
	err := row.Scan(&t.ID, &t.OrgID, &t.Name, &scopes, &t.TokenHash, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt},
		timeCol{&t.LastUsedAt}, timeCol{&t.RevokedAt}, &t.CreatedBy)
	if err != nil {
		return nil, err
	}
	t.Scopes = []twofold.Scope{}
	for _, sc := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, twofold.Scope(sc))
	}
	return &t, nil
}
