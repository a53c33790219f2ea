-- Keys that may be used once (a proof-of-work challenge, a link in a notice).
-- The primary key makes the first INSERT win; later ones conflict and do
-- nothing. A row is kept until expires_at has passed, and then swept: by then
-- whatever the key names is refused as stale anyway.
CREATE TABLE used_once (
	key TEXT PRIMARY KEY,
	expires_at INTEGER NOT NULL
);
CREATE INDEX used_once_expires ON used_once (expires_at);
