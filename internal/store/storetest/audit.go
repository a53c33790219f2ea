package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testAudit(t *testing.T, f *fixture) {
	s := f.s
	// 120 events over two organizations, two targets and two activities, one
	// second apart, plus two events sharing one instant.
	var all []*twofold.AuditEvent
	for i := range 120 {
		e := &twofold.AuditEvent{
			Time:       at(time.Duration(i) * time.Second),
			OrgID:      []string{"org-a", "org-b"}[i%2],
			ActorID:    "user-actor",
			ActorName:  "actor@example.com",
			TargetID:   fmt.Sprintf("user-t%d", i%3),
			TargetName: "target@example.com",
			Activity:   []string{twofold.ActivitySignIn, twofold.ActivityRegistered}[i%4/2],
			Result:     twofold.ResultFailure,
			Reason:     fmt.Sprintf("reason %d", i),
			IP:         "192.0.2.9",
			UserAgent:  "agent",
		}
		must(t, "AppendAudit", s.AppendAudit(t.Context(), e))
		if len(all) > 0 && e.ID <= all[len(all)-1].ID {
			t.Fatalf("AppendAudit gave ID %d after %d", e.ID, all[len(all)-1].ID)
		}
		all = append(all, e)
	}
	tie := []*twofold.AuditEvent{
		{Time: at(200 * time.Second), OrgID: "org-c", Activity: twofold.ActivitySignOut, Result: twofold.ResultSuccess},
		{Time: at(200 * time.Second), OrgID: "org-c", Activity: twofold.ActivitySignOut, Result: twofold.ResultSuccess, Reason: "second"},
	}
	for _, e := range tie {
		must(t, "AppendAudit", s.AppendAudit(t.Context(), e))
	}

	// newest returns the newest n events of all that match, as ListAudit should.
	newest := func(match func(*twofold.AuditEvent) bool, n int) []*twofold.AuditEvent {
		var out []*twofold.AuditEvent
		for i := len(all) - 1; i >= 0 && len(out) < n; i-- {
			if match(all[i]) {
				out = append(out, all[i])
			}
		}
		return out
	}
	orgA := func(e *twofold.AuditEvent) bool { return e.OrgID == "org-a" }
	for _, tc := range []struct {
		name   string
		filter twofold.AuditFilter
		want   []*twofold.AuditEvent
	}{
		{"Org", twofold.AuditFilter{OrgID: "org-a", Limit: 5}, newest(orgA, 5)},
		{"OrgDefaultLimit", twofold.AuditFilter{OrgID: "org-a"}, newest(orgA, 100)},
		{"Target", twofold.AuditFilter{TargetID: "user-t1", Limit: 4}, newest(func(e *twofold.AuditEvent) bool { return e.TargetID == "user-t1" }, 4)},
		{"Activity", twofold.AuditFilter{OrgID: "org-b", Activity: twofold.ActivityRegistered, Limit: 3},
			newest(func(e *twofold.AuditEvent) bool {
				return e.OrgID == "org-b" && e.Activity == twofold.ActivityRegistered
			}, 3)},
		{"Since", twofold.AuditFilter{OrgID: "org-a", Since: at(110 * time.Second)},
			newest(func(e *twofold.AuditEvent) bool { return orgA(e) && !e.Time.Before(at(110*time.Second)) }, 100)},
		{"AllFilters", twofold.AuditFilter{OrgID: "org-a", TargetID: "user-t0", Activity: twofold.ActivitySignIn, Since: at(60 * time.Second), Limit: 50},
			newest(func(e *twofold.AuditEvent) bool {
				return orgA(e) && e.TargetID == "user-t0" && e.Activity == twofold.ActivitySignIn && !e.Time.Before(at(60*time.Second))
			}, 50)},
		{"NoMatch", twofold.AuditFilter{OrgID: "org-missing"}, nil},
		{"SameInstantNewestFirst", twofold.AuditFilter{OrgID: "org-c"}, []*twofold.AuditEvent{tie[1], tie[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListAudit(t.Context(), tc.filter)
			must(t, "ListAudit", err)
			same(t, "events", got, tc.want)
		})
	}
	// Paging back: the events just newer than a cursor, nearest first in the
	// limit, listed newest first; also where the store merges an actor's ID
	// and name alternatives.
	oldest := func(match func(*twofold.AuditEvent) bool, after *twofold.AuditEvent, n int) []*twofold.AuditEvent {
		var out []*twofold.AuditEvent
		for _, e := range all {
			if len(out) < n && match(e) && (e.Time.After(after.Time) || e.Time.Equal(after.Time) && e.ID > after.ID) {
				out = append([]*twofold.AuditEvent{e}, out...)
			}
		}
		return out
	}
	t.Run("AfterCursor", func(t *testing.T) {
		cur := all[60]
		got, err := s.ListAudit(t.Context(), twofold.AuditFilter{OrgID: "org-a", AfterTime: cur.Time, AfterID: cur.ID, Limit: 4})
		must(t, "ListAudit", err)
		same(t, "events", got, oldest(orgA, cur, 4))
		got, err = s.ListAudit(t.Context(), twofold.AuditFilter{OrgID: "org-a", Actor: "actor@example.com", AfterTime: cur.Time, AfterID: cur.ID, Limit: 3})
		must(t, "ListAudit", err)
		same(t, "events by actor name", got, oldest(orgA, cur, 3))
		last := all[len(all)-1]
		got, err = s.ListAudit(t.Context(), twofold.AuditFilter{OrgID: last.OrgID, AfterTime: last.Time, AfterID: last.ID})
		must(t, "ListAudit", err)
		same(t, "events after the newest", len(got), 0)
		got, err = s.ListAudit(t.Context(), twofold.AuditFilter{OrgID: "org-c", AfterTime: tie[0].Time, AfterID: tie[0].ID})
		must(t, "ListAudit", err)
		same(t, "same instant, larger ID", got, []*twofold.AuditEvent{tie[1]})
		_, err = s.ListAudit(t.Context(), twofold.AuditFilter{BeforeTime: cur.Time, BeforeID: cur.ID, AfterTime: cur.Time, AfterID: cur.ID})
		if err == nil {
			t.Error("BeforeTime and AfterTime together are accepted")
		}
	})
	t.Run("DefaultLimit", func(t *testing.T) {
		got, err := s.ListAudit(t.Context(), twofold.AuditFilter{})
		must(t, "ListAudit", err)
		same(t, "events", len(got), 100)
		same(t, "newest", got[0], tie[1])
	})
}
