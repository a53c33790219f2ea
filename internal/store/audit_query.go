package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// Audit query limits: a zero limit means auditDefaultLimit, and no query returns
// more than auditMaxLimit events — one more than the largest page callers show,
// so they can tell whether another page follows.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1001
)

var (
	_ twofold.AuditStore     = (*Store)(nil)
	_ twofold.AuditRetention = (*Store)(nil)
)

// ListAudit returns the events matching every non-zero field of f, newest first
// (by time, then by ID for events at the same time), at most f.Limit of them
// (100 when zero, never more than 1001). Since and Until are inclusive; a
// BeforeTime continues after the event (BeforeTime, BeforeID), an AfterTime
// pages back to the events just newer than (AfterTime, AfterID).
//
// Every value is a placeholder argument. The listing never skips rows by
// OFFSET: it seeks on (at, id), which the indexes of each filter hold in order,
// so the thousandth page costs what the first does. Actor and Target match an
// ID or a name; rather than one OR, which no single index serves in order,
// each alternative is its own ordered, limited branch and the branches are
// merged, so a page still reads only about as many rows as it returns.
func (s *Store) ListAudit(ctx context.Context, f twofold.AuditFilter) ([]*twofold.AuditEvent, error) {
	var (
		common []string   // conditions every branch has
		either [][]string // per filter, its alternatives: one branch per combination
		args   []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.OrgID != "" {
		common = append(common, "org_id = "+arg(f.OrgID))
	}
	if f.TargetID != "" {
		common = append(common, "target_id = "+arg(f.TargetID))
	}
	if f.Activity != "" {
		common = append(common, "activity = "+arg(f.Activity))
	}
	if f.Result != "" {
		common = append(common, "result = "+arg(f.Result))
	}
	if f.Actor != "" {
		n := arg(f.Actor)
		either = append(either, []string{"actor_id = " + n, "actor_name = " + n})
	}
	if f.Target != "" {
		n := arg(f.Target)
		either = append(either, []string{"target_id = " + n, "target_name = " + n})
	}
	if !f.Since.IsZero() {
		common = append(common, "at >= "+arg(s.d.time(f.Since)))
	}
	if !f.Until.IsZero() {
		common = append(common, "at <= "+arg(s.d.time(f.Until)))
	}
	if !f.BeforeTime.IsZero() {
		common = append(common, "(at, id) < ("+arg(s.d.time(f.BeforeTime))+", "+arg(f.BeforeID)+")")
	}
	// Paging back reads oldest first from the cursor, so the limit keeps the
	// events nearest to it; they are put back newest first below.
	order := " ORDER BY at DESC, id DESC LIMIT "
	if !f.AfterTime.IsZero() {
		if !f.BeforeTime.IsZero() {
			return nil, errors.New("store: list audit events: both BeforeTime and AfterTime")
		}
		common = append(common, "(at, id) > ("+arg(s.d.time(f.AfterTime))+", "+arg(f.AfterID)+")")
		order = " ORDER BY at, id LIMIT "
	}
	limit := f.Limit
	if limit <= 0 {
		limit = auditDefaultLimit
	}
	limit = min(limit, auditMaxLimit)
	lim := arg(limit)

	branches := [][]string{common}
	for _, alts := range either {
		var next [][]string
		for _, b := range branches {
			for _, alt := range alts {
				next = append(next, append(append([]string(nil), b...), alt))
			}
		}
		branches = next
	}
	selectWhere := func(conds []string) string {
		q := `SELECT id, ` + auditColumns + ` FROM audit_events`
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		return q
	}
	var q string
	if len(branches) == 1 {
		q = selectWhere(branches[0]) + order + lim
	} else {
		parts := make([]string, len(branches))
		for i, b := range branches {
			// SQLite allows ORDER BY and LIMIT only on a whole compound
			// SELECT, so each branch is a subquery of its own.
			parts[i] = `SELECT id, ` + auditColumns + ` FROM (` + selectWhere(b) + order + lim + `) AS b` + strconv.Itoa(i)
		}
		// UNION, not UNION ALL: an event whose actor ID and name both
		// match comes out of two branches and is listed once.
		q = `SELECT id, ` + auditColumns + ` FROM (` + strings.Join(parts, " UNION ") + `) AS u` + order + lim
	}

	const op = "list audit events"
	rows, err := s.read(ctx, q, args...)
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
	if !f.AfterTime.IsZero() {
		slices.Reverse(out)
	}
	return out, nil
}

// DeleteAuditBefore deletes the events older than before, oldest first, batch
// rows per statement (1000 when batch is not positive), and returns how many
// it deleted. Each batch is its own short statement, so appending events goes
// on between batches instead of waiting for one long delete.
//
// Replicas may sweep at once: on PostgreSQL each batch locks the rows it picks
// and skips rows another sweeper holds, so two sweepers delete different rows
// rather than queueing; on SQLite one writer runs at a time. Either way an
// event is deleted once and only when it is older than before.
func (s *Store) DeleteAuditBefore(ctx context.Context, before time.Time, batch int) (int64, error) {
	if batch <= 0 {
		batch = 1000
	}
	q := `DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < $1 ORDER BY at, id LIMIT $2` +
		s.d.skipLocked() + `)`
	var total int64
	for {
		n, err := s.exec(ctx, q, s.d.time(before), batch)
		if err != nil {
			return total, fail(err, "audit event", "delete old audit events", "")
		}
		total += int64(n)
		if n < batch {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
