package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// testAuditQuery checks the audit log's filters, its keyset paging and its
// retention delete.
func testAuditQuery(t *testing.T, f *fixture) {
	s := f.s
	// 90 events in one organization and 10 in another: three actors (one
	// known only by name), three targets, both results, one second apart,
	// and every third event sharing its instant with the one before, so
	// paging must break ties by ID.
	var all []*twofold.AuditEvent
	for i := range 100 {
		org := "org-q"
		if i%10 == 9 {
			org = "org-other"
		}
		sec := time.Duration(i-i/3) * time.Second
		e := &twofold.AuditEvent{
			Time:       at(sec),
			OrgID:      org,
			ActorID:    []string{"user-1", "user-2", ""}[i%3],
			ActorName:  []string{"ada@example.com", "bob@example.com", "token:hr-sync"}[i%3],
			TargetID:   []string{"user-1", "user-3", "user-4"}[i%4%3],
			TargetName: []string{"ada@example.com", "cy@example.com", "dee@example.com"}[i%4%3],
			Activity:   []string{twofold.ActivitySignIn, twofold.ActivityResetByAdmin}[i%5%2],
			Result:     []string{twofold.ResultSuccess, twofold.ResultFailure}[i%7%2],
			Reason:     fmt.Sprintf("reason %d", i),
		}
		must(t, "AppendAudit", s.AppendAudit(t.Context(), e))
		all = append(all, e)
	}
	// newest lists the events that match, newest first, as ListAudit must.
	newest := func(match func(*twofold.AuditEvent) bool) []*twofold.AuditEvent {
		var out []*twofold.AuditEvent
		for i := len(all) - 1; i >= 0; i-- {
			if match(all[i]) {
				out = append(out, all[i])
			}
		}
		return out
	}
	inQ := func(e *twofold.AuditEvent) bool { return e.OrgID == "org-q" }
	actor := func(v string) func(*twofold.AuditEvent) bool {
		return func(e *twofold.AuditEvent) bool { return inQ(e) && (e.ActorID == v || e.ActorName == v) }
	}
	target := func(v string) func(*twofold.AuditEvent) bool {
		return func(e *twofold.AuditEvent) bool { return inQ(e) && (e.TargetID == v || e.TargetName == v) }
	}
	for _, tc := range []struct {
		name   string
		filter twofold.AuditFilter
		match  func(*twofold.AuditEvent) bool
	}{
		{"ActorByID", twofold.AuditFilter{Actor: "user-2"}, actor("user-2")},
		{"ActorByName", twofold.AuditFilter{Actor: "token:hr-sync"}, actor("token:hr-sync")},
		{"ActorNameOfAnID", twofold.AuditFilter{Actor: "ada@example.com"}, actor("ada@example.com")},
		{"TargetByID", twofold.AuditFilter{Target: "user-3"}, target("user-3")},
		{"TargetByName", twofold.AuditFilter{Target: "dee@example.com"}, target("dee@example.com")},
		// user-1 is both an actor and a target: each filter keeps to its own column.
		{"ActorAndTarget", twofold.AuditFilter{Actor: "user-1", Target: "user-1"}, func(e *twofold.AuditEvent) bool {
			return actor("user-1")(e) && target("user-1")(e)
		}},
		{"Result", twofold.AuditFilter{Result: twofold.ResultFailure}, func(e *twofold.AuditEvent) bool {
			return inQ(e) && e.Result == twofold.ResultFailure
		}},
		{"SinceUntilInclusive", twofold.AuditFilter{Since: at(20 * time.Second), Until: at(30 * time.Second)}, func(e *twofold.AuditEvent) bool {
			return inQ(e) && !e.Time.Before(at(20*time.Second)) && !e.Time.After(at(30*time.Second))
		}},
		{"Everything", twofold.AuditFilter{Actor: "bob@example.com", Target: "user-4", Activity: twofold.ActivitySignIn,
			Result: twofold.ResultSuccess, Until: at(60 * time.Second)}, func(e *twofold.AuditEvent) bool {
			return actor("bob@example.com")(e) && target("user-4")(e) && e.Activity == twofold.ActivitySignIn &&
				e.Result == twofold.ResultSuccess && !e.Time.After(at(60*time.Second))
		}},
		{"ValueIsNotSQL", twofold.AuditFilter{Actor: "x' OR '1'='1"}, func(*twofold.AuditEvent) bool { return false }},
		{"NoMatch", twofold.AuditFilter{Target: "nobody"}, func(*twofold.AuditEvent) bool { return false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := newest(tc.match)
			if len(want) == 0 && tc.name != "NoMatch" && tc.name != "ValueIsNotSQL" {
				t.Fatal("the case matches no event; it would prove nothing")
			}
			tc.filter.OrgID = "org-q"
			tc.filter.Limit = 1000
			got, err := s.ListAudit(t.Context(), tc.filter)
			must(t, "ListAudit", err)
			same(t, "events", got, want)

			// The same listing page by page, four at a time, continuing after
			// each page's last event, is the same events in the same order.
			var paged []*twofold.AuditEvent
			pf := tc.filter
			pf.Limit = 4
			for range 200 {
				page, err := s.ListAudit(t.Context(), pf)
				must(t, "ListAudit page", err)
				paged = append(paged, page...)
				if len(page) < pf.Limit {
					break
				}
				last := page[len(page)-1]
				pf.BeforeTime, pf.BeforeID = last.Time, last.ID
			}
			same(t, "paged events", paged, want)
		})
	}

	t.Run("DeleteBefore", func(t *testing.T) {
		cut := at(40 * time.Second)
		var old int64
		for _, e := range all {
			if e.Time.Before(cut) {
				old++
			}
		}
		// Sixteen sweepers at once, in small batches: together they delete
		// each old event once and nothing newer.
		counts := raceN(t, 16, func(int) (int64, error) {
			return retention(t, s).DeleteAuditBefore(t.Context(), cut, 3)
		})
		var sum int64
		for _, n := range counts {
			sum += n
		}
		same(t, "events deleted", sum, old)
		left, err := s.ListAudit(t.Context(), twofold.AuditFilter{Limit: 1000})
		must(t, "ListAudit", err)
		same(t, "events kept", left, newest(func(e *twofold.AuditEvent) bool { return !e.Time.Before(cut) }))
		n, err := retention(t, s).DeleteAuditBefore(t.Context(), cut, 3)
		must(t, "DeleteAuditBefore again", err)
		same(t, "deleted on a second sweep", n, int64(0))
	})
}

// retention returns s as the audit log's retention store.
func retention(t *testing.T, s twofold.Store) twofold.AuditRetention {
	t.Helper()
	r, ok := s.(twofold.AuditRetention)
	if !ok {
		t.Fatalf("%T does not delete old audit events (twofold.AuditRetention)", s)
	}
	return r
}

// AuditSweepReplicas checks that two stores on one database (two replicas)
// sweeping the audit log at once delete exactly the events older than the
// cut, each once, and nothing newer. a and b must share one empty database.
func AuditSweepReplicas(t *testing.T, a, b twofold.Store) {
	const events = 3000
	base := at(0)
	cut := base.Add(2000 * time.Second)
	for i := range events {
		e := &twofold.AuditEvent{Time: base.Add(time.Duration(i) * time.Second), OrgID: "org-r",
			Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess}
		must(t, "AppendAudit", a.AppendAudit(t.Context(), e))
	}
	stores := []twofold.Store{a, b}
	counts := raceN(t, 8, func(i int) (int64, error) {
		return retention(t, stores[i%2]).DeleteAuditBefore(t.Context(), cut, 50)
	})
	var sum int64
	for _, n := range counts {
		sum += n
	}
	same(t, "events deleted by both replicas", sum, int64(2000))
	left, err := b.ListAudit(t.Context(), twofold.AuditFilter{OrgID: "org-r", Limit: 1001})
	must(t, "ListAudit", err)
	same(t, "events kept", len(left), 1000)
	if len(left) > 0 && left[len(left)-1].Time.Before(cut) {
		t.Errorf("oldest kept event is at %v, before the cut %v", left[len(left)-1].Time, cut)
	}
}
