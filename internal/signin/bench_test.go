package signin_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/testkit"
)

// benchPool is how many members the sign-in benchmark cycles through. Each code
// works once per member and 30-s step, so members are handed out in turn (FIFO)
// and the fake clock moves one step forward roughly once per round of the pool.
// The pool is much larger than the number of clients, so a code computed for one
// step is still within the server's ±1-step window when it is checked.
const benchPool = 256

type benchMember struct {
	username string
	methodID string
	secret   []byte
	lastStep int64 // the newest step used; only the goroutine holding the member touches it
}

// benchSetup builds a kit with the default argon2id parameters and benchPool
// members, each with one active authenticator app. The members share one
// password hash, made once, so setup costs one hash rather than benchPool.
func benchSetup(b *testing.B, backend string) (*testkit.Kit, chan *benchMember) {
	b.Helper()
	k := testkit.NewWith(b, testkit.Options{
		Backend: backend,
		Params:  password.DefaultParams(),
		// The production queue and slots; a longer wait so a busy shared machine
		// measures slowness instead of failing with EUNAVAILABLE.
		Limit: password.LimitOptions{Wait: time.Minute},
	})
	org := k.NewOrg("bench.example")
	const pw = "benchmark password 1"
	hash, err := k.Hasher.Hash(k.Ctx, pw)
	if err != nil {
		b.Fatal(err)
	}
	pool := make(chan *benchMember, benchPool)
	for i := range benchPool {
		u := &twofold.User{ID: twofold.NewID(), OrgID: org.ID, Username: fmt.Sprintf("m%03d@bench.example", i),
			DisplayName: "Bench", Role: twofold.RoleMember, PasswordHash: hash,
			PreferredMethod: twofold.PreferenceOath, CreatedAt: k.Clock.Now()}
		if err := k.Store.CreateUser(k.Ctx, u); err != nil {
			b.Fatal(err)
		}
		e, err := k.Apps.Begin(k.Ctx, u.ID, org.Name, u.Username)
		if err != nil {
			b.Fatal(err)
		}
		secret, _ := testkit.ParseSecret(e.Secret)
		now := k.Clock.Now()
		if err := k.Apps.Activate(k.Ctx, u.ID, e.MethodID, "", testkit.TOTP(secret, now), 5); err != nil {
			b.Fatal(err)
		}
		pool <- &benchMember{username: u.Username, methodID: e.MethodID, secret: secret, lastStep: testkit.Step(now)}
	}
	return k, pool
}

// signInOnce runs one full sign-in (password, then the app's code) for the next
// free member and returns how many codes had to be re-read because the shared
// clock had moved on by more than the server's window.
func signInOnce(b *testing.B, k *testkit.Kit, pool chan *benchMember, c twofold.Client) int {
	m := <-pool
	defer func() { pool <- m }()
	r, err := k.SignIn.Password(k.Ctx, m.username, "benchmark password 1", c)
	if err != nil || r.State != twofold.FlowMFARequired {
		b.Fatalf("Password: %v, %v", r, err)
	}
	flow := r.FlowID
	for retry := 0; ; retry++ {
		now := k.Clock.AtLeast(testkit.StepStart(m.lastStep + 1))
		r, err := k.SignIn.Verify(k.Ctx, flow, m.methodID, testkit.TOTP(m.secret, now), c)
		if err == nil && r.State == twofold.FlowSignedIn {
			m.lastStep = testkit.Step(now)
			return retry
		}
		if !errors.Is(err, secondfactor.ErrWrongCode) || retry == 3 {
			b.Fatalf("Verify: %v, %v", r, err)
		}
	}
}

// runClients calls fn b.N times from exactly clients goroutines: through
// b.RunParallel with SetParallelism when clients is a multiple of GOMAXPROCS,
// otherwise (1 client on a multi-core machine) through its own goroutines.
func runClients(b *testing.B, clients int, fn func()) {
	procs := runtime.GOMAXPROCS(0)
	if clients%procs == 0 {
		b.SetParallelism(clients / procs)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				fn()
			}
		})
		return
	}
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				fn()
			}
		})
	}
	wg.Wait()
}

// BenchmarkFullSignIn measures complete sign-ins (password with the default
// argon2id parameters, then an authenticator code) through signin.Service on a
// real store, with 1, 8 and 64 concurrent clients. Compare signins/s with
// BenchmarkArgon2idRaw's hashes/s: one sign-in costs one hash, so the ratio shows
// what everything else (store, flow, session, audit) takes away.
func BenchmarkFullSignIn(b *testing.B) {
	for _, backend := range testkit.Backends() {
		b.Run(backend, func(b *testing.B) {
			k, pool := benchSetup(b, backend)
			for _, clients := range []int{1, 8, 64} {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					var retries atomic.Int64
					b.ResetTimer()
					runClients(b, clients, func() {
						c := twofold.Client{IP: "198.51.100.200", UserAgent: "bench"}
						retries.Add(int64(signInOnce(b, k, pool, c)))
					})
					b.StopTimer()
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
					b.ReportMetric(float64(retries.Load())/float64(b.N), "code-rereads/op")
				})
			}
		})
	}
}

// BenchmarkArgon2idRaw is the ceiling for BenchmarkFullSignIn: bare argon2id
// with the default parameters on every core (GOMAXPROCS goroutines, as many as
// the hasher's default slots).
func BenchmarkArgon2idRaw(b *testing.B) {
	p := password.DefaultParams()
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(salt)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			argon2.IDKey([]byte("benchmark password 1"), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hashes/s")
}
