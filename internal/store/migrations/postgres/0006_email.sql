-- Email methods and codes mailed to them.

ALTER TABLE methods ADD COLUMN email TEXT NOT NULL DEFAULT ''; -- domain lower-cased
-- A member has at most one active email address. The database enforces it so
-- that two racing registrations cannot both succeed; pending ones do not count.
CREATE UNIQUE INDEX methods_one_email ON methods (user_id)
	WHERE kind = 'email' AND state = 'active';

-- The address a mailed code went to (texts and calls keep phone_number).
ALTER TABLE challenges ADD COLUMN email TEXT NOT NULL DEFAULT '';
