package auditlog_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/testkit"
)

func each(t *testing.T, f func(t *testing.T, backend string)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) { f(t, b) })
	}
}

// logEnv is a kit whose audit log holds a known set of events of two
// organizations, appended directly with chosen times.
type logEnv struct {
	*testkit.Kit
	svc        *auditlog.Service
	org, other string
	events     []*twofold.AuditEvent // of org, in append order
}

// seed appends n events of org with times one second apart, every fifth
// sharing its predecessor's time (so the cursor must order by ID too), a few
// activities, actors, targets and results; and 20 of the other organization
// whose actor and target names are org's, to show they never leak.
func newLogEnv(t *testing.T, backend string, n int) *logEnv {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	e := &logEnv{Kit: k, svc: &auditlog.Service{Store: k.Store, Audit: k.Audit, Now: k.Clock.Now}}
	e.org, e.other = k.NewOrg("contoso.com").ID, k.NewOrg("fabrikam.com").ID
	// Creating the organizations was audited; the seed alone is the log.
	k.Exec(`DELETE FROM audit_events`)
	activities := []string{twofold.ActivitySignIn, twofold.ActivityResetByAdmin, twofold.ActivityUserDisabled}
	base := k.Clock.Now().Add(-time.Hour)
	err := k.Store.InTx(k.Ctx, func(ctx context.Context) error {
		at := base
		for i := range n {
			if i%5 != 4 {
				at = at.Add(time.Second)
			}
			ev := &twofold.AuditEvent{
				Time: at, OrgID: e.org, ActorID: fmt.Sprintf("actor-%d", i%4), ActorName: fmt.Sprintf("actor%d@contoso.com", i%4),
				TargetID: fmt.Sprintf("target-%d", i%3), TargetName: fmt.Sprintf("target%d@contoso.com", i%3),
				Activity: activities[i%len(activities)], Result: []string{twofold.ResultSuccess, twofold.ResultFailure}[i%2],
			}
			if err := k.Store.AppendAudit(ctx, ev); err != nil {
				return err
			}
			e.events = append(e.events, ev)
		}
		for i := range 20 {
			ev := &twofold.AuditEvent{
				Time: base.Add(time.Duration(i) * time.Second), OrgID: e.other, ActorID: "actor-0", ActorName: "actor0@contoso.com",
				TargetID: "target-0", TargetName: "target0@contoso.com", Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess,
			}
			if err := k.Store.AppendAudit(ctx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return e
}

func (e *logEnv) admin() *twofold.Actor {
	return &twofold.Actor{OrgID: e.org, UserID: "boss", Name: "boss@contoso.com", Role: twofold.RoleAdmin}
}

// newestFirst returns the seeded events matching keep, as Search orders them.
func (e *logEnv) newestFirst(keep func(*twofold.AuditEvent) bool) []int64 {
	var ids []int64
	for _, ev := range e.events {
		if keep(ev) {
			ids = append(ids, ev.ID)
		}
	}
	slices.Reverse(ids) // appended in time order, IDs increasing
	return ids
}

// all pages through q with the actor and returns the IDs seen, in order.
func (e *logEnv) all(t *testing.T, a *twofold.Actor, q auditlog.Query) []int64 {
	t.Helper()
	var ids []int64
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging never ends")
		}
		p, err := e.svc.Search(e.Ctx, a, q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		if q.Limit > 0 && len(p.Events) > q.Limit {
			t.Fatalf("page of %d, limit %d", len(p.Events), q.Limit)
		}
		for _, ev := range p.Events {
			ids = append(ids, ev.ID)
		}
		if p.Next == "" {
			return ids
		}
		q.After = p.Next
	}
}

func TestSearchPagesThroughEveryEventOnce(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newLogEnv(t, backend, 250)
		q := auditlog.Query{Limit: 7}
		first, err := e.svc.Search(e.Ctx, e.admin(), q)
		if err != nil || len(first.Events) != 7 || first.Next == "" {
			t.Fatalf("first page: %+v, %v", first, err)
		}
		// Events appended while paging are newer than the cursor: later pages
		// neither repeat nor skip what the first page began.
		if err := e.Store.AppendAudit(e.Ctx, &twofold.AuditEvent{Time: e.Clock.Now(), OrgID: e.org, Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess}); err != nil {
			t.Fatal(err)
		}
		got := []int64{}
		for _, ev := range first.Events {
			got = append(got, ev.ID)
		}
		q.After = first.Next
		got = append(got, e.all(t, e.admin(), q)...)
		want := e.newestFirst(func(*twofold.AuditEvent) bool { return true })
		if !slices.Equal(got, want) {
			t.Fatalf("paged %d events, want the %d seeded newest first, each once", len(got), len(want))
		}
		// The default page is DefaultLimit.
		if p, err := e.svc.Search(e.Ctx, e.admin(), auditlog.Query{}); err != nil || len(p.Events) != auditlog.DefaultLimit {
			t.Errorf("default page: %d events, %v", len(p.Events), err)
		}
		// A page exactly as long as what's left says there is no next page.
		if p, err := e.svc.Search(e.Ctx, e.admin(), auditlog.Query{Limit: 251}); err != nil || len(p.Events) != 251 || p.Next != "" {
			t.Errorf("whole log in one page: %d events, next %q, %v", len(p.Events), p.Next, err)
		}
	})
}

func TestSearchFilters(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newLogEnv(t, backend, 250)
		mid, late := e.events[100].Time, e.events[180].Time
		for _, tc := range []struct {
			name string
			q    auditlog.Query
			keep func(*twofold.AuditEvent) bool
		}{
			{"activity", auditlog.Query{Activity: twofold.ActivityResetByAdmin},
				func(ev *twofold.AuditEvent) bool { return ev.Activity == twofold.ActivityResetByAdmin }},
			{"actor by name", auditlog.Query{Actor: "actor1@contoso.com"},
				func(ev *twofold.AuditEvent) bool { return ev.ActorName == "actor1@contoso.com" }},
			{"actor by ID", auditlog.Query{Actor: "actor-2"},
				func(ev *twofold.AuditEvent) bool { return ev.ActorID == "actor-2" }},
			{"target by name", auditlog.Query{Target: "target0@contoso.com"},
				func(ev *twofold.AuditEvent) bool { return ev.TargetName == "target0@contoso.com" }},
			{"target by ID", auditlog.Query{Target: "target-1"},
				func(ev *twofold.AuditEvent) bool { return ev.TargetID == "target-1" }},
			{"result", auditlog.Query{Result: twofold.ResultFailure},
				func(ev *twofold.AuditEvent) bool { return ev.Result == twofold.ResultFailure }},
			{"time range, both ends inclusive", auditlog.Query{Since: mid, Until: late},
				func(ev *twofold.AuditEvent) bool { return !ev.Time.Before(mid) && !ev.Time.After(late) }},
			{"all at once", auditlog.Query{Activity: twofold.ActivitySignIn, Actor: "actor0@contoso.com", Result: twofold.ResultSuccess, Since: mid},
				func(ev *twofold.AuditEvent) bool {
					return ev.Activity == twofold.ActivitySignIn && ev.ActorName == "actor0@contoso.com" &&
						ev.Result == twofold.ResultSuccess && !ev.Time.Before(mid)
				}},
			{"injection as a value matches nothing", auditlog.Query{Activity: "x' OR '1'='1"},
				func(*twofold.AuditEvent) bool { return false }},
		} {
			tc.q.Limit = 9
			got := e.all(t, e.admin(), tc.q)
			want := e.newestFirst(tc.keep)
			if len(want) == 0 && tc.name != "injection as a value matches nothing" {
				t.Fatalf("%s: the seed has no matching events; the test would prove nothing", tc.name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %d events, want %d", tc.name, len(got), len(want))
			}
		}
	})
}

func TestSearchRefusesBadQueries(t *testing.T) {
	e := newLogEnv(t, testkit.SQLite, 10)
	now := e.Clock.Now()
	for _, tc := range []struct {
		name, field string
		q           auditlog.Query
	}{
		{"negative limit", "limit", auditlog.Query{Limit: -1}},
		{"limit too high", "limit", auditlog.Query{Limit: auditlog.MaxLimit + 1}},
		{"unknown result", "result", auditlog.Query{Result: "maybe"}},
		{"range backwards", "until", auditlog.Query{Since: now, Until: now.Add(-time.Second)}},
		{"cursor not ours", "after", auditlog.Query{After: "not-a-cursor"}},
		{"cursor garbled", "after", auditlog.Query{After: "a1.!!!"}},
		{"cursor too long", "after", auditlog.Query{After: "a1." + string(make([]byte, 100))}},
		{"cursor with no ID", "after", auditlog.Query{After: "a1.MTIz"}},
	} {
		_, err := e.svc.Search(e.Ctx, e.admin(), tc.q)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != tc.field {
			t.Errorf("%s: %v, want EINVALID on %s", tc.name, err, tc.field)
		}
	}
}

// TestSearchKeepsToTheActorsOrganization checks who may read and what: an
// admin and the help desk their own organization only, a token only with
// audit.read and only its organization, the command line any, and nobody
// else at all.
func TestSearchKeepsToTheActorsOrganization(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newLogEnv(t, backend, 30)
		ours := e.newestFirst(func(*twofold.AuditEvent) bool { return true })
		mine := func(t *testing.T, name string, a *twofold.Actor, q auditlog.Query) {
			t.Helper()
			q.Limit = 1000
			p, err := e.svc.Search(e.Ctx, a, q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, ev := range p.Events {
				if ev.OrgID != e.org {
					t.Fatalf("%s: event of organization %s leaked", name, ev.OrgID)
				}
			}
		}
		helpdesk := &twofold.Actor{OrgID: e.org, UserID: "desk", Name: "desk@contoso.com", Role: twofold.RoleHelpdesk}
		token := twofold.TokenActor(&twofold.APIToken{OrgID: e.org, Name: "siem", Scopes: []twofold.Scope{twofold.ScopeAuditRead}}, twofold.Client{})
		for name, a := range map[string]*twofold.Actor{"admin": e.admin(), "help desk": helpdesk, "token": token} {
			mine(t, name, a, auditlog.Query{})
			// Naming the other organization, or its members, changes nothing.
			mine(t, name+" asking for another organization", a, auditlog.Query{OrgID: e.other})
			mine(t, name+" asking for a shared name", a, auditlog.Query{Target: "target0@contoso.com"})
			if got := e.all(t, a, auditlog.Query{Limit: 1000}); !slices.Equal(got, ours) {
				t.Errorf("%s: %d events, want the organization's %d", name, len(got), len(ours))
			}
		}

		cli := twofold.CLIActor()
		p, err := e.svc.Search(e.Ctx, cli, auditlog.Query{OrgID: e.other, Limit: 1000})
		if err != nil || len(p.Events) != 20 || p.Events[0].OrgID != e.other {
			t.Errorf("the command line reading another organization: %d events, %v", len(p.Events), err)
		}
		if p, err := e.svc.Search(e.Ctx, cli, auditlog.Query{Limit: 1000}); err != nil || len(p.Events) < 50 {
			t.Errorf("the command line reading every organization: %d events, %v", len(p.Events), err)
		}

		member := &twofold.Actor{OrgID: e.org, UserID: "m", Name: "m@contoso.com", Role: twofold.RoleMember}
		noScope := twofold.TokenActor(&twofold.APIToken{OrgID: e.org, Name: "hr", Scopes: []twofold.Scope{twofold.ScopeUsersRead, twofold.ScopeUsersManage}}, twofold.Client{})
		for name, a := range map[string]*twofold.Actor{"member": member, "token without audit.read": noScope, "nobody": nil} {
			if _, err := e.svc.Search(e.Ctx, a, auditlog.Query{}); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
				t.Errorf("%s: %v, want EFORBIDDEN", name, err)
			}
		}
	})
}
