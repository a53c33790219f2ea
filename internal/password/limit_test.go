package password

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// gauge counts KDF runs in flight and remembers the most seen at once.
type gauge struct {
	now, peak atomic.Int32
}

func (g *gauge) enter() {
	n := g.now.Add(1)
	for {
		old := g.peak.Load()
		if n <= old || g.peak.CompareAndSwap(old, n) {
			return
		}
	}
}

func (g *gauge) leave() { g.now.Add(-1) }

// wrap counts every run of kdf.
func (g *gauge) wrap(kdf func(pw, salt []byte, p Params) []byte) func(pw, salt []byte, p Params) []byte {
	return func(pw, salt []byte, p Params) []byte {
		g.enter()
		defer g.leave()
		return kdf(pw, salt, p)
	}
}

// sleeper stands in for argon2id: it takes d and returns a zero key.
func sleeper(d time.Duration) func(pw, salt []byte, p Params) []byte {
	return func(pw, salt []byte, p Params) []byte {
		time.Sleep(d)
		return make([]byte, p.KeyLen)
	}
}

// An ordinary burst queues and succeeds: 64 real verifications through 2 slots.
func TestBurstQueuesAndSucceeds(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(DefaultParams(), LimitOptions{Slots: 2, Wait: time.Minute})
	enc, err := h.Hash(ctx, "burst password")
	if err != nil {
		t.Fatal(err)
	}
	var g gauge
	h.kdf = g.wrap(h.kdf)
	var wg sync.WaitGroup
	var fails atomic.Int32
	for range 64 {
		wg.Go(func() {
			if ok, _, err := h.Verify(ctx, enc, "burst password"); !ok || err != nil {
				fails.Add(1)
				t.Errorf("Verify = %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
	if fails.Load() != 0 {
		t.Fatalf("%d of 64 verifications failed", fails.Load())
	}
	if p := g.peak.Load(); p > 2 {
		t.Fatalf("%d hashes ran at once, want at most 2", p)
	}
}

// A flood beyond the queue is refused with EUNAVAILABLE and never runs more
// than Slots hashes at once.
func TestFloodIsRefused(t *testing.T) {
	h := NewHasher(DefaultParams(), LimitOptions{Slots: 2, Queue: 4, Wait: 30 * time.Millisecond})
	var g gauge
	h.kdf = g.wrap(sleeper(20 * time.Millisecond))
	enc := h.dummy
	var wg sync.WaitGroup
	var done, busy atomic.Int32
	start := make(chan struct{})
	for range 200 {
		wg.Go(func() {
			<-start
			_, _, err := h.Verify(context.Background(), enc, "flood")
			switch {
			case err == nil:
				done.Add(1)
			case twofold.ErrorCode(err) == twofold.EUNAVAILABLE:
				if m := twofold.ErrorMessage(err); m != "We're busy right now. Please try again in a moment." {
					t.Errorf("message %q", m)
				}
				busy.Add(1)
			default:
				t.Errorf("unexpected error %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	t.Logf("done %d, busy %d, peak %d", done.Load(), busy.Load(), g.peak.Load())
	if busy.Load() == 0 || done.Load() == 0 {
		t.Fatalf("done %d, busy %d: want some of each", done.Load(), busy.Load())
	}
	if p := g.peak.Load(); p > 2 {
		t.Fatalf("%d hashes ran at once, want at most 2", p)
	}
	if w := h.limit.waiting.Load(); w != 0 {
		t.Fatalf("%d waiters left behind", w)
	}
}

func TestCancelWhileWaitingReturnsPromptly(t *testing.T) {
	h := NewHasher(DefaultParams(), LimitOptions{Slots: 1, Wait: time.Minute})
	release := make(chan struct{})
	started := make(chan struct{})
	h.kdf = func(pw, salt []byte, p Params) []byte {
		close(started)
		<-release
		return make([]byte, p.KeyLen)
	}
	go func() { _, _ = h.Hash(context.Background(), "holder") }()
	<-started
	defer close(release)

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := h.Verify(ctx, h.dummy, "waiter")
		errc <- err
	}()
	for h.limit.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if twofold.ErrorCode(err) != twofold.EUNAVAILABLE || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v; want EUNAVAILABLE wrapping context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Verify did not return after its context was cancelled")
	}
}

func TestNoQueueRefusesAtOnce(t *testing.T) {
	h := NewHasher(DefaultParams(), LimitOptions{Slots: 1, Queue: -1, Wait: time.Minute})
	release := make(chan struct{})
	started := make(chan struct{})
	h.kdf = func(pw, salt []byte, p Params) []byte {
		close(started)
		<-release
		return make([]byte, p.KeyLen)
	}
	go func() { _, _ = h.Hash(context.Background(), "holder") }()
	<-started
	defer close(release)
	if _, err := h.Hash(context.Background(), "second"); twofold.ErrorCode(err) != twofold.EUNAVAILABLE {
		t.Fatalf("err = %v; want EUNAVAILABLE", err)
	}
}

// A saturated hasher refuses a dummy check as it refuses a real one, so an
// unknown name cannot be told from a known one by which of them gets a 503.
func TestSaturatedRefusesDummyAndRealAlike(t *testing.T) {
	h := NewHasher(DefaultParams(), LimitOptions{Slots: 1, Queue: -1})
	enc, err := h.Hash(context.Background(), "a real password")
	if err != nil {
		t.Fatal(err)
	}
	hold, held := make(chan struct{}), make(chan struct{})
	h.kdf = func(pw, salt []byte, p Params) []byte {
		close(held)
		<-hold
		return make([]byte, p.KeyLen)
	}
	go func() { _ = h.VerifyDummy(context.Background(), "holds the only slot") }()
	<-held
	defer close(hold)
	_, _, realErr := h.Verify(context.Background(), enc, "a real password")
	dummyErr := h.VerifyDummy(context.Background(), "a guess")
	for what, err := range map[string]error{"Verify": realErr, "VerifyDummy": dummyErr} {
		if twofold.ErrorCode(err) != twofold.EUNAVAILABLE {
			t.Errorf("%s on a saturated hasher: %v, want %s", what, err, twofold.EUNAVAILABLE)
		}
	}
}
