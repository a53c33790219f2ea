package main

import (
	"context"
	"time"
)

// sweepAudit deletes audit events older than the configured retention (the
// sweep records itself in the log) and stores each organization's
// registration figures for the day, once: the report's history. Both are safe
// from every replica at once, and cheap when nothing is due, so they ride on
// the five-minute sweep rather than a schedule of their own.
func (a *app) sweepAudit(ctx context.Context, now time.Time) {
	if n, err := a.auditLog.Sweep(ctx, now, a.cfg.AuditRetention); err != nil {
		a.log.Warn("sweep audit events past retention", "err", err)
	} else if n > 0 {
		a.log.Info("swept audit events past retention", "deleted", n, "retention", a.cfg.AuditRetention.String())
	}
	if _, err := a.registrations.Snapshot(ctx); err != nil {
		a.log.Warn("store the day's registration figures", "err", err)
	}
}
