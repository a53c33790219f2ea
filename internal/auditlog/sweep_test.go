package auditlog_test

import (
	"context"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/testkit"
)

const retention = 365 * 24 * time.Hour

// seedAges appends, in one transaction, old events older than retention and
// young ones within it (the youngest of them exactly at the limit, which
// stays), and returns the limit.
func seedAges(t *testing.T, k *testkit.Kit, orgID string, old, young int) time.Time {
	t.Helper()
	k.Exec(`DELETE FROM audit_events`)
	limit := k.Clock.Now().Add(-retention)
	err := k.Store.InTx(k.Ctx, func(ctx context.Context) error {
		for i := range old {
			at := limit.Add(-time.Duration(i+1) * time.Second)
			if err := k.Store.AppendAudit(ctx, &twofold.AuditEvent{Time: at, OrgID: orgID, Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess}); err != nil {
				return err
			}
		}
		for i := range young {
			at := limit.Add(time.Duration(i) * time.Minute)
			if err := k.Store.AppendAudit(ctx, &twofold.AuditEvent{Time: at, OrgID: orgID, Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return limit
}

func countEvents(t *testing.T, k *testkit.Kit, activity string) int {
	t.Helper()
	var n int
	q := `SELECT COUNT(*) FROM audit_events WHERE activity = $1`
	if err := k.DB().QueryRowContext(k.Ctx, q, activity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// swept sums the counts the recorded sweeps report.
func swept(t *testing.T, k *testkit.Kit) (events int, deleted int64) {
	t.Helper()
	es, err := k.Store.ListAudit(k.Ctx, twofold.AuditFilter{Activity: twofold.ActivityAuditRetentionSwept, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^Deleted (\d+) events older than `)
	for _, e := range es {
		m := re.FindStringSubmatch(e.Reason)
		if m == nil {
			t.Fatalf("sweep reason %q", e.Reason)
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		deleted += n
	}
	return len(es), deleted
}

func TestSweepDeletesOnlyWhatRetentionLetsGo(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		k := testkit.NewWith(t, testkit.Options{Backend: backend})
		org := k.NewOrg("contoso.com")
		svc := &auditlog.Service{Store: k.Store, Audit: k.Audit, Now: k.Clock.Now}
		seedAges(t, k, org.ID, 40, 10)

		if n, err := svc.Sweep(k.Ctx, k.Clock.Now(), 0); err != nil || n != 0 {
			t.Fatalf("retention 0 keeps everything: deleted %d, %v", n, err)
		}
		n, err := svc.Sweep(k.Ctx, k.Clock.Now(), retention)
		if err != nil || n != 40 {
			t.Fatalf("sweep: deleted %d, %v; want the 40 old events", n, err)
		}
		if left := countEvents(t, k, twofold.ActivitySignIn); left != 10 {
			t.Errorf("%d events left, want the 10 within retention (one exactly at the limit)", left)
		}
		if events, deleted := swept(t, k); events != 1 || deleted != 40 {
			t.Errorf("sweep recorded %d times, %d deleted; want once, 40", events, deleted)
		}
		if n, err := svc.Sweep(k.Ctx, k.Clock.Now(), retention); err != nil || n != 0 {
			t.Errorf("second sweep: deleted %d, %v", n, err)
		}
		if events, _ := swept(t, k); events != 1 {
			t.Errorf("a sweep that deleted nothing was recorded (%d records)", events)
		}
		// A day later, the events of that day's first minutes age out.
		k.Clock.Advance(5*time.Minute + 30*time.Second)
		if n, err := svc.Sweep(k.Ctx, k.Clock.Now(), retention); err != nil || n != 6 {
			t.Errorf("sweep five and a half minutes later: deleted %d, %v; want 6", n, err)
		}
	})
}

// replicaStores returns the store handles two sweepers racing each other
// use. On PostgreSQL they are two pools, as two replicas have. An SQLite file
// is served by one process (serve holds the data directory's lock), so there
// the race is two sweeps at once in that process, over its one handle.
func replicaStores(t *testing.T, k *testkit.Kit) (*store.Store, *store.Store) {
	t.Helper()
	if k.Backend == testkit.Postgres {
		return k.Store, k.ReplicaStore()
	}
	return k.Store, k.Store
}

// TestSweepRacingReplicasDeleteEachEventOnce runs the sweep from two replicas
// at once over more old events than two batches: between them every old event
// is deleted exactly once, the sweeps' own records add up to the number that
// was old, and no young event is touched.
func TestSweepRacingReplicasDeleteEachEventOnce(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		k := testkit.NewWith(t, testkit.Options{Backend: backend})
		org := k.NewOrg("contoso.com")
		const old, young = 2*auditlog.SweepBatch + 1234, 30
		seedAges(t, k, org.ID, old, young)
		one, two := replicaStores(t, k)
		replicas := []*auditlog.Service{
			{Store: one, Audit: audit.New(one, nil, k.Clock.Now), Now: k.Clock.Now},
			{Store: two, Audit: audit.New(two, nil, k.Clock.Now), Now: k.Clock.Now},
		}
		var total atomic.Int64
		now := k.Clock.Now()
		errs := testkit.Simultaneously(len(replicas), func(i int) error {
			n, err := replicas[i].Sweep(k.Ctx, now, retention)
			total.Add(n)
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
		}
		if total.Load() != old {
			t.Errorf("the replicas deleted %d events between them, want %d", total.Load(), old)
		}
		if left := countEvents(t, k, twofold.ActivitySignIn); left != young {
			t.Errorf("%d events left, want the %d young ones", left, young)
		}
		events, deleted := swept(t, k)
		if deleted != old || events < 1 || events > 2 {
			t.Errorf("%d sweep records saying %d deleted; want 1 or 2 saying %d", events, deleted, old)
		}
		t.Logf("%s: %d sweep records for %d old events", backend, events, old)
	})
}
