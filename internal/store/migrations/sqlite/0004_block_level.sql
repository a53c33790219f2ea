-- How many second-factor blocks after too many wrong codes came in a row: each
-- one doubles the next, as password locks do, and a right code clears it.
ALTER TABLE users ADD COLUMN mfa_block_level INTEGER NOT NULL DEFAULT 0;
