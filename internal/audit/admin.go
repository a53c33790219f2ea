package audit

import (
	"context"
	"fmt"
	"strconv"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// actorEvent is activity done by actor a to member target.
func actorEvent(a *twofold.Actor, target *twofold.User, activity, reason string) *twofold.AuditEvent {
	return &twofold.AuditEvent{
		OrgID: target.OrgID, ActorID: a.UserID, ActorName: a.Name,
		TargetID: target.ID, TargetName: target.Username,
		Activity: activity, Result: twofold.ResultSuccess, Reason: reason,
		IP: a.Client.IP, UserAgent: a.Client.UserAgent,
	}
}

// Admin records activity done by actor a to member target, without a notice
// (for what the member is told about some other way, or need not be).
func (r *Recorder) Admin(ctx context.Context, a *twofold.Actor, target *twofold.User, activity, reason string) error {
	return r.Record(ctx, actorEvent(a, target, activity, reason))
}

// AdminChange records activity done by actor a to member target of org and
// queues a notice to the member saying what happened. As with SecurityChange,
// callers run it in the change's transaction, so no admin change is kept
// without its audit event and its notice. The notice says where the change
// came from: the admin's address and browser, or the API client's.
func (r *Recorder) AdminChange(ctx context.Context, a *twofold.Actor, target *twofold.User, org *twofold.Organization, activity, reason, what string) error {
	e := actorEvent(a, target, activity, reason)
	if err := r.Record(ctx, e); err != nil {
		return err
	}
	err := r.notifier.SecurityChange(ctx, notify.Change{
		User: target, Org: org, What: what, From: a.Client,
		Activity: activity, EventID: strconv.FormatInt(e.ID, 10),
	})
	if err != nil {
		return fmt.Errorf("audit: notify %s of %q: %w", target.ID, activity, err)
	}
	return nil
}
