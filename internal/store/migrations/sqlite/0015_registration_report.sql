-- The registration report's daily figures per organization. The background
-- worker of every replica may try to write a day's row; the primary key keeps
-- the first and INSERT … ON CONFLICT DO NOTHING drops the others.
CREATE TABLE registration_snapshots (
	org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	day TEXT NOT NULL, -- YYYY-MM-DD, UTC
	members INTEGER NOT NULL,
	mfa_registered INTEGER NOT NULL,
	mfa_capable INTEGER NOT NULL,
	sspr_registered INTEGER NOT NULL,
	sspr_capable INTEGER NOT NULL,
	by_kind TEXT NOT NULL, -- JSON object: method kind → members
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, day)
) STRICT;
