-- Temporary Access Passes are methods of kind 'temporaryAccessPass'. The pass
-- itself is never stored: pass_hash is its SHA-256 (twofold.HashToken). A pass
-- works from activated_at until expires_at; a one-time pass (usable_once)
-- works until last_used_at is set, which one conditional UPDATE does, so of
-- racing sign-ins with it exactly one succeeds.
ALTER TABLE methods ADD COLUMN pass_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE methods ADD COLUMN expires_at INTEGER;
ALTER TABLE methods ADD COLUMN usable_once INTEGER NOT NULL DEFAULT 0;
-- A member holds at most one pass; issuing another replaces it in the same
-- transaction, and the index refuses a second one whatever races.
CREATE UNIQUE INDEX methods_one_pass ON methods (user_id)
	WHERE kind = 'temporaryAccessPass';
