package store_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/store"
)

// benchUsers is how many members the sign-in benchmark spreads over, so that
// clients mostly touch different rows, as real sign-ins do.
const benchUsers = 256

// BenchmarkSignInPath does the store work of one full sign-in with a second
// factor, at 1 and at 64 concurrent clients, on SQLite and (when configured) on
// PostgreSQL. Compare its sign-ins/s with the password hasher's hashes/s: the
// store must not be the bottleneck.
func BenchmarkSignInPath(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *store.Store
	}{
		{"sqlite", func(tb testing.TB) *store.Store { return openSQLite(tb) }},
		{"postgres", func(tb testing.TB) *store.Store { return openPostgres(tb) }},
	} {
		b.Run(db.name, func(b *testing.B) {
			s := db.open(b)
			sb := newSignInBench(b, s)
			for _, clients := range []int{1, 8, 64} {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
					if clients == 1 {
						// RunParallel starts at least GOMAXPROCS goroutines; one
						// client is a plain loop.
						c := sb.newClient()
						for b.Loop() {
							c.signIn(b)
						}
					} else {
						b.RunParallel(func(pb *testing.PB) {
							c := sb.newClient()
							for pb.Next() {
								c.signIn(b)
							}
						})
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sign-ins/s")
				})
			}
		})
	}
}

type signInBench struct {
	s       *store.Store
	org     *twofold.Organization
	users   []*twofold.User
	clients atomic.Int64 // hands each client its own users
	next    atomic.Int64 // names flows
	t0      time.Time
	context context.Context
}

// benchClient is one client signing in its own few members in turn, so that no
// two sign-ins of one member overlap and its TOTP steps arrive in order.
type benchClient struct {
	*signInBench
	users []*twofold.User
	step  int64
}

func (sb *signInBench) newClient() *benchClient {
	const per = benchUsers / 64
	i := int(sb.clients.Add(1)-1) % 64 * per
	return &benchClient{signInBench: sb, users: sb.users[i : i+per], step: sb.next.Add(1e9)}
}

func newSignInBench(b *testing.B, s *store.Store) *signInBench {
	ctx := b.Context()
	sb := &signInBench{s: s, t0: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), context: ctx}
	sb.org = &twofold.Organization{ID: twofold.NewID(), Name: "Bench", Domains: []string{"bench.example"},
		Policy: twofold.DefaultPolicy(), CreatedAt: sb.t0}
	if err := s.CreateOrg(ctx, sb.org); err != nil {
		b.Fatal(err)
	}
	for i := range benchUsers {
		u := &twofold.User{ID: twofold.NewID(), OrgID: sb.org.ID, Username: fmt.Sprintf("user%d@bench.example", i),
			Role: twofold.RoleMember, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", CreatedAt: sb.t0}
		if err := s.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		m := &twofold.Method{ID: twofold.NewID(), UserID: u.ID, Kind: twofold.KindSoftwareOath, State: twofold.MethodActive,
			Name: "Authenticator app", SecretSealed: make([]byte, 60), CreatedAt: sb.t0, ActivatedAt: sb.t0}
		if err := s.CreateMethod(ctx, m); err != nil {
			b.Fatal(err)
		}
		sb.users = append(sb.users, u)
	}
	return sb
}

// signIn is the store side of: password accepted, flow created, code checked
// against the member's authenticator app, session issued, audit line written.
func (c *benchClient) signIn(b *testing.B) {
	ctx, s := c.context, c.s
	n := c.next.Add(1)
	c.step++
	now := c.t0.Add(time.Duration(n) * time.Millisecond)
	u, err := s.UserByUsername(ctx, c.users[c.step%int64(len(c.users))].Username)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.RecordPasswordSuccess(ctx, u.ID); err != nil {
		b.Fatal(err)
	}
	flowID := twofold.HashToken(fmt.Sprintf("flow-%d", n))
	err = s.CreateFlow(ctx, &twofold.SignInFlow{IDHash: flowID, UserID: u.ID, OrgID: u.OrgID,
		State: twofold.FlowMFARequired, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute), PasswordAt: now})
	if err != nil {
		b.Fatal(err)
	}
	f, err := s.FlowByIDHash(ctx, flowID)
	if err != nil {
		b.Fatal(err)
	}
	ms, err := s.ListMethods(ctx, f.UserID, twofold.MethodActive)
	if err != nil || len(ms) != 1 {
		b.Fatal(len(ms), err)
	}
	if ok, err := s.ConsumeStep(ctx, ms[0].ID, c.step, now); err != nil || !ok {
		b.Fatal("ConsumeStep", ok, err)
	}
	if err := s.RecordMFASuccess(ctx, u.ID); err != nil {
		b.Fatal(err)
	}
	if ok, err := s.FinishFlow(ctx, flowID, twofold.FlowMFARequired, twofold.FlowSignedIn); err != nil || !ok {
		b.Fatal("FinishFlow", ok, err)
	}
	err = s.CreateSession(ctx, &twofold.Session{ID: twofold.NewID(), TokenHash: twofold.HashToken(twofold.NewToken()),
		UserID: u.ID, OrgID: u.OrgID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour),
		PasswordAt: now, MFAAt: now, MFAMethod: ms[0].ID})
	if err != nil {
		b.Fatal(err)
	}
	err = s.AppendAudit(ctx, &twofold.AuditEvent{Time: now, OrgID: u.OrgID, ActorID: u.ID, ActorName: u.Username,
		TargetID: u.ID, TargetName: u.Username, Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess})
	if err != nil {
		b.Fatal(err)
	}
}
