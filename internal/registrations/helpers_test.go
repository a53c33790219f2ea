package registrations_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/registrations"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/testkit"
)

// env is the report's use case over a real, empty store of one backend.
type env struct {
	t     testing.TB
	s     *store.Store
	svc   *registrations.Service
	clock *testkit.Clock
	dsn   string // for raw SQL: a file path (SQLite) or a URL (PostgreSQL)
	seq   int
}

// onBackends runs fn on SQLite and, when configured, on PostgreSQL.
func onBackends(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) { fn(t, newEnv(t, b)) })
	}
}

func newEnv(t testing.TB, backend string) *env {
	t.Helper()
	var name, dsn string
	if backend == testkit.Postgres {
		dsn = testkit.PostgresURL(t)
		name = dsn
	} else {
		dsn = filepath.Join(t.TempDir(), "twofold.db")
		name = "sqlite:" + dsn
	}
	s, err := store.Open(t.Context(), name)
	if err != nil {
		t.Fatalf("open %s: %v", backend, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	c := testkit.NewClock(testkit.Start())
	return &env{t: t, s: s, clock: c, dsn: dsn, svc: &registrations.Service{Store: s, Now: c.Now}}
}

func (e *env) id(prefix string) string {
	e.seq++
	return fmt.Sprintf("%s-%05d", prefix, e.seq)
}

func (e *env) org(domain string) *twofold.Organization {
	e.t.Helper()
	o := &twofold.Organization{ID: e.id("org"), Name: "Org " + domain, Domains: []string{domain},
		Policy: twofold.DefaultPolicy(), CreatedAt: e.clock.Now()}
	if err := e.s.CreateOrg(e.t.Context(), o); err != nil {
		e.t.Fatalf("CreateOrg: %v", err)
	}
	return o
}

func (e *env) policy(o *twofold.Organization, change func(p *twofold.Policy)) {
	e.t.Helper()
	change(&o.Policy)
	if err := e.s.UpdatePolicy(e.t.Context(), o.ID, o.Policy); err != nil {
		e.t.Fatalf("UpdatePolicy: %v", err)
	}
}

func (e *env) user(o *twofold.Organization, local string, role twofold.Role) *twofold.User {
	e.t.Helper()
	u := &twofold.User{ID: e.id("user"), OrgID: o.ID, Username: local + "@" + o.Domains[0],
		DisplayName: "Member " + local, Role: role, PasswordHash: "$argon2id$x",
		PreferredMethod: twofold.PreferenceNone, CreatedAt: e.clock.Now()}
	if err := e.s.CreateUser(e.t.Context(), u); err != nil {
		e.t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// method gives u an active (or pending) method of kind k; pt is a phone's type.
func (e *env) method(u *twofold.User, k twofold.MethodKind, pt twofold.PhoneType, state twofold.MethodState) {
	e.t.Helper()
	now := e.clock.Now()
	m := &twofold.Method{ID: e.id("method"), UserID: u.ID, Kind: k, State: state, Name: string(k), CreatedAt: now}
	if state == twofold.MethodActive {
		m.ActivatedAt = now
	}
	switch k {
	case twofold.KindPhone:
		m.PhoneType, m.PhoneNumber = pt, fmt.Sprintf("+1425555%04d", e.seq)
	case twofold.KindEmail:
		m.Email = u.ID + "@mail.example"
	case twofold.KindSoftwareOath:
		m.SecretSealed = []byte{1, 2, 3}
	}
	if err := e.s.CreateMethod(e.t.Context(), m); err != nil {
		e.t.Fatalf("CreateMethod: %v", err)
	}
}

func (e *env) active(u *twofold.User, k twofold.MethodKind) {
	e.t.Helper()
	e.method(u, k, "", twofold.MethodActive)
}

func (e *env) phone(u *twofold.User, pt twofold.PhoneType) {
	e.t.Helper()
	e.method(u, twofold.KindPhone, pt, twofold.MethodActive)
}

// staff is an admin of o acting in the console.
func staff(o *twofold.Organization, role twofold.Role) *twofold.Actor {
	return &twofold.Actor{OrgID: o.ID, UserID: "staff-" + string(role), Name: "staff", Role: role,
		MFAAt: time.Time{}}
}

// allDetails reads every page of o's members.
func allDetails(t testing.TB, e *env, a *twofold.Actor, limit int) []registrations.Detail {
	t.Helper()
	var out []registrations.Detail
	q := registrations.DetailsQuery{Limit: limit}
	for range 10000 {
		page, err := e.svc.Details(t.Context(), a, q)
		if err != nil {
			t.Fatalf("Details: %v", err)
		}
		out = append(out, page.Rows...)
		if page.Next == "" {
			return out
		}
		q.After = page.Next
	}
	t.Fatal("Details never ended")
	return nil
}

// tally adds up details as the summary should count them.
func tally(rows []registrations.Detail) (f registrations.Figures, byKind map[string]int) {
	byKind = map[string]int{}
	for _, d := range rows {
		f.Members++
		f.MFARegistered += b(d.MFARegistered)
		f.MFACapable += b(d.MFACapable)
		f.SSPRRegistered += b(d.SSPRRegistered)
		f.SSPRCapable += b(d.SSPRCapable)
		kinds := map[string]bool{}
		for _, m := range d.Methods {
			if m == "mobilePhone" || m == "officePhone" || m == "alternateMobilePhone" {
				m = string(twofold.KindPhone)
			}
			kinds[m] = true
		}
		for k := range kinds {
			byKind[k]++
		}
	}
	return f, byKind
}

func b(v bool) int {
	if v {
		return 1
	}
	return 0
}
