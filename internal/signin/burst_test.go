package signin_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// gatedHasher counts the real password checks and holds each one until open is
// closed, so a test can see how many guesses a burst got checked while the burst
// is still in flight. Dummy checks (unknown or locked names) pass straight
// through.
type gatedHasher struct {
	signin.Hasher
	open    chan struct{}
	checks  atomic.Int64 // real checks started
	dummies atomic.Int64
}

func (g *gatedHasher) Verify(ctx context.Context, encoded, password string) (bool, bool, error) {
	g.checks.Add(1)
	<-g.open
	return g.Hasher.Verify(ctx, encoded, password)
}

func (g *gatedHasher) VerifyDummy(ctx context.Context, password string) error {
	g.dummies.Add(1)
	return g.Hasher.VerifyDummy(ctx, password)
}

// waitFor polls until cond holds; it synchronizes with goroutines, it does not
// time anything.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPasswordBurstChecksAtMostThreshold sends 200 wrong passwords to one
// account at once, from 200 networks, and then the right one while those are
// still being hashed. Each guess must take one of the threshold's places before
// its hash is computed, so at most the threshold are ever checked, the right
// password arriving after them is not even checked, and the lock that follows
// is one level up.
func TestPasswordBurstChecksAtMostThreshold(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			threshold := m.Org.Policy.LockoutThreshold
			g := &gatedHasher{Hasher: k.SignIn.Hasher, open: make(chan struct{})}
			d := k.SignIn.Deps
			d.Hasher = g
			svc := signin.New(d, signin.Config{})

			const burst = 200
			var (
				wg       sync.WaitGroup
				returned atomic.Int64
				errs     = make([]error, burst)
				start    = make(chan struct{})
			)
			for i := range burst {
				wg.Go(func() {
					<-start
					c := testkit.Client(fmt.Sprintf("10.1.%d.%d", i/250, i%250+1))
					_, errs[i] = svc.Password(k.Ctx, m.Username(), fmt.Sprintf("guess number %d", i), c)
					returned.Add(1)
				})
			}
			close(start)
			// Every guess has either been refused or is being hashed.
			waitFor(t, "the burst to settle", func() bool { return returned.Load()+g.checks.Load() >= burst })
			checking := g.checks.Load()

			right := make(chan error, 1)
			go func() {
				_, err := svc.Password(k.Ctx, m.Username(), m.Password, testkit.Client("192.0.2.200"))
				right <- err
			}()
			waitFor(t, "the right password to be refused or checked", func() bool {
				return len(right) == 1 || g.checks.Load() > checking
			})
			close(g.open)
			wg.Wait()
			rightErr := <-right

			if n := g.checks.Load(); n > int64(threshold) {
				t.Errorf("%d passwords checked in a burst of %d + 1, want at most the threshold %d", n, burst, threshold)
			}
			if rightErr != signin.ErrCredentials {
				t.Errorf("the right password during the burst: %v, want ErrCredentials (locked)", rightErr)
			}
			for i, err := range errs {
				if err != signin.ErrCredentials {
					t.Fatalf("guess %d: %v, want ErrCredentials", i, err)
				}
			}
			u := k.User(m.User.ID)
			if !k.Clock.Now().Before(u.LockedUntil) || u.LockoutLevel != 1 {
				t.Errorf("after the burst: locked until %v (now %v), level %d; want locked at level 1",
					u.LockedUntil, k.Clock.Now(), u.LockoutLevel)
			}
			if got := len(failures(t, k, m, "wrong password")); got > threshold {
				t.Errorf("%d wrong passwords audited, want at most %d", got, threshold)
			}
		})
	}
}

// TestPerNetworkBurst sends 250 failures at once from one address: the per-IP
// limit must take its place before the hash too, so exactly the limit are
// answered as failures and the rest are refused as over the limit.
func TestPerNetworkBurst(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			const burst, limit = 250, 100
			c := testkit.Client("192.0.2.99")
			errs := testkit.Simultaneously(burst, func(i int) error {
				_, err := k.SignIn.Password(k.Ctx, fmt.Sprintf("nobody%d@contoso.com", i), "whatever it is", c)
				return err
			})
			counts := map[string]int{}
			for _, err := range errs {
				counts[twofold.ErrorCode(err)]++
			}
			if counts[twofold.EUNAUTHORIZED] != limit || counts[twofold.ERATELIMIT] != burst-limit {
				t.Errorf("answers to %d failures at once from one address: %v; want %d %s and %d %s",
					burst, counts, limit, twofold.EUNAUTHORIZED, burst-limit, twofold.ERATELIMIT)
			}
			_, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, c)
			wantCode(t, "the right password after the burst", err, twofold.ERATELIMIT)
		})
	}
}

// failures returns the reasons of failed sign-ins audited for m that equal reason.
func failures(t *testing.T, k *testkit.Kit, m *testkit.Member, reason string) []*twofold.AuditEvent {
	t.Helper()
	es, err := k.Store.ListAudit(k.Ctx, twofold.AuditFilter{OrgID: m.Org.ID, Activity: twofold.ActivitySignIn, Limit: 1000})
	if err != nil {
		t.Fatalf("ListAudit: %v", err)
	}
	var out []*twofold.AuditEvent
	for _, e := range es {
		if e.TargetName == m.Username() && e.Result == twofold.ResultFailure && e.Reason == reason {
			out = append(out, e)
		}
	}
	return out
}

// countingHasher counts the real password checks.
type countingHasher struct {
	signin.Hasher
	checks *atomic.Int64
}

func (h countingHasher) Verify(ctx context.Context, encoded, password string) (bool, bool, error) {
	h.checks.Add(1)
	return h.Hasher.Verify(ctx, encoded, password)
}

// TestBurstsAcrossReplicas repeats both bursts over two replicas of the service
// on one PostgreSQL database, each with its own connection pool: 200 wrong
// passwords at once for one account get exactly the threshold checked and lock
// it once; 250 failures at once from one address get exactly the limit
// answered as failures.
func TestBurstsAcrossReplicas(t *testing.T) {
	k := testkit.NewWith(t, testkit.Options{Backend: testkit.Postgres})
	replica := k.ReplicaStore()
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	var checks atomic.Int64
	services := make([]*signin.Service, 2)
	for i, st := range []signin.Store{k.SignIn.Store, replica} {
		d := k.SignIn.Deps
		d.Store, d.Hasher = st, countingHasher{k.SignIn.Hasher, &checks}
		services[i] = signin.New(d, signin.Config{})
	}

	threshold := m.Org.Policy.LockoutThreshold
	errs := testkit.Simultaneously(200, func(i int) error {
		c := testkit.Client(fmt.Sprintf("10.3.%d.%d", i/200, i%200+1))
		_, err := services[i%2].Password(k.Ctx, m.Username(), fmt.Sprintf("guess number %d", i), c)
		return err
	})
	for i, err := range errs {
		if err != signin.ErrCredentials {
			t.Fatalf("guess %d: %v, want ErrCredentials", i, err)
		}
	}
	if n := checks.Load(); n != int64(threshold) {
		t.Errorf("%d passwords checked over two replicas, want exactly the threshold %d", n, threshold)
	}
	for i, svc := range services {
		if _, err := svc.Password(k.Ctx, m.Username(), m.Password, testkit.Client("192.0.2.201")); err != signin.ErrCredentials {
			t.Errorf("the right password on replica %d after the burst: %v, want ErrCredentials (locked)", i, err)
		}
	}
	if u := k.User(m.User.ID); u.LockoutLevel != 1 {
		t.Errorf("lockout level %d after one burst over two replicas, want 1", u.LockoutLevel)
	}

	const burst, limit = 250, 100
	c := testkit.Client("192.0.2.98")
	errs = testkit.Simultaneously(burst, func(i int) error {
		_, err := services[i%2].Password(k.Ctx, fmt.Sprintf("nobody%d@contoso.com", i), "whatever it is", c)
		return err
	})
	counts := map[string]int{}
	for _, err := range errs {
		counts[twofold.ErrorCode(err)]++
	}
	if counts[twofold.EUNAUTHORIZED] != limit || counts[twofold.ERATELIMIT] != burst-limit {
		t.Errorf("answers to %d failures at once from one address over two replicas: %v; want %d %s and %d %s",
			burst, counts, limit, twofold.EUNAUTHORIZED, burst-limit, twofold.ERATELIMIT)
	}
}
