-- Initial schema. Times are timestamptz; NULL is the zero time.

CREATE TABLE organizations (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	policy TEXT NOT NULL, -- JSON of twofold.Policy
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_domains (
	domain TEXT PRIMARY KEY, -- lower-case, unique across the service
	org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	position INTEGER NOT NULL -- 0 is the primary domain
);
CREATE INDEX org_domains_org ON org_domains (org_id, position);

CREATE TABLE users (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES organizations (id),
	username TEXT NOT NULL UNIQUE, -- lower-case name@domain
	display_name TEXT NOT NULL,
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	disabled BOOLEAN NOT NULL DEFAULT false,
	preferred_method TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	failed_passwords INTEGER NOT NULL DEFAULT 0,
	lockout_level INTEGER NOT NULL DEFAULT 0,
	locked_until TIMESTAMPTZ,
	failed_mfa INTEGER NOT NULL DEFAULT 0,
	mfa_blocked_until TIMESTAMPTZ
);
CREATE INDEX users_org ON users (org_id, username);

CREATE TABLE methods (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	state TEXT NOT NULL, -- pending | active
	name TEXT NOT NULL,
	secret_sealed BYTEA,
	last_step BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL,
	activated_at TIMESTAMPTZ,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX methods_user ON methods (user_id, created_at);
CREATE INDEX methods_pending ON methods (created_at) WHERE state = 'pending';

CREATE TABLE sessions (
	id TEXT PRIMARY KEY, -- public identifier
	token_hash TEXT NOT NULL UNIQUE,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ,
	expires_at TIMESTAMPTZ NOT NULL,
	password_at TIMESTAMPTZ,
	mfa_at TIMESTAMPTZ,
	mfa_method TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	revoked_at TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions (user_id, created_at);

CREATE TABLE signin_flows (
	id_hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	state TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	password_at TIMESTAMPTZ,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	pending_method_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signin_flows_expires ON signin_flows (expires_at);

-- Append-only: nothing updates or deletes these rows.
CREATE TABLE audit_events (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at TIMESTAMPTZ NOT NULL,
	org_id TEXT NOT NULL DEFAULT '',
	actor_id TEXT NOT NULL DEFAULT '',
	actor_name TEXT NOT NULL DEFAULT '',
	target_id TEXT NOT NULL DEFAULT '',
	target_name TEXT NOT NULL DEFAULT '',
	activity TEXT NOT NULL,
	result TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at, id);
CREATE INDEX audit_events_org ON audit_events (org_id, at, id);
CREATE INDEX audit_events_target ON audit_events (target_id, at, id);

CREATE TABLE counters (
	counter_key TEXT NOT NULL,
	window_start TIMESTAMPTZ NOT NULL,
	hits BIGINT NOT NULL,
	PRIMARY KEY (counter_key, window_start)
);
CREATE INDEX counters_window ON counters (window_start);

CREATE TABLE messages (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL DEFAULT '',
	user_id TEXT NOT NULL DEFAULT '',
	channel TEXT NOT NULL,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX messages_recipient ON messages (recipient, created_at);
CREATE INDEX messages_created ON messages (created_at);
