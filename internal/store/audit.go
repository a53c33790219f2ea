package store

import (
	"context"

	"github.com/twofold-id/twofold"
)

const auditColumns = `at, org_id, actor_id, actor_name, target_id, target_name, activity, result,
reason, ip, user_agent`

// AppendAudit stores e and sets e.ID. IDs increase in the order events are appended.
func (s *Store) AppendAudit(ctx context.Context, e *twofold.AuditEvent) error {
	err := s.writeRow(ctx, `INSERT INTO audit_events (`+auditColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		s.d.time(e.Time), e.OrgID, e.ActorID, e.ActorName, e.TargetID, e.TargetName, e.Activity,
		e.Result, e.Reason, e.IP, e.UserAgent).Scan(&e.ID)
	if err != nil {
		return fail(err, "audit event", "append audit event "+e.Activity, "")
	}
	return nil
}
