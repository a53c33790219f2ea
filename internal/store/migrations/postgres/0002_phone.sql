-- Phone methods, text and call challenges, cooldowns, and calls in the outbox.

ALTER TABLE methods ADD COLUMN phone_number TEXT NOT NULL DEFAULT ''; -- E.164
ALTER TABLE methods ADD COLUMN phone_type TEXT NOT NULL DEFAULT '';
-- A member has at most one active phone of each type. The database enforces it so
-- that two racing registrations cannot both succeed; pending phones do not count.
CREATE UNIQUE INDEX methods_one_phone_per_type ON methods (user_id, phone_type)
	WHERE kind = 'phone' AND state = 'active';

-- seq orders challenges created in the same microsecond. It only breaks ties of
-- created_at, so that identity values being handed out before commit does not matter.
CREATE TABLE challenges (
	seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	binding TEXT NOT NULL, -- flow:<id hash> | session:<id>
	purpose TEXT NOT NULL,
	channel TEXT NOT NULL,
	method_id TEXT NOT NULL DEFAULT '',
	phone_type TEXT NOT NULL DEFAULT '',
	phone_number TEXT NOT NULL DEFAULT '',
	code_hash TEXT NOT NULL DEFAULT '',
	attempts INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	ref TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ
);
CREATE INDEX challenges_binding ON challenges (binding, created_at, seq);
CREATE INDEX challenges_expires ON challenges (expires_at);

CREATE TABLE cooldowns (
	cooldown_key TEXT PRIMARY KEY,
	until_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cooldowns_until ON cooldowns (until_at);

ALTER TABLE messages ADD COLUMN challenge_id TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN call_state TEXT NOT NULL DEFAULT ''; -- calls only
