-- The mail delivery queue. A mail appended with delivery 'pending' waits in
-- messages until a replica claims it; '' is a message that is only kept (the dev
-- outbox).

ALTER TABLE messages ADD COLUMN delivery TEXT NOT NULL DEFAULT ''; -- '' | pending | sent | failed
ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE messages ADD COLUMN sent_at TIMESTAMPTZ;
ALTER TABLE messages ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
-- Claiming looks only at pending mail, by when it is due; settled mail and other
-- messages stay out of the index.
CREATE INDEX messages_mail_due ON messages (next_attempt_at) WHERE delivery = 'pending';
