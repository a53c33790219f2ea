package main

import (
	"context"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// The background sweep deletes audit events past the configured retention,
// and only those, records that it did, and stores each organization's
// registration figures once a day however often it runs.
func TestSweepAppliesAuditRetentionAndSnapshotsTheReport(t *testing.T) {
	a, _ := testApp(t, map[string]string{"TWOFOLD_AUDIT_RETENTION": "720h"})
	ctx := context.Background()
	org, err := a.admin.Org(ctx, "contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, age := range []time.Duration{31 * 24 * time.Hour, 40 * 24 * time.Hour, 29 * 24 * time.Hour} {
		e := &twofold.AuditEvent{Time: now.Add(-age), OrgID: org.ID, ActorName: "sweep-test", Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess}
		if err := a.store.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	mine := func() int {
		es, err := a.store.ListAudit(ctx, twofold.AuditFilter{Actor: "sweep-test", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	records := func() []*twofold.AuditEvent {
		es, err := a.store.ListAudit(ctx, twofold.AuditFilter{Activity: twofold.ActivityAuditRetentionSwept, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	snapshots := func() int {
		s, err := a.store.RegistrationSnapshots(ctx, org.ID, now.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return len(s)
	}
	if mine() != 3 || len(records()) != 0 || snapshots() != 0 {
		t.Fatalf("before the sweep: %d events, %d sweep records, %d snapshots", mine(), len(records()), snapshots())
	}

	a.sweepOnce(ctx, now)
	if n := mine(); n != 1 {
		t.Errorf("%d events left, want only the one within 30 days", n)
	}
	if r := records(); len(r) != 1 || r[0].Reason == "" {
		t.Errorf("sweep records: %+v, want one saying what it deleted", r)
	}
	if n := snapshots(); n != 1 {
		t.Errorf("%d registration snapshots today, want 1", n)
	}

	a.sweepOnce(ctx, now.Add(5*time.Minute))
	if len(records()) != 1 || snapshots() != 1 || mine() != 1 {
		t.Errorf("a second sweep with nothing due: %d records, %d snapshots, %d events", len(records()), snapshots(), mine())
	}
}
