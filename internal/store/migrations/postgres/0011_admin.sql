-- An admin's temporary password: the member must choose their own before
-- anything else. The console's member list pages by user name within a role.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX users_org_role ON users (org_id, role, username);
