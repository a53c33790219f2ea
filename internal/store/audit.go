package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
)

// Audit query limits: a zero limit means auditDefaultLimit, and no query returns
// more than auditMaxLimit events.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
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

// ListAudit returns the events matching every non-zero field of f, newest first
// (by time, then by ID for events at the same time), at most f.Limit of them
// (100 when zero, never more than 1000). Since is inclusive.
func (s *Store) ListAudit(ctx context.Context, f twofold.AuditFilter) ([]*twofold.AuditEvent, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" $"+strconv.Itoa(len(args)))
	}
	if f.OrgID != "" {
		add("org_id =", f.OrgID)
	}
	if f.TargetID != "" {
		add("target_id =", f.TargetID)
	}
	if f.Activity != "" {
		add("activity =", f.Activity)
	}
	if !f.Since.IsZero() {
		add("at >=", s.d.time(f.Since))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = auditDefaultLimit
	}
	limit = min(limit, auditMaxLimit)

	var q strings.Builder
	q.WriteString(`SELECT id, ` + auditColumns + ` FROM audit_events`)
	if len(where) > 0 {
		q.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	args = append(args, limit)
	q.WriteString(" ORDER BY at DESC, id DESC LIMIT $" + strconv.Itoa(len(args)))

	const op = "list audit events"
	rows, err := s.read(ctx, q.String(), args...)
	if err != nil {
		return nil, fail(err, "audit event", op, "")
	}
	defer rows.Close()
	var out []*twofold.AuditEvent
	for rows.Next() {
		var e twofold.AuditEvent
		if err := rows.Scan(&e.ID, timeCol{&e.Time}, &e.OrgID, &e.ActorID, &e.ActorName, &e.TargetID,
			&e.TargetName, &e.Activity, &e.Result, &e.Reason, &e.IP, &e.UserAgent); err != nil {
			return nil, fail(err, "audit event", op, "")
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "audit event", op, "")
	}
	return out, nil
}
