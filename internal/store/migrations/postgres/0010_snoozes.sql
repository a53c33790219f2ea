-- The registration campaign: how many times in a row a member put off
-- registering reset methods ("Not now"), until when the current snooze lasts,
-- and when the campaign started asking them (cleared once they have enough).
ALTER TABLE users ADD COLUMN campaign_snoozes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN campaign_snoozed_until TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN campaign_started_at TIMESTAMPTZ;
