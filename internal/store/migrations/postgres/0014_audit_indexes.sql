-- The admin console and the audit API always filter by organization and page
-- newest first by (at, id); each filter they offer gets an index that serves
-- that order directly, so a page reads about as many rows as it shows. Actor
-- and target are matched by ID or by name, hence one index for each.
CREATE INDEX audit_events_org_activity ON audit_events (org_id, activity, at, id);
CREATE INDEX audit_events_org_actor_id ON audit_events (org_id, actor_id, at, id);
CREATE INDEX audit_events_org_actor_name ON audit_events (org_id, actor_name, at, id);
CREATE INDEX audit_events_org_target_id ON audit_events (org_id, target_id, at, id);
CREATE INDEX audit_events_org_target_name ON audit_events (org_id, target_name, at, id);
CREATE INDEX audit_events_org_result ON audit_events (org_id, result, at, id);
