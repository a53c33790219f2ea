-- Security keys and passkeys (WebAuthn): credentials, user handles, ceremonies.

-- One credential per fido2 method; its name and state live in methods.
CREATE TABLE fido2_credentials (
	method_id TEXT PRIMARY KEY REFERENCES methods (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	-- Unique across the service: a key cannot be registered twice, nor to two members.
	credential_id BYTEA NOT NULL UNIQUE,
	public_key BYTEA NOT NULL, -- COSE
	sign_count BIGINT NOT NULL DEFAULT 0,
	aaguid BYTEA NOT NULL,
	transports TEXT NOT NULL DEFAULT '', -- comma-separated
	flags INTEGER NOT NULL DEFAULT 0, -- 1 backup eligible, 2 backed up, 4 user verified, 8 discoverable
	created_at TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX fido2_credentials_user ON fido2_credentials (user_id, created_at);

-- A member's WebAuthn user handle: random and stable, never the user name.
CREATE TABLE webauthn_handles (
	user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	handle BYTEA NOT NULL UNIQUE
);

-- Ceremonies in progress; session_data holds the challenge and never leaves the server.
CREATE TABLE webauthn_ceremonies (
	id TEXT PRIMARY KEY,
	binding TEXT NOT NULL, -- session:<id> | flow:<id hash> | passkey:<anonymous id>
	purpose TEXT NOT NULL, -- register | login | passkey
	user_id TEXT NOT NULL DEFAULT '', -- '' for a passkey login
	session_data BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at TIMESTAMPTZ
);
CREATE INDEX webauthn_ceremonies_expires ON webauthn_ceremonies (expires_at);
