-- Admin API tokens. Only the SHA-256 of the bearer secret is kept. A name is
-- unique among an organization's unrevoked tokens, so revoking one frees its
-- name for the replacement.
CREATE TABLE api_tokens (
	id TEXT PRIMARY KEY, -- public identifier, not a credential
	org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	scopes TEXT NOT NULL, -- space-separated twofold.Scope values
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ,
	created_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (org_id, name) WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_org ON api_tokens (org_id, created_at);
