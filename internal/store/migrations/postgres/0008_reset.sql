-- Self-service password reset: attempts in progress and the per-member guard.

-- An attempt exists for every name typed at the reset page, known or not, so
-- user_id is '' for an unknown name and has no foreign key. proven holds the
-- proven method IDs between spaces (' a b '), so one conditional UPDATE can
-- both refuse a method proven already and count the new one.
CREATE TABLE reset_attempts (
	id_hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL DEFAULT '',
	org_id TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL, -- verifying | verified | done
	required INTEGER NOT NULL,
	proven TEXT NOT NULL DEFAULT ' ',
	proven_count INTEGER NOT NULL DEFAULT 0,
	step_method_id TEXT NOT NULL DEFAULT '',
	step_data TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reset_attempts_expires ON reset_attempts (expires_at);

-- Failed reset verifications per member in a window, and the block they lead to.
CREATE TABLE reset_guards (
	user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	failures INTEGER NOT NULL,
	window_start TIMESTAMPTZ NOT NULL,
	blocked_until TIMESTAMPTZ
);
