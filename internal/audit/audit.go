package audit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// Notifier is what the recorder needs to tell a member about a change.
type Notifier interface {
	SecurityChange(ctx context.Context, c notify.Change) error
}

// Recorder appends audit events and sends change notices.
type Recorder struct {
	store    twofold.AuditStore
	notifier Notifier
	now      func() time.Time
}

// New returns a Recorder.
func New(store twofold.AuditStore, n Notifier, now func() time.Time) *Recorder {
	return &Recorder{store: store, notifier: n, now: now}
}

// Record appends e, stamping its time and keeping only the start of its
// User-Agent (as sessions do): the header is the client's to choose, and one
// unauthenticated request must not store kilobytes. An audit write that fails
// fails the caller: a security change we cannot record is a change we should
// not make silently.
func (r *Recorder) Record(ctx context.Context, e *twofold.AuditEvent) error {
	e.Time = r.now().UTC()
	e.UserAgent = twofold.TruncateUserAgent(e.UserAgent)
	if e.Result == "" {
		e.Result = twofold.ResultSuccess
	}
	if err := r.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("audit: record %q: %w", e.Activity, err)
	}
	return nil
}

// Member records an activity the signed-in member did to their own account.
func (r *Recorder) Member(ctx context.Context, p *twofold.Principal, activity, reason string) error {
	return r.Record(ctx, memberEvent(p, activity, reason))
}

func memberEvent(p *twofold.Principal, activity, reason string) *twofold.AuditEvent {
	return &twofold.AuditEvent{
		OrgID: p.Org.ID, ActorID: p.User.ID, ActorName: p.User.Username,
		TargetID: p.User.ID, TargetName: p.User.Username,
		Activity: activity, Result: twofold.ResultSuccess, Reason: reason,
		IP: p.Client.IP, UserAgent: p.Client.UserAgent,
	}
}

// SecurityChange records activity for the member and queues a notice to them.
// Callers run it in the change's transaction, so a change is never kept without
// its audit event and notice: if either cannot be written, it fails. The
// notice names the event, so its "This wasn't me" link reports this change.
func (r *Recorder) SecurityChange(ctx context.Context, p *twofold.Principal, activity, reason, what string) error {
	e := memberEvent(p, activity, reason)
	if err := r.Record(ctx, e); err != nil {
		return err
	}
	err := r.notifier.SecurityChange(ctx, notify.Change{
		User: p.User, Org: p.Org, What: what, From: p.Client,
		Activity: activity, EventID: strconv.FormatInt(e.ID, 10),
	})
	if err != nil {
		return fmt.Errorf("audit: notify %s of %q: %w", p.User.ID, activity, err)
	}
	return nil
}

// MaxList is the most events List returns at once.
const MaxList = 1000

// List returns audit events matching f, newest first: 100 unless f.Limit says
// how many, up to MaxList.
func (r *Recorder) List(ctx context.Context, f twofold.AuditFilter) ([]*twofold.AuditEvent, error) {
	if f.Limit <= 0 || f.Limit > MaxList {
		f.Limit = 100
	}
	return r.store.ListAudit(ctx, f)
}
